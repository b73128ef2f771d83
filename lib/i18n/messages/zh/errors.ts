import type { Catalog } from '../../translate';
import type { errors as en } from '../en/errors';

export const errors: Catalog<typeof en> = {
  unauthorized: '你已退出登录。请重新登录后继续。',
  forbidden: '你没有权限访问此内容。',
  not_found: '此对话已不存在。',
  bad_request: '请求无效。请刷新页面后重试。',
  message_too_long: '这条消息太长。请缩短，或将文本作为文档上传。',
  context_too_long: '此对话共 {requested} 个 token，超出 {model} 的 {window} token 上下文窗口 {over} 个。{suggestion}',
  invalid_temperature: '{model} 的温度取值范围为 {min} 到 {max}。请在对话设置中修改。',
  rate_limited: '你的账户等级下 Kimi 当前繁忙。请在 {retryAfterSeconds} 秒后重试。',
  engine_overloaded: 'Kimi 当前负载过高。请稍后重试。',
  quota_exceeded: 'Kimi 账户余额已用完。请联系管理员充值。',
  user_quota_exceeded: '你本月的额度已用完，将于 {resetsAt} 重置。',
  too_many_requests: '发送太频繁了。请稍等片刻再试。',
  content_filter: 'Kimi 认为此请求存在高风险而拒绝了它。请换种说法后重试。',
  invalid_api_key: 'Kimi 拒绝了该 API 密钥。请检查 MOONSHOT_API_KEY，以及它是否与 MOONSHOT_BASE_URL（.cn 或 .ai）对应。',
  model_not_found: '此 Kimi 账户无法使用 {model}。请选择其他模型。',
  upstream_error: 'Kimi 回答时出现问题。请重试。',
  upstream_timeout: 'Kimi 响应超时。请重试。',
  stream_dropped: '回答过程中与 Kimi 的连接中断。已保留部分回答；重试可获得完整回答。',
  interrupted: '回答在完成前被中断。重试可获得完整回答。',
  conversation_busy: '此对话仍在生成回答。请等待完成，或先停止它。',
  internal: '我们这边出了点问题。请重试。',
  suggestModel: '切换到 {model}，它可以容纳。',
  details: '详情',
  retry: '重试',
};
