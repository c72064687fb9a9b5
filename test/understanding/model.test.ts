import { existsSync } from 'fs';
import { intentCorpora, intentFingerprint, intentModelPath, loadIntentModels, trainIntentModels, checkIntentCorpus } from '../../src/understanding/intentModel';

describe('the prebuilt intent model', () => {
  test('exists and matches the corpus (else run `npm run train:understanding`)', () => {
    expect(existsSync(intentModelPath())).toBe(true);
    expect(loadIntentModels().source).toBe('model');
  });

  test('loaded and freshly trained models give the same scores', () => {
    const loaded = loadIntentModels().models;
    const trained = trainIntentModels();
    for (const text of ['kan ik iemand spreken?', 'gisteren aan de balie', 'wat gebeurt er met mijn gegevens?']) {
      expect(loaded.nl.scores(text).scores).toEqual(trained.nl.scores(text).scores);
    }
  });

  test('the fingerprint changes with the corpus', () => {
    const corpora = intentCorpora();
    const changed = { ...corpora, nl: { ...corpora.nl, intents: { ...corpora.nl.intents, stop: [...corpora.nl.intents.stop, 'nieuw'] } } };
    expect(intentFingerprint(changed)).not.toBe(intentFingerprint(corpora));
  });

  test('a malformed corpus is refused with the reason', () => {
    expect(() => checkIntentCorpus({ locale: 'nl', intents: { stop: [] } }, 'nl')).toThrow(/label/);
    expect(() => checkIntentCorpus({ locale: 'en', intents: {} }, 'nl')).toThrow(/wrong shape/);
  });
});
