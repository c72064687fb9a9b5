import { extractDetails, type StoryDetails } from '../../src/domain/extract';
import type { Locale } from '../../src/domain/routes';

/** Tuesday 24 November 2026, 10:00 in Amsterdam. */
const NOW = new Date('2026-11-24T09:00:00Z');
const nl = { locale: 'nl' as Locale, now: NOW };
const en = { locale: 'en' as Locale, now: NOW };
const place = (story: string, opts = nl) => extractDetails(story, opts).place;
const person = (story: string, opts = nl) => extractDetails(story, opts).person;

describe('extractDetails: a whole story', () => {
  test('Dutch: date, place and person', () => {
    const details: StoryDetails = extractDetails(
      'Eergisteren stond ik aan de balie van het stadhuis en mevrouw Jansen was erg onbeleefd tegen mij.',
      nl,
    );
    expect(details).toEqual({
      date: { date: '2026-11-22', text: 'Eergisteren' },
      place: { kind: 'counter', text: 'aan de balie' },
      person: { kind: 'staff', text: 'mevrouw Jansen' },
    });
  });

  test('English: date, place and department', () => {
    expect(
      extractDetails('Last Monday I called the Civil Affairs department and was put on hold for an hour.', en),
    ).toEqual({
      date: { date: '2026-11-23', text: 'Last Monday' },
      place: { kind: 'phone', text: 'called' },
      person: { kind: 'department', text: 'the Civil Affairs department' },
    });
  });

  test('a story with none of these details gives {}', () => {
    expect(extractDetails('Ik ben heel ontevreden over hoe ik ben behandeld. Niemand luistert.', nl)).toEqual({});
    expect(extractDetails('I am very unhappy with how I was treated. Nobody listens.', en)).toEqual({});
    expect(extractDetails('', nl)).toEqual({});
  });
});

describe('place', () => {
  test.each([
    ['Ik stond bij het loket en moest een uur wachten.', 'counter', 'bij het loket'],
    ['De baliemedewerker wilde mij niet helpen.', 'counter', 'baliemedewerker'],
    ['Ik was op het gemeentehuis voor een paspoort.', 'counter', 'op het gemeentehuis'],
    ['Ik ben naar het raadhuis gegaan.', 'counter', 'het raadhuis'],
    ['Ik heb drie keer gebeld en niemand nam op.', 'phone', 'gebeld'],
    ['Ze belden mij terug maar de medewerker aan de lijn was kortaf.', 'phone', 'belden'],
    ['Ik werd telefonisch afgescheept.', 'phone', 'telefonisch'],
    ['Ik heb het stadhuis gebeld.', 'phone', 'gebeld'],
    ['Ik heb een mailtje gestuurd en nooit antwoord gekregen.', 'mail', 'mailtje'],
    ['Ik kreeg een brief met verkeerde informatie.', 'mail', 'brief'],
    ['Ik heb het formulier op de website ingevuld.', 'website', 'formulier'],
    ['In Mijn Amstelveen staat mijn aanvraag nog steeds open.', 'website', 'Mijn Amstelveen'],
    ['Inloggen met DigiD lukte niet.', 'website', 'DigiD'],
    ['Er stond een handhaver aan de deur die schreeuwde.', 'home', 'aan de deur'],
    ['Tijdens het huisbezoek werd ik niet serieus genomen.', 'home', 'huisbezoek'],
    ['Een handhaver sprak mij op straat onbeschoft aan.', 'elsewhere', 'op straat'],
  ])('nl: %s', (story, kind, text) => {
    expect(place(story)).toEqual({ kind, text });
  });

  test.each([
    ['I waited at the counter for two hours.', 'counter', 'at the counter'],
    ['The lady at the front desk laughed at me.', 'counter', 'at the front desk'],
    ['I went in the town hall and nobody helped me.', 'counter', 'in the town hall'],
    ['I was on the phone for 45 minutes.', 'phone', 'on the phone'],
    ['I phoned them three times.', 'phone', 'phoned'],
    ['I sent an email and a letter, no reply.', 'mail', 'email'],
    ['The online form kept crashing.', 'website', 'online form'],
    ['An inspector came to my house unannounced.', 'home', 'came to my house'],
    ['They were rude to me at my door.', 'home', 'at my door'],
  ])('en: %s', (story, kind, text) => {
    expect(place(story, en)).toEqual({ kind, text });
  });

  test('in person beats remote: a call about a visit to the counter is about the counter', () => {
    expect(place('Ik had gebeld voor een afspraak, maar aan het loket wisten ze van niets.')).toEqual({
      kind: 'counter',
      text: 'aan het loket',
    });
  });

  test('a bare "thuis" counts only when nothing better is there', () => {
    expect(place('Ik zat thuis te wachten op een reactie.')).toEqual({ kind: 'home', text: 'thuis' });
    expect(place('Ik zat thuis te wachten tot ze zouden terugbellen.')).toEqual({ kind: 'phone', text: 'terugbellen' });
  });

  test('negatives', () => {
    expect(place('Mijn telefoonnummer en e-mailadres staan in het systeem.')).toBeUndefined();
    expect(place('Ik krijg thuiszorg en ben daar ontevreden over.')).toBeUndefined();
    expect(place('We had a brief conversation about my permit.', en)).toBeUndefined();
    expect(place('My phone number is in the system.', en)).toBeUndefined();
    expect(place('The helpdesk never answered my question.', en)).toBeUndefined();
  });
});

