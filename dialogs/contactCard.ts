/**
 * The contact details as one Adaptive Card form (schema 1.5: Teams renders up to 1.5, Web Chat more),
 * and the server-side reading of what it sends. Web Chat and Teams both deliver an Action.Submit as a
 * message activity whose `value` holds the inputs (plus the action's data). The values are checked
 * here with the same zod Fields the rest of the product uses; a card with mistakes is sent again with
 * the good values kept and a line under each wrong field. Typing stays possible all the time.
 * With `callback` options the card also has a toggle "Bel mij terug" with a day (the next working days) and a
 * part of day (Dutch time); when it is on, the request is checked with the call-back's zod schema
 * (CallbackSchema: name, phone, date, part of day) and the day must be one of those offered.
 */
import type { Activity, Attachment } from 'botbuilder';
import { CallbackSchema, Fields, PARTS_OF_DAY } from '../src/domain/complaint';
import { countryCode } from '../src/understanding/address';
import type { Translate } from '../src/i18n';

export const CARD_FIELDS = ['name', 'phone', 'email', 'street', 'houseNumber', 'postcode', 'city', 'country'] as const;
export type CardField = (typeof CARD_FIELDS)[number];
/** the call-back inputs: the toggle ("true"/"false"), the day (YYYY-MM-DD) and the part of day */
export const CALLBACK_FIELDS = ['callback', 'callbackDay', 'callbackPart'] as const;
export type CallbackField = (typeof CALLBACK_FIELDS)[number];
export type CardValues = Partial<Record<CardField | CallbackField, string>>;
/** per wrong field: the i18n key of the reason */
export type CardErrors = Partial<Record<CardField | CallbackField, string>>;

/** What the card offers for a call back: the days (value YYYY-MM-DD, title as said) and the parts of day. */
export interface CardCallback {
  days: { value: string; title: string }[];
  parts: { value: (typeof PARTS_OF_DAY)[number]; title: string }[];
}

/** the action's data: how the bot knows a submit comes from this card */
export const CARD_MARK = 'klachtbotContact';

/** Channels that render Adaptive Cards with inputs: the built-in Direct Line (Web Chat), Azure's Web Chat, Teams, the Emulator. */
const CARD_CHANNELS = new Set(['directline', 'webchat', 'msteams', 'emulator']);

export function showsCards(channelId: string | undefined): boolean {
  return CARD_CHANNELS.has(channelId ?? '');
}

const REQUIRED: CardField[] = ['name', 'street', 'houseNumber', 'postcode', 'city'];
const STYLE: Partial<Record<CardField, string>> = { phone: 'Tel', email: 'Email' };
const MAX: Record<CardField, number> = { name: 100, phone: 20, email: 254, street: 150, houseNumber: 12, postcode: 12, city: 100, country: 60 };

/** The card; `values` are kept in the inputs, `errors` are shown under their field and summed up at the top. */
export function contactCard(t: Translate, values: CardValues = {}, errors: CardErrors = {}, callback?: CardCallback): Attachment {
  const wrong = [...CARD_FIELDS, ...CALLBACK_FIELDS].filter((f) => errors[f]);
  const body: object[] = [
    { type: 'TextBlock', text: t('contact.card.title'), wrap: true, weight: 'Bolder', size: 'Medium', style: 'heading' },
    { type: 'TextBlock', text: t('contact.card.text'), wrap: true },
  ];
  if (wrong.length) body.push({ type: 'TextBlock', text: t('contact.card.wrongTitle'), wrap: true, color: 'Attention', weight: 'Bolder' });
  for (const f of CARD_FIELDS) {
    const required = REQUIRED.includes(f);
    body.push({
      type: 'Input.Text',
      id: f,
      label: t(`contact.card.${f}`),
      // also the name Web Chat's screen-reader copy of the card gives the field (it reads placeholders, not labels)
      placeholder: t(`contact.card.placeholder.${f}`),
      isRequired: required,
      ...(required ? { errorMessage: t('contact.card.required') } : {}),
      ...(STYLE[f] ? { style: STYLE[f] } : {}),
      maxLength: MAX[f],
      value: values[f] ?? '',
    });
    if (errors[f]) {
      body.push({ type: 'TextBlock', text: `${t(`contact.card.${f}`)}: ${t(errors[f])}`, wrap: true, color: 'Attention', spacing: 'None', size: 'Small' });
    }
  }
  if (callback) {
    // Adaptive Cards 1.5 cannot show inputs depending on a toggle: day and part of day are always there, labelled as
    // only needed with the toggle on (the server checks them only then).
    body.push({
      type: 'Input.Toggle', id: 'callback', title: t('contact.card.callback'), label: t('contact.card.callback'),
      valueOn: 'true', valueOff: 'false', value: values.callback === 'true' ? 'true' : 'false', separator: true,
    });
    const choice = (id: 'callbackDay' | 'callbackPart', choices: { value: string; title: string }[]) => {
      body.push({
        type: 'Input.ChoiceSet', id, style: 'compact', label: t(`contact.card.${id}`), placeholder: t(`contact.card.${id}Placeholder`),
        choices: choices.map((c) => ({ title: c.title, value: c.value })), value: choices.some((c) => c.value === values[id]) ? values[id] : '',
      });
      if (errors[id]) body.push({ type: 'TextBlock', text: `${t(`contact.card.${id}`)}: ${t(errors[id]!)}`, wrap: true, color: 'Attention', spacing: 'None', size: 'Small' });
    };
    choice('callbackDay', callback.days);
    choice('callbackPart', callback.parts);
  }
  return {
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      fallbackText: t('contact.card.fallback'),
      speak: t('contact.card.title'),
      body,
      actions: [{ type: 'Action.Submit', title: t('contact.card.submit'), data: { [CARD_MARK]: 1 } }],
    },
  };
}

