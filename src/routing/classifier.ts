import { LOCALES, Locale, RouteClassification, RouteClassifier } from '../domain/routes';
import { DEFAULT_THRESHOLDS, Decision, Thresholds, decide, routeConfidence } from './decision';
import { LanguageModel, RouteScores, deserializeModels, modelFingerprint, trainAll } from './model';
import { defaultModelPath, readModelFile } from './model-file';
import { HandlingSignal, detectHandlingComplaint } from './rules';

/**
 * The route recogniser: a trained NLP.js model per language (model.ts), a small rule for the
 * hard cases (rules.ts) and the asymmetric threshold (decision.ts). No botbuilder imports and no
 * console output, so it can run in the bot, the CLI and the tests alike.
 */

/** Confidence reported when the rule layer turns a message into a complaint (at least). */
export const RULE_CONFIDENCE = 0.6;

export interface RouteClassifierOptions {
  /**
   * Where the model comes from.
   * - 'auto' (default): the prebuilt model file when its fingerprint matches the current training
   *   data and settings; otherwise train in process (about 1.5 s on this machine).
   * - 'model': the prebuilt model file only; rejects when it is missing or stale.
   * - 'train': always train in process.
   */
  source?: 'auto' | 'model' | 'train';
  /** Prebuilt model file; defaults to src/routing/model/routes-model.json. */
  modelPath?: string;
  /** Overrides for the decision thresholds. */
  thresholds?: Partial<Thresholds>;
  /** The rule layer for complaints about how a report, objection or application is handled (default on). */
  rules?: boolean;
}

export interface RouteExplanation extends Decision {
  locale: Locale;
  scores: RouteScores;
  /** Distinct features of the message, and how many of them the model knows. */
  features: number;
  knownFeatures: number;
  /** What the rule layer found, if anything. */
  handling?: HandlingSignal;
}

export interface RoutingClassifier extends RouteClassifier {
  /** Synchronous: the contract allows a Promise, but none is needed. */
  classify(text: string, locale: Locale): RouteClassification;
  /** The classification with the scores and reasons behind it. */
  explain(text: string, locale: Locale): RouteExplanation;
  /** 'model' when the prebuilt file was loaded, 'trained' when trained in process. */
  readonly source: 'model' | 'trained';
  readonly thresholds: Readonly<Thresholds>;
  /** Releases the models; later calls throw. */
  close(): void;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export async function createRouteClassifier(opts: RouteClassifierOptions = {}): Promise<RoutingClassifier> {
  const { models, source } = loadModels(opts);
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  const useRules = opts.rules !== false;
  let live: Record<Locale, LanguageModel> | undefined = models;

  const explain = (text: string, locale: Locale): RouteExplanation => {
    if (!live) throw new Error('route classifier is closed');
    if (!isLocale(locale)) throw new RangeError(`unsupported locale: ${String(locale)}`);
    if (typeof text !== 'string') throw new TypeError('text must be a string');
    const { scores, knownFeatures, features } = live[locale].scores(text);
    let decision = decide(scores, thresholds);
    let handling: HandlingSignal | undefined;
    if (useRules) {
      handling = detectHandlingComplaint(text, locale);
      // The rule only ever moves a message towards complaint; it never sends one away.
      if (handling && decision.route !== 'complaint') {
        const confidence = Math.round(Math.max(routeConfidence(scores, 'complaint'), RULE_CONFIDENCE) * 1000) / 1000;
        decision = { route: 'complaint', confidence, reason: 'rule-handling-complaint', top: decision.top };
      }
    }
    return { ...decision, locale, scores, features, knownFeatures, handling };
  };

  return {
    source,
    thresholds: Object.freeze({ ...thresholds }),
    explain,
    classify(text: string, locale: Locale): RouteClassification {
      const { route, confidence } = explain(text, locale);
      return { route, confidence };
    },
    close() {
      live = undefined;
    },
  };
}

function loadModels(opts: RouteClassifierOptions): { models: Record<Locale, LanguageModel>; source: 'model' | 'trained' } {
  const mode = opts.source ?? 'auto';
  if (mode === 'train') return { models: trainAll(), source: 'trained' };
  const path = opts.modelPath ?? defaultModelPath();
  const file = readModelFile(path);
  const fresh = file !== undefined && file.fingerprint === modelFingerprint();
  if (file && fresh) return { models: deserializeModels(file), source: 'model' };
  if (mode === 'model') {
    throw new Error(file ? `route model ${path} is stale: rebuild it with node dist/src/routing/train.js` : `route model ${path} not found`);
  }
  return { models: trainAll(), source: 'trained' };
}
