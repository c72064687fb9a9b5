// Tests run with quiet logs and a fixed default locale, whatever the developer's shell holds.
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
process.env.TZ = process.env.TZ ?? 'UTC';
