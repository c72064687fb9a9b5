/**
 * `npm run bench:conversations`: how many messages a citizen needs to file a complaint. Scripted
 * citizens (Dutch and English: everything in the first message, an elderly person with short answers,
 * an expat, someone who asks questions back, someone who corrects at the summary, someone without a
 * phone, someone living abroad, an angry citizen, someone who wants a call) talk to the REAL server
 * (createApp + listen) over /api/messages, as a channel does (src/tools/channel.ts), each twice: once
 * typing everything, once filling in the contact card when the bot offers it. A citizen answers what
 * the bot asks, recognised by the texts in locales/*.json, so the scripts follow the dialogs whatever
 * their order. Printed: the citizen messages per filed complaint, per script and the median, by typing
 * and with the card. A benchmark, not a test: it prints figures (targets: median at most 9 by typing,
 * at most 6 with the card) and exits 1 only when a citizen could not file at all.
 * Options (env): BENCH_VERBOSE=1 prints every exchange; BENCH_ONLY=<regex on "script/mode"> runs only those.
 */
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { translator } from '../i18n';
import { createLogger } from '../logger';
import { loadMunicipality } from '../municipality';
import { Channel, type ChannelActivity } from '../tools/channel';
import { CARD_MARK } from '../../dialogs/contactCard';

type Locale = 'nl' | 'en';
type Answer = string | string[];

interface Citizen {
  id: string;
  locale: Locale;
  /** who this is, in a few words */
  who: string;
  first: string;
  /** answers per question (locale key); a list is used in order (a question back first, then the answer), its last item repeated */
  answers?: Record<string, Answer>;
  name: string;
  address: string;
  /** phone, e-mail or both, as typed; '' = skips */
  reach: string;
  /** what the citizen fills in on the card */
  card: Record<string, string>;
}

const VERBOSE = process.env.BENCH_VERBOSE === '1';
/** BENCH_ONLY=<regex on "script/mode">: run only those (with BENCH_VERBOSE=1, to read one conversation) */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const MAX_MESSAGES = 30;

/** What a citizen answers when the script says nothing else, per question. */
const DEFAULTS: Record<Locale, Record<string, Answer>> = {
  nl: {
    'intake.askStory': 'Ik heb drie keer gebeld over mijn aanvraag en niemand belde mij terug zoals beloofd.',
    'route.ask': '1',
    'route.alsoComplaint': 'Ja, ook een klacht',
    'details.ask': 'vorige week dinsdag, aan de telefoon',
    'when.ask': 'vorige week dinsdag',
    'when.overAYear': 'Ja, toch indienen',
    'place.ask': 'aan de telefoon',
    'place.where': 'bij het stadhuis',
    'person.confirm': 'Ja',
    'person.ask': 'Overslaan',
    'person.whichStaff': 'Overslaan',
    'solution.ask': 'Overslaan',
    'intake.callOffer': 'Nee, ga verder',
    'contact.giveUp': 'Opnieuw proberen',
    'contact.ask.street': 'Dorpsstraat 12',
    'contact.ask.postcodeCity': '1182 JR Amstelveen',
    'contact.ask.postcode': '1182 JR',
    'contact.ask.city': 'Amstelveen',
    'contact.ask.email': 'Overslaan',
    'callback.offer': 'Ja, bel mij terug',
    'callback.askTopic': 'mijn klacht',
    'callback.askPhone': '06 12345678',
    'callback.askDay': '1',
    'callback.askPart': 'ochtend',
    'callback.continue': 'Ja, ga verder',
    'callback.alsoComplaint': 'Ja',
    'summary.ask': 'Ja, versturen',
    'commands.stopConfirm': 'Nee, ga verder',
  },
  en: {
    'intake.askStory': 'I called three times about my application and nobody called me back as promised.',
    'route.ask': '1',
    'route.alsoComplaint': 'Yes, also a complaint',
    'details.ask': 'last Tuesday, on the phone',
    'when.ask': 'last Tuesday',
    'when.overAYear': 'Yes, file it anyway',
    'place.ask': 'on the phone',
    'place.where': 'at the town hall',
    'person.confirm': 'Yes',
    'person.ask': 'Skip',
    'person.whichStaff': 'Skip',
    'solution.ask': 'Skip',
    'intake.callOffer': 'No, continue',
    'contact.giveUp': 'Try again',
    'contact.ask.street': 'Dorpsstraat 12',
    'contact.ask.postcodeCity': '1182 JR Amstelveen',
    'contact.ask.postcode': '1182 JR',
    'contact.ask.city': 'Amstelveen',
    'contact.ask.email': 'Skip',
    'callback.offer': 'Yes, call me back',
    'callback.askTopic': 'my complaint',
    'callback.askPhone': '06 87654321',
    'callback.askDay': '1',
    'callback.askPart': 'morning',
    'callback.continue': 'Yes, continue',
    'callback.alsoComplaint': 'Yes',
    'summary.ask': 'Yes, send it',
    'commands.stopConfirm': 'No, continue',
  },
};

