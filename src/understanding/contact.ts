/**
 * Contact details in any message, in any order, several in one answer (issue 11): e-mail, phone (E.164, Dutch
 * numbers without +, foreign ones with +), Dutch postcode ("1234 AB"), street and house number, town, name.
 * Validation is src/domain/contact.ts's (one place); this file finds the parts.
 *
 * Where the citizen was asked for a contact field, the answer is read more freely (a bare "12" at `address` is a
 * house number, a bare "Jansen" at `name` is a name); elsewhere only unmistakable parts count (an e-mail address,
 * a valid phone number, a postcode in capitals, a street with a street word, "mijn naam is ...").
 */
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { checkCity, checkEmail, checkName, checkPhone, checkPostcode } from '../domain/contact';
import { parseAddress } from './address';
import type { Asked, UnderstoodFields } from './types';

export type ContactFields = Pick<UnderstoodFields, 'name' | 'phone' | 'email' | 'street' | 'houseNumber' | 'postcode' | 'city' | 'country'>;

const CONTACT_ASKED: ReadonlySet<Asked> = new Set(['name', 'phone', 'address', 'street', 'postcode', 'city', 'email']);
const ADDRESS_ASKED: ReadonlySet<Asked> = new Set(['address', 'street', 'postcode', 'city']);

/** Words in Dutch and English street names' last part. */
const STREET_SUFFIX =
  '(?:straat|straatje|laan|weg|plein|gracht|kade|singel|dijk|hof|park|dreef|pad|steeg|markt|baan|ring|erf|veld|zijde|wal|oord|haven|burg|horst|hoek|tuin|lei|boulevard|pleintje|plantsoen|dam|polder|rak|vaart|kamp|hoven|akker|brink|stede|zoom|allee|dal|bosch|bos|ven|hout|stra(?:ß|ss)e|gasse|allee|platz|ring|damm|ufer|rue|avenue|via|calle)';
const EN_STREET_WORD =
  '(?:Street|St\\.?|Road|Rd\\.?|Lane|Ln\\.?|Avenue|Ave\\.?|Drive|Dr\\.?|Way|Close|Court|Ct\\.?|Square|Place|Pl\\.?|Crescent|Gardens|Terrace|Hill|Row|Walk|Park|Grove|Boulevard|Blvd\\.?|Mews|Parade|Rue|Strasse|Straße|Calle|Via)';
/** Function words allowed inside a Dutch street name ("Laan van de Helende Meesters", "Burgemeester van Sonsbeeckweg"). */
const INFIXES = new Set(['van', 'de', 'der', 'den', 'het', "'t", 'ter', 'ten', 'te', 'aan', 'op', 'la', 'le', 'du', 'of', 'the', 'en']);
/** Words that end a street name when read backwards from the number. */
const STREET_STOP = new Set([
  'ik', 'woon', 'woont', 'wonen', 'we', 'wij', 'mijn', 'ons', 'adres', 'is', 'op', 'in', 'aan', 'te', 'bij', 'nummer', 'nr', 'huisnummer',
  'my', 'address', 'i', 'live', 'lives', 'at', 'on', 'is', 'number', 'no', 'and', 'en', 'het', 'de', 'the', 'straat', 'street', 'zei', 'said',
  'postcode', 'woonplaats', 'graag', 'please', 'was', 'nu', 'now', 'maar', 'but', 'moet', 'should', 'be', 'zijn', 'naar', 'to', 'fout', 'wrong',
]);

