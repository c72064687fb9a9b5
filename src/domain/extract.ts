/**
 * Details a citizen's story already contains (when, where, about whom), so the bot can confirm them instead of
 * asking. Keyword rules for Dutch and English; each rule names the words that gave the detail away.
 *
 * Both languages' rules run on every story (people mix them), except words that mean something else in the
 * other language ("brief" is a letter in Dutch but "short" in English). When several details of one sort occur,
 * the most telling rule wins, not the first mention: see PLACE_RULES and PERSON_RULES.
 */
import type { Locale } from './routes';
import { findDateInStory } from './dates';

export type PlaceKind = 'counter' | 'phone' | 'mail' | 'website' | 'home' | 'elsewhere';
export type PersonKind = 'staff' | 'department' | 'burgemeester' | 'wethouder' | 'gemeentesecretaris';

export interface StoryDetails {
  date?: { date: string; text: string };
  /** `text`: the words from the story that gave it away. */
  place?: { kind: PlaceKind; text: string };
  /** e.g. 'mevrouw Jansen', 'de afdeling Burgerzaken', 'de burgemeester'. */
  person?: { kind: PersonKind; text: string };
}

interface Hit {
  index: number;
  text: string;
}
/** Finds the earliest occurrence of something in a story. */
type Matcher = (story: string, locale: Locale) => Hit | null;
interface Rule<K> {
  kind: K;
  match: Matcher;
}

/** Whole words only; `body` is a regex source; case-insensitive unless `caseSensitive`. */
function words(body: string, caseSensitive = false): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, caseSensitive ? 'gu' : 'giu');
}

/**
 * Earliest match (the longest, on a tie) of the patterns that apply to the locale; a tuple restricts a pattern
 * to one locale. `accept` can veto a match.
 */
function anyOf(
  patterns: Array<RegExp | [RegExp, Locale]>,
  accept: (story: string, hit: Hit) => boolean = () => true,
): Matcher {
  return (story, locale) => {
    let best: Hit | null = null;
    for (const p of patterns) {
      const [re, only] = Array.isArray(p) ? p : [p, undefined];
      if (only && only !== locale) continue;
      for (const m of story.matchAll(re)) {
        const hit = { index: m.index ?? 0, text: m[0] };
        if (!accept(story, hit)) continue;
        if (!best || hit.index < best.index || (hit.index === best.index && hit.text.length > best.text.length)) {
          best = hit;
        }
        break;
      }
    }
    return best;
  };
}

/** The earliest hit of several matchers. */
function earliest(...matchers: Matcher[]): Matcher {
  return (story, locale) =>
    matchers
      .map((match) => match(story, locale))
      .filter((hit): hit is Hit => hit !== null)
      .sort((a, b) => a.index - b.index)[0] ?? null;
}