/** Most specific first: a message may quote an earlier question after an error text. */
const QUESTIONS = [
  'summary.ask', 'summary.which', 'commands.stopConfirm',
  'contact.giveUp', 'contact.suggest.name', 'contact.suggest.email',
  'contact.ask.reach', 'contact.ask.nameAddress', 'contact.ask.address', 'contact.ask.postcodeCity', 'contact.ask.email', 'contact.ask.city', 'contact.ask.postcode',
  'contact.ask.street', 'contact.ask.phone', 'contact.ask.name',
  'callback.offer', 'callback.askTopic', 'callback.askPhone', 'callback.askDay', 'callback.askPart', 'callback.continue', 'callback.alsoComplaint',
  'intake.callOffer', 'solution.ask', 'person.confirm', 'person.whichStaff', 'person.ask', 'place.where', 'place.ask',
  'details.ask.whenPlacePerson', 'details.ask.whenPlace', 'details.ask.whenPerson', 'details.ask.placePerson', 'when.overAYear', 'when.ask', 'route.alsoComplaint', 'route.ask', 'intake.askStory',
];

const plain = (s: string) => s.replace(/\*\*|__|\\/g, '').replace(/\s+/g, ' ').trim();

/** The fixed start of a text: its first line before any variable. */
function head(key: string, locale: Locale): string | undefined {
  const t = translator(locale);
  const raw = t(key, {});
  if (raw === key) return undefined;
  const fixed = plain(raw.split('{{')[0].split('\n')[0]).slice(0, 48).trim();
  return fixed.length >= 8 ? fixed : undefined;
}

function questionIn(text: string, locale: Locale): string | undefined {
  const p = plain(text);
  return QUESTIONS.find((k) => {
    const h = head(k, locale);
    return h !== undefined && p.includes(h);
  });
}

const REFERENCE = /KL-\d{4}-[0-9A-Z]{6}/;

const hasCard = (a: ChannelActivity) =>
  Array.isArray(a.attachments) && (a.attachments as { contentType?: string }[]).some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');

