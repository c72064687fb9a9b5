import en from '../locales/en.json';
import nl from '../locales/nl.json';
import { translator } from '../src/i18n';

test('texts with variables are rendered per call; texts without come back the same each time, in each language', () => {
  const t = translator('nl');
  expect(translator('nl')).toBe(t);
  const a = t('person.confirm', { person: 'mevrouw Jansen' });
  const b = t('person.confirm', { person: 'de burgemeester' });
  expect(a).toContain('mevrouw Jansen');
  expect(b).toContain('de burgemeester');
  expect(t('choices.yes')).toBe(nl.choices.yes);
  expect(t('choices.yes')).toBe(nl.choices.yes);
  expect(translator('en')('choices.yes')).toBe(en.choices.yes);
  expect(translator('en')('person.confirm', { person: 'Mr Smith' })).toContain('Mr Smith');
});

test('nl and en have the same keys, and every text is filled in', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
  expect(keys(en).sort()).toEqual(keys(nl).sort());
  const texts = (o: object): unknown[] => Object.values(o).flatMap((v) => (v && typeof v === 'object' ? texts(v as object) : [v]));
  for (const text of [...texts(nl), ...texts(en)]) expect(typeof text === 'string' && text.trim().length > 0).toBe(true);
});
