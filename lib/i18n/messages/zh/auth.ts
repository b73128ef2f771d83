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
    sign_up_closed: '此服务器已关闭注册。请向管理员申请账号。',
    invitation_required: '此服务器只接受通过邀请链接注册。请向管理员索取邀请链接。',
    email_domain_not_allowed: '此服务器只允许指定域名的邮箱注册。',
    too_many_attempts: '尝试次数过多，请 {seconds} 秒后再试。',
  },
  pending: {
    title: '等待批准',
    body: '你的账号 {email} 已创建。管理员批准后才能开始聊天。',
    hint: '重新加载此页面会再次检查；你也可以先退出，稍后再来。',
    reload: '再次检查',
    signOut: '退出登录',
  },
};