const CITIZENS: Citizen[] = [
  // ---------------- Dutch ----------------
  {
    id: 'nl-alles-in-een', locale: 'nl', who: 'everything in the first message',
    first: 'Op 12 november ben ik aan de balie van het stadhuis heel onbeschoft behandeld door een medewerker van burgerzaken, hij weigerde mij te helpen. Ik ben Jan Jansen, Bankrasweg 88, 1183 TR Amstelveen, telefoon 06-12345678.',
    name: 'Jan Jansen', address: 'Bankrasweg 88, 1183 TR Amstelveen', reach: '06-12345678',
    card: { name: 'Jan Jansen', phone: '06-12345678', street: 'Bankrasweg', houseNumber: '88', postcode: '1183 TR', city: 'Amstelveen' },
  },
  {
    id: 'nl-oudere-kort', locale: 'nl', who: 'elderly, short answers',
    first: 'Ik heb drie keer gebeld en niemand belt terug.',
    // gives only the name where name and address are asked
    answers: { 'details.ask': 'gisteren, aan de telefoon', 'when.ask': 'gisteren', 'place.ask': 'telefoon', 'person.ask': 'weet ik niet', 'solution.ask': 'nee', 'intake.callOffer': 'nee', 'contact.ask.nameAddress': 'Riet de Groot', 'contact.ask.address': 'Kerklaan 4, 1181 AB Amstelveen', 'contact.ask.reach': 'nee' },
    name: 'Riet de Groot', address: 'Kerklaan 4, 1181 AB Amstelveen', reach: '',
    card: { name: 'Riet de Groot', street: 'Kerklaan', houseNumber: '4', postcode: '1181 AB', city: 'Amstelveen' },
  },
  {
    id: 'nl-vraagt-terug', locale: 'nl', who: 'asks questions back',
    first: 'Mijn aanvraag voor een parkeervergunning ligt al acht weken stil en niemand reageert op mijn mails.',
    answers: { 'details.ask': ['hoe lang duurt het behandelen van een klacht?', 'begin oktober, per mail'], 'when.ask': ['hoe lang duurt het behandelen van een klacht?', 'begin oktober'], 'contact.ask.name': ['waarom heeft u mijn naam nodig?', 'Pieter Bakker'] },
    name: 'Pieter Bakker', address: 'Dorpsstraat 12, 1182 JR Amstelveen', reach: 'pieter.bakker@example.nl',
    card: { name: 'Pieter Bakker', email: 'pieter.bakker@example.nl', street: 'Dorpsstraat', houseNumber: '12', postcode: '1182 JR', city: 'Amstelveen' },
  },
  {
    id: 'nl-verbetert', locale: 'nl', who: 'corrects at the summary',
    first: 'Vorige week dinsdag werd ik aan de telefoon afgescheept door een medewerker van de afdeling belastingen, ze hing gewoon op.',
    answers: { 'summary.ask': ['mijn telefoonnummer is fout, het moet 06-33445577 zijn', 'Ja, versturen'] },
    name: 'Sanne de Wit', address: 'Van der Veerelaan 30, 1181 PM Amstelveen', reach: '06-33445566',
    card: { name: 'Sanne de Wit', phone: '06-33445566', street: 'Van der Veerelaan', houseNumber: '30', postcode: '1181 PM', city: 'Amstelveen' },
  },
  {
    id: 'nl-boos', locale: 'nl', who: 'angry, protests at the name question',
    first: 'Dit is nu al de vierde keer!!! Niemand van de gemeente komt de afspraak na, ik heb gisteren weer de hele dag thuis gewacht.',
    answers: { 'contact.ask.name': ['Dat heb ik toch al gezegd!!', 'Karin Visser'] },
    name: 'Karin Visser', address: 'Startbaan 5, 1185 XR Amstelveen', reach: '0612349876',
    card: { name: 'Karin Visser', phone: '0612349876', street: 'Startbaan', houseNumber: '5', postcode: '1185 XR', city: 'Amstelveen' },
  },
  {
    id: 'nl-geen-telefoon', locale: 'nl', who: 'no phone, e-mail only',
    first: 'Ik kreeg bij het loket verkeerde informatie over mijn paspoort, daardoor moest ik twee keer terugkomen.',
    name: 'Ahmed El Amrani', address: 'Poortwachter 10, 1181 DK Amstelveen', reach: 'ahmed@example.nl',
    card: { name: 'Ahmed El Amrani', email: 'ahmed@example.nl', street: 'Poortwachter', houseNumber: '10', postcode: '1181 DK', city: 'Amstelveen' },
  },
  {
    id: 'nl-buitenland', locale: 'nl', who: 'lives abroad',
    first: 'Ik woon in Duitsland en probeer al maanden een uittreksel te krijgen, maar op mijn brieven komt geen antwoord van de gemeente.',
    name: 'Anna Müller', address: 'Hauptstraße 5, 10115 Berlin, Duitsland', reach: 'anna@example.de',
    card: { name: 'Anna Müller', email: 'anna@example.de', street: 'Hauptstraße', houseNumber: '5', postcode: '10115', city: 'Berlin', country: 'Duitsland' },
  },
  {
    id: 'nl-naam-en-nummer', locale: 'nl', who: 'name and phone in one answer',
    first: 'De medewerker van het Klantcontactcentrum was erg onvriendelijk toen ik belde over de afvalpas, ze lachte me uit.',
    answers: { 'contact.ask.name': 'Marieke Smit, 06-23456789' },
    name: 'Marieke Smit', address: 'Bankrasweg 88, 1183 TR Amstelveen', reach: '06-23456789',
    card: { name: 'Marieke Smit', phone: '06-23456789', street: 'Bankrasweg', houseNumber: '88', postcode: '1183 TR', city: 'Amstelveen' },
  },
  {
    id: 'nl-terugbellen', locale: 'nl', who: 'wants a call back first',
    first: 'Ik ben al drie weken bezig met een klacht over de WMO-aanvraag van mijn moeder en krijg steeds een ander verhaal van de medewerkers.',
    answers: { 'intake.callOffer': 'Ja, bel mij terug' },
    name: 'Els Bakker', address: 'Ouderkerkerlaan 20, 1185 AB Amstelveen', reach: '020 1234567',
    card: { name: 'Els Bakker', phone: '020 1234567', street: 'Ouderkerkerlaan', houseNumber: '20', postcode: '1185 AB', city: 'Amstelveen' },
  },
  {
    id: 'nl-vage-datum', locale: 'nl', who: 'vague date, address in two steps',
    first: 'Ergens half oktober kreeg ik een boze brief van de gemeente terwijl ik alles op tijd had betaald, en niemand wil het uitleggen.',
    answers: { 'contact.ask.address': 'Laan van Kronenburg 2', 'contact.ask.postcodeCity': '1183 AS Amstelveen' },
    name: 'Henk Jansen', address: 'Laan van Kronenburg 2', reach: 'henk@example.nl',
    card: { name: 'Henk Jansen', email: 'henk@example.nl', street: 'Laan van Kronenburg', houseNumber: '2', postcode: '1183 AS', city: 'Amstelveen' },
  },
  {
    id: 'nl-bezwaar-en-klacht', locale: 'nl', who: 'a bezwaar and a complaint in one',
    first: 'Mijn vergunning is geweigerd en de ambtenaar aan de balie was daarbij ook nog heel onbeschoft tegen mij.',
    name: 'Joost Vermeer', address: 'Stadsplein 1, 1181 ZM Amstelveen', reach: '0687654321',
    card: { name: 'Joost Vermeer', phone: '0687654321', street: 'Stadsplein', houseNumber: '1', postcode: '1181 ZM', city: 'Amstelveen' },
  },
  // ---------------- English ----------------
  {
    id: 'en-all-in-one', locale: 'en', who: 'expat, everything in the first message',
    first: 'On November 12 the officer at the town hall counter was very rude to me and refused to register my address. My name is Anna Jansen, Laan Nieuwer-Amstel 5, 1182 JR Amstelveen, phone +31 6 87654321.',
    name: 'Anna Jansen', address: 'Laan Nieuwer-Amstel 5, 1182 JR Amstelveen', reach: '+31 6 87654321',
    card: { name: 'Anna Jansen', phone: '+31 6 87654321', street: 'Laan Nieuwer-Amstel', houseNumber: '5', postcode: '1182 JR', city: 'Amstelveen' },
  },
  {
    id: 'en-short', locale: 'en', who: 'short answers',
    first: 'Nobody answers my emails about my parking permit.',
    answers: { 'details.ask': "last week, by email, don't know who", 'when.ask': 'last week', 'place.ask': 'email', 'person.ask': "don't know", 'solution.ask': 'no', 'intake.callOffer': 'no' },
    name: 'Tom Baker', address: 'Dorpsstraat 12, 1182 JR Amstelveen', reach: 'tom@example.com',
    card: { name: 'Tom Baker', email: 'tom@example.com', street: 'Dorpsstraat', houseNumber: '12', postcode: '1182 JR', city: 'Amstelveen' },
  },
  {
    id: 'en-asks-back', locale: 'en', who: 'asks questions back',
    first: 'I applied for a residence registration six weeks ago and nobody from the municipality has contacted me since.',
    answers: { 'contact.ask.nameAddress': ['why do you need my address?', 'Priya Sharma, Bankrasweg 88, 1183 TR Amstelveen'], 'details.ask': ['what happens with my complaint?', 'mid October, by email'], 'when.ask': ['what happens with my complaint?', 'mid October'] },
    name: 'Priya Sharma', address: 'Bankrasweg 88, 1183 TR Amstelveen', reach: '0611122233',
    card: { name: 'Priya Sharma', phone: '0611122233', street: 'Bankrasweg', houseNumber: '88', postcode: '1183 TR', city: 'Amstelveen' },
  },
  {
    id: 'en-corrects', locale: 'en', who: 'corrects at the summary',
    first: 'Last Monday I was treated very rudely on the phone by someone from the tax department who hung up on me.',
    answers: { 'summary.ask': ['my phone number is wrong, it should be 06-33445577', 'Yes, send it'] },
    name: 'Mark Evans', address: 'Startbaan 5, 1185 XR Amstelveen', reach: '06-33445566',
    card: { name: 'Mark Evans', phone: '06-33445566', street: 'Startbaan', houseNumber: '5', postcode: '1185 XR', city: 'Amstelveen' },
  },
  {
    id: 'en-no-phone', locale: 'en', who: 'no phone, skips',
    first: 'I received the wrong information at the desk about my passport and had to come back twice.',
    answers: { 'contact.ask.reach': 'skip' },
    name: 'Lucas Martin', address: 'Poortwachter 10, 1181 DK Amstelveen', reach: '',
    card: { name: 'Lucas Martin', street: 'Poortwachter', houseNumber: '10', postcode: '1181 DK', city: 'Amstelveen' },
  },
  {
    id: 'en-abroad', locale: 'en', who: 'lives in the United Kingdom',
    first: 'I moved to London last year and my letters to the municipality about my deregistration have not been answered for months.',
    name: 'Oliver Smith', address: '10 Baker Street, London NW1 6XE, United Kingdom', reach: 'oliver@example.co.uk',
    card: { name: 'Oliver Smith', email: 'oliver@example.co.uk', street: 'Baker Street', houseNumber: '10', postcode: 'NW1 6XE', city: 'London', country: 'United Kingdom' },
  },
  {
    id: 'en-name-email', locale: 'en', who: 'name and e-mail in one answer',
    first: 'The staff at the Klantcontactcentrum were very unfriendly when I called about my waste pass, they laughed at me.',
    answers: { 'contact.ask.name': 'Sofia Rossi, sofia.rossi@example.com' },
    name: 'Sofia Rossi', address: 'Kerklaan 4, 1181 AB Amstelveen', reach: 'sofia.rossi@example.com',
    card: { name: 'Sofia Rossi', email: 'sofia.rossi@example.com', street: 'Kerklaan', houseNumber: '4', postcode: '1181 AB', city: 'Amstelveen' },
  },
  {
    id: 'en-angry', locale: 'en', who: 'angry, protests at the name question',
    first: 'This is the fourth time!!! Nobody from the municipality showed up for the appointment, I waited at home all day yesterday.',
    answers: { 'contact.ask.name': ['I already told you that!!', 'David Cohen'] },
    name: 'David Cohen', address: 'Van der Veerelaan 30, 1181 PM Amstelveen', reach: '0612349876',
    card: { name: 'David Cohen', phone: '0612349876', street: 'Van der Veerelaan', houseNumber: '30', postcode: '1181 PM', city: 'Amstelveen' },
  },
  {
    id: 'en-callback', locale: 'en', who: 'wants a call back first',
    first: "I have been trying for three weeks to sort out my mother's care application and every officer tells me something different.",
    answers: { 'intake.callOffer': 'Yes, call me back' },
    name: 'Emma Brown', address: 'Ouderkerkerlaan 20, 1185 AB Amstelveen', reach: '020 1234567',
    card: { name: 'Emma Brown', phone: '020 1234567', street: 'Ouderkerkerlaan', houseNumber: '20', postcode: '1185 AB', city: 'Amstelveen' },
  },
  {
    id: 'en-vague-date', locale: 'en', who: 'vague date, address in two steps',
    first: 'Around mid October I got an angry letter from the municipality although I had paid everything on time, and nobody will explain it.',
    answers: { 'contact.ask.address': 'Laan van Kronenburg 2', 'contact.ask.postcodeCity': '1183 AS Amstelveen' },
    name: 'Noah Wilson', address: 'Laan van Kronenburg 2', reach: 'noah@example.com',
    card: { name: 'Noah Wilson', email: 'noah@example.com', street: 'Laan van Kronenburg', houseNumber: '2', postcode: '1183 AS', city: 'Amstelveen' },
  },
];

