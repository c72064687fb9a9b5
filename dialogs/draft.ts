/**
 * The complaint as it is being told: kept in conversation state (SQLite), so a bot restarted
 * mid-conversation carries on, and so a failed filing loses nothing.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { randomUUID } from 'crypto';
import { Fields, type CallbackRequest, type ComplaintInput, type Contact } from '../src/domain/complaint';
import type { PersonKind, PlaceKind } from '../src/domain/extract';
import { PERSON_KINDS, PLACE_KINDS } from '../src/domain/complaint';
import type { Locale } from '../src/domain/routes';
import type { UnderstoodFields } from '../src/understanding/types';
import type { AskedQuestion } from './turn';

/** The fields a message can fill, as the summary names them. */
export const DRAFT_FIELDS = ['when', 'place', 'person', 'solution', 'name', 'phone', 'address', 'email'] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

/**
 * What the citizen told so far: the complaint input (src/domain/complaint.ts), partial until the
 * summary, so the compiler checks what filing needs.
 */
export type Told = Partial<Omit<ComplaintInput, 'contact' | 'callback'>>;

export interface Draft extends Told {
  /** idempotency key of this intake: filing twice with it stores one complaint */
  intakeId: string;
  contact: Partial<Contact>;
  callback?: CallbackRequest;
  callbackId?: number;
  /** the call-back request's reference as the citizen was told it (TB-2026-...) */
  callbackReference?: string;
  callbackSeq?: number;
  /** set while the call-back dialog runs, so asking for a person again does not nest it */
  inCallback?: boolean;
  /** fields filled from what the citizen wrote without being asked: confirmed together once */
  inferred?: DraftField[];
  /** the other procedure the story also belongs to (mixed bezwaar + complaint): its link is given too */
  alsoRoute?: Exclude<ComplaintInput['route'], 'complaint'>;
  /** the bot asked whether the citizen really wants to stop, or to start again */
  confirming?: 'stop' | 'restart';
  /** a correction from the summary is running: "stop" then cancels only the correction */
  correcting?: boolean;
}

export interface ConversationData {
  welcomed?: boolean;
  /** the language the citizen chose; until then the activity's locale decides */
  locale?: Locale;
  /** the question the bot asked last (and its buttons), for understanding the next message */
  asked?: AskedQuestion;
}

export function newDraft(): Draft {
  return { intakeId: randomUUID(), contact: {} };
}

/** Sets (or corrects) the story. */
export function setStory(draft: Draft, story: string): void {
  draft.story = story.slice(0, 5000);
}

/** Adds to the story what the citizen told later (after a referral, at the situation menu): nothing is lost. */
export function addToStory(draft: Draft, more: string): void {
  const text = more.trim();
  if (!text) return;
  if (!draft.story) return setStory(draft, text);
  if (draft.story.includes(text)) return;
  setStory(draft, `${draft.story}\n\n${text}`);
}

const parses = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, v: unknown): T | undefined => {
  const r = schema.safeParse(v);
  return r.success ? r.data : undefined;
};

function has(draft: Draft, field: DraftField): boolean {
  const c = draft.contact;
  switch (field) {
    case 'when':
      return draft.incidentDateText !== undefined;
    case 'place':
      return draft.place !== undefined;
    case 'person':
      return draft.person !== undefined;
    case 'solution':
      return draft.solution !== undefined;
    case 'address':
      return c.street !== undefined || c.postcode !== undefined || c.city !== undefined;
    default:
      return c[field] !== undefined;
  }
}

/** The date as understood, into the draft: a day, a period (first and last day), or text too vague for either. */
export function setDate(draft: Draft, date: { text: string; from?: string; to?: string }): void {
  draft.incidentDateText = date.text.slice(0, 200);
  if (date.from) {
    const to = date.to ?? date.from;
    draft.incidentDateFrom = date.from;
    draft.incidentDateTo = to;
    // the stored day: the day itself, or none for a period (a period is not its first day)
    draft.incidentDate = to === date.from ? date.from : null;
  } else {
    draft.incidentDate = null;
    delete draft.incidentDateFrom;
    delete draft.incidentDateTo;
  }
}