/** The inputs of a contact card submit, or undefined when the activity is something else. */
export function cardSubmit(activity: Partial<Activity>): CardValues | undefined {
  const v = activity.value as Record<string, unknown> | undefined;
  if (activity.type !== 'message' || !v || typeof v !== 'object' || v[CARD_MARK] === undefined) return undefined;
  const out: CardValues = {};
  for (const f of [...CARD_FIELDS, ...CALLBACK_FIELDS]) {
    const raw = v[f];
    if (typeof raw === 'string' && raw.trim()) out[f] = raw.trim().slice(0, 300);
  }
  return out;
}

export interface CardContact {
  name?: string;
  phone?: string | null;
  email?: string | null;
  street?: string;
  postcode?: string | null;
  city?: string;
  country?: string;
}

type Parsed = { success: true; data: unknown } | { success: false; error: { issues: { message: string }[] } };
const reason = (r: Parsed) => (r.success ? undefined : (r.error.issues[0]?.message ?? 'invalid'));

/**
 * Checks a submit with the complaint's zod Fields. Returns every good value (normalised) and, per
 * wrong or missing field, the i18n key of the reason.
 */
export function readCard(values: CardValues, offered?: { days: string[] }): { contact: CardContact; errors: CardErrors; callback?: { date: string; partOfDay: (typeof PARTS_OF_DAY)[number] } } {
  const read = readContact(values);
  if (values.callback !== 'true') return read;
  // the toggle is on: the call-back's own schema, with the name and phone number of this card
  const { contact, errors } = read;
  const r = CallbackSchema.safeParse({ name: contact.name, phone: contact.phone ?? undefined, date: values.callbackDay, partOfDay: values.callbackPart });
  if (r.success && (!offered || offered.days.includes(r.data.date))) return { contact, errors, callback: { date: r.data.date, partOfDay: r.data.partOfDay } };
  const failed = new Set(r.success ? [] : r.error.issues.map((i) => String(i.path[0])));
  if (failed.has('phone') && !errors.phone) errors.phone = 'contact.card.callbackNeedsPhone';
  if (failed.has('date')) errors.callbackDay = 'contact.card.callbackDayMissing';
  else if (offered && values.callbackDay && !offered.days.includes(values.callbackDay)) errors.callbackDay = 'contact.card.callbackDayWrong';
  if (failed.has('partOfDay')) errors.callbackPart = 'contact.card.callbackPartMissing';
  if (failed.has('name') && !errors.name) errors.name = 'contact.card.required';
  return { contact, errors };
}

function readContact(values: CardValues): { contact: CardContact; errors: CardErrors } {
  const contact: CardContact = {};
  const errors: CardErrors = {};
  const take = <K extends keyof CardContact>(field: CardField, key: K, schema: { safeParse(v: unknown): Parsed }, errorGroup: string) => {
    const r = schema.safeParse(values[field]);
    if (r.success) contact[key] = r.data as CardContact[K];
    else errors[field] = `errors.${errorGroup}.${reason(r)}`;
  };
  const missing = (f: CardField) => {
    errors[f] = 'contact.card.required';
  };

  if (values.name) take('name', 'name', Fields.name, 'name');
  else missing('name');

  if (values.phone) take('phone', 'phone', Fields.phone, 'phone');
  else contact.phone = null;
  if (values.email) take('email', 'email', Fields.email, 'email');
  else contact.email = null;

  if (!values.street) missing('street');
  if (!values.houseNumber) missing('houseNumber');
  if (values.street && values.houseNumber) {
    const r = Fields.street.safeParse(`${values.street} ${values.houseNumber}`);
    if (r.success) contact.street = r.data;
    else {
      const why = reason(r);
      errors[why === 'noNumber' ? 'houseNumber' : 'street'] = `errors.street.${why}`;
    }
  } else if (values.street && !/\p{L}/u.test(values.street)) errors.street = 'errors.street.noStreet';

  const abroad = values.country && countryCode(values.country) !== 'NL' ? values.country : undefined;
  if (abroad) {
    const c = Fields.country.safeParse(abroad);
    if (c.success) contact.country = c.data;
    else errors.country = 'contact.card.countryWrong';
    if (values.postcode) {
      const p = Fields.foreignPostcode.safeParse(values.postcode);
      if (p.success) contact.postcode = p.data;
      else errors.postcode = 'errors.postcode.format';
    } else contact.postcode = null;
  } else if (values.postcode) take('postcode', 'postcode', Fields.postcode, 'postcode');
  else missing('postcode');

  if (values.city) take('city', 'city', Fields.city, 'city');
  else missing('city');
  return { contact, errors };
}