interface Outcome {
  id: string;
  locale: Locale;
  who: string;
  mode: 'typing' | 'card';
  messages: number;
  filed: boolean;
  reference?: string;
  /** the last question when it did not file */
  stuck?: string;
}

function answerFor(c: Citizen, key: string, used: Map<string, number>): string {
  // the story's missing details asked in one question: one answer for whichever of them were asked
  if (key.startsWith('details.ask.')) key = 'details.ask';
  const scripted = c.answers?.[key];
  // at "name and address?" a citizen gives both, in their own way of giving the name (a question back, a protest, a phone number with it)
  const nameAnswers = c.answers?.['contact.ask.name'] ?? c.name;
  const addressAnswer = [c.answers?.['contact.ask.address'] ?? c.address].flat().slice(-1)[0];
  const both = (a: string) => `${a}, ${addressAnswer}`;
  const contact: Record<string, Answer> = {
    'contact.ask.nameAddress': typeof nameAnswers === 'string' ? both(nameAnswers) : [...nameAnswers.slice(0, -1), both(nameAnswers[nameAnswers.length - 1])],
    'contact.ask.name': c.name,
    'contact.suggest.name': c.name,
    'contact.ask.address': c.address,
    'contact.ask.reach': c.reach || (c.locale === 'nl' ? 'Overslaan' : 'Skip'),
    'contact.ask.phone': c.reach || (c.locale === 'nl' ? 'Overslaan' : 'Skip'),
    'contact.ask.email': c.reach.includes('@') ? c.reach : c.locale === 'nl' ? 'Overslaan' : 'Skip',
  };
  const a = scripted ?? contact[key] ?? DEFAULTS[c.locale][key];
  if (a === undefined) return c.locale === 'nl' ? 'ja' : 'yes';
  if (typeof a === 'string') return a;
  const i = used.get(key) ?? 0;
  used.set(key, i + 1);
  return a[Math.min(i, a.length - 1)];
}

