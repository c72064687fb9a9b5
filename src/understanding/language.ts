/**
 * Recognises messages written in a language the bot does not speak, so the dialog can say (in that language
 * where it can, and always in Dutch and English) that only Dutch and English are understood.
 *
 * A small heuristic instead of a library: the script (Arabic, Cyrillic, Greek, Hebrew, Ethiopic, CJK, ...)
 * decides at once; for Latin script, frequent words and letters of Turkish, Polish, German, French, Spanish,
 * Portuguese, Italian, Somali and Indonesian are counted against Dutch and English ones. Short messages that
 * are ordinary Dutch or English words never count ("ok", "Jansen", "Amstelveen", "yes").
 */

const SCRIPTS: [RegExp, string][] = [
  [/[\u0600-\u06FF\u0750-\u077F]/u, 'ar'],
  [/[\u0400-\u04FF]/u, 'ru'],
  [/[\u0370-\u03FF]/u, 'el'],
  [/[\u0590-\u05FF]/u, 'he'],
  [/[\u1200-\u137F]/u, 'ti'],
  [/[\u4E00-\u9FFF]/u, 'zh'],
  [/[\u3040-\u30FF]/u, 'ja'],
  [/[\uAC00-\uD7AF]/u, 'ko'],
  [/[\u0E00-\u0E7F]/u, 'th'],
  [/[\u0900-\u097F]/u, 'hi'],
];

const WORDS: Record<string, string> = {
  tr: 'merhaba selam ve bir bu için ne değil şikayet ben benim var yok çok ama da de ile mi mı evet hayır teşekkürler lütfen istiyorum belediye nasıl neden olarak gibi daha şey sen siz size bana beni türkçe konuşuyor musunuz yardım şikâyet',
  pl: 'dzień dobry cześć nie jest się że to na do jak mam chcę chciałbym skargę skarga proszę dziękuję tak czy gmina urzędnik mój moja jestem być polski mówię po polsku pomoc',
  de: 'ich und nicht ist das mit ein eine einen auch auf für sich wir sie es mein meine habe möchte bitte kann wurde wegen über beschwerde guten tag hallo danke sprechen deutsch gemeinde mitarbeiter sehr schlecht warum nein spreche kein keine niederländisch deutsch verstehe sprechen leider',
  fr: 'je le la les et est pas une un des bonjour voudrais veux porter suis parle plainte merci oui non mon ma mes avec pour dans ce cette parlez français mairie employé très mal pourquoi aide',
  es: 'el la los las que y es quiero hola queja gracias sí mi con para por una un del habla hablo holandés inglés español puede usted tengo necesito ayuntamiento empleado muy mal porque ayuda buenos días favor',
  pt: 'olá eu não uma um com para por obrigado obrigada sim meu minha queixa reclamação fala português câmara funcionário muito mal porque ajuda bom dia',
  it: 'ciao io il che non sono una un con per grazie sì mio mia reclamo parla italiano comune impiegato molto male perché aiuto buongiorno',
  so: 'waan ma iyo ku waxaan ahay soo dhawow mahadsanid haa maya caawimaad af soomaali rabaa inaan cabasho gudbiyo',
  cs: 'dobrý den mám stížnost jsem nemluvím česky prosím děkuji chci podat úředník byl velmi',
  ro: 'bună ziua am plângere vreau să nu vorbesc română vă rog mulțumesc funcționar foarte',
  id: 'saya tidak dan ini itu ada dengan untuk terima kasih selamat pagi bahasa indonesia tolong',
};
/** Words that are ordinary Dutch or English (they never count for another language). */
const NL_EN = new Set(
  (
    'de het een en is ik niet dat van op te met voor zijn maar mijn er aan ook heb wil was die dit wat hoe waarom nee ja in al als dan ' +
    'naar bij uit over zo om nog wel geen kan moet door hun ze we wij jij je u uw men hij zij haar hem meneer mevrouw gemeente klacht ' +
    'the a an and is i not that of on to with for be but my there also have want was this what how why no yes in as then at from ' +
    'so it we you he she they his her him their our me us do does did can must by or if an all any were are been has had hello hallo dag'
  ).split(' '),
);
const LETTERS: [RegExp, string][] = [
  [/[ğış]/u, 'tr'],
  [/[ąęłśżźćń]/u, 'pl'],
  [/ß|[äü]/u, 'de'],
  [/[çœ]|\b(?:où|à)\b/u, 'fr'],
  [/[ñ¿¡]/u, 'es'],
  [/[ãõ]/u, 'pt'],
  [/[ěřů]/u, 'cs'],
  [/[ăâîșț]/u, 'ro'],
];
/** A greeting that opens a message says a lot about its language. */
const GREETINGS: Record<string, string> = {
  merhaba: 'tr', selam: 'tr', bonjour: 'fr', salut: 'fr', hola: 'es', ciao: 'it', buongiorno: 'it', olá: 'pt', cześć: 'pl', witam: 'pl',
  dzień: 'pl', guten: 'de', servus: 'de', grüß: 'de', moin: 'de',
};
const LEXICON: Record<string, Set<string>> = Object.fromEntries(Object.entries(WORDS).map(([k, v]) => [k, new Set(v.split(' '))]));

/** ISO 639-1 code of the language the message is written in when it is neither Dutch nor English; else undefined. */
export function detectUnsupportedLanguage(text: string, opts: { letters?: boolean } = {}): string | undefined {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length === 0) return undefined;
  for (const [re, code] of SCRIPTS) {
    const count = [...text].filter((c) => re.test(c)).length;
    if (count >= Math.max(2, letters.length * 0.3)) return code === 'ru' && /[іїєґІЇЄҐ]/u.test(text) ? 'uk' : code;
  }
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length === 0) return undefined;
  let nlEn = 0;
  const score: Record<string, number> = {};
  for (const w of words) {
    if (NL_EN.has(w)) {
      nlEn++;
      continue;
    }
    for (const [code, set] of Object.entries(LEXICON)) if (set.has(w)) score[code] = (score[code] ?? 0) + 1;
  }
  // Letters say a lot, but not in a short answer that may be a name ("Łukasz Kowalski", "Jürgen Müller").
  if (opts.letters !== false) for (const [re, code] of LETTERS) if (re.test(text.toLowerCase())) score[code] = (score[code] ?? 0) + 1.5;
  const greeting = GREETINGS[words[0] ?? ''];
  if (greeting) score[greeting] = (score[greeting] ?? 0) + 1;
  const best = Object.entries(score).sort((a, b) => b[1] - a[1])[0];
  if (!best) return undefined;
  const [code, hits] = best;
  // Enough evidence, and more than the Dutch/English words: a single foreign word in a Dutch sentence is no switch.
  const enough = words.length <= 2 ? hits >= 1.5 && nlEn === 0 ? true : hits >= 1 && nlEn === 0 && /^(merhaba|selam|bonjour|hola|ciao|olá|cześć|dzień|danke|merci|gracias|grazie|obrigado|teşekkürler|dziękuję)$/.test(words[0] ?? '') : hits >= 2 && hits > nlEn * 1.5 && hits / words.length >= 0.3;
  return enough ? code : undefined;
}
