/**
 * The trained part of intent recognition: per language one NLP.js NeuralNetwork (the same network and the same
 * feature extraction as the route recogniser, src/routing) over src/understanding/corpus/intents.<locale>.json.
 * Labels: the intents plus `protest` (a complaint about the bot, not an answer: "dat heb ik al gezegd!!") and one
 * label per common question (`q-anonymous`, ...), and `lang-en`/`lang-nl`.
 *
 * Training is deterministic and takes well under a second; the model is built ahead
 * (`npm run train:understanding`) into src/understanding/model/intents-model.json and loaded at start-up. The
 * file carries a fingerprint of the corpus, settings, features and NLP.js versions; when it does not match,
 * the model is trained in process instead (and test/understanding/model.test.ts fails until it is rebuilt).
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { LOCALES, type Locale } from '../domain/routes';
import { FEATURE_VERSION, FeatureExtractor } from '../routing/features';
import { NeuralNetwork, type NeuralNetworkInstance, type NeuralNetworkJson, type NeuralSettings, nlpjsVersions } from '../routing/nlpjs';
import { trainingCorpus } from '../routing/corpus';
import intentsEn from './corpus/intents.en.json';
import intentsNl from './corpus/intents.nl.json';

export const INTENT_LABELS = [
  'answer', 'person', 'help', 'stop', 'restart', 'lang-en', 'lang-nl', 'goodbye', 'correction', 'protest',
  'q-anonymous', 'q-privacy', 'q-why-data', 'q-duration', 'q-procedure', 'q-who-handles',
] as const;
export type IntentLabel = (typeof INTENT_LABELS)[number];
export type IntentScores = Record<IntentLabel, number>;

export interface IntentCorpus {
  locale: Locale;
  about: string;
  intents: Record<IntentLabel, string[]>;
}

export const INTENT_TRAINING: Readonly<NeuralSettings> = Object.freeze({
  iterations: 300,
  learningRate: 0.1,
  momentum: 0.5,
  alpha: 0.07,
  errorThresh: 0.00005,
  deltaErrorThresh: 0.000001,
  log: false,
});
const WEIGHT_DIGITS = 6;
const FORMAT = 'klachtbot-intents-model/1';

export interface IntentsModelJson {
  format: typeof FORMAT;
  fingerprint: string;
  languages: { locale: Locale; network: NeuralNetworkJson }[];
}

export function checkIntentCorpus(raw: unknown, locale: Locale): IntentCorpus {
  const c = raw as Partial<IntentCorpus>;
  if (!c || c.locale !== locale || !c.intents) throw new Error(`intent corpus for ${locale}: wrong shape`);
  for (const key of Object.keys(c.intents)) {
    if (!(INTENT_LABELS as readonly string[]).includes(key)) throw new Error(`intent corpus for ${locale}: unknown label ${key}`);
  }
  for (const label of INTENT_LABELS) {
    const list = (c.intents as Record<string, unknown>)[label];
    if (!Array.isArray(list) || list.length === 0 || !list.every((u) => typeof u === 'string' && u.trim() !== '')) {
      throw new Error(`intent corpus for ${locale}: label ${label} needs a non-empty list of texts`);
    }
  }
  return c as IntentCorpus;
}

/**
 * The route recogniser's training stories (src/routing/corpus, routes complaint..care; not `other` and `unclear`,
 * which hold questions and requests) are answers too: every STORY_STRIDE-th one joins the `answer` label, so that a
 * short complaint ("ik word niet teruggebeld", "Ik ben onheus bejegend") is not taken for a command or a question.
 */
export const STORY_STRIDE = 2;
const STORY_ROUTES = ['complaint', 'objection', 'tax-objection', 'report', 'damage', 'care'] as const;

function withStories(corpus: IntentCorpus): IntentCorpus {
  const routes = trainingCorpus(corpus.locale).routes;
  const stories = STORY_ROUTES.flatMap((r) => routes[r]).filter((_, i) => i % STORY_STRIDE === 0);
  return { ...corpus, intents: { ...corpus.intents, answer: [...corpus.intents.answer, ...stories] } };
}

