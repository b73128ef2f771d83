import type { Catalog } from '../../translate';
import type { common as en } from '../en/common';

export const common: Catalog<typeof en> = {
  appName: 'Kimi Chat',
  simulator: '模拟器',
  simulatorHint: '未设置 API 密钥：回答来自内置的 Kimi 模拟器，而不是 Kimi。',
  language: '语言',
  languages: { en: 'English', zh: '中文' },
  loading: '加载中…',
  cancel: '取消',
  save: '保存',
  delete: '删除',
  close: '关闭',
  retry: '重试',
  signOut: '退出登录',
  notFoundTitle: '找不到这个对话',
  notFoundBody: '这个对话不存在、已被删除，或不属于你。',
  backToNewChat: '开始新对话',
};
