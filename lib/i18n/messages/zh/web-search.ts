import type { Catalog } from '../../translate';
import type { webSearch as en } from '../en/web-search';

export const webSearch: Catalog<typeof en> = {
  toggle: '联网搜索',
  toggleHint: '让 Kimi 为本对话联网搜索（每次搜索另收少量费用）',
  disabled: '本实例已关闭联网搜索',
  searching: '正在联网搜索…',
  marker: '已联网搜索 {count} 次',
  markerOne: '已联网搜索 1 次',
  fallback: '{from} 思考时无法联网搜索：已改由 {to}（关闭思考）回答。',
  adminTitle: '联网搜索',
  adminHelp: '允许用户在每个对话中开启 Kimi 内置的联网搜索。每次搜索按价格表中的 “$web_search” 费用计费。',
  adminOn: '允许',
  adminOff: '已关闭',
  adminSave: '保存',
};
