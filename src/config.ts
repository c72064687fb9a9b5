/**
 * All configuration comes from the environment (and `.env` when present), validated at start-up.
 * `.env.example` documents every variable.
 */
import path from 'path';
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

export const ConfigSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^(sqlite:.+|postgres(ql)?:\/\/.+)$/i,
        'a SQLite URL such as sqlite:./data/complaints.db, or a PostgreSQL URL such as postgres://user@host:5432/klachtbot',
      )
      .default('sqlite:./data/complaints.db'),
  ),
  MicrosoftAppId: opt(z.string()),
  MicrosoftAppPassword: opt(z.string()),
  MicrosoftAppType: z.preprocess(
    emptyToUndefined,
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  ),
  MicrosoftAppTenantId: opt(z.string()),
  MUNICIPALITY_FILE: opt(z.string()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  DEFAULT_LOCALE: z.preprocess(emptyToUndefined, z.enum(['nl', 'en']).default('nl')),
  // /api/messages without app credentials: who may call it, and how often (see .env.example, README Security).
  API_MESSAGES_OPEN: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')).transform((v) => v === 'true'),
  API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000000).default(300)),
  API_MESSAGES_MAX_PER_CONVERSATION_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100000).default(60)),
  // Key for the log ids of conversations (src/logIds.ts); empty: a random key per process.
  LOG_ID_SECRET: opt(z.string().min(16, 'at least 16 characters')),
  // The staff back office on its own port and address (empty STAFF_PORT: on PORT with everything else).
  STAFF_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  STAFF_HOST: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9.:\-]{1,255}$/, 'a host name or IP address').default('127.0.0.1')),
  // Direct Line and the chat page (src/directline, src/web); see .env.example and docs/directline.md.
  DIRECTLINE_SECRET: opt(z.string().min(16, 'at least 16 characters')),
  DIRECTLINE_ENDPOINT: opt(z.url({ protocol: /^https?$/ })),
  DIRECTLINE_PUBLIC_URL: opt(z.url({ protocol: /^https?$/ })),
  DIRECTLINE_TRUST_PROXY: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')).transform((v) => v === 'true'),
  DIRECTLINE_TOKEN_TTL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(60).max(86400).default(3600)),
  DIRECTLINE_IDLE_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10080).default(120)),
  DIRECTLINE_MAX_BODY_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).max(256 * 1024).default(64 * 1024)),
  DIRECTLINE_MAX_TEXT_LENGTH: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(100000).default(10000)),
  DIRECTLINE_MAX_ACTIVITIES_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100000).default(60)),
  DIRECTLINE_MAX_STARTS_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000000).default(30)),
  DIRECTLINE_MAX_SOCKETS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100000).default(1000)),
  DIRECTLINE_MAX_SOCKETS_PER_CLIENT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100000).default(10)),
  DIRECTLINE_MAX_CONVERSATIONS_PER_CLIENT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000000).default(50)),
  DIRECTLINE_KEEPALIVE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(300).default(20)),
  // Staff API, page and CLI (src/staff); see .env.example and src/staff/README.md.
  STAFF_API_TOKENS: opt(
    z
      .string()
      .regex(
        /^[\s,]*[A-Za-z0-9._-]{1,64}:[0-9a-fA-F]{64}(:(staff|handler))?([\s,]+[A-Za-z0-9._-]{1,64}:[0-9a-fA-F]{64}(:(staff|handler))?)*[\s,]*$/,
        'name:sha256hex (or name:sha256hex:handler) entries separated by commas',
      ),
  ),
  OIDC_ISSUER: opt(z.url({ protocol: /^https?$/ })),
  OIDC_AUDIENCE: opt(z.string()),
  OIDC_JWKS_URL: opt(z.url({ protocol: /^https?$/ })),
  OIDC_CLIENT_ID: opt(z.string()),
  OIDC_SCOPE: z.preprocess(emptyToUndefined, z.string().default('openid profile')),
  OIDC_ROLES_CLAIM: z.preprocess(emptyToUndefined, z.string().regex(/^[\w-]+(\.[\w-]+)*$/, 'a claim name or dot path').default('roles')),
  OIDC_STAFF_ROLE: z.preprocess(emptyToUndefined, z.string().default('klachtenfunctionaris')),
  /** the role of a klachtbehandelaar (department handler): sees only the complaints assigned to them */
  OIDC_HANDLER_ROLE: z.preprocess(emptyToUndefined, z.string().default('klachtbehandelaar')),
  RETENTION_RESOLVED_YEARS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(5)),
  RETENTION_ABANDONED_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(30)),
  RETENTION_PURGE_EVERY_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(24 * 30).default(24)),
  // Deliveries after filing (issue 13, src/delivery): the outbox worker and the daily digest of failures.
  STAFF_PUBLIC_URL: opt(z.url({ protocol: /^https?$/ })),
  DELIVERY_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1000).max(600_000).default(30_000)),
  DELIVERY_RETRY_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1440).default(5)),
  DELIVERY_RETRY_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(24 * 30).default(48)),
  DIGEST_HOUR: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(23).default(8)),
  // E-mail (src/delivery/mail): on when SMTP_URL is set (smtp:// or smtps://, credentials in the URL); MAIL_FROM then required.
  SMTP_URL: opt(z.string().regex(/^smtps?:\/\/[^\s]+$/i, 'an SMTP URL such as smtp://user:pass@host:587 or smtps://host:465')),
  MAIL_FROM: opt(z.string().regex(/^([^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'an address, optionally with a name: Gemeente X <klacht@example.nl>')),
  MAIL_OFFICERS_TO: opt(z.string().regex(/^\s*[^\s@,;]+@[^\s@,;]+(\s*[,;]\s*[^\s@,;]+@[^\s@,;]+)*\s*$/, 'e-mail addresses separated by commas')),
  MAIL_OFFICERS_PERSONAL_DATA: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')).transform((v) => v === 'true'),
  MAIL_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1000).max(300_000).default(20_000)),
  MAIL_DKIM_DOMAIN: opt(z.string().regex(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'a domain name')),
  MAIL_DKIM_SELECTOR: opt(z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, 'a DKIM selector')),
  MAIL_DKIM_PRIVATE_KEY: opt(z.string().min(1)),
  MAIL_DKIM_PRIVATE_KEY_FILE: opt(z.string().min(1)),
  // Registration backends (src/delivery/zgw, src/delivery/klantinteracties); README "Connecting to Open Zaak / Open Klant".
  // ZGW APIs (Open Zaak): on when ZGW_ZAKEN_URL is set; then every ZGW_* below without a default is required.
  ZGW_ZAKEN_URL: opt(z.url({ protocol: /^https?$/ })),
  ZGW_DOCUMENTEN_URL: opt(z.url({ protocol: /^https?$/ })),
  ZGW_CLIENT_ID: opt(z.string().min(1).max(255)),
  ZGW_SECRET: opt(z.string().min(1)),
  ZGW_ZAAKTYPE_URL: opt(z.url({ protocol: /^https?$/ })),
  ZGW_ROLTYPE_INITIATOR_URL: opt(z.url({ protocol: /^https?$/ })),
  ZGW_STATUSTYPE_URL: opt(z.url({ protocol: /^https?$/ })),
  ZGW_INFORMATIEOBJECTTYPE_URL: opt(z.url({ protocol: /^https?$/ })),
  ZGW_BRONORGANISATIE: opt(z.string().refine(isRsin, 'an RSIN: 9 digits that pass the 11-test')),
  ZGW_VERANTWOORDELIJKE_ORGANISATIE: opt(z.string().refine(isRsin, 'an RSIN: 9 digits that pass the 11-test')),
  ZGW_VERTROUWELIJKHEIDAANDUIDING: z.preprocess(
    emptyToUndefined,
    z.enum(['openbaar', 'beperkt_openbaar', 'intern', 'zaakvertrouwelijk', 'vertrouwelijk', 'confidentieel', 'geheim', 'zeer_geheim']).default('vertrouwelijk'),
  ),
  ZGW_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(10_000)),
  // Klantinteracties (Open Klant 2): on when KLANTINTERACTIES_URL is set; then the token and the actor are required.
  KLANTINTERACTIES_URL: opt(z.url({ protocol: /^https?$/ })),
  KLANTINTERACTIES_TOKEN: opt(z.string().min(1)),
  KLANTINTERACTIES_ACTOR_URL: opt(z.url({ protocol: /^https?$/ })),
  KLANTINTERACTIES_KANAAL: z.preprocess(emptyToUndefined, z.string().min(1).max(50).default('chatbot')),
  KLANTINTERACTIES_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(10_000)),
});
/** databaseFile: the SQLite file of a sqlite: DATABASE_URL; '' for PostgreSQL (the store opens DATABASE_URL itself) */
export type Config = z.infer<typeof ConfigSchema> & { databaseFile: string };