async function converse(channel: Channel, c: Citizen, mode: 'typing' | 'card', n: number): Promise<Outcome> {
  const conversation = `bench-${c.id}-${mode}-${n}`;
  const locale = c.locale === 'nl' ? 'nl-NL' : 'en-GB';
  const used = new Map<string, number>();
  let cardSent = false;
  let messages = 0;
  const log = (who: string, text: string) => VERBOSE && console.log(`  [${c.id}/${mode}] ${who}: ${plain(text).slice(0, 160)}`);
  await channel.join(conversation, locale);
  if (ONLY && !ONLY.test(`${c.id}/${mode}`)) return { id: c.id, locale: c.locale, who: c.who, mode, messages: 0, filed: false, stuck: 'skipped' };
  let reply = await channel.say(conversation, c.first, locale);
  messages++;
  log('citizen', c.first);
  let lastQuestion = '';
  for (;;) {
    if (reply.status !== 200) return { id: c.id, locale: c.locale, who: c.who, mode, messages, filed: false, stuck: `HTTP ${reply.status}` };
    const texts = reply.replies.filter((a) => a.type === 'message').map((a) => a.text ?? '');
    texts.forEach((t) => log('bot', t));
    const all = texts.join('\n');
    const ref = REFERENCE.exec(all);
    if (ref) return { id: c.id, locale: c.locale, who: c.who, mode, messages, filed: true, reference: ref[0] };
    if (messages >= MAX_MESSAGES) return { id: c.id, locale: c.locale, who: c.who, mode, messages, filed: false, stuck: lastQuestion };
    if (mode === 'card' && !cardSent && reply.replies.some(hasCard)) {
      cardSent = true;
      messages++;
      log('citizen', `(card) ${JSON.stringify(c.card)}`);
      reply = await channel.send(conversation, { type: 'message', value: { [CARD_MARK]: 1, ...c.card } }, locale);
      continue;
    }
    const question = [...texts].reverse().map((t) => questionIn(t, c.locale)).find(Boolean);
    if (!question) return { id: c.id, locale: c.locale, who: c.who, mode, messages, filed: false, stuck: `no question in: ${plain(all).slice(0, 120)}` };
    lastQuestion = question;
    const text = answerFor(c, question, used);
    messages++;
    log('citizen', text);
    reply = await channel.say(conversation, text, locale);
  }
}

