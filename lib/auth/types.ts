export type Role = 'user' | 'admin';

/** The signed-in user as routes and pages see it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** Signed up under the `approval` policy and not yet approved: sees only the waiting page. */
  pending?: boolean;
}
