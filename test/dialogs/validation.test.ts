import { harnessPerTest } from '../helpers/harness';
import { DUTCH_TO_SUMMARY, STORY_NL, play } from '../helpers/script';

const harness = harnessPerTest();

const TO_NAME = DUTCH_TO_SUMMARY.slice(0, 6);

describe('a citizen who mistypes is told what is wrong and asked again', () => {
  test('story too short', async () => {
    await play(harness(), [['slecht', /iets meer.*paar zinnen.*Wat is er gebeurd/s]]);
  });

  test('an unknown button answer', async () => {
    await play(harness(), [[STORY_NL, /Waar gaat het over/], ['banaan', /begreep ik niet.*knoppen.*Waar gaat het over/s], ['9', /begreep ik niet/]]);
  });

  test('dates: in the future, not understood, then understood', async () => {
    await play(harness(), [
      [STORY_NL, /Waar gaat het over/],
      ['1', /Klopt dat/],
      ['Ja', /Wanneer/],
      // a day in the future is no answer (refused as such when the understanding step reads it, else not understood)
      ['morgen', /(in de toekomst|begreep ik niet).*Wanneer gebeurde het/s],
      ['blauw', /begreep ik niet.*gisteren, 14 november.*Wanneer/s],
      ['14 november', /Genoteerd: zaterdag 14 november 2026/],
    ]);
  });

  test('a date not understood three times is kept as typed', async () => {
    await play(harness(), [
      [STORY_NL, /Waar gaat het over/],
      ['1', /Klopt dat/],
      ['Ja', /Wanneer/],
      ['blauw', /begreep ik niet/],
      ['groen', /begreep ik niet/],
      ['paars', /bewaar het zoals u het schreef/],
    ]);
  });

  test('name, phone, street, postcode, city and e-mail each get a specific explanation', async () => {
    await play(harness(), TO_NAME);
    await play(harness(), [
      ['J', /te kort voor een naam.*Wat is uw naam/s],
      ['Jan 2', /geen cijfers.*Wat is uw naam/s],
      ['Jan Jansen', /telefoonnummer/],
      ['bel maar', /bestaat uit cijfers/],
      ['0612', /te kort/],
      ['0612345678901', /lukt niet goed met uw telefoonnummer/],
      ['Opnieuw proberen', /telefoonnummer/],
      ['0612345678901', /bestaat niet/],
      ['06 1234 5678', /straat en huisnummer/],
      ['Dorpsstraat', /mis het huisnummer/],
      ['12', /mis de straatnaam/],
      ['Dorpsstraat 12', /postcode/],
      ['1182', /mis de letters/],
      ['1182 SS', /geen Nederlandse postcode/],
      ['1182 JR', /plaats/],
      ['1182', /geen cijfers/],
      ['Amstelveen', /e-mailadres/],
      ['jan.example.nl', /heeft een @/],
      ['jan@', /klopt niet/],
      ['jan@example.nl', /Dit is uw klacht.*jan\\@example\\\.nl/s], // shown as text: markdown escaped (dialogs/text.ts citizenText)
    ]);
  });

  test('after three wrong answers the citizen may try again, skip where allowed, or ask for a call', async () => {
    await play(harness(), TO_NAME.concat([['Jan Jansen', /telefoonnummer/], ['0612345678', /straat/], ['Dorpsstraat 12', /postcode/], ['1182 JR', /plaats/], ['Amstelveen', /e-mail/]]));
    const replies = await play(harness(), [
      ['jan', /@/],
      ['jan@', /klopt niet/],
      ['jan@x', /lukt niet goed met uw e-mailadres.*020 540 49 11/s],
    ]);
    expect(replies.join()).toMatch(/Bel mij terug/);
    await play(harness(), [['Geen e-mail', /Dit is uw klacht/]]);
  });

  test('a required field after three wrong answers offers to try again (no skip)', async () => {
    await play(harness(), TO_NAME);
    await play(harness(), [
      ['1', /naam/],
      ['2', /naam/],
      ['3', /lukt niet goed met uw naam/],
      ['Overslaan', /Dat begreep ik niet/],
      ['Opnieuw proberen', /Wat is uw naam/],
      ['Jan Jansen', /telefoonnummer/],
    ]);
  });
});