const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-conv-'));
  // one client plays every citizen: lift the per-client limit of /api/messages (the per-conversation one stays)
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    API_MESSAGES_MAX_PER_CLIENT_PER_MINUTE: '100000',
  });
  const app = await createApp(config, loadMunicipality(), { log: createLogger('silent') });
  const port = await app.listen(0);
  const channel = await new Channel(`http://127.0.0.1:${port}`, 'emulator').start();
  const outcomes: Outcome[] = [];
  try {
    let n = 0;
    for (const mode of ['typing', 'card'] as const) {
      for (const c of CITIZENS) outcomes.push(await converse(channel, c, mode, n++));
    }
  } finally {
    await channel.stop();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('Citizen messages per filed complaint (first message up to and including the confirmation)');
  console.log('');
  console.log(`${'script'.padEnd(22)} ${'who'.padEnd(40)} ${'typing'.padStart(7)} ${'card'.padStart(6)}`);
  for (const c of CITIZENS) {
    const cell = (mode: 'typing' | 'card') => {
      const o = outcomes.find((x) => x.id === c.id && x.mode === mode)!;
      return o.filed ? String(o.messages) : `stuck(${o.messages})`;
    };
    console.log(`${c.id.padEnd(22)} ${c.who.padEnd(40)} ${cell('typing').padStart(7)} ${cell('card').padStart(6)}`);
  }
  console.log('');
  for (const mode of ['typing', 'card'] as const) {
    for (const locale of ['nl', 'en', undefined] as const) {
      const filed = outcomes.filter((o) => o.mode === mode && o.filed && (!locale || o.locale === locale));
      const all = outcomes.filter((o) => o.mode === mode && (!locale || o.locale === locale));
      console.log(`${mode.padEnd(7)} ${(locale ?? 'all').padEnd(4)} median ${median(filed.map((o) => o.messages))} messages, ${filed.length}/${all.length} filed (target: median at most ${mode === 'typing' ? 9 : 6})`);
    }
  }
  const stuck = outcomes.filter((o) => !o.filed);
  for (const o of stuck) console.log(`not filed: ${o.id} (${o.mode}) after ${o.messages} messages, at ${o.stuck}`);
  if (stuck.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
