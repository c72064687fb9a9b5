/**
 * Letters over HTTP (src/staff/letters/service.ts), for officers:
 * - GET  /staff/api/complaints/:reference/letters/:kind.pdf   preview (kind: receipt | extension |
 *   hearing | decision; the options below as query parameters), nothing stored
 * - POST /staff/api/complaints/:reference/letters { kind, send, hearingAt?, hearingPlace?,
 *   extensionReason?, findings?, conclusions? } with If-Match: "<version>" -> 201, the complaint as
 *   GET /complaints/:reference returns it (new ETag) plus `letter` (the stored letter, no PDF)
 * - GET  /staff/api/complaints/:reference/letters   the stored letters of the complaint
 * - GET  /staff/api/letters/:id.pdf   a stored letter as it was made
 */
import type restify from 'restify';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { Municipality } from '../municipality';
import { LETTER_KINDS, type LetterKind, type Store } from '../store/types';
import { staffApiHandler } from './api';
import type { Principal } from './auth';
import type { Staff } from './index';
import { LetterService, StaleVersionError, type LetterOptions } from './letters/service';
import { isReference, StaffError } from './service';

const Text = z.string().trim().max(5000);
export const LetterOptionsSchema = z.object({
  hearingAt: z.iso.datetime({ offset: true }).optional(),
  hearingPlace: z.string().trim().min(1).max(300).optional(),
  extensionReason: Text.optional(),
  findings: Text.optional(),
  conclusions: Text.optional(),
});
export const LetterCreateSchema = LetterOptionsSchema.extend({ kind: z.enum(LETTER_KINDS), send: z.boolean().default(false) });

const FIELD_NL: Record<string, string> = {
  kind: 'soort brief',
  send: 'versturen',
  hearingAt: 'datum en tijd van het gesprek',
  hearingPlace: 'plaats van het gesprek',
  extensionReason: 'reden van de verlenging',
  findings: 'bevindingen',
  conclusions: 'conclusies',
};

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => FIELD_NL[String(i.path[0])] ?? String(i.path[0])))];
    throw new StaffError(400, 'invalid_body', `Controleer: ${fields.join(', ')}.`);
  }
  return parsed.data;
}

function reference(req: restify.Request): string {
  const ref = String(req.params?.reference ?? '').toUpperCase();
  if (!isReference(ref)) throw new StaffError(404, 'not_found', 'Er is geen klacht met dit kenmerk.');
  return ref;
}

/** A klachtbehandelaar of a department may not write letters (officers only). */
function officerOnly(who: Principal): void {
  if (!who.roles.includes('staff')) {
    throw new StaffError(403, 'forbidden', 'Alleen klachtenfunctionarissen kunnen brieven maken.');
  }
}

/** If-Match: "<version>" (weak or bare numbers accepted). */
function ifMatch(req: restify.Request): number | undefined {
  const raw = req.header('if-match');
  if (!raw) return undefined;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(raw);
  return m ? Number(m[1]) : NaN;
}

function kindOf(file: string): LetterKind {
  const m = /^([a-z]+)\.pdf$/.exec(file);
  if (!m || !(LETTER_KINDS as readonly string[]).includes(m[1])) {
    throw new StaffError(404, 'not_found', `Deze brief bestaat niet. Kies uit: ${LETTER_KINDS.map((k) => `${k}.pdf`).join(', ')}.`);
  }
  return m[1] as LetterKind;
}

const etag = (v: number | undefined): Record<string, string> => (v !== undefined ? { ETag: `"${v}"` } : {});

const pdfHeaders = (filename: string) => ({ 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${filename}"` });

export function registerLetterRoutes(
  server: restify.Server,
  staff: Staff,
  log: Logger,
  deps: { store: Store; municipality: Municipality; clock?: () => Date },
): LetterService {
  const api = staffApiHandler(staff, log);
  const letters = new LetterService(deps.store, deps.municipality, staff.audit, deps.clock);

  server.get(
    '/staff/api/complaints/:reference/letters/:file',
    api(async (req, who) => {
      officerOnly(who);
      const ref = reference(req);
      const kind = kindOf(String(req.params?.file ?? ''));
      const q = Object.fromEntries(Object.entries((req.query ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string' && v !== ''));
      const options: LetterOptions = parse(LetterOptionsSchema, q);
      return { raw: await letters.preview(who, ref, kind, options), headers: pdfHeaders(`${ref}-${kind}.pdf`) };
    }),
  );

  server.get(
    '/staff/api/complaints/:reference/letters',
    api(async (req, who) => {
      officerOnly(who);
      const ref = reference(req);
      const items = await letters.list(ref);
      await staff.audit.record(who, { action: 'letter.list', references: [ref], detail: { count: items.length } });
      return { body: { items } };
    }),
  );

  server.post(
    '/staff/api/complaints/:reference/letters',
    api(async (req, who) => {
      officerOnly(who);
      const ref = reference(req);
      const version = ifMatch(req);
      if (version === undefined) {
        return { status: 428, body: { error: 'precondition_required', message: 'Stuur de versie van de klacht mee (If-Match).' } };
      }
      if (Number.isNaN(version)) throw new StaffError(400, 'invalid_header', 'If-Match moet de versie van de klacht zijn, bijvoorbeeld "3".');
      const { kind, send, ...options } = parse(LetterCreateSchema, req.body);
      try {
        const { letter } = await letters.create(who, ref, kind, { ...options, send }, version);
        const current = await staff.service.get(who, ref);
        const v = (current as { version?: number }).version;
        return { status: 201, body: { ...current, letter }, headers: etag(v) };
      } catch (err) {
        if (!(err instanceof StaleVersionError)) throw err;
        const current = await staff.service.get(who, ref);
        const v = (current as { version?: number }).version;
        return {
          status: 412,
          body: { error: 'stale', message: 'Een collega heeft deze klacht intussen gewijzigd. Bekijk de nieuwe gegevens en probeer het opnieuw.', current },
          headers: etag(v),
        };
      }
    }),
  );

  server.get(
    '/staff/api/letters/:file',
    api(async (req, who) => {
      officerOnly(who);
      const m = /^(\d{1,15})\.pdf$/.exec(String(req.params?.file ?? ''));
      if (!m) throw new StaffError(404, 'not_found', 'Deze brief bestaat niet (meer).');
      const { letter, pdf } = await letters.read(who, Number(m[1]));
      return { raw: pdf, headers: pdfHeaders(`${letter.reference}-${letter.kind}-${letter.id}.pdf`) };
    }),
  );

  return letters;
}
