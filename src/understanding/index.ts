/**
 * The one understanding step (issue 11). `createUnderstander` loads what it needs once (models); then
 * `understand` reads one citizen message: what the citizen wants (intent), every field it contains and,
 * for a story, every route that applies. Pure: no botbuilder, no I/O at call time.
 *
 * FIRST VERSION (skeleton): wraps what existed before (command rules, story details, date parsing,
 * contact checks, the route recogniser). Being replaced by the trained intent model and richer
 * field extraction beside this file; the exported API stays.
 */
import type { Locale, RouteClassifier, Route } from '../domain/routes';
import { createRouteClassifier } from '../routing/classifier';
import { extractDetails, findPerson, findPlace } from '../domain/extract';
import { parseIncidentDate } from '../domain/dates';
import { checkEmail, checkName, checkPhone, checkPostcode } from '../domain/contact';
import type { UnderstandInput, Understander, Understanding, UnderstoodFields } from './types';

export * from './types';

export interface UnderstanderOptions {
  /** The route recogniser; default: the project's (createRouteClassifier); null: no routes. */
  classifier?: RouteClassifier | null;
}

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

type Cmd = Pick<Understanding, 'intent' | 'language'>;
const COMMANDS: [RegExp, Cmd][] = [
  [/^(help|hulp|help me|ik snap het niet|wat kan ik hier doen|what can i do|what can you do|menu)$/, { intent: 'help' }],
  [/^(stop|stoppen|stop maar|annuleer|annuleren|afbreken|cancel|quit|exit|ik wil stoppen)$/, { intent: 'stop' }],
  [/^(opnieuw|opnieuw beginnen|begin opnieuw|herstart|restart|start over|start again|reset)$/, { intent: 'restart' }],
  [
    /^((ik wil )?(graag )?(met )?(een )?(mens|persoon|klachtenfunctionaris|iemand)( spreken| bellen)?|kan ik iemand spreken|bel mij( terug| op)?|bel me( terug)?|terugbellen|kunt u mij terugbellen|(i want to )?(talk|speak) to (a )?(real )?(person|human|someone|agent)|human|real person|call me( back)?)$/,
    { intent: 'person' },
  ],
  [/^((in )?(het )?(english|engels)( please| graag| alstublieft)?|switch to english)$/, { intent: 'language', language: 'en' }],
  [/^((in )?(het )?(nederlands|dutch)( graag| please| alstublieft)?|switch to dutch)$/, { intent: 'language', language: 'nl' }],
  [/^(doei|dag|tot ziens|bye|goodbye|bedankt dat was het|thanks that s all)$/, { intent: 'goodbye' }],
];

function fieldsFor(text: string, locale: Locale, now: Date, asked: UnderstandInput['asked']): UnderstoodFields {
  const fields: UnderstoodFields = {};
  const story = asked === undefined || asked === 'story';
  if (story) {
    const d = extractDetails(text, { locale, now });
    if (d.date) fields.date = { text: d.date.text, from: d.date.date, to: d.date.date };
    if (d.place) fields.place = d.place;
    if (d.person) fields.person = d.person;
  }
  if (asked === 'when') {
    const p = parseIncidentDate(text, { locale, now });
    if (p.kind === 'date') fields.date = { text: p.text, from: p.date, to: p.date };
    else if (p.kind === 'unknown') fields.date = { text: p.text };
  }
  if (asked === 'where') {
    const place = findPlace(text, locale);
    fields.place = place ?? { text: text.trim() };
  }
  if (asked === 'who') {
    const person = findPerson(text, locale);
    fields.person = person ?? { text: text.trim() };
  }
  if (asked === 'solution') fields.solution = text.trim();
  const email = /[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+/.exec(text);
  if (email) {
    const c = checkEmail(email[0]);
    if (c.ok) fields.email = c.value;
  }
  const phone = /\+?\d[\d\s().-]{7,}\d/.exec(text);
  if (phone) {
    const c = checkPhone(phone[0]);
    if (c.ok) fields.phone = c.value;
  }
  const pc = /\b([1-9]\d{3})\s?([A-Za-z]{2})\b/.exec(text);
  if (pc) {
    const c = checkPostcode(pc[0]);
    if (c.ok) fields.postcode = c.value;
  }
  if (asked === 'name') {
    const c = checkName(text);
    if (c.ok) fields.name = c.value;
  }
  return fields;
}

export async function createUnderstander(opts: UnderstanderOptions = {}): Promise<Understander> {
  const classifier = opts.classifier === undefined ? await createRouteClassifier() : opts.classifier;
  return {
    async understand(input: UnderstandInput): Promise<Understanding> {
      const { text, locale } = input;
      const now = input.now ?? new Date();
      const n = norm(text);
      if (n.split(' ').length <= 8) {
        const hit = COMMANDS.find(([re]) => re.test(n));
        if (hit) return { ...hit[1], fields: {} };
      }
      if (/\?\s*$/.test(text.trim()) && input.asked !== undefined && input.asked !== 'story') return { intent: 'question', fields: {} };
      const result: Understanding = { intent: 'answer', fields: fieldsFor(text, locale, now, input.asked) };
      if (classifier && (input.asked === 'story' || (input.asked === undefined && n.split(' ').length >= 6))) {
        const c = await classifier.classify(text, locale);
        if (c.route !== 'unclear') result.routes = [c.route as Route];
      }
      return result;
    },
  };
}
