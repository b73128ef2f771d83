export const common = {
  appName: 'Kimi Chat',
  simulator: 'Simulator',
  simulatorHint: 'No API key is set: answers come from the built-in Kimi simulator, not from Kimi.',
  language: 'Language',
  languages: { en: 'English', zh: '中文' },
  loading: 'Loading…',
  cancel: 'Cancel',
  save: 'Save',
  delete: 'Delete',
  close: 'Close',
  retry: 'Retry',
  signOut: 'Sign out',
};
