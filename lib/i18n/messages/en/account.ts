export const account = {
  title: 'Account',
  /** The sidebar's link to the account page. */
  link: 'Account',
  subtitle: 'Your sign-in details.',
  email: 'Email',
  name: 'Name',
  noName: 'Not set',
  password: {
    title: 'Change password',
    description: 'Changing your password signs you out on every other device and browser. This one stays signed in.',
    current: 'Current password',
    new: 'New password',
    confirm: 'Confirm new password',
    hint: 'At least {min} characters.',
    submit: 'Change password',
    success: 'Password changed. You were signed out everywhere else.',
    errors: {
      current_password_required: 'Enter your current password.',
      wrong_current_password: 'The current password is wrong.',
      no_password: 'This account signs in through single sign-on and has no password to change.',
      password_too_short: 'The new password must be at least {min} characters long.',
      password_too_long: 'The new password must be at most {max} characters long.',
      password_mismatch: 'The new password and its confirmation do not match.',
      password_unchanged: 'The new password must be different from the current one.',
      too_many_attempts: 'Too many attempts. Try again in {seconds} s.',
      unknown: 'Something went wrong. Please try again.',
    },
  },
  sessions: {
    title: 'Sign out everywhere',
    description:
      'Ends every session of your account — on other devices and browsers, and this one. Use it if you signed in somewhere you no longer control.',
    submit: 'Sign out everywhere',
  },
};