describe('person', () => {
  test.each([
    ['Ik wil een klacht indienen over de burgemeester.', 'burgemeester', 'de burgemeester'],
    ['Wethouder De Vries beloofde mij een reactie.', 'wethouder', 'Wethouder De Vries'],
    ['De gemeentesecretaris heeft mijn brief genegeerd.', 'gemeentesecretaris', 'De gemeentesecretaris'],
    ['Meneer Van den Berg was onbeleefd.', 'staff', 'Meneer Van den Berg'],
    ['Ik sprak met de heer Yilmaz.', 'staff', 'de heer Yilmaz'],
    ['Ik werd van de afdeling Burgerzaken naar de afdeling Belastingen gestuurd.', 'department', 'de afdeling Burgerzaken'],
    ['De afdeling Werk en Inkomen reageert niet.', 'department', 'De afdeling Werk en Inkomen'],
    ['Ik belde de afdeling vergunningen.', 'department', 'de afdeling vergunningen'],
    ['De medewerker was onbeleefd tegen mij.', 'staff', 'De medewerker'],
    ['Een ambtenaar heeft mijn dossier kwijtgemaakt.', 'staff', 'Een ambtenaar'],
    ['De loketmedewerkster schreeuwde.', 'staff', 'De loketmedewerkster'],
  ])('nl: %s', (story, kind, text) => {
    expect(person(story)).toEqual({ kind, text });
  });

  test.each([
    ['The mayor never answered my letter.', 'burgemeester', 'The mayor'],
    ['I wrote to alderwoman Smith twice.', 'wethouder', 'alderwoman Smith'],
    ['The town clerk refused to see me.', 'gemeentesecretaris', 'The town clerk'],
    ['Mrs. Jones hung up on me.', 'staff', 'Mrs. Jones'],
    ['I called the housing department.', 'department', 'the housing department'],
    ['The Department of Social Affairs lost my file.', 'department', 'The Department of Social Affairs'],
    ['The employee was rude.', 'staff', 'The employee'],
    ['A staff member shouted at me.', 'staff', 'A staff member'],
    ['An official told me to go away.', 'staff', 'An official'],
  ])('en: %s', (story, kind, text) => {
    expect(person(story, en)).toEqual({ kind, text });
  });

  test('the most specific wins: an office over a department over a generic staff member', () => {
    expect(person('De medewerker van de afdeling Parkeren zei dat de wethouder het zo wilde.')).toEqual({
      kind: 'wethouder',
      text: 'de wethouder',
    });
    expect(person('De medewerker van de afdeling Parkeren was kortaf.')).toEqual({
      kind: 'department',
      text: 'de afdeling Parkeren',
    });
    expect(person('Mevrouw Bakker van de afdeling Burgerzaken was kortaf.')).toEqual({
      kind: 'staff',
      text: 'Mevrouw Bakker',
    });
  });

  test('negatives', () => {
    expect(person('Ik woon aan de Burgemeester Haspelslaan en mijn klacht gaat over het afval.')).toBeUndefined();
    expect(person('Op de Wethouder Van Dijklaan is het altijd druk.')).toBeUndefined();
    expect(person('Ik werd van afdeling naar afdeling gestuurd.')).toBeUndefined();
    expect(person('Ik werd naar een andere afdeling doorverwezen.')).toBeUndefined();
    expect(person('I want to file an official complaint.', en)).toBeUndefined();
    expect(person('They sent me from one department to another department.', en)).toBeUndefined();
    expect(person('Mijn buurman heeft een vergunning gekregen.')).toBeUndefined();
  });
});
