/**
 * The contact dialog on its own (real SQLite state, real store): any order, several fields in one
 * answer, the whole address in one line, what is known already not asked again, questions and
 * protests are no names, phone optional, an address abroad, corrections, and giving up kindly.
 */
import { ContactSchema } from '../../src/domain/complaint';
import { ContactDialog } from '../../dialogs/contactDialog';
import { DialogHost, type HostOptions } from './contactHost';

let h: DialogHost | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function open(opts: Partial<HostOptions> = {}): Promise<DialogHost> {
  h = await DialogHost.open({ make: (s) => new ContactDialog(s), ...opts });
  return h;
}

/** Plays the messages; returns every answer; the last must end the dialog. */
async function talk(host: DialogHost, messages: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const m of messages) out.push(await host.say(m));
  return out;
}

const doneOf = (answers: string[]) => DialogHost.done(answers[answers.length - 1]);

describe('the contact dialog', () => {
  test('name and the whole address in one answer, then a phone number: two answers', async () => {
    const host = await open();
    const start = await host.say('hallo');
    expect(start).toMatch(/naam en adres nodig.*hoeft niet/s);
    expect(start).toMatch(/Wat is uw naam en adres\? Bijvoorbeeld/);
    const answers = await talk(host, ['Jan Jansen, Bankrasweg 88, 1183 TR Amstelveen', '06 12345678']);
    expect(answers[0]).toMatch(/Genoteerd: naam Jan Jansen, adres Bankrasweg 88, 1183 TR Amstelveen\..*telefoonnummer of e-mailadres/s);
    expect(doneOf(answers)?.contact).toEqual({ name: 'Jan Jansen', street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen', phone: '+31612345678' });
  });

  test('only the name at the name-and-address question: then the whole address in one line', async () => {
    const host = await open();
    await host.say('hallo');
    const answers = await talk(host, ['Jan Jansen', 'Bankrasweg 88, 1183 TR Amstelveen', '06 12345678']);
    expect(answers[0]).toMatch(/Wat is uw adres/);
    expect(answers[1]).toMatch(/Genoteerd: adres Bankrasweg 88, 1183 TR Amstelveen\..*telefoonnummer of e-mailadres/s);
    const done = doneOf(answers);
    expect(done?.contact).toEqual({ name: 'Jan Jansen', street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen', phone: '+31612345678' });
  });

  test('several fields in one answer, in any order; a known phone number ends the phone/e-mail question', async () => {
    const host = await open();
    await host.say('hallo');
    const answers = await talk(host, ['Marieke Smit, 06-23456789', '1183TR Amstelveen, Bankrasweg 88']);
    expect(answers[0]).toMatch(/Genoteerd: naam Marieke Smit, telefoon 06 23456789\..*Wat is uw adres/s);
    expect(doneOf(answers)?.contact).toEqual({ name: 'Marieke Smit', phone: '+31623456789', street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen' });
  });

  test('an e-mail address and a phone number given together at the name question are both kept', async () => {
    const host = await open();
    await host.say('hallo');
    const answers = await talk(host, ['Piet de Boer piet@example.nl 0201234567', 'Dorpsstraat 12a, 1182 JR Amstelveen']);
    expect(doneOf(answers)?.contact).toMatchObject({ name: 'Piet de Boer', email: 'piet@example.nl', phone: '+31201234567' });
  });

  test('what the conversation already gave is said back, not asked again', async () => {
    const host = await open({ draft: { contact: { name: 'Jan Jansen', phone: '+31612345678' } } });
    const start = await host.say('hallo');
    expect(start).toMatch(/Dit heb ik al van u: naam Jan Jansen, telefoon 06 12345678\./);
    expect(start).not.toMatch(/Wat is uw naam/);
    expect(start).toMatch(/Wat is uw adres/);
    const done = DialogHost.done(await host.say('Laan Nieuwer-Amstel 1, 1182 JR Amstelveen'));
    expect(done?.contact).toMatchObject({ name: 'Jan Jansen', phone: '+31612345678', street: 'Laan Nieuwer-Amstel 1' });
  });

  test('everything known already: nothing is asked', async () => {
    const host = await open({ draft: { contact: { name: 'Jan Jansen', street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen', email: 'jan@example.nl' } } });
    expect(DialogHost.done(await host.say('hallo'))?.contact).toMatchObject({ name: 'Jan Jansen', email: 'jan@example.nl' });
  });

  test('a protest, a question or a yes is not a name; a mistyped address part is explained', async () => {
    const host = await open();
    await host.say('hallo');
    const protest = await host.say('Dat staat er allemaal al in mijn eerste bericht!!');
    expect(protest).toMatch(/Sorry dat ik het nog eens vraag.*Wat is uw naam en adres\?/s);
    const question = await host.say('waarom heeft u mijn naam nodig?');
    expect(question).toMatch(/Wat is uw naam en adres\?/);
    expect(await host.say('ja')).toMatch(/Wat is uw naam en adres\?/);
    expect(await host.say('Jan Jansen')).toMatch(/Wat is uw adres/);
    expect(await host.say('Bankrasweg')).toMatch(/huisnummer.*Wat is uw adres/s);
    expect(await host.say('Bankrasweg 88')).toMatch(/Genoteerd: adres Bankrasweg 88\..*postcode en woonplaats/s);
    expect(await host.say('1183 TR zei ik net')).toMatch(/In welke plaats woont u/);
    const done = DialogHost.done(await talk(host, ['Amstelveen', 'overslaan']).then((a) => a[1]));
    expect(done?.contact).toEqual({ name: 'Jan Jansen', street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen', phone: null, email: null });
  });

  test('phone and e-mail may be skipped: the details still meet the complaint schema (name and address)', async () => {
    const host = await open();
    await host.say('hallo');
    const answers = await talk(host, ['Fatma Yilmaz', 'Dorpsstraat 12, 1182 JR Amstelveen']);
    expect(answers[1]).toMatch(/Overslaan|telefoonnummer of e-mailadres/);
    const done = DialogHost.done(await host.say('Overslaan'));
    expect(done?.contact).toMatchObject({ phone: null, email: null });
    expect(ContactSchema.parse(done!.contact)).toMatchObject({ name: 'Fatma Yilmaz', phone: null, postcode: '1182 JR' });
  });

  test('an address abroad: the country instead of a Dutch postcode', async () => {
    const host = await open();
    await host.say('hallo');
    const answers = await talk(host, ['Anna Müller', 'Hauptstraße 5, 10115 Berlin, Duitsland', 'anna@example.de']);
    const done = doneOf(answers);
    expect(done?.contact).toEqual({ name: 'Anna Müller', street: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'Duitsland', email: 'anna@example.de' });
    expect(ContactSchema.parse({ ...done!.contact, phone: null })).toMatchObject({ country: 'Duitsland' });
  });

  test('name and an address abroad in one answer', async () => {
    const host = await open();
    await host.say('hallo');
    const answers = await talk(host, ['Anna Müller, Hauptstraße 5, 10115 Berlin, Duitsland', 'overslaan']);
    expect(answers[0]).toMatch(/Genoteerd: naam Anna Müller, adres Hauptstraße 5, 10115 Berlin, Duitsland\./);
    expect(doneOf(answers)?.contact).toMatchObject({ name: 'Anna Müller', street: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'Duitsland' });
  });

  test('an address in the United Kingdom is said back as the British write it, with town, postcode and country apart', async () => {
    const host = await open();
    await host.say('hallo');
    const answers = await talk(host, ['Oliver Smith, 10 Baker Street, London NW1 6XE, United Kingdom', 'overslaan']);
    expect(answers[0]).toMatch(/Genoteerd: naam Oliver Smith, adres 10 Baker Street, London NW1 6XE, United Kingdom\./);
    expect(doneOf(answers)?.contact).toMatchObject({ street: '10 Baker Street', postcode: 'NW1 6XE', city: 'London', country: 'United Kingdom' });
  });

  test('a Dutch-looking address without a valid postcode asks for it and mentions an address abroad', async () => {
    const host = await open();
    await host.say('hallo');
    await host.say('Jan Jansen');
    expect(await host.say('Dorpsstraat 12, Amstelveen')).toMatch(/Wat is uw postcode\?/);
    const wrong = await host.say('12345');
    expect(wrong).toMatch(/postcode.*buitenland|niet in Nederland/s);
  });

  test('a wrong phone number three times: try again, skip, or a call back is offered', async () => {
    const host = await open();
    await host.say('hallo');
    await talk(host, ['Jan Jansen', 'Dorpsstraat 12, 1182 JR Amstelveen']);
    expect(await host.say('12')).toMatch(/te kort.*telefoonnummer of e-mailadres/s);
    await host.say('abc');
    const replies = await host.send('999');
    const last = replies[replies.length - 1];
    expect(last.text).toMatch(/Het lukt nog niet met uw telefoonnummer/);
    expect(last.suggestedActions?.actions.map((a) => a.title)).toEqual(['Opnieuw proberen', 'Overslaan', 'Bel mij terug']);
    expect(await host.say('Opnieuw proberen')).toMatch(/telefoonnummer of e-mailadres/);
    expect(DialogHost.done(await host.say('020 540 4911'))?.contact).toMatchObject({ phone: '+31205404911' });
  });

  test('correcting one field from the summary asks only that one and replaces it', async () => {
    const contact = { name: 'Jan Jansen', phone: '+31612345678', street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen', email: null };
    const host = await open({ draft: { contact }, options: { fields: ['phone'], correcting: true } });
    const ask = await host.say('hallo');
    expect(ask).not.toMatch(/naam en adres nodig/);
    expect(ask).toMatch(/telefoonnummer/);
    expect(DialogHost.done(await host.say('mijn nummer is 06-33445577'))?.contact).toEqual({ ...contact, phone: '+31633445577' });
  });

  test('correcting the address takes a whole new address in one line', async () => {
    const contact = { name: 'Jan Jansen', phone: null, street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen', email: null };
    const host = await open({ draft: { contact }, options: { fields: ['street', 'postcode', 'city'], correcting: true } });
    expect(await host.say('hallo')).toMatch(/Wat is uw adres/);
    expect(DialogHost.done(await host.say('Bankrasweg 88, 1183 TR Amstelveen'))?.contact).toMatchObject({ street: 'Bankrasweg 88', postcode: '1183 TR' });
  });

  test('in English', async () => {
    const host = await open({ locale: 'en' });
    const start = await host.say('hello');
    expect(start).toMatch(/Now I need your name and address.*What are your name and address\?/s);
    const answers = await talk(host, ['Anna Jansen', 'Laan Nieuwer-Amstel 5, 1182 JR Amstelveen']);
    expect(answers[1]).toMatch(/Noted: address Laan Nieuwer-Amstel 5, 1182 JR Amstelveen\..*Which phone number or e-mail address/s);
    expect(doneOf(await talk(host, ['anna@example.com']))?.contact).toMatchObject({ email: 'anna@example.com', name: 'Anna Jansen' });
  });

  test('in English, name and a British address in one sentence: the street stays as written', async () => {
    const host = await open({ locale: 'en' });
    await host.say('hello');
    const answers = await talk(host, ['My name is John Smith and I live at 10 Baker Street, London NW1 6XE, United Kingdom', 'skip']);
    expect(answers[0]).toMatch(/Noted: name John Smith, address 10 Baker Street, /);
    expect(doneOf(answers)?.contact).toMatchObject({ name: 'John Smith', street: '10 Baker Street', postcode: 'NW1 6XE', city: 'London', country: 'United Kingdom' });
  });

  test('citizen text said back is escaped (no live markdown or links)', async () => {
    const host = await open();
    await host.say('hallo');
    await host.say('Jan *Jansen*');
    const noted = await host.say('[Klik](http://evil.example) 12, 1182 JR Amstelveen');
    expect(noted).toMatch(/Genoteerd: adres/);
    expect(noted).not.toMatch(/\]\(http/);
    expect(noted).toContain('\\[Klik\\]');
  });
});
