import type { Catalog } from '../../translate';
import type { preferences as en } from '../en/preferences';

export const preferences: Catalog<typeof en> = {
  title: '默认设置',
  description: '新对话如何开始，以及界面外观。随账号保存，在所有设备上生效。',
  instructions: '自定义指令',
  instructionsHint: '每一轮都会放在每个对话系统消息的开头、对话自己的系统提示词之前发送给 Kimi，并计入上下文窗口。最多 {max} 个字符。',
  instructionsPlaceholder: '例如：我是后端工程师。请简洁回答，代码用 TypeScript。',
  count: '{count} / {max}',
  defaultModel: '新对话的默认模型',
  instanceDefault: '实例默认（{model}）',
  theme: '主题',
  themes: { system: '跟随设备', light: '浅色', dark: '深色' },
  save: '保存默认设置',
  saved: '默认设置已保存。',
  errors: {
    instructions_too_long: '自定义指令最多 {max} 个字符（当前 {count}）。',
    model_not_served: '该模型已不再提供，请另选一个。',
    invalid: '表单中有无效内容。请刷新页面后重试。',
  },
};
