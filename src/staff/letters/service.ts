/**
 * Letters of a complaint, as officers make them: a preview (rendered, not stored), a stored letter
 * (the PDF kept as made, a 'letter' event on the timeline) and, when it is to be sent and the citizen
 * gave an e-mail address, one outbox row (subject {kind:'letter'}, target 'mail.letter') written in
 * the same transaction, so it is sent exactly once by the delivery worker (src/delivery/mail/letter.ts).
 * Every preview, store and read is audited (reference, kind, letter id; never the letter's text).
 */
import { renderPdf } from '../../delivery/background/thread';
import { announceOutbox } from '../../store/complaintStore';
import type { Complaint } from '../../domain/complaint';
import type { Locale } from '../../domain/routes';
import { toAmsterdamDate } from '../../domain/workingDays';
import type { Municipality } from '../../municipality';
import type { HandlingState, LetterKind, LetterRow, Store } from '../../store/types';
import type { Actor, AuditLog } from '../audit';
import { deadlinesFor } from '../deadlines';
import { StaffError } from '../service';
import type { LetterFacts } from './render';

export interface LetterOptions {
  /** hearing: the instant of the hearing (ISO), shown in Amsterdam time */
  hearingAt?: string;
  /** hearing: where (default: the municipality file's hearing place, or its postal address) */
  hearingPlace?: string;
  /** extension: why more time is needed */
  extensionReason?: string;
  /** decision: what was looked into */
  findings?: string;
  /** decision: what the gemeente will do */
  conclusions?: string;
}

/** Thrown when the If-Match version is not the complaint's: the caller answers 412 with the current complaint. */
export class StaleVersionError extends Error {
  constructor(readonly reference: string) {
    super('stale');
  }
}

const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function addressOf(c: Complaint): string[] {
  const contact = c.contact as Complaint['contact'] & { country?: string | null };
  const town = [contact.postcode, contact.city].filter(Boolean).join(' ');
  return [contact.street, town, contact.country && !/^(nederland|netherlands|nl)$/i.test(contact.country) ? contact.country : '']
    .filter((x): x is string => Boolean(x));
}

