import type { RouteClassifier } from '../../src/domain/routes';
import { Harness, tempDbFile } from '../helpers/harness';
import { play } from '../helpers/script';

let db: ReturnType<typeof tempDbFile>;
let h: Harness;

afterEach(async () => {
  await h.close();
  db.cleanup();
});

async function open(classifier?: RouteClassifier) {
  db = tempDbFile();
  h = await Harness.open({ file: db.file, classifier });
  await h.join();
}

const LAMP = 'Ik heb een klacht over de lantaarnpaal voor mijn huis, die is al twee weken kapot';

describe('what is not a complaint is referred, and may still be a complaint', () => {
  test('chosen by button: a referral explains, links, and "no" ends without storing', async () => {
    await open();
    await play(h, [
      [LAMP, /Waar gaat het over/],
      ['Iets op straat', /kapot of vies.*Fixi.*schade-of-overlast-melden.*ook.*behandeld/s],
      ['Nee, dat was het', /niets opgeslagen/],
    ]);
    expect(await h.complaints.countComplaints()).toBe(0);
  });

  test('"it is a complaint after all" continues the intake with the story kept', async () => {
    await open();
    await play(h, [
      ['Ik heb al drie keer een melding gedaan in Fixi over de lantaarnpaal en niemand doet iets', /Waar gaat het over/],
      ['4', /Fixi/],
      ['Ja, ook een klacht', /ook uw klacht op.*Wanneer/s],
    ]);
  });

  test.each([
    ['2', /bezwaar.*bezwaarschrift-indienen/s],
    ['3', /WOZ.*bezwaar/s],
    ['5', /schadevergoeding/s],
    ['6', /zorgaanbieder.*klacht-over-een-zorgaanbieder/s],
    ['7', /vraag.*020 540 49 11.*amstelveen\.nl\/contact/s],
  ])('route %s gives its referral with the link from the municipality file', async (choice, expected) => {
    await open();
    await play(h, [['Ik ben het helemaal niet eens met wat de gemeente heeft gedaan en wil dat het anders', /Waar gaat het over/], [choice, expected]]);
  });

  test('a confident recogniser skips the question; "unclear" falls back to the buttons', async () => {
    const classifier: RouteClassifier = {
      classify: (text) => (/lantaarnpaal/.test(text) ? { route: 'report', confidence: 0.95 } : { route: 'unclear', confidence: 0.3 }),
    };
    await open(classifier);
    await play(h, [[LAMP, /kapot of vies.*Fixi/s], ['nee', /niets opgeslagen/]]);
    await play(h, [['Ik snap echt niet wat er allemaal gebeurd is met mijn aanvraag bij jullie', /Waar gaat het over/]]);
  });

  test('the referred route is kept on a complaint that continues', async () => {
    await open();
    await play(h, [
      ['Mijn WOZ bezwaar ligt al acht maanden stil en niemand antwoordt op mijn mails', /Genoteerd: Waar: Per e-mail of brief.*Waar gaat het over/s],
      ['Belasting of WOZ', /WOZ/],
      ['ja', /ook uw klacht op.*Wanneer gebeurde het\? En over wie/s],
      // nothing found in the answer: each still-missing detail is asked on its own
      ['weet ik niet', /Wanneer gebeurde het\? Schrijf/],
    ]);
  });
});

test('with the trained recogniser: a street report is referred at once, a handling complaint goes straight on', async () => {
  const { createRouteClassifier } = await import('../../src/routing/classifier');
  await open(await createRouteClassifier());
  await play(h, [[LAMP, /kapot of vies.*Fixi/s], ['Nee, dat was het', /niets opgeslagen/]]);
  await play(h, [['Ik heb de kapotte lantaarnpaal al drie keer gemeld in Fixi en niemand reageert, ik hoor gewoon niks', /Wanneer en waar gebeurde het/]]);
});
