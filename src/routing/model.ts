import { createHash } from 'crypto';
import { LOCALES, Locale, RECOGNISED_ROUTES, RecognisedRoute } from '../domain/routes';
import { TrainingCorpus, Utterance, allTrainingCorpora } from './corpus';
import { FEATURE_VERSION, FeatureExtractor } from './features';
import { NeuralNetwork, NeuralNetworkInstance, NeuralNetworkJson, NeuralSettings, nlpjsVersions } from './nlpjs';

/**
 * The trained part of the recogniser: per language one NLP.js NeuralNetwork over the stems of a
 * message, with one output per recognised route (the seven routes plus `unclear`).
 *
 * Training is deterministic (weights start at zero, the corpus is fed in file order, the iteration
 * count is fixed) and takes about 0.8 s per language on a busy 2-core machine, so the
 * model is built ahead (`node dist/src/routing/train.js`) into src/routing/model/routes-model.json and
 * loaded at start-up. The file carries a fingerprint of the training data, the training settings,
 * the feature extraction and the NLP.js versions; when it does not match, the classifier trains in
 * process instead of using a stale model (and a test fails until the file is rebuilt).
 */

/**
 * Chosen by 5-fold cross-validation on the training corpus only (never on the evaluation set):
 * a low learning rate and a fixed, small number of iterations act as early stopping; the library's
 * defaults (0.6, up to 20000 iterations) overfit the one-off words of each training sentence.
 */
export const TRAINING_SETTINGS: Readonly<NeuralSettings> = Object.freeze({
  iterations: 100,
  learningRate: 0.03,
  momentum: 0.5,
  alpha: 0.07,
  errorThresh: 0.00005,
  deltaErrorThresh: 0.000001,
  log: false,
});

/** Significant digits kept for weights in the model file (and in freshly trained models, see below). */
const WEIGHT_DIGITS = 6;

export type RouteScores = Record<RecognisedRoute, number>;

export interface LanguageModelJson {
  locale: Locale;
  network: NeuralNetworkJson;
}

export interface RoutesModelJson {
  format: 'klachtbot-routes-model/1';
  fingerprint: string;
  featureVersion: string;
  settings: NeuralSettings;
  nlpjs: Record<string, string>;
  languages: LanguageModelJson[];
}

export class LanguageModel {
  private readonly extractor: FeatureExtractor;

  private constructor(
    readonly locale: Locale,
    private readonly network: NeuralNetworkInstance,
    /** Features the network knows. */
    private readonly vocabulary: ReadonlySet<string>,
  ) {
    this.extractor = new FeatureExtractor(locale);
  }

  static train(locale: Locale, utterances: Utterance[], settings: NeuralSettings = TRAINING_SETTINGS): LanguageModel {
    const extractor = new FeatureExtractor(locale);
    const data = utterances.map((u) => ({ input: extractor.features(u.text), output: { [u.route]: 1 } }));
    const network = new NeuralNetwork({ ...settings });
    network.train(data);
    // Round-trip through the stored form, so a model trained in process and the same model loaded
    // from the file give exactly the same scores.
    return LanguageModel.fromJSON({ locale, network: roundNetwork(network.toJSON()) });
  }

  static fromJSON(json: LanguageModelJson): LanguageModel {
    const network = new NeuralNetwork();
    network.fromJSON(json.network);
    for (const route of RECOGNISED_ROUTES) {
      if (!json.network.intents.includes(route)) throw new Error(`model for ${json.locale} lacks route ${route}`);
    }
    return new LanguageModel(json.locale, network, new Set(json.network.features));
  }

  toJSON(): LanguageModelJson {
    return { locale: this.locale, network: roundNetwork(this.network.toJSON()) };
  }

  /**
   * Raw activation per route (0 = no evidence; about 1 = as sure as on training sentences), and how
   * many of the message's features the model knows.
   */
  scores(text: string): { scores: RouteScores; knownFeatures: number; features: number } {
    const all = this.extractor.features(text);
    const known: Record<string, number> = {};
    let count = 0;
    let knownCount = 0;
    for (const f of Object.keys(all)) {
      count += 1;
      if (this.vocabulary.has(f)) {
        known[f] = 1;
        knownCount += 1;
      }
    }
    const out = knownCount > 0 ? this.network.run(known) ?? {} : {};
    const scores = {} as RouteScores;
    for (const route of RECOGNISED_ROUTES) scores[route] = out[route] ?? 0;
    return { scores, knownFeatures: knownCount, features: count };
  }
}

function roundNetwork(json: NeuralNetworkJson): NeuralNetworkJson {
  return {
    ...json,
    perceptrons: json.perceptrons.map((row) => row.map((w) => Number(w.toPrecision(WEIGHT_DIGITS)))),
  };
}

/** Fingerprint of everything a trained model depends on. */
export function modelFingerprint(
  corpora: Record<Locale, TrainingCorpus> = allTrainingCorpora(),
  settings: NeuralSettings = TRAINING_SETTINGS,
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ featureVersion: FEATURE_VERSION, settings, nlpjs: nlpjsVersions(), weightDigits: WEIGHT_DIGITS }));
  for (const locale of LOCALES) hash.update(JSON.stringify([locale, corpora[locale].routes]));
  return hash.digest('hex');
}

export function trainAll(corpora: Record<Locale, TrainingCorpus> = allTrainingCorpora()): Record<Locale, LanguageModel> {
  const out = {} as Record<Locale, LanguageModel>;
  for (const locale of LOCALES) {
    const utterances: Utterance[] = [];
    for (const route of RECOGNISED_ROUTES) for (const text of corpora[locale].routes[route]) utterances.push({ text, route });
    out[locale] = LanguageModel.train(locale, utterances);
  }
  return out;
}

export function serializeModels(models: Record<Locale, LanguageModel>, fingerprint: string = modelFingerprint()): RoutesModelJson {
  return {
    format: 'klachtbot-routes-model/1',
    fingerprint,
    featureVersion: FEATURE_VERSION,
    settings: { ...TRAINING_SETTINGS },
    nlpjs: nlpjsVersions(),
    languages: LOCALES.map((l) => models[l].toJSON()),
  };
}

export function deserializeModels(json: RoutesModelJson): Record<Locale, LanguageModel> {
  if (json.format !== 'klachtbot-routes-model/1') throw new Error(`unknown model format ${String(json.format)}`);
  const out = {} as Record<Locale, LanguageModel>;
  for (const locale of LOCALES) {
    const lang = json.languages.find((l) => l.locale === locale);
    if (!lang) throw new Error(`model file has no ${locale} model`);
    out[locale] = LanguageModel.fromJSON(lang);
  }
  return out;
}
