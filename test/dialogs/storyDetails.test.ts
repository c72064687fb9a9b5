import { newDraft, setStory, storyDetails, type Draft } from '../../dialogs/draft';

const TUESDAY = new Date('2026-11-24T09:00:00Z');
const THURSDAY = new Date('2026-11-26T09:00:00Z');

test('what the story says is worked out once and kept in the draft (also through saved state), relative to when it was told', () => {
  const draft = newDraft();
  setStory(draft, 'Gisteren stond ik aan de balie van het stadhuis en mevrouw Jansen was erg onvriendelijk tegen mij.');
  const found = storyDetails(draft, { locale: 'nl', now: TUESDAY });
  expect(found.date).toEqual({ date: '2026-11-23', text: 'Gisteren' });
  expect(found.place?.kind).toBe('counter');
  expect(found.person).toEqual({ kind: 'staff', text: 'mevrouw Jansen' });
  // state is saved as JSON between turns; two days later "gisteren" still means the day before the story was told
  const restored = JSON.parse(JSON.stringify(draft)) as Draft;
  expect(storyDetails(restored, { locale: 'nl', now: THURSDAY })).toEqual(found);
});

test('a corrected story is read again; without a story there is nothing', () => {
  const draft = newDraft();
  expect(storyDetails(draft, { locale: 'nl', now: TUESDAY })).toEqual({});
  setStory(draft, 'Gisteren stond ik aan de balie en niemand hielp mij, ik moest twee uur wachten.');
  expect(storyDetails(draft, { locale: 'nl', now: TUESDAY }).place?.kind).toBe('counter');
  setStory(draft, 'Ik heb drie keer gebeld en de medewerker aan de telefoon hing steeds op.');
  const again = storyDetails(draft, { locale: 'nl', now: TUESDAY });
  expect(again.date).toBeUndefined();
  expect(again.place?.kind).toBe('phone');
});
