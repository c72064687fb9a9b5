/**
 * An address given on one line ("Bankrasweg 88, 1183 TR Amstelveen", "1183 TR zei ik net",
 * "Hauptstraße 5, 10115 Berlin, Duitsland"), split into street with house number, postcode, town and,
 * for an address abroad, the country. No botbuilder. The contact dialog uses it beside the
 * understanding step's fields when it asked for an address. Values are not validated here: the
 * complaint's zod Fields do that.
 */
import type { Locale } from '../domain/routes';
import { normalise } from './normalise';

export interface AddressParts {
  /** street and house number, as the complaint stores it ("Bankrasweg 88") */
  street?: string;
  postcode?: string;
  city?: string;
  /** a country other than the Netherlands, named in the citizen's language */
  country?: string;
}

const norm = normalise;

const REGION_CODES = (() => {
  const codes: string[] = [];
  const A = 'A'.charCodeAt(0);
  for (let i = 0; i < 26; i++) for (let j = 0; j < 26; j++) codes.push(String.fromCharCode(A + i, A + j));
  return codes;
})();

/** codes that name no country of today, or another code's country again (DD: East Germany, UK: GB) */
const OLD_CODES = new Set(['DD', 'UK', 'FX', 'CS', 'YU', 'SU', 'TP', 'ZR', 'BU', 'NT', 'EU', 'EZ', 'UN', 'QO', 'XA', 'XB']);

let countries: Map<string, string> | undefined;

/** Country names in Dutch and English (from the platform's CLDR data), normalised, to the region code. */
function countryNames(): Map<string, string> {
  if (countries) return countries;
  const map = new Map<string, string>();
  for (const lang of ['nl', 'en']) {
    const names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
    for (const code of REGION_CODES.filter((c) => !OLD_CODES.has(c))) {
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        name = undefined;
      }
      if (name && !/^\d/.test(name) && name !== code && !map.has(norm(name))) map.set(norm(name), code);
    }
  }
  for (const [alias, code] of [
    ['holland', 'NL'], ['the netherlands', 'NL'], ['duitsland', 'DE'], ['uk', 'GB'], ['england', 'GB'], ['engeland', 'GB'],
    ['usa', 'US'], ['verenigde staten', 'US'], ['belgie', 'BE'], ['turkije', 'TR'], ['turkey', 'TR'],
  ] as const) map.set(alias, code);
  countries = map;
  return map;
}

/** The region code of a country name in Dutch or English ("Duitsland", "Germany" -> DE). */
export function countryCode(text: string): string | undefined {
  return countryNames().get(norm(text));
}

/** The country's name in the given language ("DE", nl -> "Duitsland"). */
export function countryName(code: string, locale: Locale): string {
  return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
}

const DUTCH_POSTCODE = /\b([1-9]\d{3})\s?(?!SA|SD|SS)([A-Za-z]{2})\b/;
/** "88", "12a", "12-3", "12 hs", "12 bis", "12-II" */
const NUMBER = String.raw`\d{1,5}(?:\s?[a-zA-Z]\b)?(?:\s?[-/]\s?[\dA-Za-z]{1,4})?(?:\s(?:hs|bis|huis|boven|bg|i{1,3}|zw)\b)?`;
const STREET_NUMBER = new RegExp(String.raw`^(\D*?\p{L}\D*?)\s+(${NUMBER})(?:\s+(.*))?$`, 'u');
const NUMBER_FIRST = new RegExp(String.raw`^(\d{1,5}[a-zA-Z]?\s+\p{L}[^,]*)$`, 'u');
const FILLER =
  /^(?:(?:mijn|het|ons)\s+(?:adres|woonadres|huisadres)\s+(?:is|=|:)?|adres\s*:|ik woon (?:op|aan|in|at)|wij wonen (?:op|aan|in)|my address is|address\s*:|i live (?:at|in|on))\s*/i;
const INNER_LEAD = /.*\b(?:i live (?:at|on|in)|live at|my address is|address is|ik woon (?:op|aan|in)|wij wonen (?:op|aan|in)|woon (?:op|aan)|mijn adres is|adres is)\s+/i;
/** what people add to an answer that is not part of it: "zei ik net", "dat is het", "I said" */
const TAIL_NOISE = /\s*(?:[,.!]|\s)\s*(?:zei ik (?:net|al)|heb ik (?:net|al) gezegd|zoals ik (?:al )?zei|dat is het|as i said|i said|i just said)\s*[.!]*$/i;

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/^[\s,;.:-]+|[\s,;.:!-]+$/g, '').trim();
}

