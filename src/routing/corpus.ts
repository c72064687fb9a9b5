import { LOCALES, Locale, RECOGNISED_ROUTES, RecognisedRoute } from '../domain/routes';
import trainEn from './corpus/train.en.json';
import trainNl from './corpus/train.nl.json';

/**
 * Training utterances per language and route (src/routing/corpus/train.<locale>.json).
 * The class `unclear` holds short messages that do not reveal a route ("ik heb een klacht", "hallo");
 * teaching the model that class is one of the two ways it says "ask the citizen" (the other is the
 * threshold in decision.ts).
 *
 * The folder is `corpus/`, not `data/`: the repository's .gitignore ignores every `data/` directory.
 */

export interface TrainingCorpus {
  locale: Locale;
  about: string;
  routes: Record<RecognisedRoute, string[]>;
}

export interface Utterance {
  text: string;
  route: RecognisedRoute;
}

const RAW: Record<Locale, unknown> = { nl: trainNl, en: trainEn };

/** Validates the shape of a corpus file; throws with the reason when it is wrong. */
export function checkCorpus(raw: unknown, locale: Locale): TrainingCorpus {
  const c = raw as Partial<TrainingCorpus>;
  if (!c || c.locale !== locale) throw new Error(`training corpus for ${locale}: wrong or missing locale`);
  if (!c.routes || typeof c.routes !== 'object') throw new Error(`training corpus for ${locale}: no routes`);
  for (const key of Object.keys(c.routes)) {
    if (!RECOGNISED_ROUTES.includes(key as RecognisedRoute)) throw new Error(`training corpus for ${locale}: unknown route ${key}`);
  }
  for (const route of RECOGNISED_ROUTES) {
    const list = (c.routes as Record<string, unknown>)[route];
    if (!Array.isArray(list) || list.length === 0 || !list.every((u) => typeof u === 'string' && u.trim() !== '')) {
      throw new Error(`training corpus for ${locale}: route ${route} needs a non-empty list of texts`);
    }
  }
  return c as TrainingCorpus;
}

export function trainingCorpus(locale: Locale): TrainingCorpus {
  return checkCorpus(RAW[locale], locale);
}

/** All training utterances of a language, in file order (route by route). */
export function trainingUtterances(locale: Locale): Utterance[] {
  const corpus = trainingCorpus(locale);
  const out: Utterance[] = [];
  for (const route of RECOGNISED_ROUTES) for (const text of corpus.routes[route]) out.push({ text, route });
  return out;
}

export function allTrainingCorpora(): Record<Locale, TrainingCorpus> {
  return Object.fromEntries(LOCALES.map((l) => [l, trainingCorpus(l)])) as Record<Locale, TrainingCorpus>;
}
