export const auth = {
  placeholder: 'placeholder',
};
