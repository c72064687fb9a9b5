import type { Locale } from '../domain/routes';
import { FeatureVector, LANGUAGE_PACKAGES, NormalizerInstance, StemmerInstance, TokenizerInstance, newContainer } from './nlpjs';

/**
 * Turns a citizen's message into the model's input, a set of binary features:
 * - the NLP.js stems of its words (normalised: lower case, accents removed; Snowball stemmer for
 *   Dutch or English); numbers collapse to one feature, so "3 weken" and "14 weken" look the same;
 * - for long words, their first and last five letters ("<thuis", "werker>"): Dutch glues words into
 *   compounds ("thuiszorgmedewerkster", "gemeenteboom") and people misspell long words, so a
 *   compound never seen in training still shares features with its parts;
 * - `#question` when the message is phrased as a question (a general question is route `other`,
 *   and "hoe maak ik bezwaar" differs from a story about a decision).
 * Cross-validation on the training corpus chose these (each added one to two points of accuracy).
 */

/** Longer input is cut here before classification: bounds the time per message. */
export const MAX_CLASSIFIED_CHARS = 4000;

/** NLP.js's tokenizer and stemmer cache every text/word they see; recycling bounds that memory. */
const RECYCLE_AFTER = 20_000;

/** Bumped whenever the feature extraction changes, so prebuilt models are rebuilt. */
export const FEATURE_VERSION = 'stems+affix5+question-v1';

const AFFIX_MIN_LENGTH = 8;
const AFFIX_LENGTH = 5;

const QUESTION: Record<Locale, RegExp> = {
  nl: /^(hoe|wat|wanneer|waar|welke|wie|waarom|kan ik|kunnen|kunt u|mag ik|moet ik|heb ik|is het|is er|zijn)\b|\?\s*$/,
  en: /^(how|what|when|where|which|who|why|can i|could|may i|do i|does|is there|is it|are)\b|\?\s*$/,
};

const NUMBER = /^\d+([.,]\d+)?(e|ste|de|x)?$/;

export class FeatureExtractor {
  private normalizer!: NormalizerInstance;
  private tokenizer!: TokenizerInstance;
  private stemmer!: StemmerInstance;
  private uses = 0;

  constructor(readonly locale: Locale) {
    this.reset();
  }

  private reset(): void {
    const pkg = LANGUAGE_PACKAGES[this.locale];
    const container = newContainer();
    this.normalizer = new pkg.Normalizer(container);
    this.tokenizer = new pkg.Tokenizer(container);
    this.stemmer = new pkg.Stemmer(container);
    this.uses = 0;
  }

  /** Normalised, tokenised and stemmed words, in order (duplicates kept). */
  stems(text: string): string[] {
    if (++this.uses > RECYCLE_AFTER) this.reset();
    const normalized = this.normalizer.normalize(text.slice(0, MAX_CLASSIFIED_CHARS));
    const tokens = this.tokenizer.tokenize(normalized, false);
    return this.stemmer
      .stemWords(tokens)
      .map((s) => (NUMBER.test(s) ? '#num' : s))
      .filter((s) => s.length > 0);
  }

  features(text: string): FeatureVector {
    const out: FeatureVector = {};
    for (const s of this.stems(text)) {
      out[s] = 1;
      if (s.length >= AFFIX_MIN_LENGTH && s[0] !== '#') {
        out[`<${s.slice(0, AFFIX_LENGTH)}`] = 1;
        out[`${s.slice(-AFFIX_LENGTH)}>`] = 1;
      }
    }
    if (QUESTION[this.locale].test(this.normalizer.normalize(text.slice(0, MAX_CLASSIFIED_CHARS)).trim())) out['#question'] = 1;
    return out;
  }
}