/** Towns near Amstelveen and the larger Dutch cities: a town anywhere in an address answer. */
const KNOWN_TOWNS = [
  'Amstelveen', 'Amsterdam', 'Aalsmeer', 'Uithoorn', 'Ouderkerk aan de Amstel', 'Ouder-Amstel', 'Diemen', 'Haarlemmermeer', 'Hoofddorp',
  'Badhoevedorp', 'Nes aan de Amstel', 'Bovenkerk', 'Haarlem', 'Utrecht', 'Rotterdam', 'Den Haag', "'s-Gravenhage", 'Leiden', 'Zaandam',
  'Almere', 'Hilversum', 'Abcoude', 'Duivendrecht', 'Mijdrecht', 'Eindhoven', 'Groningen', 'Zwolle', 'Arnhem', 'Nijmegen', 'Breda', 'Delft',
];
const TOWN_WORDS = new Set(KNOWN_TOWNS.map((t) => t.toLowerCase()));
const TOWN_RE = new RegExp(`(?<![\\p{L}])(${KNOWN_TOWNS.map((t) => t.replace(/\./g, '\\.')).join('|')})(?![\\p{L}])`, 'iu');

/** Lower-case two-letter words that look like postcode letters: "2025 en", "1999 op". */
const NOT_POSTCODE_LETTERS = new Set([
  'en', 'in', 'op', 'is', 'at', 'of', 'to', 'de', 'te', 'ik', 'je', 'we', 'ze', 'om', 'na', 'al', 'er', 'of', 'on', 'it', 'an', 'as', 'be',
  'by', 'he', 'if', 'me', 'my', 'no', 'or', 'so', 'up', 'us', 'wk', 'km', 'kg', 'cm', 'mm', 'ml', 'uu', 'ma', 'di', 'wo', 'do', 'vr', 'za', 'zo',
]);

/** Words that are never (part of) a name; a name answer holding one is a question, a protest or a sentence. */
const NOT_NAME_WORDS = new Set(
  (
    'dat dit die deze er staat stond al allemaal alles in mijn eerste bericht heb heeft hebben ik je jij u uw we wij zij is was zijn ben ' +
    'wordt werd zei zeg gezegd net nou toch waarom wat wie hoe waar wanneer niet geen weet weten idee ja nee jawel oke ok prima goed ' +
    'klopt graag dank bedankt hallo hoi stop help hulp opnieuw sorry eh uh hmm zeg maar even nog wel ook want omdat als of dan moet ' +
    'kan wil mag naam telefoon nummer adres email mail straat postcode woonplaats anoniem liever geven niks niets overslaan klacht ' +
    'the that this these those it its is was are be been my your you i we they he she already said told say first message why what who how ' +
    'where when not no yes yeah nope ok okay fine thanks thank please hello hi help stop name phone number address email street skip ' +
    'don dont know anonymous rather give nothing complaint just do does did have has had me mine ' +
    'gemeente medewerker ambtenaar balie loket de het een voor af aan op uit over bij mee weer terug never mind again start stopping stoppen opnieuw beginnen cancel'
  ).split(' '),
);
const NAME_INFIXES = new Set(['van', 'de', 'der', 'den', 'ter', 'ten', 'te', 'in', "'t", 'la', 'le', 'du', 'da', 'dos', 'del', 'von', 'el', 'al', 'bin', 'ben', 'van\'t']);

