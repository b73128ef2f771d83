export const preferences = {
  title: 'Defaults',
  description: 'How new chats start and how the app looks. Saved with your account, on every device.',
  instructions: 'Custom instructions',
  instructionsHint:
    'Sent to Kimi at the start of every chat’s system message, before the chat’s own system prompt, on every turn. They count toward the context window. Up to {max} characters.',
  instructionsPlaceholder: 'e.g. I am a backend engineer. Answer briefly, with code in TypeScript.',
  count: '{count} / {max}',
  defaultModel: 'Default model for new chats',
  instanceDefault: 'The instance default ({model})',
  theme: 'Theme',
  themes: { system: 'Match the device', light: 'Light', dark: 'Dark' },
  save: 'Save defaults',
  saved: 'Defaults saved.',
  errors: {
    instructions_too_long: 'Custom instructions can be at most {max} characters long (now {count}).',
    model_not_served: 'That model is no longer served. Choose another one.',
    invalid: 'Something in the form is not valid. Reload the page and try again.',
  },
};
