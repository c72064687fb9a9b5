/**
 * Typed access to the parts of NLP.js (https://github.com/axa-group/nlp.js, MIT) that the route
 * recogniser uses. NLP.js ships no TypeScript declarations, so the few members used here are typed
 * locally instead of declaring ambient modules for the whole repository.
 *
 * What is used, and why not the top-level `Nlp` class:
 * - `@nlpjs/lang-nl` / `@nlpjs/lang-en`: the language packages' normaliser, tokeniser and Snowball
 *   stemmer (the same ones `Nlp` uses for `nl` and `en`).
 * - `@nlpjs/neural`: `NeuralNetwork`, the classifier inside NLP.js's `NluNeural` (one perceptron per
 *   intent over a bag of stems). It is the dependency of `@nlpjs/nlu` that `@nlpjs/nlp` trains.
 * `Nlp.process`/`NluNeural.process` square and renormalise the per-intent outputs, so the top score is
 * close to 1 even when a message carries almost no evidence; the threshold in `decision.ts` needs the
 * raw per-route activations, which `NeuralNetwork.run` returns. Using the network directly also keeps
 * the hot path free of NER, sentiment and language guessing (well under 1 ms per message).
 */

/** Sparse binary features: stem (or signal) -> 1. */
export type FeatureVector = Record<string, number>;

export interface NeuralSettings {
  iterations?: number;
  errorThresh?: number;
  deltaErrorThresh?: number;
  learningRate?: number;
  momentum?: number;
  alpha?: number;
  log?: boolean;
}

export interface NeuralTrainingItem {
  input: FeatureVector;
  output: Record<string, number>;
}

export interface NeuralStatus {
  error: number;
  deltaError: number;
  iterations: number;
}

/** The JSON form of a trained network, as `NeuralNetwork.toJSON()` writes it. */
export interface NeuralNetworkJson {
  settings: NeuralSettings;
  features: string[];
  intents: string[];
  /** One row per intent: the weight of every feature, then the bias. */
  perceptrons: number[][];
}

export interface NeuralNetworkInstance {
  train(corpus: NeuralTrainingItem[]): NeuralStatus;
  /** Activation per intent (leaky-ReLU output, 0 when the weighted sum is not positive). */
  run(input: FeatureVector): Record<string, number> | undefined;
  toJSON(): NeuralNetworkJson;
  fromJSON(json: NeuralNetworkJson): void;
}

export interface NormalizerInstance {
  normalize(text: string): string;
}
export interface TokenizerInstance {
  tokenize(text: string, normalize?: boolean): string[];
}
export interface StemmerInstance {
  stemWords(words: string[]): string[];
}

type Ctor<T> = new (container?: unknown) => T;

interface LanguagePackage {
  Normalizer: Ctor<NormalizerInstance>;
  Tokenizer: Ctor<TokenizerInstance>;
  Stemmer: Ctor<StemmerInstance>;
}

/* eslint-disable @typescript-eslint/no-var-requires */
const core = require('@nlpjs/core') as { containerBootstrap(): unknown };
const neural = require('@nlpjs/neural') as { NeuralNetwork: new (settings?: NeuralSettings) => NeuralNetworkInstance };
const langNl = require('@nlpjs/lang-nl') as {
  NormalizerNl: Ctor<NormalizerInstance>;
  TokenizerNl: Ctor<TokenizerInstance>;
  StemmerNl: Ctor<StemmerInstance>;
};
const langEn = require('@nlpjs/lang-en') as {
  NormalizerEn: Ctor<NormalizerInstance>;
  TokenizerEn: Ctor<TokenizerInstance>;
  StemmerEn: Ctor<StemmerInstance>;
};
/* eslint-enable @typescript-eslint/no-var-requires */

export const NeuralNetwork = neural.NeuralNetwork;

export const LANGUAGE_PACKAGES: Record<'nl' | 'en', LanguagePackage> = {
  nl: { Normalizer: langNl.NormalizerNl, Tokenizer: langNl.TokenizerNl, Stemmer: langNl.StemmerNl },
  en: { Normalizer: langEn.NormalizerEn, Tokenizer: langEn.TokenizerEn, Stemmer: langEn.StemmerEn },
};

/** A fresh NLP.js container (no global state shared with other users of NLP.js in the process). */
export function newContainer(): unknown {
  return core.containerBootstrap();
}

/** Versions of the NLP.js packages the model depends on; part of the model fingerprint. */
export function nlpjsVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['@nlpjs/neural', '@nlpjs/lang-nl', '@nlpjs/lang-en', '@nlpjs/core']) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    out[name] = (require(`${name}/package.json`) as { version: string }).version;
  }
  return out;
}
