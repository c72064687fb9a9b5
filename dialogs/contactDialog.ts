/**
 * Contact details. The law (Awb 9:4) asks for name and address; a phone number or e-mail address is
 * optional (one question for both, which may be skipped). An address abroad is possible (the country
 * instead of a Dutch postcode).
 * Every answer is read for all it says, in any order: "Jan Jansen, 06 12345678" fills name and phone,
 * "Bankrasweg 88, 1183 TR Amstelveen" the whole address. What the conversation already gave (the
 * first message, say) is not asked again, only said back. A question or a protest is not a name.
 * Each wrong answer gets a specific explanation and the question again; after three the citizen may
 * try again, skip (optional fields) or ask to be called.
 * In Web Chat and Teams the details can also be given in one Adaptive Card form (dialogs/contactCard.ts),
 * checked on the server with the same zod Fields; typing stays possible meanwhile.
 * In a personal Teams chat the name and e-mail of the Teams profile may be offered: taken only after
 * a clear yes (dialogs/profileSuggestion.ts).
 * Options: `{ fields?: ContactField[]; correcting?: boolean }`: with `fields` (a correction from the
 * summary) exactly those are asked again.
 */
import { ComponentDialog, Prompt, WaterfallDialog, type PromptOptions, type PromptRecognizerResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { MessageFactory, type TurnContext } from 'botbuilder';
import { Fields, PARTS_OF_DAY, type Contact } from '../src/domain/complaint';
import { formatAddress } from '../src/understanding/address';
import { checkCity, checkEmail, checkName, checkPhone, checkPostcode, checkStreet, formatPhone } from '../src/domain/contact';
import { turnProfileSuggestion, type ProfileSuggestion } from '../src/teams/profile';
import type { Asked, UnderstoodFields } from '../src/understanding/types';
import { cardSubmit, contactCard, readCard, showsCards, type CardCallback, type CardValues } from './contactCard';
import { formatDate } from '../src/domain/dates';
import { nextWorkingDays } from '../src/domain/workingDays';
import { storeCallback, topicFrom } from './callbackDialog';
import type { Draft } from './draft';
import { CONTACT_DIALOG, WATERFALL } from './ids';
import { buttonsFor, matchChoice, type Answer, type ChoiceSpec } from './prompts';
import { decide, SUGGESTION } from './profileSuggestion';
import { facts, type DialogServices } from './services';
import { citizenText, normalise } from './text';
import { setAsked, tr, turnLocale, turnNow, withButtons, type Vars } from './turn';
import { understood } from './understood';

type PartOfDay = (typeof PARTS_OF_DAY)[number];

export const CONTACT_FIELDS = ['name', 'phone', 'street', 'postcode', 'city', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const LOOP = 'contactLoop';
const CONTACT_PROMPT = 'contactPrompt';

/** What the bot asks next: one field, the whole address, or phone-or-e-mail. */
type Question = 'nameAddress' | 'name' | 'address' | 'street' | 'postcode' | 'postcodeCity' | 'city' | 'reach' | 'phone' | 'email' | 'suggestName' | 'suggestEmail';

const ASKED: Record<Question, Asked> = {
  nameAddress: 'name', name: 'name', suggestName: 'name', address: 'address', street: 'street', postcode: 'postcode', postcodeCity: 'postcode', city: 'city',
  reach: 'phone', phone: 'phone', email: 'email', suggestEmail: 'email',
};
const KEY: Record<Question, string> = {
  nameAddress: 'contact.ask.nameAddress', name: 'contact.ask.name', suggestName: 'contact.suggest.name', address: 'contact.ask.address', street: 'contact.ask.street',
  postcode: 'contact.ask.postcode', postcodeCity: 'contact.ask.postcodeCity', city: 'contact.ask.city', reach: 'contact.ask.reach', phone: 'contact.ask.phone',
  email: 'contact.ask.email', suggestEmail: 'contact.suggest.email',
};
/** the label in "it does not work out with {{field}}" */
const LABEL: Record<Question, string> = {
  nameAddress: 'address', name: 'name', suggestName: 'name', address: 'address', street: 'street', postcode: 'postcode', postcodeCity: 'address', city: 'city',
  reach: 'phone', phone: 'phone', email: 'email', suggestEmail: 'email',
};

const SKIP_WORDS = ['overslaan', 'skip', 'geen', 'none', 'nee', 'no', 'geen e-mail', 'no email', 'heb ik niet', 'liever niet', 'niet', 'nvt', 'n.v.t.', 'niks', 'nothing', 'i don t have one', 'dont have one', 'heb ik geen', 'geen telefoon', 'no phone'];
const SKIP: ChoiceSpec = { value: 'skip', key: 'contact.skip', synonyms: SKIP_WORDS };
const RETRY: ChoiceSpec = { value: 'retry', key: 'contact.retry', synonyms: ['opnieuw', 'nog een keer', 'try again', 'again', 'retry'] };
const CALL_ME: ChoiceSpec = { value: 'callback', key: 'contact.callMe' };

interface LoopState {
  /** the fields this run still has to get */
  todo: ContactField[];
  correcting?: boolean;
  /** profile values not yet answered: shown as a question, stored only after a yes */
  suggest?: ProfileSuggestion;
  /** wrong answers to the current question */
  tries: number;
  /** three wrong answers: the give-up choices are shown */
  gaveUp?: boolean;
  /** the card was sent back with wrong fields marked */
  cardPending?: boolean;
  /** said before the next question (what was noted, what was wrong) */
  lead?: string;
}

interface ContactPromptSpec {
  key: string;
  vars?: Vars;
  lead?: string;
  choices?: ChoiceSpec[];
  asked: Asked;
  /** the question is already on screen (a card sent back with its wrong fields marked): the first prompt says nothing */
  silent?: boolean;
}

/** What the citizen sent: text, or the values of the contact card. */
interface Reply {
  text: string;
  card?: CardValues;
}

/**
 * The contact questions' prompt: renders the question (in the current language, so a language switch
 * shows it again in the new one) and takes any message, typed or from the card; the dialog reads it.
 */
class ContactPrompt extends Prompt<Reply> {
  constructor(id: string) {
    super(id);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions): Promise<void> {
    const spec = options.validations as ContactPromptSpec;
    // its buttons are answers (never commands), except "Bel mij terug", which the main dialog takes as a request for a person
    setAsked(context, spec.asked, buttonsFor(context, spec.choices?.filter((c) => c.value !== 'callback')).map((b) => b.title));
    if (spec.silent) {
      delete spec.silent;
      return;
    }
    const question = tr(context)(spec.key, spec.vars);
    await context.sendActivity(withButtons(context, spec.lead ? `${spec.lead}\n\n${question}` : question, buttonsFor(context, spec.choices)));
    // the lead is said once; a reprompt (after help, a question) shows the question alone
    delete spec.lead;
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<Reply>> {
    const a = context.activity;
    if (a.type !== 'message') return { succeeded: false };
    const card = cardSubmit(a);
    const text = typeof a.text === 'string' ? a.text.trim() : '';
    return { succeeded: Boolean(card || text), value: { text, card } };
  }
}

/** What the prompt cannot tell from the text: an answer that is a question, a protest, or a yes/no. */
const NOT_A_NAME = [
  /\?/,
  /!{2,}/,
  /\b(waarom|hoezo|wat|hoe|waar|wanneer|wie|why|what|how|where|who)\b/i,
  /\b(al (gezegd|gegeven|verteld|genoemd)|staat (er )?(al|toch)|zei ik|heb ik (al|net|toch)|eerste bericht|already|told you|said that|i said|first message)\b/i,
  /\b(anoniem|anonymous|geen naam|no name|niet zeggen|not tell|gaat u niks aan|none of your business)\b/i,
];

function notAName(text: string): 'question' | 'protest' | undefined {
  if (/\?/.test(text) || NOT_A_NAME[2].test(text)) return 'question';
  if (NOT_A_NAME.slice(1).some((re) => re.test(text))) return 'protest';
  const n = normalise(text);
  if (['ja', 'nee', 'yes', 'no', 'ok', 'oke', 'stop', 'hallo', 'hoi', 'hello', 'hi', 'overslaan', 'skip'].includes(n)) return 'protest';
  return undefined;
}

/** A name in an answer that also holds other things ("Marieke Smit, 06-23456789"): what is left once those are taken out. */
function nameIn(text: string, found: UnderstoodFields): string | undefined {
  if (notAName(text)) return undefined;
  let rest = text;
  rest = rest.replace(/[^\s@,;]+@[^\s@,;]+/g, ' ');
  rest = rest.replace(/\+?\d[\d\s().-]{7,}\d/g, ' ');
  rest = rest.replace(/\b[1-9]\d{3}\s?[A-Za-z]{2}\b/g, ' ');
  if (found.street) rest = rest.replace(found.street, ' ');
  rest = rest.replace(/^(?:mijn naam is|ik heb|ik ben|ik heet|naam\s*:|my name is|i am|i'm|name\s*:|this is)\s+/i, '');
  const parts = rest.split(/[,;\n]|\s(?:en|and|tel|telefoon|phone|mail|e-mail)\b/i).map((s) => s.trim()).filter(Boolean);
  const candidate = parts[0];
  if (!candidate || candidate.split(/\s+/).length > 5) return undefined;
  const r = checkName(candidate);
  return r.ok ? r.value : undefined;
}

/**
 * A name, and a phone number if the answer has one too ("Jan Jansen, 06 12345678"), from this turn's
 * answer to "what is your name?" (the call-back dialog asks it too). Without a name: the i18n key of why.
 */
export async function nameAndPhone(context: TurnContext, text: string): Promise<{ name?: string; phone?: string; reason: string }> {
  const found = (await understood(context, 'name')).fields;
  const phone = found.phone ? Fields.phone.safeParse(found.phone) : undefined;
  const kind = notAName(text);
  const fromText = Fields.name.safeParse(found.name);
  const name = kind ? undefined : fromText.success ? fromText.data : nameIn(text, found);
  const checked = checkName(text);
  const reason = kind === 'protest' ? 'contact.protest' : kind || checked.ok ? 'contact.notName' : `errors.name.${checked.reason}`;
  return { name, phone: phone?.success ? phone.data : undefined, reason };
}

/**
 * The contact card sent after the contact questions (from the summary, say, to correct a detail): its
 * good values replace the draft's (an empty optional field keeps what was given); the wrong ones are
 * marked on the card again. False when the activity is no card submit.
 */
export async function takeLateCard(context: TurnContext, draft: Draft): Promise<boolean> {
  const values = cardSubmit(context.activity);
  if (!values) return false;
  const t = tr(context);
  const { contact, errors } = readCard(values);
  const taken: ContactField[] = [];
  for (const f of CONTACT_FIELDS) {
    const v = contact[f];
    if (v === undefined || v === null) continue;
    draft.contact[f] = v as never;
    taken.push(f);
  }
  if (contact.country) draft.contact.country = contact.country;
  else if (contact.postcode) delete draft.contact.country;
  const lines: string[] = [];
  if (taken.length) lines.push(t('contact.noted', { items: itemsOf(context, draft.contact, taken) }));
  const wrong = Object.keys(errors) as (keyof typeof errors)[];
  const msg = MessageFactory.text('');
  if (wrong.length) {
    lines.push(t('contact.card.wrong', { lines: wrong.map((f) => `- ${t(`contact.card.${f}`)}: ${t(errors[f]!)}`).join('\n') }));
    msg.attachments = [contactCard(t, values, errors)];
  }
  msg.text = lines.join('\n\n');
  await context.sendActivity(msg);
  return true;
}

/** "naam Jan Jansen, adres Bankrasweg 88, 1183 TR Amstelveen": the given fields, as text (citizen values escaped). */
function itemsOf(context: TurnContext, c: Partial<Contact>, only?: ContactField[]): string {
  const t = tr(context);
  const show = (f: ContactField) => !only || only.includes(f);
  const parts: string[] = [];
  if (c.name && show('name')) parts.push(t('contact.field.name', { value: citizenText(c.name) }));
  const address = formatAddress({ street: c.street, postcode: c.postcode, city: c.city, country: c.country });
  if (address && (['street', 'postcode', 'city'] as const).some(show)) parts.push(t('contact.field.address', { value: citizenText(address) }));
  if (c.phone && show('phone')) parts.push(t('contact.field.phone', { value: { $phone: c.phone } }));
  if (c.email && show('email')) parts.push(t('contact.field.email', { value: citizenText(c.email) }));
  return parts.join(', ');
}

export class ContactDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(CONTACT_DIALOG);
    this.addDialog(new ContactPrompt(CONTACT_PROMPT));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.introStep.bind(this)]));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.recordStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async introStep(step: WaterfallStepContext) {
    const opts = (step.options ?? {}) as { fields?: ContactField[]; correcting?: boolean };
    const draft = await this.services.drafts.get(step.context);
    const c = draft.contact;
    const t = tr(step.context);
    const correcting = Boolean(opts.correcting || opts.fields);
    let todo = opts.fields ? [...opts.fields] : CONTACT_FIELDS.filter((f) => c[f] === undefined && !(f === 'postcode' && c.country));
    // one way to reach the citizen besides the address is enough: a known phone number or e-mail address ends that question
    if (!opts.fields && (c.phone || c.email)) todo = todo.filter((f) => f !== 'phone' && f !== 'email');
    if (todo.length === 0) return step.endDialog();
    let suggest: ProfileSuggestion | undefined;
    if (!correcting) {
      const lines = [t('contact.intro', facts(this.services.municipality, step.context))];
      const have = this.items(step.context, c);
      if (have) lines.push(t('contact.have', { items: have }));
      const card = showsCards(step.context.activity.channelId);
      if (card) lines.push(t('contact.introCard'));
      const intro = MessageFactory.text(lines.join('\n\n'));
      if (card) intro.attachments = [contactCard(t, this.cardValues(c), {}, this.callbackOffer(step.context, draft))];
      await step.context.sendActivity(intro);
      if (todo.includes('name') || todo.includes('email')) {
        const found = await turnProfileSuggestion(step.context);
        suggest = {};
        if (found?.name && todo.includes('name')) suggest.name = found.name;
        if (found?.email && todo.includes('email')) suggest.email = found.email;
        if (!suggest.name && !suggest.email) suggest = undefined;
      }
    }
    return step.replaceDialog(LOOP, { todo, correcting, suggest, tries: 0 } satisfies LoopState);
  }

  /** The next question for what is still missing. */
  private next(state: LoopState): Question | undefined {
    const { todo, suggest } = state;
    const address = (['street', 'postcode', 'city'] as const).filter((f) => todo.includes(f));
    // name and address in one question when both are missing (one answer: "Jan Jansen, Dorpsstraat 12, 1182 JR Amstelveen")
    if (todo.includes('name') && !suggest?.name && address.length === 3 && !state.correcting) return 'nameAddress';
    if (todo.includes('name')) return suggest?.name ? 'suggestName' : 'name';
    if (address.length === 3) return 'address';
    if (todo.includes('postcode') && todo.includes('city')) return 'postcodeCity';
    if (address.length) return address[0];
    const phone = todo.includes('phone');
    const email = todo.includes('email');
    if (email && suggest?.email) return 'suggestEmail';
    if (phone && email) return 'reach';
    if (phone) return 'phone';
    if (email) return 'email';
    return undefined;
  }

  private async askStep(step: WaterfallStepContext) {
    const state = step.options as LoopState;
    const question = this.next(state);
    // the card came back with marks and every contact field is in: wait for the card (or words) again
    if (!question && state.cardPending) {
      return step.prompt(CONTACT_PROMPT, { validations: { key: 'contact.card.fixAndSend', silent: true, asked: 'phone' } satisfies ContactPromptSpec } as PromptOptions);
    }
    // nothing left: the summary that follows shows everything, so what was noted need not be said
    if (!question) return step.endDialog();
    const lead = state.lead;
    delete state.lead;
    if (state.gaveUp) {
      const choices = [RETRY, ...(this.optional(question) ? [SKIP] : []), CALL_ME];
      return step.prompt(CONTACT_PROMPT, {
        validations: {
          key: 'contact.giveUp',
          vars: { ...facts(this.services.municipality, step.context), field: { $key: `contact.label.${LABEL[question]}` } },
          lead,
          choices,
          asked: ASKED[question],
        } satisfies ContactPromptSpec,
      } as PromptOptions);
    }
    const suggested = question === 'suggestName' ? state.suggest?.name : question === 'suggestEmail' ? state.suggest?.email : undefined;
    const choices =
      question === 'suggestName' ? SUGGESTION.name : question === 'suggestEmail' ? SUGGESTION.email : this.optional(question) && !state.correcting ? [SKIP] : [];
    return step.prompt(CONTACT_PROMPT, {
      validations: {
        key: KEY[question],
        vars: suggested ? { [question === 'suggestName' ? 'name' : 'email']: citizenText(suggested) } : undefined,
        lead,
        choices,
        asked: ASKED[question],
      } satisfies ContactPromptSpec,
    } as PromptOptions);
  }

  private optional(q: Question): boolean {
    return q === 'reach' || q === 'phone' || q === 'email' || q === 'suggestEmail';
  }

  private async recordStep(step: WaterfallStepContext) {
    const state = { ...(step.options as LoopState) };
    const reply = step.result as Reply;
    const question = this.next(state)!;
    const draft = await this.services.drafts.get(step.context);
    const t = tr(step.context);

    if (reply.card) return this.fromCard(step, state, reply.card);
    // words instead of the marked card, with nothing else to ask: the call back from the card is let go (asking
    // for a person in words still leads to the call-back offer)
    if (!question) return step.replaceDialog(LOOP, { ...state, cardPending: false, tries: 0 } satisfies LoopState);

    if (state.gaveUp) {
      const choice = matchChoice(reply.text, [RETRY, SKIP, CALL_ME]);
      if (choice?.value === 'retry' || choice?.value === 'callback') {
        // 'callback' is normally taken by the main dialog as a request for a person
        return step.replaceDialog(LOOP, { ...state, gaveUp: false, tries: 0 } satisfies LoopState);
      }
      if (choice?.value === 'skip' && this.optional(question)) {
        this.skipOptional(draft.contact, state, question);
        return step.replaceDialog(LOOP, { ...state, gaveUp: false, tries: 0 } satisfies LoopState);
      }
    }

    if (question === 'suggestName' || question === 'suggestEmail') {
      const field = question === 'suggestName' ? 'name' : 'email';
      const suggested = state.suggest![field]!;
      const answer: Answer = { text: reply.text, choice: matchChoice(reply.text, SUGGESTION[field])?.value };
      if (!answer.choice) {
        const r = field === 'name' ? checkName(reply.text) : checkEmail(reply.text);
        if (r.ok) answer.value = r.value;
      }
      const rest = { ...state.suggest };
      delete rest[field];
      const suggest = rest.name || rest.email ? rest : undefined;
      const decision = answer.choice || answer.value ? decide(field, answer) : ({ take: 'ask' } as const);
      if (decision.take === 'suggestion') draft.contact[field] = suggested;
      else if (decision.take === 'typed') draft.contact[field] = decision.value;
      else if (decision.take === 'skip') draft.contact.email = null;
      if (decision.take !== 'ask') state.todo = state.todo.filter((f) => f !== field);
      // an e-mail address is a way to reach the citizen: the phone number is then not asked for
      if (field === 'email' && (decision.take === 'suggestion' || decision.take === 'typed') && !state.correcting) {
        state.todo = state.todo.filter((f) => f !== 'phone');
      }
      return step.replaceDialog(LOOP, { ...state, suggest, tries: 0 } satisfies LoopState);
    }

    const u = await understood(step.context, ASKED[question]);
    const taken = this.take(draft.contact, state, question, reply.text, u.fields);
    if (taken.length) {
      const saidMore = taken.some((f) => !this.answers(question, f)) || question === 'address' || taken.length > 1;
      const lead = saidMore ? t('contact.noted', { items: this.items(step.context, draft.contact, taken) }) : undefined;
      return step.replaceDialog(LOOP, { ...state, gaveUp: false, tries: 0, lead } satisfies LoopState);
    }
    if (this.optional(question) && matchChoice(reply.text, [SKIP])) {
      this.skipOptional(draft.contact, state, question);
      return step.replaceDialog(LOOP, { ...state, tries: 0 } satisfies LoopState);
    }
    // not understood: say what is wrong, and ask again (a question or a protest is no wrong try)
    const tries = (question === 'name' || question === 'nameAddress') && notAName(reply.text) ? state.tries : state.tries + 1;
    if (tries >= 3) return step.replaceDialog(LOOP, { ...state, tries, gaveUp: true } satisfies LoopState);
    return step.replaceDialog(LOOP, { ...state, tries, gaveUp: false, lead: this.why(step.context, question, reply.text) } satisfies LoopState);
  }

  /** Whether a field is (part of) what the question asked. */
  private answers(q: Question, f: ContactField): boolean {
    if (q === 'address') return f === 'street' || f === 'postcode' || f === 'city';
    if (q === 'nameAddress') return f === 'name' || f === 'street' || f === 'postcode' || f === 'city';
    if (q === 'postcodeCity') return f === 'postcode' || f === 'city';
    if (q === 'reach') return f === 'phone' || f === 'email';
    return q === f;
  }

  private skipOptional(contact: Partial<Contact>, state: LoopState, q: Question): void {
    for (const f of ['phone', 'email'] as const) {
      if ((q === 'reach' || q === f || (q === 'suggestEmail' && f === 'email')) && state.todo.includes(f)) {
        if (contact[f] === undefined || state.correcting) contact[f] = null;
        state.todo = state.todo.filter((x) => x !== f);
      }
    }
    if (q === 'reach') state.todo = state.todo.filter((x) => x !== 'phone' && x !== 'email');
  }

  /**
   * Takes every contact field the answer holds, checked with the complaint's Fields; returns the
   * fields taken. The question decides only how a bare answer is read ("Amstelveen" as the town).
   */
  private take(contact: Partial<Contact>, state: LoopState, q: Question, text: string, found: UnderstoodFields): ContactField[] {
    const taken: ContactField[] = [];
    const set = <F extends ContactField>(f: F, value: Partial<Contact>[F] | undefined) => {
      if (value === undefined || value === null) return;
      contact[f] = value;
      taken.push(f);
      state.todo = state.todo.filter((x) => x !== f);
    };
    const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, v: unknown): T | undefined => {
      if (v === undefined) return undefined;
      const r = schema.safeParse(v);
      return r.success ? r.data : undefined;
    };
    const addressAsked = q === 'address' || q === 'nameAddress' || q === 'street' || q === 'postcode' || q === 'postcodeCity' || q === 'city';
    // the address as the understanding step read it (one address reader: src/understanding/address.ts via contact.ts)
    const line = addressFromFields(text, found);

    // name: from the understanding, else (asked for it) from what is left of the answer
    // (a name is taken from the bare text only where the name is asked: "Amstelveen" at the town question is no name)
    const nameAsked = q === 'name' || q === 'suggestName' || q === 'nameAddress';
    const understoodName = parse(Fields.name, found.name);
    const partOfAddress = (n: string) =>
      [line.street, line.city, line.country, found.city, found.street].some((p) => p && normalise(p).includes(normalise(n)));
    const name = nameAsked ? (understoodName ?? nameIn(text, { ...found, street: found.street ?? line.street })) : understoodName && contact.name === undefined && !partOfAddress(understoodName) ? understoodName : undefined;
    if (name && !notAName(text)) set('name', name);

    set('phone', parse(Fields.phone, found.phone) ?? (q === 'reach' || q === 'phone' ? this.typed(checkPhone, text) : undefined));
    set('email', parse(Fields.email, found.email) ?? (q === 'reach' || q === 'email' ? this.typed(checkEmail, text) : undefined));
    // one way to reach the citizen besides the address is enough: the other is not asked for
    if (!state.correcting && (taken.includes('phone') || taken.includes('email'))) state.todo = state.todo.filter((x) => x !== 'phone' && x !== 'email');

    // the street as the citizen wrote it ("10 Baker Street" stays so) when the line reads as an address; else as understood
    const streetText = line.street ?? (found.street ? [found.street, found.houseNumber].filter(Boolean).join(' ') : undefined);
    // not read as a street, but typed where the address is asked before the postcode the understanding step found:
    // the words before the first comma, as typed ("Wat is uw adres?" -> "Hofje 3, 1182 JR Amstelveen")
    const typedStreet = q === 'street' ? text : addressAsked && found.postcode && !found.street && text.includes(',') ? text.split(',')[0] : undefined;
    const street = parse(Fields.street, streetText) ?? (typedStreet ? this.typed(checkStreet, typedStreet) : undefined);
    set('street', street);
    if (line.country) {
      const country = parse(Fields.country, line.country);
      if (country) {
        contact.country = country;
        set('postcode', line.postcode ? (parse(Fields.foreignPostcode, line.postcode) ?? null) : null);
        if (contact.postcode === undefined) contact.postcode = null;
        state.todo = state.todo.filter((x) => x !== 'postcode');
      }
    } else {
      const postcode = parse(Fields.postcode, found.postcode ?? line.postcode) ?? (q === 'postcode' || q === 'postcodeCity' ? this.typed(checkPostcode, text) : undefined);
      if (postcode) delete contact.country;
      set('postcode', postcode);
    }
    // a town alone counts only where an address is asked, or with a street or postcode beside it (not an e-mail address read as a town)
    const withAddress = addressAsked || Boolean(found.street || found.postcode || line.street || line.postcode);
    const plainTown = (t?: string) => (t && !/[@\d,;]/.test(t) ? t : undefined);
    const townText = plainTown(found.city) ?? plainTown(line.city);
    const city = (withAddress && townText ? parse(Fields.city, townText) : undefined) ?? (q === 'city' && plainTown(text) ? this.typed(checkCity, text) : undefined);
    set('city', city);
    return taken;
  }

  /** A bare answer to the question itself ("0612345678" when the phone is asked). */
  private typed(check: (s: string) => { ok: true; value: string } | { ok: false; reason: string }, text: string): string | undefined {
    const r = check(text.replace(/^(?:het is|dat is|it is|it's)\s+/i, '').replace(/[.!]+$/, ''));
    return r.ok ? r.value : undefined;
  }

  /** Why an answer was not taken, as one kind line. */
  private why(context: TurnContext, q: Question, text: string): string {
    const t = tr(context);
    if (q === 'name' || q === 'suggestName' || (q === 'nameAddress' && !/\d/.test(text))) {
      const kind = notAName(text);
      if (kind === 'protest') return t('contact.protest');
      if (kind === 'question') return t('contact.notName');
      const r = checkName(text);
      return r.ok ? t('contact.notName') : t(`errors.name.${r.reason}`);
    }
    if (q === 'address' || q === 'street' || q === 'nameAddress') {
      const r = checkStreet(text);
      return r.ok ? t('contact.abroad') : `${t(`errors.street.${r.reason}`)} ${t('contact.abroad')}`;
    }
    if (q === 'postcode' || q === 'postcodeCity') {
      const r = checkPostcode(text);
      return `${r.ok ? '' : t(`errors.postcode.${r.reason}`)} ${t('contact.abroad')}`.trim();
    }
    if (q === 'city') {
      const r = checkCity(text);
      return r.ok ? t('errors.city.tooShort') : t(`errors.city.${r.reason}`);
    }
    if (text.includes('@') || q === 'email' || q === 'suggestEmail') {
      const r = checkEmail(text);
      return t(`errors.email.${r.ok ? 'invalid' : r.reason}`);
    }
    const r = checkPhone(text);
    return t(`errors.phone.${r.ok ? 'invalid' : r.reason}`);
  }

  /** A card submit: every good value is taken; the wrong ones are marked on a new card, with the good values kept. */
  private async fromCard(step: WaterfallStepContext, state: LoopState, values: CardValues) {
    const draft = await this.services.drafts.get(step.context);
    const t = tr(step.context);
    const offer = this.callbackOffer(step.context, draft);
    const { contact, errors, callback } = readCard(values, offer ? { days: offer.days.map((d) => d.value) } : undefined);
    const c = draft.contact;
    const taken: ContactField[] = [];
    for (const f of CONTACT_FIELDS) {
      const v = contact[f];
      if (v === undefined) continue;
      if (v === null && c[f] !== undefined && c[f] !== null && (f === 'phone' || f === 'email')) {
        // an empty optional field keeps what the conversation already gave
        state.todo = state.todo.filter((x) => x !== f);
        continue;
      }
      c[f] = v as never;
      if (v !== null) taken.push(f);
      state.todo = state.todo.filter((x) => x !== f);
    }
    if (contact.country) c.country = contact.country;
    else if (contact.postcode) delete c.country;
    const wrong = Object.keys(errors) as (keyof typeof errors)[];
    const noted = taken.length ? t('contact.noted', { items: this.items(step.context, c, taken) }) : undefined;
    if (wrong.length) {
      const lines = wrong.map((f) => `- ${t(`contact.card.${f}`)}: ${t(errors[f]!)}`).join('\n');
      const msg = MessageFactory.text([noted, t('contact.card.wrong', { lines })].filter(Boolean).join('\n\n'));
      msg.attachments = [contactCard(t, values, errors, offer)];
      await step.context.sendActivity(msg);
      return step.replaceDialog(LOOP, { ...state, tries: 0, gaveUp: false, cardPending: true } satisfies LoopState);
    }
    if (callback && offer) {
      if (noted) await step.context.sendActivity(noted);
      await this.fileCardCallback(step.context, draft, callback);
      return step.replaceDialog(LOOP, { ...state, tries: 0, gaveUp: false, cardPending: false } satisfies LoopState);
    }
    return step.replaceDialog(LOOP, { ...state, tries: 0, gaveUp: false, cardPending: false, lead: noted } satisfies LoopState);
  }

  /** The call-back part of the card: the next three working days and the parts of day; none once a call is arranged. */
  private callbackOffer(context: TurnContext, draft: Draft): CardCallback | undefined {
    if (draft.callback) return undefined;
    const locale = turnLocale(context);
    const parts = this.services.municipality.callbackParts;
    return {
      days: nextWorkingDays(turnNow(context), 3).map((d) => ({ value: d, title: formatDate(d, locale) })),
      parts: PARTS_OF_DAY.map((p) => ({ value: p, title: parts[p][locale] })),
    };
  }

  /** The toggle "Bel mij terug" was on and the card is right: the request is stored at once, as in the call-back dialog. */
  private async fileCardCallback(context: TurnContext, draft: Draft, cb: { date: string; partOfDay: PartOfDay }) {
    const c = draft.contact;
    const topic = topicFrom(draft.story ?? '') ?? tr(context)('contact.card.callbackTopic');
    await storeCallback(context, this.services, draft, { name: c.name!, phone: c.phone!, date: cb.date, partOfDay: cb.partOfDay, topic });
  }

  private items(context: TurnContext, c: Partial<Contact>, only?: ContactField[]): string {
    return itemsOf(context, c, only);
  }

  /** What the card shows filled in: what the conversation already gave. */
  private cardValues(c: Partial<Contact>): CardValues {
    const m = c.street ? /^(.*?)\s+(\d.*)$/.exec(c.street) : null;
    return {
      name: c.name,
      phone: c.phone ? formatPhone(c.phone) : undefined,
      email: c.email ?? undefined,
      street: m ? m[1] : c.street,
      houseNumber: m ? m[2] : undefined,
      postcode: c.postcode ?? undefined,
      city: c.city,
      country: c.country,
    };
  }
}

/**
 * The address parts the understanding step found, as the complaint stores them: the street with its
 * number in the citizen's order ("10 Baker Street" stays so, "Bankrasweg 88"), postcode, town, country.
 */
export function addressFromFields(text: string, found: UnderstoodFields): { street?: string; postcode?: string; city?: string; country?: string } {
  const { street, houseNumber, postcode, city, country } = found;
  let line: string | undefined;
  if (street && houseNumber) {
    const numberFirst = normalise(text).includes(normalise(`${houseNumber} ${street}`));
    line = numberFirst ? `${houseNumber} ${street}` : `${street} ${houseNumber}`;
  } else line = street;
  return { street: line, postcode, city, country };
}
