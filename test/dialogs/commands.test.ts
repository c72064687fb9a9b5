import { harnessPerTest } from '../helpers/harness';
import { DUTCH_TO_SUMMARY, STORY_NL, play } from '../helpers/script';

const harness = harnessPerTest();

describe('commands that work at any point', () => {
  test('help explains and asks the same question again', async () => {
    await play(harness(), [
      [STORY_NL, /Genoteerd: .*Aan de telefoon.*Waar gaat het over/s],
      ['1', /Wanneer gebeurde het/],
      ['help', /Ik help u een klacht in te dienen.*stop.*opnieuw.*bel mij.*Wanneer gebeurde het/s],
      ['gisteren', /Genoteerd: maandag 23 november 2026/],
    ]);
  });

  test('stop ends the intake, stores nothing, and says so', async () => {
    await play(harness(), DUTCH_TO_SUMMARY);
    // at the summary the bot asks first
    await play(harness(), [
      ['stop', /Weet u zeker dat u wilt stoppen\? Uw klacht is dan niet ingediend/],
      ['Ja, stoppen', /Gestopt.*niet verstuurd.*geen klacht opgeslagen/s],
    ]);
    expect(await harness().complaints.countComplaints()).toBe(0);
    // a new message starts a new intake, not the old one
    await play(harness(), [['Ja, versturen', /Wat is er gebeurd|Waar gaat het over/]]);
    expect(await harness().complaints.countComplaints()).toBe(0);
  });

  test('"annuleren" mid-way also stops', async () => {
    await play(harness(), [[STORY_NL, /Waar gaat het over/], ['annuleren', /Gestopt/]]);
  });

  test('restart wipes what was told and asks for the story again', async () => {
    await play(harness(), DUTCH_TO_SUMMARY.slice(0, 4));
    await play(harness(), [
      ['opnieuw', /we beginnen opnieuw.*Wat is er gebeurd/is],
      ['Mijn aanvraag voor een parkeervergunning ligt al vier maanden stil en niemand reageert op mijn mails', /Genoteerd: Waar: Per e-mail of brief.*Waar gaat het over/s],
      ['Hoe ik behandeld ben', /Wanneer gebeurde het\? En over wie gaat uw klacht/],
    ]);
  });

  test('switching language mid-way re-asks the current question in the new language and carries on', async () => {
    await play(harness(), DUTCH_TO_SUMMARY.slice(0, 2));
    await play(harness(), [
      ['English', /continue in English.*When did it happen/s],
      ['Nederlands', /verder in het Nederlands.*Wanneer gebeurde het/s],
      ['gisteren', /Genoteerd: maandag 23 november 2026.*oplossen/s],
      ['in English please', /continue in English.*solve/s],
      ['Skip', /complaints officer/],
    ]);
  });

  test('a button title works in the other language after a switch (Ja / Yes both understood)', async () => {
    await play(harness(), [
      [STORY_NL, /Waar gaat het over/],
      ['English', /What is it about/],
      ['Hoe ik behandeld ben', /When did it happen/],
    ]);
  });

  test('asking for a person mid-way takes a call-back request, then carries on with the complaint', async () => {
    await play(harness(), DUTCH_TO_SUMMARY.slice(0, 2));
    await play(harness(), [
      ['kan ik iemand spreken?', /020 540 49 11.*Tonnie Valkenaars of Yvonne Meijers.*terugbellen/s],
      ['Ja, bel mij terug', /Wat is uw naam/],
      ['Jan Jansen', /telefoonnummer/],
      ['0612345678', /welke dag/],
      ['1', /deel van de dag/],
      ['ochtend', /Genoteerd.*woensdag 25 november 2026.*ochtend.*verder/s],
      ['Ja, ga verder', /Wanneer gebeurde het/],
    ]);
    const callbacks = await harness().complaints.listCallbacksByConversation('test', 'conv-1');
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]).toMatchObject({ partOfDay: 'morning', date: '2026-11-25', complaintReference: null });
  });

  test('a call-back alone is stored without a complaint, and stop says the call-back stays', async () => {
    await play(harness(), [
      ['bel mij terug', /terugbellen/],
      ['ja', /Waar gaat het over/],
      ['mijn paspoort', /naam/],
      ['Jan Jansen', /telefoonnummer/],
      ['020 540 49 11', /welke dag/],
      ['2', /deel van de dag/],
      ['middag', /Genoteerd.*klacht opschrijven/s],
      ['Nee', /We bellen u zoals afgesproken/],
    ]);
    expect(await harness().complaints.listCallbacksByConversation('test', 'conv-1')).toHaveLength(1);
    expect(await harness().complaints.countComplaints()).toBe(0);
  });

  test('declining the call-back offer goes back to the question that was asked', async () => {
    await play(harness(), [
      [STORY_NL, /Waar gaat het over/],
      ['human', /call you back|terugbellen/],
      ['nee', /We gaan verder.*Waar gaat het over/s],
    ]);
  });

  test('stop after a call-back was stored says the call-back stays', async () => {
    await play(harness(), DUTCH_TO_SUMMARY.slice(0, 2));
    await play(harness(), [
      ['bel mij', /terugbellen/],
      ['ja', /naam/],
      ['Jan Jansen', /telefoonnummer/],
      ['0612345678', /welke dag/],
      ['1', /deel/],
      ['ochtend', /verder/],
      ['Ja, ga verder', /Wanneer gebeurde het/],
      ['stop', /terugbelverzoek blijft staan/],
    ]);
  });

  test('a story that mentions "medewerker" or "stop" is not taken for a command', async () => {
    await play(harness(), [
      ['De medewerker zei dat ik moest stoppen met bellen en hing toen gewoon op, heel onbeschoft', /Waar gaat het over/],
    ]);
  });
});
