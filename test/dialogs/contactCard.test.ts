/**
 * The contact details as one Adaptive Card form: offered in Web Chat (Direct Line) and Teams, read on
 * the server with the zod Fields, sent again with the wrong fields marked and the good values kept;
 * typing stays possible.
 */
import type { Activity, Attachment } from 'botbuilder';
import { CARD_MARK, cardSubmit, contactCard, readCard } from '../../dialogs/contactCard';
import { ContactDialog } from '../../dialogs/contactDialog';
import { translator } from '../../src/i18n';
import { DialogHost } from './contactHost';

let h: DialogHost | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface CardElement {
  type: string;
  id?: string;
  label?: string;
  isRequired?: boolean;
  value?: string;
  text?: string;
  color?: string;
}

const cardOf = (activities: Partial<Activity>[]): { attachment: Attachment; body: CardElement[] } | undefined => {
  for (const a of activities) {
    const att = a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');
    if (att) return { attachment: att, body: (att.content as { body: CardElement[] }).body };
  }
  return undefined;
};
const inputs = (body: CardElement[]) => body.filter((e) => e.type === 'Input.Text');
const submit = (values: Record<string, string>): Partial<Activity> => ({ value: { [CARD_MARK]: 1, ...values } });

test('the card: schema 1.5, a labelled text input per field, required where the law asks, the submit marked', () => {
  const card = contactCard(translator('nl')).content as { version: string; body: CardElement[]; actions: { type: string; data: object }[] };
  expect(card.version).toBe('1.5');
  expect(inputs(card.body).map((i) => [i.id, i.label, i.isRequired])).toEqual([
    ['name', 'Naam', true],
    ['phone', 'Telefoonnummer', false],
    ['email', 'E-mailadres', false],
    ['street', 'Straat', true],
    ['houseNumber', 'Huisnummer', true],
    ['postcode', 'Postcode', true],
    ['city', 'Plaats', true],
    ['country', 'Land (alleen als u niet in Nederland woont)', false],
  ]);
  expect(card.actions).toEqual([{ type: 'Action.Submit', title: 'Gegevens versturen', data: { [CARD_MARK]: 1 } }]);
});

