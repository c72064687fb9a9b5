/**
 * Who may use the staff API. Two kinds of bearer token:
 * - OpenID Connect access tokens from the gemeente's identity provider, verified with jose: signature
 *   against the provider's JWKS (fetched over HTTPS, cached, refetched for an unknown key id), issuer,
 *   audience and expiry (required). The token must carry the staff role in the configured claim.
 * - API tokens for small installations: random strings whose SHA-256 hashes (never the tokens) are in
 *   STAFF_API_TOKENS as `name:hash` (staff role) or `name:hash:handler` (handler role), as `token:<name>`.
 * Roles: 'staff' (complaint officer, sees all) and 'handler' (klachtbehandelaar, OIDC_HANDLER_ROLE: sees
 * only complaints whose handler they are; may add notes and documents and propose an outcome).
 * No or unusable token: 401. A valid token without the staff role: 403. Reasons are logged as codes,
 * never with the token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type * as Jose from 'jose';
import type { Logger } from '../logger';
import type { Actor } from './audit';

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** when absent, taken from the issuer's /.well-known/openid-configuration */
  jwksUrl?: string;
  /** a dot path into the token, e.g. `roles` (Entra ID) or `realm_access.roles` (Keycloak) */
  rolesClaim: string;
  staffRole: string;
  /** the role of a klachtbehandelaar (department handler): sees only complaints whose handler they are */
  handlerRole?: string;
  /** public client id for the browser sign-in (authorization code + PKCE); absent: no browser sign-in */
  clientId?: string;
  scope: string;
}

export interface ApiToken {
  name: string;
  /** SHA-256 of the token */
  hash: Buffer;
  /** 'staff' (default) or 'handler' (`name:hash:handler`) */
  role: 'staff' | 'handler';
}

export interface AuthSettings {
  oidc?: OidcSettings;
  apiTokens: ApiToken[];
}

export interface Principal extends Actor {
  roles: string[];
}

export class AuthError extends Error {
  constructor(readonly status: 401 | 403 | 503, readonly code: string) {
    super(code);
  }
}

/** What the browser page needs to sign in (public: no secrets). */
export interface SignInConfig {
  oidc: { authorizationEndpoint: string; tokenEndpoint: string; clientId: string; scope: string } | null;
  apiTokens: boolean;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A new API token and its configuration entry (`name:hash`) for STAFF_API_TOKENS. */
export function newApiToken(name: string): { token: string; entry: string } {
  const token = `kbs_${randomBytes(32).toString('base64url')}`;
  return { token, entry: `${name}:${hashToken(token).toString('hex')}` };
}

/** Parses STAFF_API_TOKENS: `name:sha256hex` or `name:sha256hex:handler` entries separated by commas or whitespace. */
export function parseApiTokens(value: string | undefined): ApiToken[] {
  if (!value || !value.trim()) return [];
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const m = /^([A-Za-z0-9._-]{1,64}):([0-9a-fA-F]{64})(?::(staff|handler))?$/.exec(entry);
      if (!m) throw new Error('STAFF_API_TOKENS: each entry is name:sha256-hex (64 hex digits), optionally :handler');
      return { name: m[1], hash: Buffer.from(m[2], 'hex'), role: (m[3] ?? 'staff') as 'staff' | 'handler' };
    });
}

/**
 * jose 6 is an ES module; Node 20.19+ loads it with require(). Loaded on first use, so that nothing
 * loads it when OpenID Connect is not configured.
 */
function loadJose(): typeof Jose {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('jose') as typeof Jose;
}