const NAME_LEAD = /^(?:(?:mijn|de)\s+naam\s+is|naam\s*:|ik\s+heet|ik\s+ben|dit\s+is|met|my\s+name\s+is|my\s+name['’]s|name\s*:|i\s+am|i'm|this\s+is|it'?s)\s+/i;
/** "mijn naam is X", "ik heet X", "my name is X" anywhere in a message. */
const NAME_IN_TEXT =
  /(?:(?:[Mm]ijn|[Dd]e)\s+naam\s+is|(?:[Mm]ijn\s+)?[Gg]egevens\s*:|(?:[Mm]y\s+)?[Dd]etails\s*:|[Nn]aam\s*:|[Nn]ame\s*:|[Ii]k\s+heet|[Mm]y\s+name\s+is|[Mm]y\s+name['’]s|[Ii]'m|I\s+am|[Ii]k\s+ben|[Tt]his\s+is|(?:[Mm]et\s+)?(?:[Vv]riendelijke\s+)?[Gg]roet(?:en)?,?|[Kk]ind\s+regards,?|[Rr]egards,?|[Ss]incerely,?)\s+((?:(?:van|de|der|den|ter|ten|van't)[ \t]+)*\p{Lu}[\p{L}'’-]+(?:[ \t]+(?:(?:van|de|der|den|ter|ten|in[ \t]+'t|el|al|bin|ben|da|dos|del|von|la|le)[ \t]+)*\p{Lu}[\p{L}'’-]+){0,3})/u;

/**
 * A signature: a name at the start of a line or sentence, right before a phone number, e-mail address or street
 * ("... Ik wil excuses. K. Visser, tel 020-1234567", "Tom Baker, 221B Baker Street").
 */
const SIGNATURE =
  /(?:^|[.!?\n:;]\s*)((?:\p{Lu}\.[ \t]*)*\p{Lu}[\p{L}'’-]+(?:[ \t]+(?:(?:van|de|der|den|ter|ten|el|al|van't)[ \t]+)*\p{Lu}[\p{L}'’-]+){0,3})[ \t]*[,(\n][ \t]*(?=(?:tel\.?|telefoon|phone|mobiel|mobile|\+|0\d|[\p{L}\p{N}._%+-]+@|\d{1,5}[A-Za-z]?[ \t]+\p{Lu}|\p{Lu}[\p{L}'’-]*(?:[ \t]+\p{Lu}?[\p{L}'’-]+){0,3}[ \t]+\d))/gu;

function clean(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:.\-–—/]+|[\s,;:.\-–—/]+$/g, '')
    .trim();
}

export interface ContactResult {
  fields: ContactFields;
  /** The message without the parts taken (for reading the rest as something else). */
  rest: string;
}

/** Replaces a found part by a separator, so the rest keeps its word boundaries. */
function cut(text: string, index: number, length: number): string {
  return `${text.slice(0, index)} , ${text.slice(index + length)}`;
}

export function findEmail(text: string): { value: string; index: number; length: number } | undefined {
  if (!text.includes('@')) return undefined; // also keeps the pattern below from scanning long texts quadratically
  // one space on either side of the @ is a typing slip ("jan @ gmail.com")
  const m = /[\p{L}\p{N}._%+-]+ ?@ ?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u.exec(text);
  if (!m) return undefined;
  const c = checkEmail(m[0].replace(/ /g, ''));
  return c.ok ? { value: c.value, index: m.index, length: m[0].length } : undefined;
}

export function findPhone(text: string): { value: string; index: number; length: number } | undefined {
  if (!/\d{2}/.test(text)) return undefined;
  // Our own candidates first: libphonenumber misses "06-23456789" written with one dash in some contexts.
  const re = /(?<![\p{L}\p{N}@.])(?:\+|00)?\(?\d[\d\s().\-/]{7,20}\d(?![\p{N}])/gu;
  let tries = 0;
  for (const m of text.matchAll(re)) {
    if (++tries > 12) break; // bounded work on number-heavy input
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 9 || digits.length > 15) continue;
    if (/^\d{4}\s?[A-Za-z]{2}/.test(text.slice(m.index ?? 0))) continue;
    const raw = m[0].trim().replace(/^00/, '+');
    const c = checkPhone(raw);
    if (c.ok) return { value: c.value, index: m.index ?? 0, length: m[0].length };
  }
  if (text.length > 1000) return undefined; // libphonenumber's own scan, for short answers only
  for (const found of findPhoneNumbersInText(text, 'NL')) {
    if (found.number.isValid()) return { value: found.number.number, index: found.startsAt, length: found.endsAt - found.startsAt };
  }
  return undefined;
}

export function findPostcode(text: string, freely: boolean): { value: string; index: number; length: number } | undefined {
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])([1-9]\d{3})[\s-]?([A-Za-z]{2})(?![\p{L}\p{N}])/gu)) {
    const letters = m[2];
    const upper = letters === letters.toUpperCase();
    if (!upper) {
      if (NOT_POSTCODE_LETTERS.has(letters.toLowerCase())) continue;
      if (!freely && !/^\s*,?\s*\p{Lu}/u.test(text.slice((m.index ?? 0) + m[0].length))) continue;
    }
    const c = checkPostcode(`${m[1]}${m[2]}`);
    if (c.ok) return { value: c.value, index: m.index ?? 0, length: m[0].length };
  }
  return undefined;
}

const HOUSE_NUMBER = '(\\d{1,5}(?:\\s?[a-zA-Z](?![\\p{L}]))?(?:\\s?-\\s?\\d{1,4}[a-zA-Z]?)?(?:\\s?-?\\s?(?:hs|bis|huis|[IVX]{1,3})(?![\\p{L}]))?)';

interface StreetHit {
  /** a street word, a postcode after it, or "ik woon ..." before it */
  strong: boolean;
  street: string;
  houseNumber: string;
  index: number;
  length: number;
}

/** Dutch order: street then number ("Bankrasweg 88", "Laan van Kronenburg 8", "Keizersgracht 12-3 hs"). */
function dutchStreet(text: string, freely: boolean): StreetHit | undefined {
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${HOUSE_NUMBER}(?![\\p{N}])`, 'gu');
  let tries = 0;
  for (const m of text.matchAll(re)) {
    if (++tries > 20) break; // bounded work on number-heavy input
    const index = m.index ?? 0;
    const lineStart = Math.max(text.lastIndexOf('\n', index - 1) + 1, index - 80);
    const before = text.slice(lineStart, index);
    const tokens = before.split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    if (/[,;:]$/.test(tokens[tokens.length - 1]) && !freely) continue;
    const taken: string[] = [];
    for (let i = tokens.length - 1; i >= 0 && taken.length < 6; i--) {
      const raw = tokens[i];
      const t = raw.replace(/[,;:]+$/, '');
      if (t !== raw && taken.length > 0) break; // a comma ends the street name
      const lower = t.toLowerCase();
      if (!/^[\p{L}'’.-]+$/u.test(t) && !(/^\d{1,2}(?:e|ste|de)$/i.test(t) && taken.length > 0)) break; // "1e Jan Steenstraat"
      if (taken.length > 0 && TOWN_WORDS.has(t.toLowerCase())) break; // "1182HK Amstelveen Amsterdamseweg 120"
      if (taken.length > 0 && INFIXES.has(lower) && i > 0 && /^\p{Lu}/u.test(tokens[i - 1]) && !STREET_STOP.has(tokens[i - 1].toLowerCase())) {
        taken.unshift(t);
        continue;
      }
      if (STREET_STOP.has(lower) && !(taken.length === 0 && /^\p{Lu}/u.test(t) && lower !== 'ik')) break;
      if (!/^\p{Lu}/u.test(t) && !freely && !new RegExp(`${STREET_SUFFIX}$`, 'i').test(t)) break;
      if (!/^\p{Lu}/u.test(t) && freely && taken.length > 0 && !INFIXES.has(lower) && NOT_NAME_WORDS.has(lower)) break;
      taken.unshift(t);
    }
    while (taken.length > 0 && INFIXES.has(taken[0]) && !(taken.length > 1 && /^\p{Lu}/u.test(taken[0]))) taken.shift();
    if (taken.length === 0) continue;
    const street = taken.join(' ');
    const looksLikeStreet = new RegExp(`${STREET_SUFFIX}$`, 'i').test(taken[taken.length - 1]) || /^(laan|plein|weg|straat|kade|dijk|singel|park)$/i.test(taken[0]);
    const afterNumber = text.slice(index + m[0].length);
    const postcodeFollows = /^\s*,?\s*[1-9]\d{3}\s?[A-Za-z]{2}(?![\p{L}])/u.test(afterNumber);
    const cue = /(?:woon|woont|wonen|adres|address|live|lives|living|street|straat)\b[^.?!]*$/i.test(before);
    if (!(freely || looksLikeStreet || postcodeFollows || cue)) continue;
    if (/^\d+$/.test(m[1]) && Number(m[1]) === 0) continue;
    // "om 3 uur", "15 oktober" were never streets: a month or time word after the number
    if (/^\s*(?:uur|keer|maal|minuten|dagen|weken|jaar|euro|km|procent|%|times|minutes|days|weeks|years|hours)\b/i.test(afterNumber)) continue;
    const start = lineStart + before.lastIndexOf(taken[0]);
    return { strong: looksLikeStreet || postcodeFollows || cue, street, houseNumber: m[1].replace(/\s+/g, ' ').toUpperCase().replace(/(\d)\s(?=[A-Z]$)/, '$1'), index: start, length: index + m[0].length - start };
  }
  return undefined;
}

/** English order: number then street ("12 Baker Street", "221B Baker St"). */
function englishStreet(text: string, freely: boolean): StreetHit | undefined {
  const re = new RegExp(
    `(?<![\\p{L}\\p{N}])(\\d{1,5}[A-Za-z]?),?\\s+((?:\\p{Lu}[\\p{L}'’.-]*\\s+){0,3}${EN_STREET_WORD})(?![\\p{L}])`,
    'gu',
  );
  for (const m of text.matchAll(re)) {
    return { strong: true, street: m[2].trim(), houseNumber: m[1].toUpperCase(), index: m.index ?? 0, length: m[0].length };
  }
  if (freely) {
    const m = /^\s*(\d{1,5}[A-Za-z]?),?\s+(\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3})/u.exec(text);
    if (m && /^\s*[1-9]\d{3}\s?[A-Z]{2}(?![\p{L}])/u.test(text)) return undefined; // a postcode, not "12 Baker Street"
    if (m) return { strong: false, street: m[2].trim(), houseNumber: m[1].toUpperCase(), index: m.index, length: m[0].length };
  }
  return undefined;
}

function townAfter(text: string, freely: boolean): { value: string; index: number; length: number } | undefined {
  const m = /^\s*,?\s*(?:(?:in|te)\s+)?((?:'s-)?\p{Lu}[\p{L}'’-]+(?:\s+(?:aan\s+de|aan\s+den|op|en|a\/d)\s+\p{Lu}[\p{L}'’-]+|\s+\p{Lu}[\p{L}'’-]+)?)/u.exec(text);
  if (m) {
    const c = checkCity(m[1]);
    if (c.ok && !NOT_NAME_WORDS.has(m[1].toLowerCase())) return { value: c.value, index: m.index, length: m[0].length };
  }
  if (freely) {
    const l = /^\s*,?\s*(?:(?:in|te)\s+)?([\p{L}'’-]{3,}(?:\s+aan\s+de\s+[\p{L}]+)?)(?=\s*$|\s*[,.])/u.exec(text);
    if (l && !NOT_NAME_WORDS.has(l[1].toLowerCase())) {
      const c = checkCity(l[1]);
      if (c.ok) return { value: c.value.replace(/^\p{Ll}/u, (x) => x.toUpperCase()), index: l.index, length: l[0].length };
    }
  }
  return undefined;
}

const SKIP_ANSWER =
  /^(?:weet\s+ik\s+niet|geen\s+idee|overslaan|sla\s+(?:maar\s+)?over|skip|pass|n\.?v\.?t\.?|niet\s+van\s+toepassing|i\s+don'?t\s+know|no\s+idea|ja|nee|yes|no|ok|oke|okay|-|geen|none|nothing|niets|niks|liever\s+niet|rather\s+not)$/i;

/** A name: 1 to 6 words of letters, not a question or protest, no ordinary words. */
export function asName(raw: string): string | undefined {
  let s = clean(raw.replace(NAME_LEAD, ''));
  s = s.replace(/\s+(?:hier|here|graag)$/i, '');
  if (!s || /[?!]/.test(s) || /\d/.test(s) || SKIP_ANSWER.test(s)) return undefined;
  const words = s.split(/\s+/);
  if (words.length > 6) return undefined;
  let real = 0;
  for (const w of words) {
    const lw = w.toLowerCase().replace(/[.,]$/, '');
    if (NAME_INFIXES.has(lw)) continue;
    if (!/^[\p{L}][\p{L}'’.-]*$/u.test(w)) return undefined;
    if (NOT_NAME_WORDS.has(lw)) return undefined;
    real++;
  }
  if (real === 0) return undefined;
  const c = checkName(s);
  return c.ok ? c.value : undefined;
}

/**
 * Every contact detail in a message. `asked` makes the reading freer for the field asked; `story` marks a long
 * message where only unmistakable details count.
 */
export function extractContact(text: string, asked: Asked | undefined): ContactResult {
  const fields: ContactFields = {};
  let rest = text;
  const freelyAddress = asked !== undefined && ADDRESS_ASKED.has(asked);

  const email = findEmail(rest);
  if (email) {
    fields.email = email.value;
    rest = cut(rest, email.index, email.length);
  }
  const phone = findPhone(rest);
  if (phone) {
    fields.phone = phone.value;
    rest = cut(rest, phone.index, phone.length);
  }

  const nl = dutchStreet(rest, freelyAddress && asked !== 'postcode' && asked !== 'city');
  const en = englishStreet(rest, asked === 'address' || asked === 'street');
  const street = nl && en ? (en.strong !== nl.strong ? (en.strong ? en : nl) : en.index < nl.index ? en : nl) : nl ?? en;
  let afterStreet: string | undefined;
  if (street) {
    fields.street = street.street.replace(/^\p{Ll}/u, (c) => c.toUpperCase());
    fields.houseNumber = street.houseNumber;
    afterStreet = rest.slice(street.index + street.length);
    rest = cut(rest, street.index, street.length);
  }

  const postcode = findPostcode(rest, freelyAddress);
  if (postcode) {
    fields.postcode = postcode.value;
    const town = townAfter(rest.slice(postcode.index + postcode.length), freelyAddress);
    if (town) {
      fields.city = town.value;
      rest = cut(rest, postcode.index, postcode.length + town.length);
    } else rest = cut(rest, postcode.index, postcode.length);
  }

  if (!fields.city && street && afterStreet !== undefined && !fields.postcode) {
    // An address abroad, or "Kerklaan 5 in Amstelveen": what follows the street is the town (with its foreign
    // postcode and country, which a letter needs).
    const tail = clean(afterStreet.split(/\s+(?:en|and|mijn|my|tel|telefoon|phone|e-?mail)\b/i)[0] ?? '');
    const town = townAfter(afterStreet, freelyAddress);
    if (/\d/.test(tail) && /\p{L}{2}/u.test(tail) && !TOWN_RE.test(tail)) {
      // "10115 Berlin, Duitsland", "London NW1 6XE, United Kingdom": town, postcode and country apart (one address reader)
      const abroad = parseAddress(`Straat 1, ${tail}`);
      if (abroad.city && !/[@\d]/.test(abroad.city)) {
        fields.city = abroad.city;
        if (abroad.postcode) fields.postcode = abroad.postcode;
        if (abroad.country) fields.country = abroad.country;
      } else if (!/@/.test(tail)) {
        // "10115 Berlin" without a country: a foreign postcode before the town
        const lead = /^(\d{4,6})\s+(\p{L}[\p{L}\s.'-]*)$/u.exec(clean(tail));
        if (lead) (fields.postcode = lead[1]), (fields.city = clean(lead[2]));
        else fields.city = clean(tail);
      }
      rest = rest.replace(tail, ' , ');
    } else if (town) {
      fields.city = town.value;
      rest = rest.replace(town.value, ' , ');
    }
  }

  if (!fields.city && (asked === 'city' || asked === 'address')) {
    const town = TOWN_RE.exec(rest);
    if (town) {
      fields.city = KNOWN_TOWNS.find((t) => t.toLowerCase() === town[1].toLowerCase()) ?? town[1];
      rest = cut(rest, town.index, town[0].length);
    } else if (asked === 'city') {
      const v = clean(rest.replace(/^(?:in|te|woonplaats\s*:?|ik\s+woon\s+in|i\s+live\s+in)\s+/i, ''));
      if (v && !SKIP_ANSWER.test(v) && v.split(/\s+/).length <= 4 && !/[?!]/.test(v)) {
        const c = checkCity(v);
        if (c.ok && !NOT_NAME_WORDS.has(v.toLowerCase())) {
          fields.city = c.value.replace(/^\p{Ll}/u, (x) => x.toUpperCase());
          rest = '';
        }
      }
    }
  }

  if (!fields.houseNumber && freelyAddress) {
    // "postcode 1181 XZ, huisnummer 7"
    const m = new RegExp(`(?:huisnummer|huisnr\\.?|nummer|nr\\.?|house\\s+number|number|no\\.)\\s*:?\\s*${HOUSE_NUMBER}(?![\\p{N}])`, 'iu').exec(rest);
    if (m) {
      fields.houseNumber = m[1].replace(/\s+/g, '').toUpperCase();
      rest = cut(rest, m.index, m[0].length);
    }
  }
  if (!fields.houseNumber && (asked === 'address' || asked === 'street')) {
    // "12", "nummer 14a", "huisnummer 3": the house number alone
    const m = new RegExp(`^\\s*(?:(?:huis)?nummer|nr\\.?|number|no\\.?)?\\s*${HOUSE_NUMBER}\\s*$`, 'iu').exec(rest.replace(/^[\s,]+|[\s,]+$/g, ''));
    if (m) {
      fields.houseNumber = m[1].replace(/\s+/g, '').toUpperCase();
      rest = '';
    }
  }

  // Name: freely where asked for a name (or given beside other contact details); else only with "mijn naam is".
  const lead = NAME_IN_TEXT.exec(rest);
  if (lead) {
    const n = asName(lead[1]);
    if (n) {
      fields.name = n;
      rest = cut(rest, lead.index, lead[0].length);
    }
  }
  if (!fields.name && (asked === undefined || asked === 'story' || asked === 'more' || asked === 'summary') && (fields.phone || fields.email || fields.street)) {
    for (const m of text.matchAll(SIGNATURE)) {
      const n = asName(m[1]);
      if (n && n.split(/\s+/).every((w) => /^\p{Lu}/u.test(w) || NAME_INFIXES.has(w))) {
        fields.name = n;
        break;
      }
    }
  }
  if (!fields.name && asked !== undefined && CONTACT_ASKED.has(asked)) {
    const pieces = rest.split(/\s*[,;\n]\s*|\s+(?:en|and)\s+/).map(clean).filter(Boolean);
    const gaveOther = Object.keys(fields).length > 0;
    for (const piece of pieces) {
      // "Jansen?": a name said unsurely is still a name (a question such as "waarom?" is not: asName refuses it)
      const p = asked === 'name' && piece.split(/\s+/).length <= 4 ? piece.replace(/\s*\?+$/, '') : piece;
      if (asked !== 'name' && !/^\p{Lu}/u.test(p.replace(NAME_LEAD, ''))) continue;
      if (asked !== 'name' && !gaveOther && !NAME_LEAD.test(p)) continue;
      if (ADDRESS_ASKED.has(asked) && !NAME_LEAD.test(p)) continue; // "Duitsland" after an address is no name
      const n = asName(p);
      if (n && !(fields.city && n.toLowerCase() === fields.city.toLowerCase())) {
        fields.name = n;
        break;
      }
    }
  }
  return { fields, rest };
}