export class LetterService {
  constructor(
    private readonly store: Store,
    private readonly municipality: Municipality,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async load(reference: string): Promise<{ complaint: Complaint; handling: HandlingState }> {
    const [complaint, handling] = await Promise.all([this.store.complaints.getByReference(reference), this.store.handling.get(reference)]);
    if (!complaint || !handling) throw new StaffError(404, 'not_found', 'Er is geen klacht met dit kenmerk.');
    return { complaint, handling };
  }

  private facts(kind: LetterKind, complaint: Complaint, handling: HandlingState, o: LetterOptions): LetterFacts {
    const now = this.clock();
    const receivedAt = handling.receivedAt ?? complaint.createdAt;
    const d = deadlinesFor(receivedAt, handling.status, Boolean(handling.extendedAt), now);
    const hearing = o.hearingAt ? new Date(o.hearingAt) : undefined;
    const defaultPlace = this.municipality.letters?.hearingPlace;
    const locale: Locale = complaint.locale === 'en' ? 'en' : 'nl';
    return {
      kind,
      locale,
      reference: complaint.reference,
      date: toAmsterdamDate(now),
      name: complaint.contact.name,
      address: addressOf(complaint),
      receivedDate: toAmsterdamDate(new Date(receivedAt)),
      contactBy: d.contactBy,
      decideBy: d.decideBy,
      decideByExtended: d.decideByExtended,
      story: complaint.story,
      extensionReason: o.extensionReason,
      hearingDate: hearing ? toAmsterdamDate(hearing) : undefined,
      hearingTime: hearing ? hhmm.format(hearing) : undefined,
      hearingPlace: o.hearingPlace ?? defaultPlace?.[locale] ?? this.municipality.postalAddress.slice(-2).join(', '),
      outcome: handling.outcome,
      findings: o.findings,
      conclusions: o.conclusions,
    };
  }

  /** The letter as it would be made now; nothing stored. Audited as 'letter.preview'. */
  async preview(actor: Actor, reference: string, kind: LetterKind, o: LetterOptions): Promise<Buffer> {
    const { complaint, handling } = await this.load(reference);
    const pdf = await renderPdf({ kind: 'letter', facts: this.facts(kind, complaint, handling, o), municipality: this.municipality });
    await this.audit.record(actor, { action: 'letter.preview', references: [reference], detail: { kind } });
    return pdf;
  }

  /**
   * Makes and stores the letter, adds the timeline event and (send + e-mail address) the outbox row,
   * all in one transaction, only while the complaint's version is still `version` (If-Match).
   */
  async create(
    actor: Actor,
    reference: string,
    kind: LetterKind,
    o: LetterOptions & { send: boolean },
    version: number,
  ): Promise<{ letter: LetterRow; queued: boolean }> {
    const { complaint, handling } = await this.load(reference);
    if (handling.version !== version) throw new StaleVersionError(reference);
    if (kind === 'hearing' && !o.hearingAt) throw new StaffError(400, 'invalid_body', 'Vul de datum en tijd van het gesprek in (hearingAt).');
    if (kind === 'decision' && !handling.outcome) {
      throw new StaffError(409, 'no_outcome', 'Sluit de klacht eerst af met een uitkomst; die staat in de beslissingsbrief.');
    }
    const email = complaint.contact.email ?? null;
    if (o.send && !email) throw new StaffError(409, 'no_email', 'Deze inwoner heeft geen e-mailadres gegeven. Druk de brief af en stuur hem per post.');
    const facts = this.facts(kind, complaint, handling, o);
    // rendered before the transaction (it takes a while), stored only if nobody changed the complaint meanwhile
    const pdf = await renderPdf({ kind: 'letter', facts, municipality: this.municipality });
    const at = this.clock().toISOString();
    const details: Record<string, unknown> = {
      ...(o.hearingAt ? { hearingAt: o.hearingAt, hearingPlace: facts.hearingPlace } : {}),
      ...(o.extensionReason ? { extensionReason: o.extensionReason } : {}),
      ...(kind === 'extension' ? { newDate: facts.decideByExtended } : {}),
      ...(kind === 'decision' ? { outcome: handling.outcome } : {}),
      ...(o.findings ? { findings: o.findings } : {}),
      ...(o.conclusions ? { conclusions: o.conclusions } : {}),
    };
    const result = await this.store.transaction(async (tx) => {
      const current = await this.store.handling.get(reference, tx);
      if (!current || current.version !== version) throw new StaleVersionError(reference);
      const sendTo = o.send ? email : null;
      const id = await this.store.letters.add(
        { complaintId: complaint.id, kind, locale: facts.locale, createdBy: actor.id, createdAt: at, details, sentTo: sendTo, pdf },
        tx,
      );
      const applied = await this.store.handling.apply(
        {
          id: complaint.id,
          expectedVersion: version,
          at,
          actor: actor.id,
          event: { kind: 'letter', note: '', data: { letterId: id, letterKind: kind, sent: Boolean(sendTo) } },
        },
        tx,
      );
      if (applied === undefined) throw new StaleVersionError(reference);
      if (sendTo) await this.store.outbox.enqueue([{ subject: { kind: 'letter', reference, letterId: id }, target: 'mail.letter' }], tx);
      await this.audit.record(actor, { action: 'letter.create', references: [reference], detail: { letter: id, kind, send: Boolean(sendTo) } }, tx);
      return { id, queued: Boolean(sendTo) };
    });
    if (result.queued) announceOutbox(this.store.coordination, ['mail.letter']);
    return { letter: (await this.store.letters.get(result.id))!, queued: result.queued };
  }

  /** A stored letter's PDF. Audited as 'letter.read'. */
  async read(actor: Actor, id: number): Promise<{ letter: LetterRow; pdf: Buffer }> {
    const letter = await this.store.letters.get(id);
    const pdf = letter ? await this.store.letters.pdf(id) : undefined;
    if (!letter || !pdf) throw new StaffError(404, 'not_found', 'Deze brief bestaat niet (meer).');
    await this.audit.record(actor, { action: 'letter.read', references: [letter.reference], detail: { letter: id, kind: letter.kind } });
    return { letter, pdf };
  }

  /** The letters of a complaint (no PDFs). */
  async list(reference: string): Promise<LetterRow[]> {
    const { complaint } = await this.load(reference);
    return this.store.letters.listByComplaint(complaint.id);
  }
}
