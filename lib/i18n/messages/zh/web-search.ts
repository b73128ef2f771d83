import type { Catalog } from '../../translate';
import type { webSearch as en, images as enImages } from '../en/web-search';

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

export const images: Catalog<typeof enImages> = {
  attached: '已附加的图片',
  uploading: '上传中…',
  remove: '移除 {name}',
  failed: '无法附加这张图片。',
  unsupported: '只能附加 PNG、JPEG、WebP 和 GIF 图片。',
  tooMany: '每条消息最多 {max} 张图片。',
  errors: {
    image_unsupported: '只能附加 PNG、JPEG、WebP 和 GIF 图片（这张是 {type}）。',
    image_corrupt: '这张图片已损坏，无法读取。',
    image_too_large: '这张图片超过了 {limitMb} MB 的上限。',
    empty_file: '文件为空。',
  },
};