interface Discovery {
  jwks_uri: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export class StaffAuth {
  private discovery?: Promise<Discovery>;
  private jwks?: ReturnType<typeof Jose.createRemoteJWKSet>;

  constructor(readonly settings: AuthSettings, private readonly log?: Logger) {}

  get configured(): boolean {
    return Boolean(this.settings.oidc) || this.settings.apiTokens.length > 0;
  }

  /** Resolves the bearer token in an Authorization header to a staff principal, or throws an AuthError. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const m = /^Bearer\s+([^\s]+)\s*$/i.exec(authorization ?? '');
    if (!m) throw this.fail(401, 'no_token');
    const token = m[1];
    const apiToken = this.matchApiToken(token);
    if (apiToken) return { id: `token:${apiToken.name}`, via: 'token', roles: [apiToken.role] };
    const oidc = this.settings.oidc;
    if (!oidc || token.split('.').length !== 3) throw this.fail(401, 'invalid_token');
    const jose = loadJose();
    let payload: Jose.JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(token, await this.keySet(), {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 30,
      }));
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'ERR_JWT_EXPIRED') throw this.fail(401, 'token_expired');
      // no code: the JWKS or discovery could not be fetched; ERR_JOSE_GENERIC: the JWKS response was unusable
      if (code === '' || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC') throw this.fail(503, 'idp_unreachable', code);
      throw this.fail(401, 'invalid_token', code);
    }
    const roles = rolesOf(payload, oidc.rolesClaim);
    const id = firstString(payload.preferred_username, payload.email, payload.sub) ?? 'unknown';
    const staff = roles.includes(oidc.staffRole);
    const handler = roles.includes(oidc.handlerRole ?? 'klachtbehandelaar');
    if (!staff && !handler) throw this.fail(403, 'not_staff');
    // the provider's roles, plus the app's: 'staff' (complaint officer) and/or 'handler' (klachtbehandelaar)
    return { id, via: 'oidc', roles: [...roles, ...(staff ? ['staff'] : []), ...(handler ? ['handler'] : [])] };
  }

  /** The browser sign-in settings, from the provider's discovery document. */
  async signInConfig(): Promise<SignInConfig> {
    const oidc = this.settings.oidc;
    let browser: SignInConfig['oidc'] = null;
    if (oidc?.clientId) {
      try {
        const d = await this.discover();
        if (d.authorization_endpoint && d.token_endpoint) {
          browser = {
            authorizationEndpoint: d.authorization_endpoint,
            tokenEndpoint: d.token_endpoint,
            clientId: oidc.clientId,
            scope: oidc.scope,
          };
        }
      } catch {
        this.log?.warn({ event: 'staff.auth.discovery' }, 'OpenID Connect discovery failed');
      }
    }
    return { oidc: browser, apiTokens: this.settings.apiTokens.length > 0 };
  }

  private matchApiToken(token: string): ApiToken | undefined {
    const hash = hashToken(token);
    let found: ApiToken | undefined;
    for (const t of this.settings.apiTokens) if (timingSafeEqual(hash, t.hash) && !found) found = t; // no early exit
    return found;
  }

  private discover(): Promise<Discovery> {
    const oidc = this.settings.oidc!;
    if (!this.discovery) {
      const url = `${oidc.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      this.discovery = fetch(url, { signal: AbortSignal.timeout(5000) })
        .then(async (res) => {
          if (!res.ok) throw new Error(`discovery answered ${res.status}`);
          const d = (await res.json()) as Discovery;
          if (typeof d.jwks_uri !== 'string') throw new Error('discovery document without jwks_uri');
          return d;
        })
        .catch((err: Error) => {
          this.discovery = undefined; // try again on the next request
          throw new Error(`discovery: ${err.message}`);
        });
    }
    return this.discovery;
  }

  private async keySet(): Promise<ReturnType<typeof Jose.createRemoteJWKSet>> {
    if (!this.jwks) {
      const oidc = this.settings.oidc!;
      const url = oidc.jwksUrl ?? (await this.discover()).jwks_uri;
      this.jwks = loadJose().createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    }
    return this.jwks;
  }

  private fail(status: 401 | 403 | 503, code: string, detail?: string): AuthError {
    this.log?.info({ event: 'staff.auth.denied', status, code, detail }, 'staff request denied');
    return new AuthError(status, code);
  }
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Roles at a dot path: an array of strings, or one space-separated string. */
export function rolesOf(payload: Record<string, unknown>, claimPath: string): string[] {
  let v: unknown = payload;
  for (const part of claimPath.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  if (Array.isArray(v)) return v.filter((r): r is string => typeof r === 'string');
  if (typeof v === 'string') return v.split(/\s+/).filter(Boolean);
  return [];
}