function firstRule<K>(rules: Rule<K>[], story: string, locale: Locale): { kind: K; text: string } | undefined {
  for (const rule of rules) {
    const hit = rule.match(story, locale);
    if (hit) return { kind: rule.kind, text: hit.text.trim() };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Place. Priority: in person beats remote (the more direct contact is usually where the conduct happened),
// then phone, mail, website. Town-hall words alone ("ik belde het stadhuis") and a bare "thuis" are weak.
// 'elsewhere' is the street or the neighbourhood ("op straat", "in de wijk").

const AT = '(?:(?:aan|bij|op|in|at|behind)\\s+(?:de|het|the)\\s+)?';
const TOWN_HALL = 'stadhuis|gemeentehuis|raadhuis|(?:town|city)\\s+hall';

const PLACE_RULES: Rule<PlaceKind>[] = [
  {
    kind: 'counter',
    match: anyOf([
      words(`${AT}(?:loket\\p{L}*|balie\\p{L}*|counter|(?<!help\\s)(?:front\\s+|service\\s+|information\\s+)?desk)`),
      words(`(?:op|in|bij|at|inside)\\s+(?:het\\s+|the\\s+)?(?:${TOWN_HALL})`),
    ]),
  },
  {
    kind: 'home',
    match: anyOf([
      words('aan\\s+(?:de|mijn|onze)\\s+deur|aan\\s+huis|huisbezoek|bij\\s+(?:mij|ons)\\s+(?:thuis|langs)|(?:kwam|kwamen)\\s+(?:bij\\s+(?:mij|ons)\\s+)?langs'),
      words('at\\s+(?:my|our|the)\\s+(?:front\\s+)?door|home\\s+visit|(?:came|come)\\s+to\\s+(?:my|our)\\s+(?:house|home|flat)'),
    ]),
  },
  {
    kind: 'phone',
    match: anyOf([
      words('telefo(?:on|ontje|nisch|nische)|(?:op|terug)?gebeld|(?:op|terug)?belde[n]?|(?:op|terug)?bellen|aan\\s+de\\s+(?:lijn|telefoon)|(?<=(?:ik|we|wij|hij|zij|ze)\\s+(?:al\\s+)?)bel(?:t)?'),
      words('(?:tele)?phone(?:d)?(?!\\s*(?:number|no\\b))|on\\s+the\\s+phone|(?:phone\\s+)?calls?|(?<!so-)called|calling|rang|rung'),
    ]),
  },
  {
    kind: 'mail',
    match: anyOf([
      words('e-?mail(?:s|tje|de|den)?|mail(?:s|tje|de|den)?|ge-?e?-?maild|e-?mailed|mailed|letters?|per\\s+post|by\\s+post'),
      [words('brie(?:f|fje|ven)'), 'nl'],
    ]),
  },
  {
    kind: 'website',
    match: anyOf([
      words('website|site|online|internet|(?:web|contact|online\\s+)?formulier|mijn\\s*amstelveen|mijn\\s*omgeving|digid'),
      words('(?:web|online|contact)\\s+form|the\\s+form|portal'),
    ]),
  },
  { kind: 'counter', match: anyOf([words(`(?:het\\s+|the\\s+)?(?:${TOWN_HALL})`)]) },
  { kind: 'elsewhere', match: anyOf([words('op\\s+straat|in\\s+de\\s+(?:wijk|buurt)|on\\s+the\\s+street|in\\s+the\\s+street')]) },
  { kind: 'home', match: anyOf([words('thuis|at\\s+home|at\\s+(?:my|our)\\s+(?:home|house|place|flat|apartment)')]) },
];

// ---------------------------------------------------------------------------------------------
// Person. Priority: a named office (burgemeester, wethouder, gemeentesecretaris), then a named person,
// then a department, then a generic staff member.

/** Street words: "Burgemeester Haspelslaan", "Wethouder Van Dijklaan" are streets, not people. */
const STREET_WORD = /^\p{L}+(?:laan|straat|weg|plein|park|singel|kade|hof|dreef|school|brug|gracht|dijk|pad)$/iu;

const INFIX = "(?:(?:van|de|der|den|ter|ten|te|in\\s+'t|van\\s+'t|Van|De|Ter|Ten)\\s+)*";
const NAME = `${INFIX}\\p{Lu}[\\p{L}'’-]+`;
const FOLLOWING_NAME = new RegExp(`^\\s+${NAME}(?![\\p{L}\\p{N}])`, 'u');

/** A role word, with a preceding article and a following surname when present ("wethouder De Vries"). */
function role(body: string): Matcher {
  const re = words(`(?:(?:[Dd]e|[Tt]he)\\s+)?(?:${body})`, true);
  return (story) => {
    for (const m of story.matchAll(re)) {
      const rest = story.slice((m.index ?? 0) + m[0].length);
      const next = /^\s+(\p{Lu}[\p{L}'-]*(?:\s+[\p{L}'-]+){0,2})/u.exec(rest);
      if (next && next[1].split(/\s+/).some((w) => STREET_WORD.test(w))) continue;
      return { index: m.index ?? 0, text: m[0] + (FOLLOWING_NAME.exec(rest)?.[0] ?? '') };
    }
    return null;
  };
}
/** Case-insensitive first letters of a lower-case word, for case-sensitive patterns. */
const ci = (word: string) => word.replace(/^./, (c) => `[${c}${c.toUpperCase()}]`);

const TITLED_NAME = words(
  `(?:${ci('meneer')}|${ci('mevrouw')}|${ci('mevr')}\\.|${ci('dhr')}\\.|[Dd]e\\s+heer|Mr\\.?|Mrs\\.?|Ms\\.?|Miss|Mister)\\s+${NAME}`,
  true,
);

const NL_DEPARTMENTS =
  '\\p{L}*zaken|belastingen|vergunningen|handhaving|parkeren|werk\\s+en\\s+inkomen|inkomen|zorg|wmo|jeugd|sociaal\\s+domein|klantcontact\\p{L}*|openbare\\s+ruimte|wonen|schuldhulp\\p{L}*|leerplicht|onderwijs|uitkeringen|financiën|ict|communicatie';
const CAPITALISED = "\\p{Lu}[\\p{L}'-]*";
const DUTCH_DEPARTMENT = [
  words(`(?:de\\s+)?afdeling\\s+(?:${NL_DEPARTMENTS})`),
  words(`(?:[Dd]e\\s+)?[Aa]fdeling\\s+${CAPITALISED}(?:(?:\\s*,\\s*|\\s+(?:en|&)\\s+|\\s+)${CAPITALISED})*`, true),
];

const EN_STOP =
  /^(?:the|a|an|another|other|different|same|wrong|right|that|this|these|those|every|each|one|their|your|my|our|his|her|its|which|what|whose|to|from|of|and|or|by|with|at|in|on|for|whole|entire|responsible|relevant|correct|proper|i|we|they|he|she|it|you|called|phoned|emailed|contacted|visited|rang|asked|told|sent|went|was|were|is)$/i;
/** "the Civil Affairs department", "the housing department": up to two words before 'department'. */
const englishDepartmentBefore: Matcher = (story) => {
  for (const m of story.matchAll(/(?<![\p{L}])department(?![\p{L}])/giu)) {
    const before = story.slice(0, m.index);
    const tokens = [...before.matchAll(/\p{L}[\p{L}'-]*(?=\s+$|\s+\p{L}[\p{L}'-]*\s+$|\s+\p{L}[\p{L}'-]*\s+\p{L}[\p{L}'-]*\s+$)/gu)];
    let start = tokens.length;
    while (start > 0 && tokens.length - start < 2 && !EN_STOP.test(tokens[start - 1][0])) start--;
    if (start === tokens.length) continue;
    if (start > 0 && /^the$/i.test(tokens[start - 1][0])) start--;
    const index = tokens[start].index ?? 0;
    return { index, text: story.slice(index, (m.index ?? 0) + m[0].length) };
  }
  return null;
};
const ENGLISH_DEPARTMENT_OF = words(
  `(?:[Tt]he\\s+)?[Dd]epartment\\s+(?:of|for)\\s+${CAPITALISED}(?:\\s+(?:and|&|of|for)?\\s*${CAPITALISED})*`,
  true,
);

