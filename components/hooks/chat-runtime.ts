// The AI SDK's chat machinery as one module that use-lazy-chat.ts loads on demand: `ai`, `@ai-sdk/react`
// and what they bring (zod, the gateway provider) are about 450 KB of JavaScript the page need not run
// before its message box works.
export { Chat } from '@ai-sdk/react';
export { DefaultChatTransport } from 'ai';