export function intentCorpora(): Record<Locale, IntentCorpus> {
  return { nl: withStories(checkIntentCorpus(intentsNl, 'nl')), en: withStories(checkIntentCorpus(intentsEn, 'en')) };
}

export function intentFingerprint(corpora: Record<Locale, IntentCorpus> = intentCorpora()): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ FEATURE_VERSION, INTENT_TRAINING, nlpjs: nlpjsVersions(), WEIGHT_DIGITS, FORMAT }));
  for (const l of LOCALES) hash.update(JSON.stringify([l, corpora[l].intents]));
  return hash.digest('hex');
}

const round = (json: NeuralNetworkJson): NeuralNetworkJson => ({
  ...json,
  perceptrons: json.perceptrons.map((row) => row.map((w) => Number(w.toPrecision(WEIGHT_DIGITS)))),
});

export class IntentModel {
  private readonly extractor: FeatureExtractor;
  private constructor(
    readonly locale: Locale,
    private readonly network: NeuralNetworkInstance,
    private readonly vocabulary: ReadonlySet<string>,
    private readonly json: NeuralNetworkJson,
  ) {
    this.extractor = new FeatureExtractor(locale);
  }

  static train(corpus: IntentCorpus): IntentModel {
    const extractor = new FeatureExtractor(corpus.locale);
    const data = INTENT_LABELS.flatMap((label) =>
      corpus.intents[label].map((text) => ({ input: extractor.features(text), output: { [label]: 1 } })),
    );
    const network = new NeuralNetwork({ ...INTENT_TRAINING });
    network.train(data);
    return IntentModel.fromJSON(corpus.locale, round(network.toJSON()));
  }

  static fromJSON(locale: Locale, json: NeuralNetworkJson): IntentModel {
    const network = new NeuralNetwork();
    network.fromJSON(json);
    return new IntentModel(locale, network, new Set(json.features), json);
  }

  toJSON(): NeuralNetworkJson {
    return this.json;
  }

  /** Activation per label (0 when nothing known), and how many of the message's features the model knows. */
  scores(text: string): { scores: IntentScores; known: number; features: number } {
    const all = this.extractor.features(text);
    const input: Record<string, number> = {};
    let known = 0;
    let features = 0;
    for (const f of Object.keys(all)) {
      features++;
      if (this.vocabulary.has(f)) {
        input[f] = 1;
        known++;
      }
    }
    const out = known > 0 ? this.network.run(input) ?? {} : {};
    const scores = {} as IntentScores;
    for (const l of INTENT_LABELS) scores[l] = out[l] ?? 0;
    return { scores, known, features };
  }
}

export function trainIntentModels(corpora = intentCorpora()): Record<Locale, IntentModel> {
  return { nl: IntentModel.train(corpora.nl), en: IntentModel.train(corpora.en) };
}

export function intentModelPath(): string {
  const candidates = [
    join(__dirname, 'model', 'intents-model.json'),
    resolve(__dirname, '..', '..', '..', 'src', 'understanding', 'model', 'intents-model.json'),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1];
}

export function writeIntentModels(path: string, models: Record<Locale, IntentModel>): void {
  mkdirSync(dirname(path), { recursive: true });
  const json: IntentsModelJson = {
    format: FORMAT,
    fingerprint: intentFingerprint(),
    languages: LOCALES.map((locale) => ({ locale, network: models[locale].toJSON() })),
  };
  writeFileSync(path, JSON.stringify(json) + '\n');
}

/** The prebuilt models when fresh, else trained in process. */
export function loadIntentModels(path = intentModelPath()): { models: Record<Locale, IntentModel>; source: 'model' | 'trained' } {
  if (existsSync(path)) {
    const json = JSON.parse(readFileSync(path, 'utf8')) as IntentsModelJson;
    if (json.format === FORMAT && json.fingerprint === intentFingerprint()) {
      const models = {} as Record<Locale, IntentModel>;
      for (const l of json.languages) models[l.locale] = IntentModel.fromJSON(l.locale, l.network);
      if (models.nl && models.en) return { models, source: 'model' };
    }
  }
  return { models: trainIntentModels(), source: 'trained' };
}
