import { ActivityTypes } from 'botbuilder';
import { Harness, NOW, buttonsOf, tempDbFile } from '../helpers/harness';
import { DUTCH_TO_SUMMARY, STORY_NL, play } from '../helpers/script';

let db: ReturnType<typeof tempDbFile>;
let h: Harness;

beforeEach(async () => {
  db = tempDbFile();
  h = await Harness.open({ file: db.file });
});

afterEach(async () => {
  await h.close().catch(() => undefined);
  db.cleanup();
});

describe('the intake conversation', () => {
  test('welcome says it is a computer program, how to reach a person, and asks what happened', async () => {
    const replies = await h.join();
    expect(replies[0]).toMatch(/computerprogramma, geen mens/);
    expect(replies[0]).toMatch(/020 540 49 11/);
    expect(replies[0]).toMatch(/bel mij/);
    expect(replies[1]).toMatch(/Wat is er gebeurd/);
  });

  test('full path in Dutch files one complaint with every field', async () => {
    await h.join();
    await play(h, DUTCH_TO_SUMMARY);
    const done = await play(h, [['Ja, versturen', /Uw klacht is verstuurd.*KL-2026-[A-Z0-9]{6}/s]]);
    const reference = /KL-2026-[A-Z0-9]{6}/.exec(done.join('\n'))![0];
    expect(done.join('\n')).toMatch(/uiterlijk op \*\*maandag 30 november 2026\*\*/);
    expect(done.join('\n')).toMatch(/Ombudsman Metropool Amsterdam/);
    expect(done.join('\n')).toMatch(/klacht@amstelveen\.nl/);
    // the other ways to complain: e-mail and post (address from the municipality file)
    expect(done.join('\n')).toMatch(/ter attentie van de klachtenfunctionarissen, Laan Nieuwer-Amstel 1/);
    const stored = await h.complaints.getByReference(reference);
    expect(stored).toMatchObject({
      reference,
      status: 'received',
      route: 'complaint',
      locale: 'nl',
      channel: 'test',
      conversationId: 'conv-1',
      story: STORY_NL,
      incidentDate: '2026-11-17',
      incidentDateFrom: '2026-11-17',
      incidentDateTo: '2026-11-17',
      incidentDateText: 'vorige week dinsdag',
      placeKind: 'phone',
      person: 'de medewerker aan de telefoon',
      solution: null,
      contact: { name: 'Jan Jansen', phone: '+31612345678', street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen', email: null },
      callback: null,
    });
    expect(await h.complaints.countComplaints()).toBe(1);
  });

  test('full path in English follows the activity locale', async () => {
    await h.close();
    h = await Harness.open({ file: db.file, locale: 'en-GB', conversationId: 'conv-en' });
    expect((await h.join())[0]).toMatch(/computer program, not a person/);
    await play(h, [
      ['I called three times about my parking permit and nobody ever called me back as promised', /Noted: .*On the phone.*What is it about/s],
      ['How I was treated', /When did it happen\? And who is your complaint about/],
      ['yesterday, the mayor', /Noted: When: Monday 23 November 2026; About whom: the mayor.*solve this/s],
      ['Please just answer my emails within a week', /complaints officer/],
      ['No, continue', /name and address/],
      ['Anna Smith, Keizersgracht 12-3, 1015 CJ Amsterdam', /phone number or e-mail/],
      ['+44 20 7946 0958, anna@example.com', /This is your complaint.*Is everything correct/s],
    ]);
    const done = await play(h, [['Yes, send', /Your complaint has been sent.*KL-2026-/s]]);
    const reference = /KL-2026-[A-Z0-9]{6}/.exec(done.join('\n'))![0];
    expect(await h.complaints.getByReference(reference)).toMatchObject({
      locale: 'en',
      incidentDate: '2026-11-23',
      personKind: 'burgemeester',
      solution: 'Please just answer my emails within a week',
      contact: { phone: '+442079460958', email: 'anna@example.com', postcode: '1015 CJ' },
    });
  });

  test('a first message that tells the story is not asked again; buttons are offered for the route', async () => {
    const replies = await h.sayActivities(STORY_NL);
    expect(replies.map((r) => r.text).join('\n')).not.toMatch(/Wat is er gebeurd/);
    const route = replies[replies.length - 1];
    expect(buttonsOf(route)).toEqual(expect.arrayContaining(['Hoe ik behandeld ben', 'Oneens met besluit', 'Iets op straat', 'Zorgaanbieder']));
  });

  test('"ik wil een klacht indienen" is not taken for the story', async () => {
    await h.join();
    await play(h, [['Ik wil een klacht indienen', /Fijn dat u het wilt melden.*Wat is er gebeurd/s]]);
  });

  test('a date in the story is said back at once and not asked; the summary is its confirmation', async () => {
    await h.join();
    const told = await play(h, [
      ['Gisteren stond ik een uur aan de balie te wachten en toen was het loket ineens dicht', /Genoteerd: Wanneer: maandag 23 november 2026; Waar: Aan de balie.*Waar gaat het over/s],
      ['1', /Over wie gaat uw klacht/],
    ]);
    expect(told.join('\n')).not.toMatch(/Wanneer gebeurde het|Klopt dat/);
  });

  test('two or more missing details are asked in one question, and only what is still missing after it', async () => {
    await h.join();
    await play(h, [
      ['Ik wacht al maanden op antwoord over mijn vergunning en niemand laat iets van zich horen', /Waar gaat het over/],
      ['1', /Wanneer en waar gebeurde het\? En over wie gaat uw klacht/],
      // one answer with all three: none of them is asked again
      ['vorige week dinsdag aan de balie, een medewerker van burgerzaken', /Genoteerd: Wanneer: dinsdag 17 november 2026; Waar: Aan de balie; Over wie: .*medewerker.*oplossen/s],
    ]);
    await h.close();
    h = await Harness.open({ file: db.file, conversationId: 'conv-details-2' });
    await h.join();
    const replies = await play(h, [
      ['Ik wacht al maanden op antwoord over mijn vergunning en niemand laat iets van zich horen', /Waar gaat het over/],
      ['1', /Wanneer en waar gebeurde het/],
      // only the date: the place is still missing and asked on its own; whom was asked and not named
      ['eind oktober', /Genoteerd: Wanneer: eind oktober 2026.*Waar gebeurde het\? Kies/s],
      ['Aan de telefoon', /oplossen/],
    ]);
    expect(replies.join('\n')).not.toMatch(/Over wie/);
  });

  test('correcting a single field from the summary changes only that field', async () => {
    await h.join();
    await play(h, DUTCH_TO_SUMMARY);
    await play(h, [
      ['Iets aanpassen', /Wat wilt u aanpassen/],
      ['Telefoon', /telefoonnummer/],
      ['020 540 49 11', /Dit is uw klacht.*020 540 4911.*Klopt alles/s],
      ['Iets aanpassen', /Wat wilt u aanpassen/],
      ['Adres', /adres/],
      ['Laan Nieuwer-Amstel 1, 1182 JR Amstelveen', /Laan Nieuwer\\?-Amstel 1, 1182 JR Amstelveen/],
      ['Iets aanpassen', /Wat wilt u aanpassen/],
      ['Wanneer', /Wanneer gebeurde het/],
      ['weet ik niet precies', /Wanneer: weet ik niet precies/],
    ]);
    const done = await play(h, [['Ja, versturen', /KL-2026-/]]);
    const stored = await h.complaints.getByReference(/KL-2026-[A-Z0-9]{6}/.exec(done.join('\n'))![0]);
    expect(stored).toMatchObject({
      incidentDate: null,
      incidentDateText: 'weet ik niet precies',
      contact: { name: 'Jan Jansen', phone: '+31205404911', street: 'Laan Nieuwer-Amstel 1' },
    });
  });

  test('the same confirmation delivered twice (channel retry) files one complaint and answers once', async () => {
    await h.join();
    await play(h, DUTCH_TO_SUMMARY);
    const confirm = { type: ActivityTypes.Message, id: 'retry-1', text: 'Ja, versturen' };
    const first = await h.say(confirm);
    const second = await h.say(confirm);
    expect(first.join('\n')).toMatch(/KL-2026-/);
    expect(second).toEqual([]);
    expect(await h.complaints.countComplaints()).toBe(1);
  });

  test('two confirmations running at the same time file one complaint', async () => {
    await h.join();
    await play(h, DUTCH_TO_SUMMARY);
    await Promise.all([h.adapter.send('Ja, versturen').startTest(), h.adapter.send('Ja, versturen').startTest()]);
    expect(await h.complaints.countComplaints()).toBe(1);
  });

  test('a bot restarted mid-conversation carries on where the citizen was', async () => {
    await h.join();
    await play(h, DUTCH_TO_SUMMARY.slice(0, 6)); // up to the address question
    await h.close();
    h = await Harness.open({ file: db.file });
    await play(h, [
      ['Dorpsstraat 12, 1182jr Amstelveen', /telefoonnummer of e-mailadres/],
      ['06 12345678', /Jan Jansen.*Klopt alles/s],
      ['Ja, versturen', /KL-2026-/],
    ]);
    expect(await h.complaints.countComplaints()).toBe(1);
  });

  test('a failing store tells the citizen, keeps everything, and filing works on retry', async () => {
    await h.join();
    await play(h, DUTCH_TO_SUMMARY);
    await h.db.exec(`CREATE TRIGGER fail_insert BEFORE INSERT ON complaints BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
    await play(h, [['Ja, versturen', /niet gelukt.*Alles wat u schreef is bewaard.*Dit is uw klacht.*Jan Jansen/s]]);
    expect(await h.complaints.countComplaints()).toBe(0);
    await h.db.exec('DROP TRIGGER fail_insert');
    await play(h, [['Ja, versturen', /Uw klacht is verstuurd.*KL-2026-/s]]);
    expect(await h.complaints.countComplaints()).toBe(1);
  });

  test('a date more than a year ago warns in plain words with a link, and can be filed anyway or not', async () => {
    await h.join();
    const warned = await play(h, [
      [STORY_NL, /Waar gaat het over/],
      ['1', /Wanneer/],
      ['3 maart 2025', /Genoteerd: maandag 3 maart 2025.*meer dan een jaar geleden.*klacht-over-de-gemeente.*toch indienen/s],
    ]);
    expect(warned.join('\n')).not.toMatch(/9:8|artikel|Algemene wet/);
    await play(h, [
      ['Ja, toch indienen', /oplossen/],
      ['stop', /Gestopt/],
      [STORY_NL, /Waar gaat het over/],
      ['1', /Wanneer/],
      ['12-03-2025', /woensdag 12 maart 2025.*meer dan een jaar/s],
      ['Nee, niet indienen', /niet verstuurd en niets opgeslagen/],
    ]);
    expect(await h.complaints.countComplaints()).toBe(0);
  });

  test('the call offer before sending stores a call-back request with the complaint', async () => {
    await h.join();
    await play(h, DUTCH_TO_SUMMARY.slice(0, 4));
    await play(h, [
      ['Ja, bel mij terug', /Wat is uw naam/],
      ['Jan Jansen', /telefoonnummer/],
      ['0612345678', /welke dag/],
    ]);
    // next working days after Tuesday 24 November 2026
    const dayPrompt = await h.sayActivities('xyz');
    expect(buttonsOf(dayPrompt[dayPrompt.length - 1])).toEqual([
      'woensdag 25 november 2026',
      'donderdag 26 november 2026',
      'vrijdag 27 november 2026',
    ]);
    await play(h, [
      ['vrijdag 27 november 2026', /deel van de dag/],
      ['middag', /Genoteerd.*vrijdag 27 november 2026.*middag.*06 12345678.*Wat is uw adres/s],
      // the call times are Dutch time; the request's own reference is shown
      ['Dorpsstraat 12, 1182jr Amstelveen', /Terugbellen: vrijdag 27 november 2026, middag \(Nederlandse tijd\), verzoek TB-2026-[0-9A-Z]{6}.*Klopt alles/s],
      // an e-mail address typed at the summary is added straight away
      ['jan@example.nl', /aangepast.*E-mail: jan\\?@example\\?\.nl/s],
    ]);
    const filed = (await h.say('Ja, versturen')).join('\n');
    expect(filed).toMatch(/KL-2026-/);
    // after filing the call-back request is named with its own reference
    expect(filed).toMatch(/terugbelverzoek \*\*TB-2026-[0-9A-Z]{6}\*\* blijft staan.*vrijdag 27 november 2026 in de middag \(Nederlandse tijd\)/s);
    const [complaint] = await h.complaints.listByConversation('test', 'conv-1');
    expect(complaint.callback).toEqual({ name: 'Jan Jansen', phone: '+31612345678', date: '2026-11-27', partOfDay: 'afternoon', topic: expect.stringMatching(/^Ik heb drie keer gebeld/) });
    const [callback] = await h.complaints.listCallbacksByConversation('test', 'conv-1');
    expect(callback).toMatchObject({ complaintReference: complaint.reference, status: 'open', date: '2026-11-27' });
  });

  test('the day after Friday skips the weekend for call-back days', async () => {
    await h.close();
    const friday = new Date('2026-12-24T15:00:00Z'); // Thursday 24 Dec; 25 and 26 Dec are holidays
    h = await Harness.open({ file: db.file, clock: () => friday, conversationId: 'xmas' });
    await play(h, [['bel mij', /terugbellen/], ['Ja, bel mij terug', /Waar gaat het over/], ['mijn paspoort', /naam/], ['Piet Post', /telefoonnummer/]]);
    const replies = await h.sayActivities('0612345678');
    expect(buttonsOf(replies[replies.length - 1])).toEqual(['maandag 28 december 2026', 'dinsdag 29 december 2026', 'woensdag 30 december 2026']);
  });
});

test('NOW is a Tuesday morning in Amsterdam', () => {
  expect(NOW.toISOString()).toBe('2026-11-24T09:00:00.000Z');
});
