/**
 * The story's missing details in one question: when two or more of when / where / about whom are
 * still unknown after the story, the bot asks for them together ("Wanneer en waar gebeurde het? En
 * over wie gaat het?"). The understanding step reads every field from the one answer; the date is
 * said back as the day or period it was read as, in the same turn. What is still missing after that
 * is asked on its own by WhenDialog / PlaceDialog; a person not named in an answer to a question that
 * asked about whom is taken as nobody in particular (it stays optional and can be added at the summary).
 * Details the story itself gave are not asked back here: the summary shows them and takes free-worded
 * corrections (that is their confirmation). Result: none (the draft holds everything).
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { toAmsterdamDate } from '../src/domain/workingDays';
import { absorb, type Draft, type DraftField } from './draft';
import { ASK_PROMPT, DETAILS_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt } from './prompts';
import type { DialogServices } from './services';
import { notedItems, placeLabel } from './show';
import { say, turnNow, turnUnderstanding, vals } from './turn';

type StoryField = Extract<DraftField, 'when' | 'place' | 'person'>;
const STORY_FIELDS: StoryField[] = ['when', 'place', 'person'];

/** The story details still unknown. */
export function missingDetails(draft: Draft): StoryField[] {
  return STORY_FIELDS.filter((f) =>
    f === 'when' ? draft.incidentDateText === undefined : f === 'place' ? draft.place === undefined : draft.person === undefined,
  );
}

/** The i18n key of the combined question for these fields: details.ask.whenPlacePerson, details.ask.whenPlace, ... */
const askKey = (fields: StoryField[]) => `details.ask.${fields.map((f, i) => (i === 0 ? f : f[0].toUpperCase() + f.slice(1))).join('')}`;

export class DetailsDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(DETAILS_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.askStep.bind(this), this.recordStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async askStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const missing = missingDetails(draft);
    if (missing.length < 2) return step.endDialog();
    vals(step).missing = missing;
    // no `asked`: the answer is read for every field, none of them forced
    return ask(step, ASK_PROMPT, { key: askKey(missing), freeText: true, check: 'text' });
  }

  private async recordStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    const missing = (vals(step).missing as StoryField[]) ?? [];
    const fields = { ...turnUnderstanding(step.context).fields };
    // a date in the future is no date of the event: the date question comes on its own and says so
    if (fields.date?.from && fields.date.from > toAmsterdamDate(turnNow(step.context))) delete fields.date;
    const changed = absorb(draft, fields, { placeLabel: placeLabel(step.context) });
    const got = changed.filter((f): f is StoryField => (STORY_FIELDS as DraftField[]).includes(f));
    // about whom was asked, something was answered, nobody was named: nobody in particular
    if (got.length && missing.includes('person') && !got.includes('person')) {
      draft.person = null;
      draft.personKind = null;
    }
    if (changed.length) await say(step.context, 'details.noted', { items: notedItems(step.context, draft, changed) });
    return step.endDialog();
  }
}

/** Words that name a field, in both languages ("de datum klopt niet", "my phone number is wrong"). */
export const FIELD_WORDS: Record<DraftField | 'story', string[]> = {
  story: ['verhaal', 'wat er gebeurde', 'story', 'what happened'],
  when: ['datum', 'dag', 'wanneer', 'date', 'day', 'when'],
  place: ['plaats waar', 'waar', 'plek', 'locatie', 'where', 'place', 'location'],
  person: ['persoon', 'wie', 'over wie', 'medewerker', 'who', 'person'],
  solution: ['oplossing', 'solution'],
  name: ['naam', 'mijn naam', 'name', 'my name'],
  phone: ['telefoon', 'telefoonnummer', 'nummer', 'mobiel', 'phone', 'phone number', 'number'],
  address: ['adres', 'straat', 'postcode', 'woonplaats', 'huisnummer', 'address', 'street', 'postcode'],
  email: ['e mail', 'email', 'mail', 'e mailadres', 'emailadres', 'mailadres', 'email address'],
};
