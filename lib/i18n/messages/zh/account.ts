import type { Catalog } from '../../translate';
import type { account as en } from '../en/account';

export const account: Catalog<typeof en> = {
  title: '账号',
  link: '账号',
  subtitle: '你的登录信息。',
  email: '邮箱',
  name: '名字',
  noName: '未设置',
  password: {
    title: '修改密码',
    description: '修改密码后，你在其他所有设备和浏览器上的登录都会退出，当前浏览器保持登录。',
    current: '当前密码',
    new: '新密码',
    confirm: '确认新密码',
    hint: '至少 {min} 个字符。',
    submit: '修改密码',
    success: '密码已修改，其他地方的登录均已退出。',
    errors: {
      current_password_required: '请输入当前密码。',
      wrong_current_password: '当前密码不正确。',
      no_password: '此账号通过单点登录（SSO）登录，没有可修改的密码。',
      password_too_short: '新密码至少需要 {min} 个字符。',
      password_too_long: '新密码最多 {max} 个字符。',
      password_mismatch: '两次输入的新密码不一致。',
      password_unchanged: '新密码不能与当前密码相同。',
      too_many_attempts: '尝试次数过多，请 {seconds} 秒后再试。',
      unknown: '出了点问题，请重试。',
    },
  },
  sessions: {
    title: '在所有设备上退出登录',
    description: '结束你账号的所有登录——包括其他设备和浏览器，以及当前浏览器。如果你曾在不再受你控制的地方登录，请使用此功能。',
    submit: '在所有设备上退出',
  },
};
