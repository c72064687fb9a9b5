/**
 * The one understanding step (issue 11). `createUnderstander` loads what it needs once (the intent model and the
 * route recogniser); then `understand` reads one citizen message: what the citizen wants (intent), every field it
 * contains whatever was asked, and for a story every route that applies. Pure: no botbuilder, no I/O per call.
 *
 * How a message is read:
 * 1. A language the bot does not speak -> intent 'unclear' with `unsupportedLanguage`.
 * 2. Fields: date (dates.ts), place and person (src/domain/extract.ts rules, or the whole answer where that was
 *    asked), solution, and contact details (contact.ts), with `asked` making the field asked for read freely.
 * 3. Intent: a few exact rules (stop, restart, language, skip), then the trained NLP.js intent model
 *    (intentModel.ts) for short messages; long messages are answers (a story that mentions "stop" or
 *    "medewerker" is still a story). An answer to "who?" that names a person is an answer, not a request for one;
 *    a protest ("dat heb ik al gezegd!!") is 'unclear' unless it also gives data ("1183 TR zei ik net").
 * 4. Routes: for a story, every route that applies (routes.ts).
 */
import type { Locale, Route, RouteClassifier } from '../domain/routes';
import { createRouteClassifier } from '../routing/classifier';
import { findPerson, findPlace } from '../domain/extract';
import { extractContact } from './contact';
import { understandDate } from './dates';
import { INTENT_LABELS, type IntentLabel, type IntentModel, type IntentScores, loadIntentModels } from './intentModel';
import { detectUnsupportedLanguage } from './language';
import { routesOf } from './routes';
import type { Asked, Question, UnderstandInput, Understander, Understanding, UnderstoodFields } from './types';

export * from './types';
export { formatPeriod, isMoreThanAYearAgo, understandDate } from './dates';
export { detectUnsupportedLanguage } from './language';

export interface UnderstanderOptions {
  /** The route recogniser; default: the project's (createRouteClassifier); null: no routes. */
  classifier?: RouteClassifier | null;
}

/** Messages are read up to this length (bounds the time per message). */
const MAX_CHARS = 4000;
/** Longer messages are answers (stories), never commands or questions. */
const STORY_WORDS = 25;
/** Messages not ending in "?" with more words than this are answers. */
const STATEMENT_WORDS = 14;
/** The intent model must be this sure, and this far ahead of the runner-up. */
const MIN_SCORE = 0.45;
const MIN_MARGIN = 0.12;

export const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

type Command = Pick<Understanding, 'intent' | 'language'>;
const EXACT: [RegExp, Command][] = [
  [/^(help|hulp|help me|helpen|menu|\?+|h e l p)$/, { intent: 'help' }],
  [/^(stop|stoppen|stop maar|stop ermee|annuleer|annuleren|afbreken|cancel|quit|exit|abort|laat maar|never mind|nevermind|forget it|hou op|kappen)$/, { intent: 'stop' }],
  [/^(opnieuw|opnieuw beginnen|begin opnieuw|begin maar opnieuw|overnieuw|herstart|herstarten|restart|start over|start again|reset|begin again)$/, { intent: 'restart' }],
  [/^(doei|doeg|dag|daag|dag dag|tot ziens|tot later|bye|bye bye|goodbye|good bye|see you|cheers|ciao|later)$/, { intent: 'goodbye' }],
];
const LANGUAGE_WORD: [RegExp, Locale][] = [
  [/\b(english|engels|engelse|inglés|anglais|englisch)\b/, 'en'],
  [/\b(nederlands|dutch|nederlandse|hollands|niederländisch)\b/, 'nl'],
];
const LANGUAGE_ASK = /^(in (het )?)?\S+( taal)?( (please|pls|graag|alstublieft|aub|svp|bitte))?$|\b(speak|spreek|spreekt|praten|praat|talk|switch|overschakelen|continue|verder|kan het|can we|could we|can you|kunnen we|kunt u|liever|prefer|rather|please|graag|alstublieft|in (het )?)\b/;

