import type { Catalog } from '../../translate';
import type { shortcuts as en } from '../en/shortcuts';

export const shortcuts: Catalog<typeof en> = {
  title: '键盘快捷键',
  open: '键盘快捷键',
  list: {
    search: '搜索消息',
    newChat: '新对话',
    stop: '停止回答',
    help: '显示这些快捷键',
    send: '发送消息',
    newLine: '消息中换行',
  },
  notTyping: '不在输入框中输入时',
  close: '关闭',
};
