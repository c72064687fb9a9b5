import { harnessPerTest } from '../helpers/harness';
import { DUTCH_TO_SUMMARY, STORY_NL, play } from '../helpers/script';

const harness = harnessPerTest();

const TO_NAME = DUTCH_TO_SUMMARY.slice(0, 5);

describe('a citizen who mistypes is told what is wrong and asked again', () => {
  test('story too short', async () => {
    await play(harness(), [['slecht', /iets meer.*paar zinnen.*Wat is er gebeurd/s]]);
  });

  test('an unknown button answer', async () => {
    await play(harness(), [[STORY_NL, /Waar gaat het over/], ['banaan', /begreep ik niet.*knoppen.*Waar gaat het over/s], ['9', /Dan neem ik het op als klacht/]]);
  });

  test('dates: in the future, not understood, then understood', async () => {
    await play(harness(), [
      [STORY_NL, /Waar gaat het over/],
      ['1', /Wanneer/],
      // a day in the future is no answer (refused as such when the understanding step reads it, else not understood)
      ['morgen', /(in de toekomst|begreep ik niet).*Wanneer gebeurde het/s],
      ['blauw', /begreep ik niet.*gisteren, 14 november.*Wanneer/s],
      ['14 november', /Genoteerd: zaterdag 14 november 2026/],
    ]);
  });

  test('a date not understood three times is kept as typed', async () => {
    await play(harness(), [
      [STORY_NL, /Waar gaat het over/],
      ['1', /Wanneer/],
      ['blauw', /begreep ik niet/],
      ['groen', /begreep ik niet/],
      ['paars', /bewaar het zoals u het schreef/],
    ]);
  });

  test('name, address, phone and e-mail each get a specific explanation', async () => {
    await play(harness(), TO_NAME);
    await play(harness(), [
      ['J', /te kort voor een naam.*naam en adres/s],
      ['Jan Jansen', /Wat is uw adres/],
      ['Dorpsstraat', /mis het huisnummer.*Wat is uw adres/s],
      ['Dorpsstraat 12, 1182 JR Amstelveen', /telefoonnummer of e-mailadres/],
      ['jan', /telefoonnummer bestaat uit cijfers.*telefoonnummer of e-mailadres/s],
      ['jan@', /klopt niet.*telefoonnummer of e-mailadres/s],
      ['jan@example.nl', /Dit is uw klacht.*jan\\?@example\\?\.nl/s],
    ]);
  });

  test('after three wrong answers the citizen may try again, skip where allowed, or ask for a call', async () => {
    await play(harness(), TO_NAME.concat([['Jan Jansen', /adres/], ['Dorpsstraat 12, 1182 JR Amstelveen', /telefoonnummer of e-mailadres/]]));
    const replies = await play(harness(), [
      ['jan', /cijfers/],
      ['jan@', /klopt niet/],
      ['jan@x', /lukt nog niet.*020 540 49 11/s],
    ]);
    expect(replies.join()).toMatch(/Bel mij terug/);
    await play(harness(), [['Overslaan', /Dit is uw klacht.*Telefoon: \(niet ingevuld\)/s]]);
  });

  test('a required field after three wrong answers offers to try again (no skip)', async () => {
    await play(harness(), TO_NAME);
    await play(harness(), [
      ['1', /naam en adres/],
      ['2', /naam en adres/],
      ['3', /lukt nog niet met uw adres/],
      ['Overslaan', /lukt nog niet met uw adres/],
      // the button is an answer, not a request to start again
      ['Opnieuw proberen', /naam en adres|Wat is uw adres/],
    ]);
  });
});
