/**
 * The call-back dialog on its own (real SQLite state, real store): a short topic (from the story, or
 * asked), a reference like a complaint's, and call times that say they are Dutch time.
 */
import { amsterdamZone, CallbackDialog, topicFrom } from '../../dialogs/callbackDialog';
import { DialogHost, type HostOptions } from './contactHost';

let h: DialogHost | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function open(opts: Partial<HostOptions> = {}): Promise<DialogHost> {
  h = await DialogHost.open({ make: (s) => new CallbackDialog(s), options: { mode: 'interrupt' }, ...opts });
  return h;
}

const STORY = 'Ik heb drie keer gebeld over mijn paspoort en niemand belde terug. De medewerker was ook onvriendelijk.';

describe('a call-back request', () => {
  test('without a story the topic is asked; the request gets a TB- reference and the time says it is Dutch time', async () => {
    const host = await open();
    expect(await host.say('bel mij')).toMatch(/terugbellen\?/);
    expect(await host.say('Ja, bel mij terug')).toMatch(/Waar gaat het over\? Een paar woorden/);
    expect(await host.say('mijn parkeervergunning')).toMatch(/Wat is uw naam/);
    expect(await host.say('Jan Jansen')).toMatch(/telefoonnummer/);
    expect(await host.say('06 12345678')).toMatch(/welke dag/);
    expect(await host.say('1')).toMatch(/deel van de dag.*Nederlandse tijd/s);
    const stored = await host.say('ochtend');
    expect(stored).toMatch(/Genoteerd\. Een klachtenfunctionaris belt u op \*\*woensdag 25 november 2026\*\* in de \*\*ochtend \(9\.00 - 12\.00 uur\)\*\* \(Nederlandse tijd\)/);
    expect(stored).toMatch(/over: mijn parkeervergunning/);
    const ref = /\*\*(TB-2026-[2-9A-HJKMNP-Z]{6})\*\*/.exec(stored)?.[1];
    expect(ref).toBeDefined();
    const [cb] = await host.complaints.listCallbacksByConversation('test', 'conv-1');
    expect(cb).toMatchObject({ reference: ref, topic: 'mijn parkeervergunning', phone: '+31612345678', date: '2026-11-25', partOfDay: 'morning' });
  });

  test('with a story the topic comes from the story and is not asked', async () => {
    const host = await open({ draft: { story: STORY }, options: { mode: 'offer' } });
    expect(await host.say('ja')).toMatch(/Wat is uw naam/);
    await host.say('Jan Jansen');
    await host.say('0612345678');
    await host.say('1');
    const stored = await host.say('middag');
    expect(stored).toMatch(/over: Ik heb drie keer gebeld over mijn paspoort en niemand belde terug/);
    const [cb] = await host.complaints.listCallbacksByConversation('test', 'conv-1');
    expect(cb.topic).toBe('Ik heb drie keer gebeld over mijn paspoort en niemand belde terug');
    expect(cb.reference).toMatch(/^TB-2026-/);
  });

  test('name and phone number in one answer; a protest is no name', async () => {
    const host = await open({ draft: { story: STORY } });
    await host.say('bel mij');
    await host.say('Ja, bel mij terug');
    expect(await host.say('Dat heb ik al gezegd!!')).toMatch(/Sorry dat ik het nog eens vraag.*Wat is uw naam\?/s);
    expect(await host.say('Marieke Smit, 06-23456789')).toMatch(/Op welke dag/);
    await host.say('1');
    await host.say('middag');
    const [cb] = await host.complaints.listCallbacksByConversation('test', 'conv-1');
    expect(cb).toMatchObject({ name: 'Marieke Smit', phone: '+31623456789' });
  });

  test('a topic too short to say anything is stored as "uw klacht", not refused', async () => {
    const host = await open();
    await host.say('bel mij');
    await host.say('Ja, bel mij terug');
    await host.say('x');
    await host.say('Jan Jansen 0612345678');
    await host.say('1');
    expect(await host.say('ochtend')).toMatch(/over: uw klacht\./);
    const [cb] = await host.complaints.listCallbacksByConversation('test', 'conv-1');
    expect(cb).toMatchObject({ topic: 'uw klacht', phone: '+31612345678' });
  });

  test('in English the times say Dutch time (CET)', async () => {
    const host = await open({ locale: 'en', draft: { story: STORY } });
    await host.say('call me');
    await host.say('Yes, call me back');
    await host.say('Anna Jansen');
    await host.say('06 87654321');
    expect(await host.say('1')).toMatch(/Times are Dutch time \(CET\)/);
    expect(await host.say('afternoon')).toMatch(/\(Dutch time, CET\).*request number is \*\*TB-2026-/s);
  });
});

test('a topic from a story: its first sentence, cut at a word', () => {
  expect(topicFrom('Niemand belde terug. De rest is lang.')).toBe('Niemand belde terug');
  const long = topicFrom('Ik heb op 3 november een aanvraag gedaan voor een parkeervergunning en daarna nooit meer iets gehoord van de afdeling');
  expect(long!.length).toBeLessThanOrEqual(82);
  expect(long).toMatch(/^Ik heb op 3 november .* …$/);
});

test('the Dutch time zone of a day: CET in winter, CEST in summer', () => {
  expect(amsterdamZone('2026-11-25')).toBe('CET');
  expect(amsterdamZone('2026-07-01')).toBe('CEST');
});