const SKIP = /^(weet ik niet|weet ik het niet|ik weet het niet|geen idee|overslaan|sla over|sla maar over|skip|skip this|pass|nvt|n v t|niet van toepassing|i don t know|i dont know|dont know|no idea|dunno|not sure|weet niet|geen|none|nothing|niets|niks|liever niet|rather not)$/;
const YES_NO = /^(ja|jawel|jazeker|ja hoor|ja graag|ja dat klopt|klopt|dat klopt|correct|prima|goed|oke|ok|okay|yes|yes please|yep|yeah|sure|that s right|right|nee|nee hoor|nee dank je|neen|no|nope|no thanks|niet|not really|klopt niet)$/;

/** Verbs of asking for contact: "een medewerker" names a person; "een medewerker spreken" asks for one. */
const CONTACT_VERB = /\b(spreken|praten|spreek|praat|bellen|bel|terugbellen|teruggebeld|terugbelverzoek|contact|gesprek|talk|speak|call|callback|phone me|ring|human|mens|echt persoon|real person|chatbot|robot)\b/;

/** "is fout, het moet ... zijn", "should be ...": the field the citizen corrects, and the new value. */
const FIELD_WORDS: [RegExp, Asked][] = [
  [/\b(telefoon(nummer)?|mobiel(e nummer)?|nummer|phone( number)?|mobile|number)\b/, 'phone'],
  [/\b(e ?mail(adres)?|mailadres|email address)\b/, 'email'],
  [/\b(postcode|zip( code)?|post code|postal code)\b/, 'postcode'],
  [/\b(woonplaats|stad|town|city)\b/, 'city'],
  [/\b(huisnummer|house number|straat|street)\b/, 'street'],
  [/\b(adres|address)\b/, 'address'],
  [/\b(naam|achternaam|voornaam|name|surname)\b/, 'name'],
  [/\b(datum|dag|wanneer|date|day|when|maand|month)\b/, 'when'],
  [/\b(plek|plaats|locatie|waar|place|location|where)\b/, 'where'],
  [/\b(persoon|wie|medewerker|person|who|employee)\b/, 'who'],
  [/\b(oplossing|wens|solution|wish)\b/, 'solution'],
];
const NEW_VALUE =
  /(?:moet|moeten|zou|hoort)\s+(?:het\s+|dat\s+|deze\s+|die\s+)?(?:zijn\s+)?(.+?)(?:\s+zijn)?[.!]*$|(?:should|must|needs\s+to)\s+be\s+(.+?)[.!]*$|(?:niet\s+.+?\s+maar|not\s+.+?\s+but)\s+(.+?)[.!]*$|(?:\bis\b|\bwas\b|het\s+is|it\s*'?s|it\s+is)\s+(?!fout|niet|verkeerd|wrong|incorrect|not)(.+?)[.!]*$|(?:naar|in|to|into)\s+(.+?)[.!]*$|[:]\s*(.+)$/i;

const PERSON_SKIP_TAIL = /\s*[,;(]?\s*(?:de\s+|zijn\s+|haar\s+|the\s+|his\s+|her\s+)?(?:naam|name)\s+(?:weet\s+ik\s+(?:niet|niet meer)|ken\s+ik\s+niet|onbekend|i\s+don'?t\s+know|unknown|not\s+known)\)?\.?$|\s*[,;]\s*(?:weet\s+ik\s+(?:verder\s+)?niet|geen\s+idee|i\s+don'?t\s+know)\.?$/i;

function storyLike(asked: Asked | undefined, words: number): boolean {
  return asked === 'story' || asked === 'more' || (asked === undefined && words >= 6);
}

export interface Understood extends Understanding {
  /** internal: the label the intent model gave, for evaluation and debugging (not in the CLI output) */
  label?: IntentLabel | 'rule';
}

function extractFields(text: string, locale: Locale, now: Date, asked: Asked | undefined): UnderstoodFields {
  const fields: UnderstoodFields = {};
  const n = norm(text);
  const skip = SKIP.test(n) || YES_NO.test(n);
  const contactAsked = asked === 'name' || asked === 'phone' || asked === 'email' || asked === 'address' || asked === 'street' || asked === 'postcode' || asked === 'city';

  // Date
  if (asked === 'when') {
    if (!YES_NO.test(n)) {
      const d = understandDate(text, { locale, now, whole: true });
      if (d) fields.date = d;
    }
  } else if (!contactAsked) {
    const d = understandDate(text, { locale, now, whole: false });
    if (d && d.from) fields.date = d;
  }

  // Contact details (read first, so that a phone number is not a place and a street not a person)
  const contact = extractContact(text, asked);
  Object.assign(fields, contact.fields);

  if (!contactAsked) {
    const place = findPlace(text, locale);
    const person = findPerson(text, locale);
    if (asked === 'where') {
      if (!skip && !/\?\s*$/.test(text)) fields.place = place ? { kind: place.kind, text: cleanAnswer(text) } : { text: cleanAnswer(text) };
    } else if (place && !skip) fields.place = place;
    if (asked === 'who') {
      const answer = cleanAnswer(text.replace(PERSON_SKIP_TAIL, ''));
      if (!skip && answer && !SKIP.test(norm(answer)) && !/\?\s*$/.test(text)) {
        const named = findPerson(answer, locale);
        fields.person = named ? { kind: named.kind, text: answer } : { kind: /\b(afdeling|department|team|loket)\b/i.test(answer) ? 'department' : 'staff', text: answer };
      }
    } else if (person && !skip) fields.person = person;
  }
  if (asked === 'solution' && !skip && !/\?\s*$/.test(text)) fields.solution = cleanAnswer(text);
  return fields;
}

function cleanAnswer(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/^[\s,;:.-]+|[\s,;:.]+$/g, '').trim();
}

function correctionFields(text: string, locale: Locale, now: Date): UnderstoodFields {
  const n = norm(text);
  const target = FIELD_WORDS.find(([re]) => re.test(n))?.[1];
  const m = NEW_VALUE.exec(text.replace(/^.*?(?:fout|verkeerd|klopt niet|niet goed|onjuist|wrong|incorrect|not right|mistake)\s*[,;:.!-]*\s*/i, ''));
  const value = m ? (m.slice(1).find((x) => x !== undefined) ?? '').trim() : '';
  const out: UnderstoodFields = {};
  if (target && value) Object.assign(out, extractFields(value, locale, now, target));
  if (target === 'when' && !out.date && value) {
    const d = understandDate(value, { locale, now, whole: true });
    if (d) out.date = d;
  }
  // Anything else unmistakable in the message (a phone number, a date, a postcode)
  const all = extractFields(text, locale, now, 'summary');
  for (const [k, v] of Object.entries(all)) if ((out as Record<string, unknown>)[k] === undefined) (out as Record<string, unknown>)[k] = v;
  if (target !== 'where') delete out.place;
  if (target !== 'who') delete out.person;
  return out;
}

function topLabels(scores: IntentScores): [IntentLabel, number, number] {
  let best: IntentLabel = 'answer';
  let bestScore = -1;
  let second = -1;
  for (const l of INTENT_LABELS) {
    const s = scores[l];
    if (s > bestScore) {
      second = bestScore;
      bestScore = s;
      best = l;
    } else if (s > second) second = s;
  }
  return [best, bestScore, Math.max(second, 0)];
}

export async function createUnderstander(opts: UnderstanderOptions = {}): Promise<Understander & { understand(input: UnderstandInput): Promise<Understood> }> {
  const classifier = opts.classifier === undefined ? await createRouteClassifier() : opts.classifier;
  const { models } = loadIntentModels();

  function modelScores(text: string, locale: Locale): IntentScores {
    const own = models[locale].scores(text);
    const other = models[locale === 'nl' ? 'en' : 'nl'].scores(text);
    // People mix languages: the other language's model counts when it knows more of the message.
    if (other.known > own.known) return other.scores;
    return own.scores;
  }

  function understandSync(input: UnderstandInput): Understood {
    const text = input.text.slice(0, MAX_CHARS).trim();
    const { locale, asked } = input;
    const now = input.now ?? new Date();
    const n = norm(text);
    const words = n ? n.split(' ').length : 0;
    if (!n) return { intent: 'unclear', fields: {} };

    const foreign = detectUnsupportedLanguage(text);
    if (foreign) return { intent: 'unclear', unsupportedLanguage: foreign, fields: {}, label: 'rule' };

    for (const [re, cmd] of EXACT) if (re.test(n)) return { ...cmd, fields: {}, label: 'rule' };
    if (words <= 8) {
      for (const [re, lang] of LANGUAGE_WORD) {
        if (re.test(n) && LANGUAGE_ASK.test(n) && !/\b(klacht|complaint|medewerker|employee)\b/.test(n)) {
          return { intent: 'language', language: lang, fields: {}, label: 'rule' };
        }
      }
    }
    if (SKIP.test(n) || YES_NO.test(n)) return { intent: 'answer', fields: {}, label: 'rule' };

    const fields = extractFields(text, locale, now, asked);
    const hasFields = Object.keys(fields).length > 0;
    const question = /\?\s*$/.test(text);
    if (words > STORY_WORDS || (words > STATEMENT_WORDS && !question)) return { intent: 'answer', fields, label: 'rule' };

    const [label, score, second] = topLabels(modelScores(text, locale));
    const sure = score >= MIN_SCORE && score - second >= MIN_MARGIN;
    if (!sure || label === 'answer') {
      if (asked === 'summary' && hasFields) return { intent: 'correction', fields, label };
      return { intent: 'answer', fields, label };
    }
    switch (label) {
      case 'person':
        // "Een medewerker", "de man aan de balie" at "who?" name a person: an answer.
        if (asked === 'who' && !CONTACT_VERB.test(n)) return { intent: 'answer', fields, label };
        return { intent: 'person', fields: pick(fields, ['phone', 'email', 'name']), label };
      case 'correction':
        return { intent: 'correction', fields: correctionFields(text, locale, now), label };
      case 'protest':
        return hasFields && !fields.name && !fields.person && !fields.place && !fields.solution
          ? { intent: 'answer', fields, label }
          : { intent: 'unclear', fields: {}, label };
      case 'lang-en':
      case 'lang-nl':
        return { intent: 'language', language: label === 'lang-en' ? 'en' : 'nl', fields: {}, label };
      case 'help':
      case 'stop':
      case 'restart':
      case 'goodbye':
        if (hasFields && (fields.phone || fields.email || fields.postcode || fields.street)) return { intent: 'answer', fields, label };
        return { intent: label, fields: {}, label };
      default:
        return { intent: 'question', question: label.slice(2) as Question, fields: {}, label };
    }
  }

  return {
    async understand(input: UnderstandInput): Promise<Understood> {
      const result = understandSync(input);
      const text = input.text.slice(0, MAX_CHARS).trim();
      const words = text.split(/\s+/).length;
      if (classifier && result.intent === 'answer' && storyLike(input.asked, words)) {
        const routes: Route[] = await routesOf(text, input.locale, classifier);
        if (routes.length > 0) result.routes = routes;
      }
      return result;
    },
  };
}

function pick(fields: UnderstoodFields, keys: (keyof UnderstoodFields)[]): UnderstoodFields {
  const out: UnderstoodFields = {};
  for (const k of keys) if (fields[k] !== undefined) (out as Record<string, unknown>)[k] = fields[k];
  return out;
}
