// Single-sign-on settings are read and checked in lib/config.ts: all three of issuer, client id and secret
// or none; PASSWORD_SIGNIN=false only with single sign-on (otherwise nobody could sign in).
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

const OIDC = { OIDC_ISSUER: 'https://login.example.com/realms/team', OIDC_CLIENT_ID: 'kimi', OIDC_CLIENT_SECRET: 's3cret' };

describe('OIDC_* and PASSWORD_SIGNIN', () => {
  it('default: password sign-in on, no single sign-on', () => {
    expect(parseConfig({}).auth).toMatchObject({ passwordSignIn: true, oidc: undefined });
  });

  it('reads the issuer, the button label and the admin group (claim `groups` unless named)', () => {
    expect(parseConfig({ ...OIDC, PASSWORD_SIGNIN: 'false' }).auth).toEqual({
      signupPolicy: 'approval',
      passwordSignIn: false,
      oidc: { ...{ issuer: OIDC.OIDC_ISSUER, clientId: 'kimi', clientSecret: 's3cret' }, name: 'SSO', adminGroup: undefined, adminClaim: 'groups' },
    });
    expect(parseConfig({ ...OIDC, OIDC_NAME: 'Acme', OIDC_ADMIN_GROUP: 'kimi-admins', OIDC_ADMIN_CLAIM: 'roles' }).auth.oidc).toMatchObject({
      name: 'Acme',
      adminGroup: 'kimi-admins',
      adminClaim: 'roles',
    });
  });

  it('refuses half a configuration, a bad issuer URL, and PASSWORD_SIGNIN=false without single sign-on', () => {
    expect(() => parseConfig({ OIDC_ISSUER: OIDC.OIDC_ISSUER })).toThrow(/set all three/);
    expect(() => parseConfig({ ...OIDC, OIDC_ISSUER: 'login.example.com' })).toThrow(ConfigError);
    expect(() => parseConfig({ PASSWORD_SIGNIN: 'false' })).toThrow(/PASSWORD_SIGNIN/);
    expect(() => parseConfig({ ...OIDC, OIDC_ADMIN_CLAIM: 'two words' })).toThrow(/OIDC_ADMIN_CLAIM/);
  });
});
