export const chat = {
  placeholder: 'placeholder',
};
