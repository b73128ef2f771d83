export const auth = {
  signIn: {
    title: 'Sign in',
    subtitle: 'Welcome back. Sign in to continue your chats.',
    submit: 'Sign in',
    noAccount: 'No account yet?',
    toSignUp: 'Sign up',
  },
  signUp: {
    title: 'Create your account',
    subtitle: 'Create an account to start chatting with Kimi.',
    submit: 'Sign up',
    haveAccount: 'Already have an account?',
    toSignIn: 'Sign in',
  },
  fields: {
    email: 'Email',
    password: 'Password',
    name: 'Name',
    optional: 'optional',
    passwordHint: 'At least {min} characters.',
  },
  errors: {
    invalid_credentials: 'Wrong email or password.',
    account_disabled: 'This account has been disabled. Ask an administrator to enable it again.',
    sign_up_failed: 'No account could be created with these details. If you already have an account, sign in instead.',
    invalid_email: 'Enter a valid email address.',
    password_too_short: 'The password must be at least {min} characters long.',
    password_too_long: 'The password must be at most {max} characters long.',
    name_too_long: 'The name must be at most {max} characters long.',
    unknown: 'Something went wrong. Please try again.',
    too_many_attempts: 'Too many attempts. Try again in {seconds} s.',
  },
};
