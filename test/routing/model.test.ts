import { LOCALES, RECOGNISED_ROUTES, ROUTES } from '../../src/domain/routes';
import { checkCorpus, trainingCorpus } from '../../src/routing/corpus';
import { deserializeModels, modelFingerprint, serializeModels, trainAll } from '../../src/routing/model';
import { defaultModelPath, readModelFile } from '../../src/routing/model-file';

/**
 * The training corpus and the prebuilt model: the model file must be what training on the current
 * corpus produces (training is deterministic), so nobody ships a model that the data does not explain.
 * Training runs once in this file (under a second per language).
 */

describe('training corpus', () => {
  it.each(LOCALES)('%s has hundreds of distinct utterances per route, each in one route only', (locale) => {
    const corpus = trainingCorpus(locale);
    const seen = new Map<string, string>();
    for (const route of RECOGNISED_ROUTES) {
      const list = corpus.routes[route];
      expect(list.length).toBeGreaterThanOrEqual(ROUTES.includes(route as never) ? 200 : 80);
      for (const text of list) {
        const key = text.toLowerCase().trim();
        expect({ text, route, alsoIn: seen.get(key) }).toEqual({ text, route, alsoIn: undefined });
        seen.set(key, route);
      }
    }
  });

  it('rejects malformed corpora', () => {
    expect(() => checkCorpus({ locale: 'en', routes: {} }, 'nl')).toThrow(/locale/);
    expect(() => checkCorpus({ locale: 'nl', routes: { complaint: ['x'] } }, 'nl')).toThrow(/objection/);
    expect(() => checkCorpus({ locale: 'nl', routes: { bogus: ['x'] } }, 'nl')).toThrow(/unknown route/);
  });
});

describe('prebuilt model', () => {
  const file = readModelFile(defaultModelPath());
  let trained: ReturnType<typeof trainAll>;

  beforeAll(() => {
    trained = trainAll();
  });

  it('exists and matches the current training data (else run: npx tsc -p . && node dist/src/routing/train.js)', () => {
    expect(file).toBeDefined();
    expect(file!.fingerprint).toBe(modelFingerprint());
  });

  it('is exactly what training on the corpus produces (training is deterministic)', () => {
    // The file was written by an earlier training run; this run must reproduce it weight for weight.
    expect(serializeModels(trained).languages).toEqual(file!.languages);
  });

  it('scores the same after a save and load round trip', () => {
    const loaded = deserializeModels(serializeModels(trained));
    for (const locale of LOCALES) {
      for (const text of ['De lantaarnpaal is kapot', 'Niemand neemt op', 'WOZ te hoog']) {
        expect(loaded[locale].scores(text)).toEqual(trained[locale].scores(text));
      }
    }
  });

  it('changes its fingerprint when the training data changes', () => {
    const corpora = { nl: trainingCorpus('nl'), en: trainingCorpus('en') };
    const changed = { ...corpora, nl: { ...corpora.nl, routes: { ...corpora.nl.routes, other: [...corpora.nl.routes.other, 'extra'] } } };
    expect(modelFingerprint(changed)).not.toBe(modelFingerprint(corpora));
  });
});