export class ConfigError extends Error {}

/** An RSIN (like a BSN): 9 digits, 9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11. */
export function isRsin(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = [...value].map(Number);
  const sum = d.slice(0, 8).reduce((acc, n, i) => acc + n * (9 - i), 0) - d[8];
  return sum % 11 === 0;
}

/** Validates `env`; throws a ConfigError naming every wrong variable and what is expected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (cfg.MicrosoftAppId && !cfg.MicrosoftAppPassword && cfg.MicrosoftAppType !== 'UserAssignedMSI') {
    throw new ConfigError('Invalid configuration:\n  MicrosoftAppPassword: required when MicrosoftAppId is set');
  }
  if (cfg.MicrosoftAppType === 'SingleTenant' && cfg.MicrosoftAppId && !cfg.MicrosoftAppTenantId) {
    throw new ConfigError('Invalid configuration:\n  MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant');
  }
  if (cfg.DIRECTLINE_ENDPOINT && !cfg.DIRECTLINE_SECRET) {
    throw new ConfigError('Invalid configuration:\n  DIRECTLINE_SECRET: required when DIRECTLINE_ENDPOINT is set (the Azure Direct Line secret)');
  }
  if (Boolean(cfg.OIDC_ISSUER) !== Boolean(cfg.OIDC_AUDIENCE)) {
    throw new ConfigError('Invalid configuration:\n  OIDC_ISSUER and OIDC_AUDIENCE: set both (or neither) for staff sign-in');
  }
  if (cfg.SMTP_URL && !cfg.MAIL_FROM) {
    throw new ConfigError('Invalid configuration:\n  MAIL_FROM: required when SMTP_URL is set (the sender address)');
  }
  if (Boolean(cfg.MAIL_DKIM_DOMAIN) !== Boolean(cfg.MAIL_DKIM_SELECTOR) || (cfg.MAIL_DKIM_DOMAIN && !cfg.MAIL_DKIM_PRIVATE_KEY && !cfg.MAIL_DKIM_PRIVATE_KEY_FILE)) {
    throw new ConfigError('Invalid configuration:\n  MAIL_DKIM_DOMAIN, MAIL_DKIM_SELECTOR and MAIL_DKIM_PRIVATE_KEY (or MAIL_DKIM_PRIVATE_KEY_FILE): set all (or none) for DKIM signing');
  }
  if (cfg.STAFF_PORT !== undefined && cfg.STAFF_PORT !== 0 && cfg.STAFF_PORT === cfg.PORT) {
    throw new ConfigError('Invalid configuration:\n  STAFF_PORT: must differ from PORT (leave it empty to serve /staff on PORT)');
  }
  if (cfg.ZGW_ZAKEN_URL) {
    const missing = (
      ['ZGW_DOCUMENTEN_URL', 'ZGW_CLIENT_ID', 'ZGW_SECRET', 'ZGW_ZAAKTYPE_URL', 'ZGW_ROLTYPE_INITIATOR_URL', 'ZGW_STATUSTYPE_URL', 'ZGW_INFORMATIEOBJECTTYPE_URL', 'ZGW_BRONORGANISATIE'] as const
    ).filter((k) => !cfg[k]);
    if (missing.length) throw new ConfigError(`Invalid configuration:\n${missing.map((k) => `  ${k}: required when ZGW_ZAKEN_URL is set`).join('\n')}`);
  }
  if (cfg.KLANTINTERACTIES_URL) {
    const missing = (['KLANTINTERACTIES_TOKEN', 'KLANTINTERACTIES_ACTOR_URL'] as const).filter((k) => !cfg[k]);
    if (missing.length) throw new ConfigError(`Invalid configuration:\n${missing.map((k) => `  ${k}: required when KLANTINTERACTIES_URL is set`).join('\n')}`);
  }
  if (/^postgres(ql)?:\/\//i.test(cfg.DATABASE_URL)) return { ...cfg, databaseFile: '' };
  const file = cfg.DATABASE_URL.replace(/^sqlite:(\/\/)?/, '');
  return { ...cfg, databaseFile: file === ':memory:' ? file : path.resolve(file) };
}
