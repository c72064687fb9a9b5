/**
 * The contact step inside the whole bot (real bot, real understanding step, real SQLite): contact
 * details from the first message are not asked again, a question at a contact question gets its short
 * answer and the same question again, asking for a person there leads to the call-back offer and back,
 * and an address abroad without a phone number is filed.
 */
import { nextStep } from '../../src/bench/intakeScript';
import { translator } from '../../src/i18n';
import { harnessPerTest, type Harness } from '../helpers/harness';

const h = harnessPerTest();

/** Answers the intake's questions (as the scripted citizen does) until the contact details are asked; returns that turn's texts. */
async function toContact(harness: Harness, story: string): Promise<string> {
  let replies = (await harness.say(story)).join('\n---\n');
  for (let i = 0; i < 15; i++) {
    if (/naam en adres nodig/.test(replies)) return replies;
    const step = replies.split('\n---\n').map((x) => nextStep(x, 'nl')).reverse().find((s) => s.kind !== 'wait');
    if (!step || step.kind === 'done') throw new Error(`no question to answer in: ${replies}`);
    replies = (await harness.say(step.kind === 'click' ? step.title : step.text)).join('\n---\n');
  }
  throw new Error(`the contact details were never asked; last: ${replies}`);
}

const STORY = 'Ik heb drie keer gebeld over mijn parkeervergunning en niemand belde mij terug, de medewerker was ook erg onvriendelijk.';

test('name and phone from the first message are said back, not asked: only the address is asked', async () => {
  const contact = await toContact(h(), `${STORY} Mijn naam is Jan Jansen, telefoon 06-12345678.`);
  expect(contact).toMatch(/Dit heb ik al van u: naam Jan Jansen, telefoon 06 12345678\./);
  expect(contact).toMatch(/Wat is uw adres\?/);
  expect(contact).not.toMatch(/Wat is uw naam/);
  const summary = (await h().say('Bankrasweg 88, 1183 TR Amstelveen')).join('\n');
  expect(summary).toMatch(/Naam: Jan Jansen/);
  expect(summary).toMatch(/Adres: Bankrasweg 88, 1183 TR Amstelveen/);
  expect((await h().say('Ja, versturen')).join('\n')).toMatch(/KL-2026-/);
  const [complaint] = await h().complaints.listByConversation('test', 'conv-1');
  expect(complaint.contact).toEqual({ name: 'Jan Jansen', phone: '+31612345678', street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen', email: null });
});

test('a question at a contact question gets a short answer and the same question again; a protest is no name', async () => {
  await toContact(h(), STORY);
  const why = (await h().say('waarom heeft u mijn adres nodig?')).join('\n');
  expect(why).toMatch(/de wet vraagt/i);
  expect(why).toMatch(/Wat is uw naam en adres\?/);
  const protest = (await h().say('Dat staat er allemaal al in mijn eerste bericht!!')).join('\n');
  expect(protest).toMatch(/Wat is uw naam en adres\?/);
  await h().say('Jan Jansen, Dorpsstraat 12, 1182 JR Amstelveen');
  const summary = (await h().say('overslaan')).join('\n');
  expect(summary).toMatch(/Naam: Jan Jansen/);
  expect(summary).not.toMatch(/eerste bericht/);
});

test('asking for a person at a contact question leads to the call-back offer, then back to the same question', async () => {
  await toContact(h(), STORY);
  const offer = (await h().say('kan ik iemand spreken?')).join('\n');
  expect(offer).toMatch(/terugbellen\?/);
  const back = (await h().say('Nee, ga verder')).join('\n');
  expect(back).toMatch(/Wat is uw naam en adres\?/);
});

test('an address abroad and no phone number: filed with the country and without a phone', async () => {
  await toContact(h(), STORY);
  await h().say('Anna Müller, Hauptstraße 5, 10115 Berlin, Duitsland');
  const summary = (await h().say('heb ik niet')).join('\n');
  expect(summary).toMatch(/Adres: Hauptstraße 5, 10115 Berlin, Duitsland/);
  expect((await h().say('Ja, versturen')).join('\n')).toMatch(/KL-2026-/);
  const [complaint] = await h().complaints.listByConversation('test', 'conv-1');
  expect(complaint.contact).toEqual({ name: 'Anna Müller', phone: null, email: null, street: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'Duitsland' });
});

test('the contact card sent again at the summary corrects the details there; a wrong value is marked on the card', async () => {
  await toContact(h(), STORY);
  await h().say('Jan Jansen, Dorpsstraat 12, 1182 JR Amstelveen');
  expect((await h().say('06 12345678')).join('\n')).toMatch(/Klopt alles\?/);
  const card = { klachtbotContact: 1, name: 'Jan Jansen', phone: '06-33445577', street: 'Dorpsstraat', houseNumber: '12', postcode: '1182 JR', city: 'Amstelveen' };
  const corrected = await h().sayActivities({ type: 'message', value: card });
  expect(corrected.map((a) => a.text).join('\n')).toMatch(/Genoteerd: naam Jan Jansen, adres Dorpsstraat 12, 1182 JR Amstelveen, telefoon 06 33445577\..*Klopt alles\?/s);
  const wrong = await h().sayActivities({ type: 'message', value: { ...card, postcode: '1182' } });
  expect(wrong.map((a) => a.text).join('\n')).toMatch(/Dit klopt nog niet in het formulier:\s+- Postcode: /);
  expect(wrong.some((a) => a.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive')).toBe(true);
  expect((await h().say('Ja, versturen')).join('\n')).toMatch(/KL-2026-/);
  const [complaint] = await h().complaints.listByConversation('test', 'conv-1');
  expect(complaint.contact).toMatchObject({ phone: '+31633445577', postcode: '1182 JR' });
});

test('after three wrong answers: "Opnieuw proberen" asks again (no restart), "Bel mij terug" leads to the call-back offer', async () => {
  await toContact(h(), STORY);
  await h().say('Jan Jansen, Dorpsstraat 12, 1182 JR Amstelveen');
  await h().say('12');
  await h().say('34');
  const giveUp = (await h().say('56')).join('\n');
  expect(giveUp).toMatch(/Het lukt nog niet met uw telefoonnummer/);
  expect((await h().say('Opnieuw proberen')).join('\n')).toMatch(/^Op welk telefoonnummer of e-mailadres/);
  await h().say('12');
  await h().say('34');
  await h().say('56');
  expect((await h().say('Bel mij terug')).join('\n')).toMatch(/terugbellen\?/);
});

test('wishing to stay anonymous at the contact question: the short answer from the locale texts, then the same question', async () => {
  await toContact(h(), STORY);
  const reply = (await h().say('ik wil anoniem blijven')).join('\n');
  expect(reply).toContain(translator('nl')('questions.anonymous', {}).split('{{')[0].slice(0, 40));
  expect(reply).toMatch(/\nWat is uw naam en adres\? Bijvoorbeeld/);
  const [draftRow] = await h().db.all<{ data: string }>("SELECT data FROM bot_state WHERE key LIKE 'test/conversations/conv-1%'");
  expect(JSON.parse(draftRow.data).draft.contact).toEqual({});
});
