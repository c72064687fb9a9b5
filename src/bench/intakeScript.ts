/**
 * A citizen who files a complaint: given the bot's last message, what to answer. Used by the Direct
 * Line benchmark and the browser test, so both follow the real intake whatever order or optional
 * questions the dialogs have. Prompts are recognised by their texts in locales/*.json.
 */
import { translator } from '../i18n';

export type IntakeLocale = 'nl' | 'en';

export type IntakeStep =
  | { kind: 'click'; title: string; prompt: string }
  | { kind: 'type'; text: string; prompt: string }
  | { kind: 'done'; reference: string }
  | { kind: 'wait' };

export const CITIZEN = {
  nl: {
    story: 'Ik heb drie keer gebeld over mijn aanvraag voor een parkeervergunning, maar niemand belde mij terug zoals was beloofd.',
    when: 'gisteren',
    place: 'Bij het stadhuis',
    details: 'gisteren, bij het stadhuis',
    solution: 'Ik wil graag dat iemand mij terugbelt en uitlegt hoe het zit.',
    name: 'Jan de Vries',
    phone: '06 12345678',
    street: 'Dorpsstraat 12',
    postcode: '1182 JR',
    city: 'Amstelveen',
    email: 'jan.devries@example.nl',
    address: 'Dorpsstraat 12, 1182 JR Amstelveen',
    nameAddress: 'Jan de Vries, Dorpsstraat 12, 1182 JR Amstelveen',
  },
  en: {
    story: 'I called three times about my application for a parking permit, but nobody called me back as they had promised.',
    when: 'yesterday',
    place: 'At the town hall',
    details: 'yesterday, at the town hall',
    solution: 'I would like someone to call me back and explain what is going on.',
    name: 'Anna Jansen',
    phone: '06 87654321',
    street: 'Laan Nieuwer-Amstel 5',
    postcode: '1182 JR',
    city: 'Amstelveen',
    email: 'anna.jansen@example.nl',
    address: 'Laan Nieuwer-Amstel 5, 1182 JR Amstelveen',
    nameAddress: 'Anna Jansen, Laan Nieuwer-Amstel 5, 1182 JR Amstelveen',
  },
} as const;

/** Plain text: markdown emphasis removed, whitespace collapsed. */
export function plain(text: string): string {
  return text.replace(/\*\*|__/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * The fixed start of a text, as plain text: its first line, before any variable. (Rendered markdown
 * loses list numbers and emphasis, so only the first line is compared.)
 */
function head(key: string, locale: IntakeLocale, max = 48): string {
  const raw = translator(locale)(key, {});
  const fixed = raw.split('{{')[0].split('\n')[0];
  return plain(fixed).slice(0, max).trim();
}

type Answer = { click: string } | { type: keyof (typeof CITIZEN)['nl'] };

/** Most specific first: a message may quote an earlier question after an error text. */
const PROMPTS: [string, Answer][] = [
  ['summary.ask', { click: 'summary.send' }],
  ['contact.ask.reach', { type: 'phone' }],
  ['contact.ask.nameAddress', { type: 'nameAddress' }],
  ['contact.ask.address', { type: 'address' }],
  ['contact.ask.postcodeCity', { type: 'postcode' }],
  ['contact.ask.email', { type: 'email' }],
  ['contact.ask.city', { type: 'city' }],
  ['contact.ask.postcode', { type: 'postcode' }],
  ['contact.ask.street', { type: 'street' }],
  ['contact.ask.phone', { type: 'phone' }],
  ['contact.ask.name', { type: 'name' }],
  ['intake.callOffer', { click: 'intake.callNo' }],
  ['solution.ask', { type: 'solution' }],
  ['person.confirm', { click: 'choices.yes' }],
  ['person.whichStaff', { click: 'choices.skip' }],
  ['person.ask', { click: 'choices.skip' }],
  ['place.confirm', { click: 'choices.yes' }],
  ['place.where', { type: 'place' }],
  ['place.ask', { click: 'place.kind.counter' }],
  ['details.ask.whenPlacePerson', { type: 'details' }],
  ['details.ask.whenPlace', { type: 'details' }],
  ['details.ask.whenPerson', { type: 'when' }],
  ['details.ask.placePerson', { type: 'place' }],
  ['when.confirm', { click: 'choices.yes' }],
  ['when.overAYear', { click: 'when.fileAnyway' }],
  ['when.ask', { type: 'when' }],
  ['route.alsoComplaint', { click: 'route.alsoComplaintYes' }],
  ['route.ask', { click: 'route.choice.complaint' }],
  ['intake.askStory', { type: 'story' }],
];

export const REFERENCE = /KL-\d{4}-[0-9A-Z]{6}/;

/**
 * The next step for a bot message (raw markdown or rendered text). `wait` when the message is not
 * a question this citizen answers (a welcome, an explanation that a question follows).
 */
export function nextStep(message: string, locale: IntakeLocale): IntakeStep {
  const text = plain(message);
  const filed = head('intake.filed', locale, 24);
  const ref = REFERENCE.exec(text);
  if (ref && text.includes(filed)) return { kind: 'done', reference: ref[0] };
  const t = translator(locale);
  for (const [key, answer] of PROMPTS) {
    if (!text.includes(head(key, locale))) continue;
    if ('click' in answer) return { kind: 'click', title: plain(t(answer.click, {})), prompt: key };
    return { kind: 'type', text: CITIZEN[locale][answer.type], prompt: key };
  }
  return { kind: 'wait' };
}