function townOnly(s: string): string | undefined {
  const t = clean(s).replace(/^(?:in|te|at|gemeente)\s+/i, '');
  return t && /^\p{L}[\p{L}\s.'-]*$/u.test(t) && t.split(' ').length <= 4 ? t : undefined;
}

/** A street with its number at the start of `s`; the rest (a town, say) is returned too. */
function streetFrom(s: string): { street: string; rest?: string } | undefined {
  // "My name is John Smith and I live at 10 Baker Street": what comes after the words that lead to the address
  const lead = INNER_LEAD.exec(s);
  const t = clean(lead ? s.slice(lead.index + lead[0].length) : s);
  const f = NUMBER_FIRST.exec(t);
  if (f) return { street: clean(f[1]) };
  const m = STREET_NUMBER.exec(t);
  if (m) return { street: clean(`${m[1]} ${m[2]}`), rest: m[3] ? clean(m[3]) : undefined };
  return undefined;
}

/** The parts of an address on one line; only what it contains. */
export function parseAddress(input: string): AddressParts {
  let text = input.trim().replace(FILLER, '').replace(TAIL_NOISE, '').trim();
  const out: AddressParts = {};
  let segments = text.split(/\s*[,;\n]\s*/).map(clean).filter(Boolean);
  // a country at the end ("..., Duitsland"); the Netherlands is no country abroad
  const last = segments[segments.length - 1];
  const code = last ? countryCode(last) : undefined;
  if (code) {
    segments = segments.slice(0, -1);
    if (code !== 'NL') out.country = last;
  } else if (last) {
    // "... 10115 Berlin Duitsland": a country as the last word(s) of the last segment
    const words = last.split(' ');
    for (const n of [2, 1]) {
      if (words.length <= n) continue;
      const tailCode = countryCode(words.slice(-n).join(' '));
      if (tailCode && /\d/.test(words.slice(0, -n).join(' '))) {
        segments[segments.length - 1] = words.slice(0, -n).join(' ');
        if (tailCode !== 'NL') out.country = words.slice(-n).join(' ');
        break;
      }
    }
  }
  text = segments.join(', ');
  if (!out.country) {
    const pc = DUTCH_POSTCODE.exec(text);
    if (pc) {
      out.postcode = `${pc[1]} ${pc[2].toUpperCase()}`;
      const before = clean(text.slice(0, pc.index));
      const after = clean(text.slice(pc.index + pc[0].length));
      if (before) {
        // "Jan Jansen, Dorpsstraat 12, 1182 JR": the street is the part right before the postcode
        const parts = before.split(/\s*,\s*/);
        const s = streetFrom(parts[parts.length - 1]);
        if (s) {
          out.street = s.street;
          if (s.rest && !after) out.city = townOnly(s.rest);
        }
      }
      if (after) out.city = townOnly(after.split(',')[0]) ?? out.city;
      return out;
    }
  }
  // no Dutch postcode: street (with number) first, then a town, maybe with a postcode of its country;
  // what comes before the street ("Anna Müller, Hauptstraße 5, ...") is no part of the address
  const at = segments.findIndex((seg) => streetFrom(seg) !== undefined);
  const [first, ...rest] = at > 0 ? segments.slice(at) : segments;
  if (!first) return out;
  const s = streetFrom(first);
  if (s) {
    out.street = s.street;
    if (s.rest) {
      const town = townOnly(s.rest);
      if (town) out.city = town;
    }
  } else if (segments.length === 1) {
    const town = townOnly(first);
    if (town && !out.country) return out; // a lone word is not yet an address; the dialog decides what it is
  }
  const townSegment = rest[0];
  if (townSegment) {
    if (out.country) {
      // "10115 Berlin", "75001 Paris", "London SW1A 2AA"
      const lead = /^([\dA-Z][\dA-Z-]{1,7}(?:\s\d[A-Z\d]{1,3})?)\s+(\p{L}.*)$/u.exec(townSegment);
      const trail = /^(\p{L}[\p{L}\s.'-]*?)\s+([A-Z\d]{2,4}\s?\d[A-Z\d]{1,3}|\d{3,6})$/u.exec(townSegment);
      if (lead && /\d/.test(lead[1])) {
        out.postcode = lead[1];
        out.city = clean(lead[2]);
      } else if (trail) {
        out.city = clean(trail[1]);
        out.postcode = trail[2];
      } else out.city = clean(townSegment);
    } else {
      const town = townOnly(townSegment);
      if (town) out.city = town;
    }
  }
  return out;
}

/** Countries that write the town before the postcode ("London NW1 6XE", "Dublin D02 X285", "New York NY 10001"). */
const TOWN_FIRST = new Set(['GB', 'IE', 'US', 'CA', 'AU', 'NZ', 'IN', 'SG']);

/**
 * An address on one line, the town and postcode in the order of the country: "Bankrasweg 88, 1183 TR
 * Amstelveen", "Hauptstraße 5, 10115 Berlin, Duitsland", "10 Baker Street, London NW1 6XE, United Kingdom".
 */
export function formatAddress(c: { street?: string | null; postcode?: string | null; city?: string | null; country?: string | null }): string {
  const code = c.country ? countryCode(c.country) : undefined;
  const town = (code && TOWN_FIRST.has(code) ? [c.city, c.postcode] : [c.postcode, c.city]).filter(Boolean).join(' ');
  return [c.street, town, c.country].filter(Boolean).join(', ');
}
