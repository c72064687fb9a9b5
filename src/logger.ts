/**
 * Structured application logs (pino). Logs never carry personal data: code logs ids, counts,
 * durations and error codes, never names, phone numbers, addresses, e-mail or complaint text.
 * The redact list is a second line of defence for fields that must never reach a log.
 */
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT = [
  'text', '*.text', 'story', '*.story', 'name', '*.name', 'phone', '*.phone', 'email', '*.email',
  'street', '*.street', 'postcode', '*.postcode', 'city', '*.city', 'contact', '*.contact',
  'activity', '*.activity', 'authorization', '*.authorization', 'req.headers.authorization',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'klachtbot' } }, destination);
}
