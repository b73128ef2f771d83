export const webSearch = {
  toggle: 'Web search',
  toggleHint: 'Let Kimi search the web for this chat (each search costs a small fee)',
  disabled: 'Web search is turned off on this instance',
  searching: 'Searching the web…',
  marker: 'searched the web, {count} searches',
  markerOne: 'searched the web, 1 search',
  fallback: '{from} cannot search the web while thinking: {to} answered, with thinking off.',
  adminTitle: 'Web search',
  adminHelp: 'Lets users turn on Kimi’s built-in web search per chat. Each search is charged the “$web_search” fee from the price table.',
  adminOn: 'Allowed',
  adminOff: 'Turned off',
  adminSave: 'Save',
};
