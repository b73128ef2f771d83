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

export const images = {
  attached: 'Attached images',
  uploading: 'Uploading…',
  remove: 'Remove {name}',
  failed: 'This image could not be attached.',
  unsupported: 'Only PNG, JPEG, WebP and GIF images can be attached.',
  tooMany: 'At most {max} images per message.',
  errors: {
    image_unsupported: 'Only PNG, JPEG, WebP and GIF images can be attached (this one is {type}).',
    image_corrupt: 'This image is damaged and cannot be read.',
    image_too_large: 'This image is larger than the {limitMb} MB limit.',
    empty_file: 'This file is empty.',
  },
};
