/**
 * The complaint as it is being told: kept in conversation state (SQLite), so a bot restarted
 * mid-conversation carries on, and so a failed filing loses nothing.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { randomUUID } from 'crypto';
import type { CallbackRequest, Contact } from '../src/domain/complaint';
import { extractDetails, type StoryDetails } from '../src/domain/extract';
import type { Locale, Route } from '../src/domain/routes';

export interface Draft {
  /** idempotency key of this intake: filing twice with it stores one complaint */
  intakeId: string;
  story?: string;
  /** what the story says about when, where and who: worked out once per story (see storyDetails) */
  details?: StoryDetails;
  route?: Route;
  incidentDate?: string | null;
  incidentDateText?: string;
  placeKind?: 'counter' | 'phone' | 'mail' | 'website' | 'home' | 'elsewhere' | null;
  place?: string;
  personKind?: 'staff' | 'department' | 'burgemeester' | 'wethouder' | 'gemeentesecretaris' | null;
  person?: string | null;
  solution?: string | null;
  contact: Partial<Contact>;
  callback?: CallbackRequest;
  callbackId?: number;
  callbackSeq?: number;
  /** set while the call-back dialog runs, so asking for a person again does not nest it */
  inCallback?: boolean;
}

export interface ConversationData {
  welcomed?: boolean;
  /** the language the citizen chose; until then the activity's locale decides */
  locale?: Locale;
}

export function newDraft(): Draft {
  return { intakeId: randomUUID(), contact: {} };
}

/**
 * The date, place and person the story mentions, worked out the first time a dialog asks and kept in
 * the draft: the when, where and who questions each use it, and date recognition is not cheap.
 * Relative dates ("gisteren") count from when it is first worked out, i.e. right after the story.
 */
export function storyDetails(draft: Draft, opts: { locale: Locale; now: Date }): StoryDetails {
  if (!draft.story) return {};
  draft.details ??= extractDetails(draft.story, opts);
  return draft.details;
}

/** Sets (or corrects) the story; what was worked out from the old one is dropped. */
export function setStory(draft: Draft, story: string): void {
  draft.story = story;
  delete draft.details;
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
