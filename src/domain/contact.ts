/**
 * Validation and normalisation of the citizen's contact details. Each function answers either
 * `{ ok: true, value }` with the normalised value or `{ ok: false, reason }` with a reason code that
 * the dialogs turn into a specific explanation (locales: `errors.<field>.<reason>`).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

export type Check<T = string> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = (reason: string): Check<never> => ({ ok: false, reason });

const LETTER = /\p{L}/u;

export function checkName(input: string): Check {
  const value = input.trim().replace(/\s+/g, ' ');
  if (value.length < 2) return fail('tooShort');
  if (value.length > 100) return fail('tooLong');
  if (/\d/.test(value)) return fail('digits');
  if (!LETTER.test(value)) return fail('noLetters');
  return ok(value);
}

/** A Dutch or international phone number, normalised to E.164 (+31201234567). */
export function checkPhone(input: string): Check {
  const raw = input.trim();
  if (!/\d/.test(raw)) return fail('noDigits');
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 9) return fail('tooShort');
  if (digits.length > 15) return fail('tooLong');
  const parsed = parsePhoneNumberFromString(raw, 'NL');
  if (!parsed || !parsed.isValid()) return fail('invalid');
  return ok(parsed.number);
}

/** Shows an E.164 number the way people write it: Dutch numbers nationally, others internationally. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'NL' ? parsed.formatNational() : parsed.formatInternational();
}

/** Street and house number: "Laan Nieuwer-Amstel 1", "Dorpsstraat 12a", "Keizersgracht 12-3 hs". */
export function checkStreet(input: string): Check {
  const value = input.trim().replace(/\s+/g, ' ');
  if (value.length > 200) return fail('tooLong');
  if (!LETTER.test(value)) return fail('noStreet');
  if (!/\d/.test(value)) return fail('noNumber');
  if (!/^\D*\p{L}\D*\s\d/u.test(value) && !/^\d+\s+\p{L}/u.test(value)) return fail('format');
  return ok(value);
}

/** Dutch postcode: 4 digits (not starting with 0) and 2 letters, not SA, SD or SS. Normalised to "1182 JR". */
export function checkPostcode(input: string): Check {
  const compact = input.trim().toUpperCase().replace(/\s+/g, '');
  const m = /^([1-9]\d{3})([A-Z]{2})$/.exec(compact);
  if (!m) return fail(/^\d{4}$/.test(compact) ? 'noLetters' : 'format');
  if (['SA', 'SD', 'SS'].includes(m[2])) return fail('format');
  return ok(`${m[1]} ${m[2]}`);
}

export function checkCity(input: string): Check {
  const value = input.trim().replace(/\s+/g, ' ');
  if (/\d/.test(value)) return fail('digits');
  if (value.length < 2 || !LETTER.test(value)) return fail('tooShort');
  if (value.length > 100) return fail('tooLong');
  return ok(value);
}

const emailSchema = z.email();

export function checkEmail(input: string): Check {
  const value = input.trim().toLowerCase();
  if (!value.includes('@')) return fail('noAt');
  if (value.length > 254 || !emailSchema.safeParse(value).success) return fail('invalid');
  return ok(value);
}
