export type Role = 'user' | 'admin';

/** The signed-in user as routes and pages see it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}
