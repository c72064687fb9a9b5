import { LOCALES, Locale, RECOGNISED_ROUTES } from '../../src/domain/routes';
import { createRouteClassifier, RoutingClassifier } from '../../src/routing/classifier';
import { trainingUtterances } from '../../src/routing/corpus';
import { evaluate, formatReport, loadEvaluationSet, Prediction } from '../../src/routing/metrics';

/**
 * The recogniser against the evaluation sets (test/fixtures/routes-eval.<locale>.jsonl, written
 * separately from the training data and never trained on), and against the hard cases of the domain.
 */

const MIN_ACCURACY = 0.9;
const MAX_COMPLAINTS_SENT_AWAY = 0.03;

let classifier: RoutingClassifier;
let stdoutWrites = 0;
let consoleCalls = 0;

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout);
  const spyOut = jest.spyOn(process.stdout, 'write').mockImplementation((...args: Parameters<typeof write>) => {
    stdoutWrites += 1;
    return write(...args);
  });
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation(() => {
      consoleCalls += 1;
    }),
  );
  classifier = await createRouteClassifier();
  for (const locale of LOCALES) for (const m of loadEvaluationSet(locale)) classifier.classify(m.text, locale);
  spyOut.mockRestore();
  for (const s of spies) s.mockRestore();
});

afterAll(() => classifier.close());

/** Lower case, accents and punctuation removed, whitespace collapsed. */
function canonical(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

describe.each(LOCALES)('evaluation set (%s)', (locale: Locale) => {
  const set = loadEvaluationSet(locale);

  it('has at least 150 messages covering every route, hard cases included', () => {
    expect(set.length).toBeGreaterThanOrEqual(150);
    for (const route of RECOGNISED_ROUTES) expect(set.some((m) => m.route === route)).toBe(true);
    expect(set.filter((m) => m.route === 'complaint').length).toBeGreaterThanOrEqual(50);
    // complaints about the handling of a report, an objection or a care request
    const hard = set.filter((m) => m.route === 'complaint' && /fixi|melding|bezwaar|objection|objected|wmo|thuiszorg|jeugdhulp|youth care|woz|claim/i.test(m.text));
    expect(hard.length).toBeGreaterThanOrEqual(8);
    // public-space reports that say "klacht"/"complaint"
    expect(set.some((m) => m.route === 'report' && /klacht|complaint/i.test(m.text))).toBe(true);
  });

  it('shares no text with the training data, not even up to case, accents and punctuation', () => {
    const training = new Set(trainingUtterances(locale).map((u) => canonical(u.text)));
    const overlap = set.filter((m) => training.has(canonical(m.text))).map((m) => m.text);
    expect(overlap).toEqual([]);
  });

  it(`reaches ${MIN_ACCURACY * 100}% accuracy and sends at most ${MAX_COMPLAINTS_SENT_AWAY * 100}% of complaints elsewhere`, () => {
    const predictions: Prediction[] = set.map((m) => {
      const c = classifier.classify(m.text, locale);
      return { ...m, predicted: c.route, confidence: c.confidence };
    });
    const report = evaluate(predictions);
    const summary = formatReport(locale, report, { errors: true });
    expect({ accuracy: report.accuracy >= MIN_ACCURACY, summary }).toEqual({ accuracy: true, summary });
    expect({ sentAway: report.complaintMisroutedRate <= MAX_COMPLAINTS_SENT_AWAY, summary }).toEqual({ sentAway: true, summary });
  });
});

describe('hard cases from the domain reference', () => {
  it.each([
    ['Ik heb een klacht over de lantaarnpaal', 'nl', 'report'],
    ['I reported the lamp post in Fixi three times and nobody responds', 'en', 'complaint'],
    ['My objection was supposed to be decided in 6 weeks, it has been 5 months', 'en', 'complaint'],
    ['Mijn bezwaar had binnen zes weken beslist moeten zijn, het is nu vijf maanden later', 'nl', 'complaint'],
    ['De thuiszorg komt al twee weken niet', 'nl', 'care'],
    ['Ik heb in maart thuiszorg aangevraagd en de gemeente heeft nog steeds niet gereageerd', 'nl', 'complaint'],
    ['Mijn buren krijgen een vergunning voor een dakkapel, daar ben ik het niet mee eens', 'nl', 'objection'],
    ['De WOZ-waarde van mijn huis is te hoog', 'nl', 'tax-objection'],
    ['Er is een boom van de gemeente op mijn auto gevallen', 'nl', 'damage'],
    ['Hoe laat is het gemeentehuis open?', 'nl', 'other'],
    ['The woman at the desk was really rude to me', 'en', 'complaint'],
    ['The Wmo taxi was an hour late again', 'en', 'care'],
  ] as const)('%s -> %s', (text, locale, route) => {
    expect(classifier.classify(text, locale).route).toBe(route);
  });

  it.each([
    ['hallo', 'nl'],
    ['ik heb een klacht', 'nl'],
    ['ik wil klagen', 'nl'],
    ['help', 'en'],
    ['I want to make a complaint', 'en'],
    ['asdf qwerty', 'en'],
  ] as const)('short ambiguous message "%s" is unclear', (text, locale) => {
    expect(classifier.classify(text, locale).route).toBe('unclear');
  });
});

describe('classifier behaviour', () => {
  it('loads the prebuilt model', () => {
    expect(classifier.source).toBe('model');
  });

  it('prints nothing while loading and classifying', () => {
    expect(stdoutWrites).toBe(0);
    expect(consoleCalls).toBe(0);
  });

  it('is deterministic and returns a confidence between 0 and 1', () => {
    const text = 'Niemand neemt op bij de gemeente en ik wacht al weken op antwoord';
    const a = classifier.classify(text, 'nl');
    expect(classifier.classify(text, 'nl')).toEqual(a);
    expect(a.confidence).toBeGreaterThanOrEqual(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
    expect(Object.keys(a).sort()).toEqual(['confidence', 'route']);
  });

  it('explains a decision with the scores and the rule that fired', () => {
    const e = classifier.explain('Ik heb drie keer een melding in Fixi gedaan en krijg nooit een reactie', 'nl');
    expect(e.route).toBe('complaint');
    expect(e.knownFeatures).toBeGreaterThan(3);
    expect(Object.keys(e.scores).sort()).toEqual([...RECOGNISED_ROUTES].sort());
    expect(e.handling).toBeDefined();
  });

  it('answers unclear for empty or unknown text, and cuts very long text', () => {
    expect(classifier.classify('', 'nl').route).toBe('unclear');
    expect(classifier.classify('   ', 'en').route).toBe('unclear');
    expect(classifier.classify('zxqv wqpl', 'nl')).toEqual({ route: 'unclear', confidence: 1 });
    const long = 'De medewerker aan de balie was onbeschoft. '.repeat(2000);
    expect(classifier.classify(long, 'nl').route).toBe('complaint');
  });

  it('rejects an unknown locale', () => {
    expect(() => classifier.classify('hello', 'de' as Locale)).toThrow(RangeError);
  });

  it('can run without the rule layer, and stops after close()', async () => {
    const bare = await createRouteClassifier({ rules: false });
    expect(bare.explain('Mijn melding: nog steeds geen reactie', 'nl').handling).toBeUndefined();
    bare.close();
    expect(() => bare.classify('hallo', 'nl')).toThrow(/closed/);
  });
});