test('reading a submit: good values normalised, wrong and missing ones named; abroad needs no Dutch postcode', () => {
  expect(readCard({ name: 'Jan Jansen', phone: '06-12345678', street: 'Bankrasweg', houseNumber: '88', postcode: '1183tr', city: 'Amstelveen' })).toEqual({
    contact: { name: 'Jan Jansen', phone: '+31612345678', email: null, street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen' },
    errors: {},
  });
  const bad = readCard({ name: 'J4n', phone: '12', street: 'Bankrasweg', postcode: '1183', city: 'Amstelveen', email: 'jan' });
  expect(bad.errors).toEqual({
    name: 'errors.name.digits',
    phone: 'errors.phone.tooShort',
    email: 'errors.email.noAt',
    houseNumber: 'contact.card.required',
    postcode: 'errors.postcode.noLetters',
  });
  expect(bad.contact).toMatchObject({ city: 'Amstelveen' });
  expect(readCard({ name: 'Anna Müller', street: 'Hauptstraße', houseNumber: '5', postcode: '10115', city: 'Berlin', country: 'Duitsland' })).toEqual({
    contact: { name: 'Anna Müller', phone: null, email: null, street: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'Duitsland' },
    errors: {},
  });
});

test('only a message with this card\'s mark is a card submit; odd values are dropped, long ones cut', () => {
  expect(cardSubmit({ type: 'message', value: 'x' })).toBeUndefined();
  expect(cardSubmit({ type: 'message', value: { name: 'Jan' } })).toBeUndefined();
  expect(cardSubmit({ type: 'event', value: { [CARD_MARK]: 1, name: 'Jan' } })).toBeUndefined();
  const read = cardSubmit({ type: 'message', value: { [CARD_MARK]: 1, name: ['Jan'], phone: 612345678, city: ' Amstelveen ', street: 'x'.repeat(10_000), extra: 'y' } });
  expect(read).toEqual({ city: 'Amstelveen', street: 'x'.repeat(300) });
  expect(readCard(read!).errors).toEqual({ name: 'contact.card.required', houseNumber: 'contact.card.required', postcode: 'contact.card.required' });
  expect(readCard({ ...read, houseNumber: '1' }).errors).toMatchObject({ street: 'errors.street.tooLong' });
});

describe('the contact dialog with the card', () => {
  test('Web Chat gets the card with the first question; a wrong submit comes back marked with the good values kept; a good one finishes', async () => {
    h = await DialogHost.open({ make: (s) => new ContactDialog(s), channelId: 'directline' });
    const first = await h.send('hallo');
    const card = cardOf(first);
    expect(card).toBeDefined();
    expect(first.map((a) => a.text).join('\n')).toMatch(/formulier hieronder.*Wat is uw naam en adres\?/s);

    const wrong = await h.send(submit({ name: 'Marieke Smit', phone: '12345', street: 'Bankrasweg', houseNumber: '88', postcode: '1183', city: 'Amstelveen' }));
    const text = wrong.map((a) => a.text ?? '').join('\n');
    expect(text).toMatch(/Dit klopt nog niet in het formulier:\s+- Telefoonnummer: Dat nummer is te kort.*\n- Postcode: .*4 cijfers en 2 letters/s);
    const again = cardOf(wrong)!;
    const byId = Object.fromEntries(inputs(again.body).map((i) => [i.id, i.value]));
    expect(byId).toMatchObject({ name: 'Marieke Smit', phone: '12345', street: 'Bankrasweg', houseNumber: '88', postcode: '1183', city: 'Amstelveen' });
    const notes = again.body.filter((e) => e.type === 'TextBlock' && e.color === 'Attention').map((e) => e.text);
    expect(notes).toEqual([
      'Niet alles klopt. Kijk bij de velden met een opmerking.',
      expect.stringMatching(/^Telefoonnummer: Dat nummer is te kort/),
      expect.stringMatching(/^Postcode: /),
    ]);
    // the good values are taken already: the next question is only what is missing
    expect(text).toMatch(/Genoteerd: naam Marieke Smit, adres Bankrasweg 88, Amstelveen\./);
    expect(text).toMatch(/Wat is uw postcode\?/);

    const done = DialogHost.done((await h.say(submit({ name: 'Marieke Smit', phone: '', street: 'Bankrasweg', houseNumber: '88', postcode: '1183 TR', city: 'Amstelveen' }))));
    expect(done?.contact).toEqual({ name: 'Marieke Smit', phone: null, email: null, street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen' });
  });

  test('typing stays possible while the card is shown', async () => {
    h = await DialogHost.open({ make: (s) => new ContactDialog(s), channelId: 'msteams' });
    expect(cardOf(await h.send('hallo'))).toBeDefined();
    await h.say('Jan Jansen');
    await h.say('Dorpsstraat 12, 1182 JR Amstelveen');
    expect(DialogHost.done(await h.say('jan@example.nl'))?.contact).toMatchObject({ name: 'Jan Jansen', email: 'jan@example.nl' });
  });

  test('a channel without cards gets none', async () => {
    h = await DialogHost.open({ make: (s) => new ContactDialog(s), channelId: 'test' });
    expect(cardOf(await h.send('hallo'))).toBeUndefined();
  });

  test('the card shows what the conversation already gave', async () => {
    h = await DialogHost.open({ make: (s) => new ContactDialog(s), channelId: 'directline', draft: { contact: { name: 'Jan Jansen', phone: '+31612345678' } } });
    const card = cardOf(await h.send('hallo'))!;
    expect(Object.fromEntries(inputs(card.body).map((i) => [i.id, i.value]))).toMatchObject({ name: 'Jan Jansen', phone: '06 12345678' });
  });
});

describe('the call back as a toggle on the card', () => {
  const offer = {
    days: [
      { value: '2026-11-25', title: 'woensdag 25 november 2026' },
      { value: '2026-11-26', title: 'donderdag 26 november 2026' },
      { value: '2026-11-27', title: 'vrijdag 27 november 2026' },
    ],
    parts: [
      { value: 'morning' as const, title: 'ochtend (9.00 - 12.00 uur)' },
      { value: 'afternoon' as const, title: 'middag (13.00 - 17.00 uur)' },
    ],
  };
  const ADDRESS = { name: 'Marieke Smit', street: 'Bankrasweg', houseNumber: '88', postcode: '1183 TR', city: 'Amstelveen' };

  test('the card (still schema 1.5) has an Input.Toggle "Bel mij terug" and a labelled day and part of day', () => {
    const card = contactCard(translator('nl'), {}, {}, offer).content as { version: string; body: (CardElement & Record<string, unknown>)[] };
    expect(card.version).toBe('1.5');
    const toggle = card.body.find((e) => e.type === 'Input.Toggle')!;
    expect(toggle).toMatchObject({ id: 'callback', title: 'Bel mij terug', label: 'Bel mij terug', valueOn: 'true', valueOff: 'false', value: 'false' });
    const sets = card.body.filter((e) => e.type === 'Input.ChoiceSet');
    expect(sets.map((e) => [e.id, e.label])).toEqual([
      ['callbackDay', 'Op welke dag? (alleen als u wilt dat wij u bellen)'],
      ['callbackPart', 'Welk dagdeel? (Nederlandse tijd)'],
    ]);
    expect((sets[0].choices as { value: string }[]).map((c) => c.value)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    // without the offer (a call is already arranged) there is no toggle
    expect((contactCard(translator('nl')).content as { body: CardElement[] }).body.some((e) => e.type === 'Input.Toggle')).toBe(false);
  });

  test('the server checks the toggle with the call-back schema: phone, an offered day and a part of day are needed only when it is on', () => {
    const days = { days: offer.days.map((d) => d.value) };
    expect(readCard({ ...ADDRESS, callback: 'false', callbackDay: 'x' }, days)).toEqual({ contact: expect.objectContaining({ name: 'Marieke Smit' }), errors: {} });
    expect(readCard({ ...ADDRESS, callback: 'true' }, days).errors).toEqual({
      phone: 'contact.card.callbackNeedsPhone',
      callbackDay: 'contact.card.callbackDayMissing',
      callbackPart: 'contact.card.callbackPartMissing',
    });
    expect(readCard({ ...ADDRESS, phone: '06-12345678', callback: 'true', callbackDay: '2026-12-24', callbackPart: 'evening' }, days).errors).toEqual({
      callbackDay: 'contact.card.callbackDayWrong',
      callbackPart: 'contact.card.callbackPartMissing',
    });
    // a wrong phone number keeps its own reason
    expect(readCard({ ...ADDRESS, phone: '123', callback: 'true', callbackDay: '2026-11-26', callbackPart: 'morning' }, days).errors).toEqual({ phone: 'errors.phone.tooShort' });
    const good = readCard({ ...ADDRESS, phone: '06-12345678', callback: 'true', callbackDay: '2026-11-26', callbackPart: 'afternoon' }, days);
    expect(good).toMatchObject({ errors: {}, callback: { date: '2026-11-26', partOfDay: 'afternoon' }, contact: { phone: '+31612345678' } });
  });

  test('in the dialog: a toggle without a phone number comes back marked; with one, the call is stored at once with a reference', async () => {
    h = await DialogHost.open({ make: (s) => new ContactDialog(s), channelId: 'directline', draft: { story: 'De medewerker aan de balie was onbeschoft.' } });
    const card = cardOf(await h.send('hallo'))!;
    const day = ((card.body as (CardElement & { choices?: { value: string }[] })[]).find((e) => e.id === 'callbackDay')!.choices ?? [])[1].value;
    expect(day).toMatch(/^2026-\d\d-\d\d$/);

    const wrong = await h.send(submit({ ...ADDRESS, callback: 'true', callbackDay: day, callbackPart: 'morning' }));
    expect(wrong.map((a) => a.text ?? '').join('\n')).toMatch(/Telefoonnummer: Vul een telefoonnummer in, dan kunnen we u bellen/);
    const again = cardOf(wrong)!.body as (CardElement & Record<string, unknown>)[];
    expect(again.find((e) => e.type === 'Input.Toggle')?.value).toBe('true');
    expect(again.find((e) => e.id === 'callbackDay')?.value).toBe(day);

    const stored = await h.send(submit({ ...ADDRESS, phone: '06-12345678', callback: 'true', callbackDay: day, callbackPart: 'morning' }));
    const said = stored.map((a) => a.text ?? '').join('\n');
    expect(said).toMatch(/Genoteerd: .*Marieke Smit/);
    expect(said).toMatch(/ochtend.*Nederlandse tijd.*TB-2026-/s);
    const rows = await h.complaints.listCallbacksByConversation('directline', String(h.adapter.template.conversation!.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'Marieke Smit', phone: '+31612345678', date: day, partOfDay: 'morning', topic: 'De medewerker aan de balie was onbeschoft' });
  });

  test('typing stays possible with the toggle on the card', async () => {
    h = await DialogHost.open({ make: (s) => new ContactDialog(s), channelId: 'msteams' });
    expect(cardOf(await h.send('hallo'))!.body.some((e) => e.type === 'Input.Toggle')).toBe(true);
    await h.say('Jan Jansen');
    await h.say('Dorpsstraat 12, 1182 JR Amstelveen');
    expect(DialogHost.done(await h.say('jan@example.nl'))?.contact).toMatchObject({ name: 'Jan Jansen', email: 'jan@example.nl' });
  });
});
