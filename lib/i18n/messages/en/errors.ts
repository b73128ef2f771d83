export const errors = {
  placeholder: 'placeholder',
};