const ARTICLE = '(?:(?:de|een|die|deze|the|a|an|one|that|this)\\s+)?';
/** "official" only as a noun: not in "an official complaint". */
const OFFICIAL =
  '(?:an?|the|that|this|one)\\s+officials?(?=\\s*(?:[.,;:!?)]|$)|\\s+(?:who|was|were|said|told|at|from|of|on|in|there|had|did|would|didn\'t|refused|kept|hung|just|then|and|behind)(?![\\p{L}]))';

const PERSON_RULES: Rule<PersonKind>[] = [
  { kind: 'burgemeester', match: role(`${ci('burgemeester')}|${ci('loco-burgemeester')}|${ci('mayor')}`) },
  { kind: 'wethouder', match: role(`${ci('wethouder')}|${ci('alderman')}|${ci('alderwoman')}|${ci('alderperson')}`) },
  {
    kind: 'gemeentesecretaris',
    match: role(`${ci('gemeentesecretaris')}|${ci('municipal')}\\s+secretary|${ci('town')}\\s+clerk|${ci('city')}\\s+clerk`),
  },
  { kind: 'staff', match: anyOf([TITLED_NAME]) },
  {
    kind: 'department',
    match: earliest(anyOf([...DUTCH_DEPARTMENT, ENGLISH_DEPARTMENT_OF]), englishDepartmentBefore),
  },
  {
    kind: 'staff',
    match: anyOf([
      words(`${ARTICLE}(?:\\p{L}*medewerk(?:st)?ers?|ambtena(?:ar|ren)|klachtbehandelaar|behandelaar|klantmanager|consulente?|handhavers?)`),
      words(`${ARTICLE}(?:employees?|staff\\s+members?|members?\\s+of\\s+(?:the\\s+)?staff|civil\\s+servants?|clerks?|case\\s*workers?|(?:enforcement\\s+|parking\\s+)?officers?)`),
      // "de vrouw aan de balie", "the woman on the phone": a definite article makes it someone met there
      words('(?:de|die|deze|the|that)\\s+(?:(?:jonge|oudere|young|older)\\s+)?(?:man|vrouw|meneer|mevrouw|dame|jongen|woman|lady|guy|gentleman)(?=\\s+(?:aan|bij|op|achter|van|at|on|behind|from|in)\\s)'),
      words(OFFICIAL),
    ]),
  },
];

/** Where it happened, as far as the text says (no date parsing: cheap). */
export function findPlace(text: string, locale: Locale): StoryDetails['place'] | undefined {
  return firstRule(PLACE_RULES, text, locale);
}

/** Whom it is about, as far as the text says (no date parsing: cheap). */
export function findPerson(text: string, locale: Locale): StoryDetails['person'] | undefined {
  return firstRule(PERSON_RULES, text, locale);
}

/** Date, place and person the story already mentions; absent keys were not found. */
export function extractDetails(story: string, opts: { locale: Locale; now: Date }): StoryDetails {
  const details: StoryDetails = {};
  const date = findDateInStory(story, opts);
  if (date) details.date = date;
  const place = findPlace(story, opts.locale);
  if (place) details.place = place;
  const person = findPerson(story, opts.locale);
  if (person) details.person = person;
  return details;
}