/** Forgets a field (the citizen said an inferred value is wrong): its question is asked again. */
export function clearField(draft: Draft, field: DraftField): void {
  switch (field) {
    case 'when':
      delete draft.incidentDate;
      delete draft.incidentDateText;
      delete draft.incidentDateFrom;
      delete draft.incidentDateTo;
      return;
    case 'place':
      delete draft.place;
      delete draft.placeKind;
      return;
    case 'person':
      delete draft.person;
      delete draft.personKind;
      return;
    case 'solution':
      delete draft.solution;
      return;
    case 'address':
      delete draft.contact.street;
      delete draft.contact.postcode;
      delete draft.contact.city;
      return;
    default:
      delete draft.contact[field];
  }
}

/**
 * Fills the draft with every field a message gives. A field already known is kept unless
 * `overwrite` (a correction); `skip` names the field the current question asks, which its dialog
 * records itself. Returns the fields that changed. Each value passes the complaint schema first.
 */
export function absorb(
  draft: Draft,
  fields: UnderstoodFields,
  opts: {
    overwrite?: boolean;
    skip?: DraftField[];
    markInferred?: boolean;
    /** the words for a kind of place ("Aan de telefoon"), so the place reads the same as a chosen button */
    placeLabel?: (kind: PlaceKind) => string;
  } = {},
): DraftField[] {
  const changed: DraftField[] = [];
  const may = (f: DraftField) => !opts.skip?.includes(f) && (opts.overwrite || !has(draft, f));
  if (fields.date && may('when')) {
    setDate(draft, fields.date);
    changed.push('when');
  }
  if (fields.place && may('place')) {
    const kind = (PLACE_KINDS as readonly string[]).includes(fields.place.kind ?? '') ? (fields.place.kind as PlaceKind) : 'elsewhere';
    const place = parses(Fields.place, kind !== 'elsewhere' && opts.placeLabel ? opts.placeLabel(kind) : fields.place.text);
    if (place) {
      draft.place = place;
      draft.placeKind = kind;
      changed.push('place');
    }
  }
  if (fields.person && may('person')) {
    const person = parses(Fields.person, fields.person.text);
    if (person) {
      draft.person = person;
      draft.personKind = (PERSON_KINDS as readonly string[]).includes(fields.person.kind ?? '') ? (fields.person.kind as PersonKind) : null;
      changed.push('person');
    }
  }
  if (fields.solution && may('solution')) {
    const solution = parses(Fields.solution, fields.solution);
    if (solution) {
      draft.solution = solution;
      changed.push('solution');
    }
  }
  for (const f of ['name', 'phone', 'email'] as const) {
    const v = fields[f] === undefined ? undefined : parses(Fields[f], fields[f]);
    if (v && may(f)) {
      draft.contact[f] = v;
      changed.push(f);
    }
  }
  const street = fields.street ? parses(Fields.street, [fields.street, fields.houseNumber].filter(Boolean).join(' ')) : undefined;
  const postcode = fields.postcode ? parses(Fields.postcode, fields.postcode) : undefined;
  const city = fields.city ? parses(Fields.city, fields.city) : undefined;
  if ((street || postcode || city) && (opts.overwrite || !opts.skip?.includes('address'))) {
    let any = false;
    if (street && (opts.overwrite || draft.contact.street === undefined)) (draft.contact.street = street), (any = true);
    if (postcode && (opts.overwrite || draft.contact.postcode === undefined)) (draft.contact.postcode = postcode), (any = true);
    if (city && (opts.overwrite || draft.contact.city === undefined)) (draft.contact.city = city), (any = true);
    if (any) changed.push('address');
  }
  if (opts.markInferred && changed.length) draft.inferred = [...new Set([...(draft.inferred ?? []), ...changed])];
  return changed;
}

export class DraftStore {
  constructor(private readonly accessor: StatePropertyAccessor<Draft | undefined>) {}

  async get(context: TurnContext): Promise<Draft> {
    let draft = await this.accessor.get(context);
    if (!draft) {
      draft = newDraft();
      await this.accessor.set(context, draft);
    }
    return draft;
  }

  async peek(context: TurnContext): Promise<Draft | undefined> {
    return this.accessor.get(context);
  }

  async clear(context: TurnContext): Promise<void> {
    await this.accessor.delete(context);
  }
}
