/**
 * Direct Line tokens: compact JWTs (HS256) bound to one conversation and one user, with an expiry.
 * botframework-directlinejs decodes them (it reads the `user` claim), so they must be JWTs.
 *
 * Signed with node:crypto rather than `jose`: jose 6 is ESM-only, which Jest on Node 20 cannot
 * load from CommonJS without a transform. HS256 is small enough to do here with care: fixed header,
 * constant-time signature comparison, strict claim checks.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

export const TOKEN_ISSUER = 'klachtbot/directline';

/** conv: a conversation token (REST calls); stream: a short-lived token in a streamUrl. */
export type TokenUse = 'conv' | 'stream';

export interface TokenClaims {
  iss: string;
  /** conversation id */
  conv: string;
  /** user id (directlinejs reads this claim name) */
  user: string;
  use: TokenUse;
  /** the locale the client asked for when the token was made */
  locale?: string;
  iat: number;
  exp: number;
  /** unique per token */
  jti: string;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

const HEADER = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

export class TokenService {
  constructor(
    private readonly key: Buffer,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (key.length < 32) throw new Error('token key must have at least 32 bytes');
  }

  get lifetimeSeconds(): number {
    return this.ttlSeconds;
  }

  issue(input: { conv: string; user: string; use?: TokenUse; locale?: string; ttlSeconds?: number }): { token: string; expiresIn: number } {
    const iat = Math.floor(this.now() / 1000);
    const expiresIn = input.ttlSeconds ?? this.ttlSeconds;
    const claims: TokenClaims = {
      iss: TOKEN_ISSUER,
      conv: input.conv,
      user: input.user,
      use: input.use ?? 'conv',
      ...(input.locale ? { locale: input.locale } : {}),
      iat,
      exp: iat + expiresIn,
      jti: randomBytes(9).toString('base64url'),
    };
    const body = `${HEADER}.${b64url(Buffer.from(JSON.stringify(claims)))}`;
    return { token: `${body}.${this.sign(body)}`, expiresIn };
  }

  verify(token: string): VerifyResult {
    if (typeof token !== 'string' || token.length > 4096) return { ok: false, reason: 'malformed' };
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (
      claims?.iss !== TOKEN_ISSUER ||
      typeof claims.conv !== 'string' ||
      typeof claims.user !== 'string' ||
      (claims.use !== 'conv' && claims.use !== 'stream') ||
      typeof claims.exp !== 'number'
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (claims.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private sign(data: string): string {
    return b64url(createHmac('sha256', this.key).update(data).digest());
  }
}
