/**
 * The staff side, wired from configuration: audit log, service (API and CLI share it), retention and
 * authentication, over the store (openStore has applied every migration).
 */
import type { ComplaintStore } from '../store/complaintStore';
import type { BotTranscriptStore } from '../bot/transcriptStore';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { loadMunicipality, type Municipality } from '../municipality';
import type { Store } from '../store/types';
import { AuditLog } from './audit';
import { parseApiTokens, StaffAuth, type AuthSettings } from './auth';
import { Retention } from './retention';
import { StaffService } from './service';

export interface Staff {
  service: StaffService;
  audit: AuditLog;
  retention: Retention;
  auth: StaffAuth;
}

export type StaffConfig = Pick<
  Config,
  | 'STAFF_API_TOKENS'
  | 'OIDC_ISSUER'
  | 'OIDC_AUDIENCE'
  | 'OIDC_JWKS_URL'
  | 'OIDC_CLIENT_ID'
  | 'OIDC_SCOPE'
  | 'OIDC_ROLES_CLAIM'
  | 'OIDC_STAFF_ROLE'
  | 'OIDC_HANDLER_ROLE'
  | 'MUNICIPALITY_FILE'
  | 'RETENTION_RESOLVED_YEARS'
  | 'RETENTION_ABANDONED_DAYS'
>;

export function authSettings(config: StaffConfig): AuthSettings {
  return {
    apiTokens: parseApiTokens(config.STAFF_API_TOKENS),
    oidc:
      config.OIDC_ISSUER && config.OIDC_AUDIENCE
        ? {
            issuer: config.OIDC_ISSUER,
            audience: config.OIDC_AUDIENCE,
            jwksUrl: config.OIDC_JWKS_URL,
            clientId: config.OIDC_CLIENT_ID,
            scope: config.OIDC_SCOPE,
            rolesClaim: config.OIDC_ROLES_CLAIM,
            staffRole: config.OIDC_STAFF_ROLE,
            handlerRole: config.OIDC_HANDLER_ROLE,
          }
        : undefined,
  };
}

export async function createStaff(
  store: Store,
  transcripts: BotTranscriptStore,
  config: StaffConfig,
  opts: { clock?: () => Date; log?: Logger; municipality?: Municipality; deliveries?: Pick<ComplaintStore, 'enqueue' | 'wake'> } = {},
): Promise<Staff> {
  const clock = opts.clock ?? (() => new Date());
  const audit = new AuditLog(store.audit, clock);
  // categories and departments from the municipality file (handling, issue 14)
  const service = new StaffService(store, transcripts, audit, clock, (opts.municipality ?? loadMunicipality(config.MUNICIPALITY_FILE)).handling, opts.deliveries);
  const retention = new Retention(
    store,
    audit,
    { resolvedYears: config.RETENTION_RESOLVED_YEARS, abandonedDays: config.RETENTION_ABANDONED_DAYS },
    clock,
  );
  const auth = new StaffAuth(authSettings(config), opts.log);
  if (!auth.configured) {
    opts.log?.warn({ event: 'staff.auth.unconfigured' }, 'no OIDC_ISSUER/OIDC_AUDIENCE and no STAFF_API_TOKENS: the staff API refuses every request');
  }
  return { service, audit, retention, auth };
}
