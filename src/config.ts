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
      .regex(/^sqlite:.+/, 'a SQLite URL such as sqlite:./data/complaints.db')
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
});
export type Config = z.infer<typeof ConfigSchema> & { databaseFile: string };

export class ConfigError extends Error {}

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
  const file = cfg.DATABASE_URL.replace(/^sqlite:(\/\/)?/, '');
  return { ...cfg, databaseFile: file === ':memory:' ? file : path.resolve(file) };
}
