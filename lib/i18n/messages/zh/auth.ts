import type { Catalog } from '../../translate';
import type { auth as en } from '../en/auth';

export const auth: Catalog<typeof en> = {
  signIn: {
    title: '登录',
    subtitle: '欢迎回来，登录后继续你的对话。',
    submit: '登录',
    noAccount: '还没有账号？',
    toSignUp: '注册',
  },
  signUp: {
    title: '创建账号',
    subtitle: '创建账号，开始与 Kimi 对话。',
    submit: '注册',
    haveAccount: '已有账号？',
    toSignIn: '登录',
  },
  fields: {
    email: '邮箱',
    password: '密码',
    name: '名字',
    optional: '可选',
    passwordHint: '至少 {min} 个字符。',
  },
  errors: {
    invalid_credentials: '邮箱或密码错误。',
    account_disabled: '此账号已被停用，请联系管理员重新启用。',
    sign_up_failed: '无法用这些信息创建账号。如果你已有账号，请直接登录。',
    invalid_email: '请输入有效的邮箱地址。',
    password_too_short: '密码至少需要 {min} 个字符。',
    password_too_long: '密码最多 {max} 个字符。',
    name_too_long: '名字最多 {max} 个字符。',
    unknown: '出了点问题，请重试。',
    too_many_attempts: '尝试次数过多，请 {seconds} 秒后再试。',
  },
};
