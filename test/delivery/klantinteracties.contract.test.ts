/**
 * Contract tests of the klantinteracties registration backend against a local server that validates
 * every request against the vendored Klantinteracties 0.9.0 specification (Open Klant 2)
 * (test/helpers/openapiServer.ts). No real Open Klant runs here.
 */
jest.mock('jose', () => require('module')._load(require.resolve('jose'), null, false));

import { randomUUID } from 'crypto';
import { callbackToelichting, createKlantinteractiesPlugin, type KlantinteractiesConfig } from '../../src/delivery/klantinteracties';
import { PermanentDeliveryError } from '../../src/delivery/types';
import { loadMunicipality } from '../../src/municipality';
import { OpenApiServer, sampleCallback, sampleComplaint, TestRow } from '../helpers/openapiServer';

const TOKEN = 'f1e2d3c4b5a697887766554433221100aabbccdd';
const ACTOR_UUID = randomUUID();
const PREFIX = '/klantinteracties/api/v1';

let server: OpenApiServer;

function config(over: Partial<KlantinteractiesConfig> = {}): KlantinteractiesConfig {
  return {
    url: server.base('klantinteracties'),
    token: TOKEN,
    actorUrl: `${server.base('klantinteracties')}/actoren/${ACTOR_UUID}`,
    kanaal: 'chatbot',
    timeoutMs: 2000,
    ...over,
  };
}

const complaint = sampleComplaint();
const callback = sampleCallback({ complaintReference: 'KL-2026-7QK4MX' });
const complaintRow = () => new TestRow({ kind: 'complaint', reference: complaint.reference }, 'klantinteracties', { complaint });
const callbackRow = () => new TestRow({ kind: 'callback', reference: callback.reference, id: callback.id }, 'klantinteracties', { callback });
const list = (coll: string) => server.list('klantinteracties', coll);

beforeEach(async () => {
  server = await OpenApiServer.start({
    specs: ['klantinteracties-0.9.0.openapi.yaml'],
    tokens: [TOKEN],
    seed: { [`${PREFIX}/actoren`]: [{ uuid: ACTOR_UUID, url: `http://x${PREFIX}/actoren/${ACTOR_UUID}`, naam: 'Klachtenfunctionarissen', soortActor: 'organisatorische_eenheid', indicatieActief: true }] },
  });
});

afterEach(async () => {
  await server.stop();
});

function zgwSent(row: TestRow) {
  row.others.set('zgw', {
    status: 'sent',
    state: {
      zaak: 'https://openzaak.example.nl/zaken/api/v1/zaken/4a1f5e0c-5d1b-4d87-9d5a-1a2b3c4d5e6f',
      transcriptDocument: 'https://openzaak.example.nl/documenten/api/v1/enkelvoudiginformatieobjecten/0b8e6f1c-3a2d-4c5e-9f8a-7b6c5d4e3f2a',
    },
  });
}

describe('klantinteracties plugin (contract test: Klantinteracties 0.9.0)', () => {
  test('contract test: a complaint becomes a klantcontact with the citizen as betrokkene, digital addresses, the zaak as onderwerpobject and the transcript as bijlage', async () => {
    const row = complaintRow();
    zgwSent(row);
    expect(await row.attempt(createKlantinteractiesPlugin(config()))).toBeUndefined();
    expect(server.violations).toEqual([]);
    expect(server.responseViolations).toEqual([]);

    expect(list('/klantcontacten')).toHaveLength(1);
    const kc = list('/klantcontacten')[0];
    expect(kc).toMatchObject({ kanaal: 'chatbot', onderwerp: 'Klacht KL-2026-7QK4MX', taal: 'nld', vertrouwelijk: true, plaatsgevondenOp: '2026-11-24T09:00:00.000Z' });
    expect(String(kc.inhoud)).toContain('parkeervergunning');
    expect(list('/betrokkenen')).toHaveLength(1);
    expect(list('/betrokkenen')[0]).toMatchObject({
      hadKlantcontact: { uuid: kc.uuid, url: kc.url },
      rol: 'klant',
      initiator: true,
      contactnaam: { voornaam: 'Jan', voorvoegselAchternaam: 'de', achternaam: 'Vries' },
      correspondentieadres: { adresregel1: 'Dorpsstraat 12', adresregel2: '1182 JR Amstelveen', land: 'NL' },
    });
    const adressen = list('/digitaleadressen');
    expect(adressen.map((a) => [a.soortDigitaalAdres, a.adres])).toEqual([
      ['email', 'jan@example.org'],
      ['telefoonnummer', '+31612345678'],
    ]);
    expect(list('/onderwerpobjecten')).toHaveLength(1);
    expect(list('/onderwerpobjecten')[0]).toMatchObject({
      klantcontact: { uuid: kc.uuid },
      onderwerpobjectidentificator: { objectId: 'https://openzaak.example.nl/zaken/api/v1/zaken/4a1f5e0c-5d1b-4d87-9d5a-1a2b3c4d5e6f', codeObjecttype: 'zaak', codeSoortObjectId: 'url' },
    });
    expect(list('/bijlagen')).toHaveLength(1);
    expect(list('/bijlagen')[0]).toMatchObject({ wasBijlageVanKlantcontact: { uuid: kc.uuid }, bijlageidentificator: { codeObjecttype: 'enkelvoudiginformatieobject' } });
    expect(row.state).toMatchObject({ klantcontact: kc.url, betrokkene: list('/betrokkenen')[0].url, onderwerpobject: expect.any(String), bijlage: expect.any(String) });
    expect(server.requests.every((r) => r.headers.authorization === `Token ${TOKEN}`)).toBe(true);
  });

  test('contract test: inhoud is cut to 1000 characters and an English conversation has taal eng', async () => {
    const long = sampleComplaint({ story: 'Lange klacht. '.repeat(200), locale: 'en' });
    const row = new TestRow({ kind: 'complaint', reference: long.reference }, 'klantinteracties', { complaint: long });
    expect(await row.attempt(createKlantinteractiesPlugin(config()))).toBeUndefined();
    expect(server.violations).toEqual([]);
    const kc = list('/klantcontacten')[0];
    expect(String(kc.inhoud).length).toBe(1000);
    expect(kc.taal).toBe('eng');
  });

  test('contract test: while the zaak is still being made the link step waits (retried) and then links it; without zgw the klantcontact stands alone', async () => {
    const plugin = createKlantinteractiesPlugin(config());
    const row = complaintRow();
    row.others.set('zgw', { status: 'pending', state: {} });
    const err = await row.attempt(plugin);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect(err!.message).toMatch(/waiting for the zgw delivery/);
    expect(list('/klantcontacten')).toHaveLength(1);
    zgwSent(row);
    expect(await row.attempt(plugin)).toBeUndefined();
    expect(list('/klantcontacten')).toHaveLength(1);
    expect(list('/betrokkenen')).toHaveLength(1);
    expect(list('/digitaleadressen')).toHaveLength(2);
    expect(list('/onderwerpobjecten')).toHaveLength(1);

    const alone = new TestRow({ kind: 'complaint', reference: 'KL-2026-ANDERS' }, 'klantinteracties', { complaint: sampleComplaint({ reference: 'KL-2026-ANDERS', contact: { ...complaint.contact, email: null, phone: null } }) });
    expect(await alone.attempt(plugin)).toBeUndefined();
    expect(alone.state.zaakLink).toBe('none');
    expect(list('/klantcontacten')).toHaveLength(2);
    expect(list('/onderwerpobjecten')).toHaveLength(1);
    expect(list('/digitaleadressen')).toHaveLength(2);
    expect(server.violations).toEqual([]);
  });

  test('contract test: a call-back becomes a klantcontact with an interne taak for the configured actor, with the day and part of day in Dutch time', async () => {
    const row = callbackRow();
    expect(await row.attempt(createKlantinteractiesPlugin(config()))).toBeUndefined();
    expect(server.violations).toEqual([]);
    expect(server.responseViolations).toEqual([]);
    const kc = list('/klantcontacten')[0];
    expect(kc).toMatchObject({ onderwerp: 'Terugbelverzoek TB-2026-7QK4MX', kanaal: 'chatbot', taal: 'nld' });
    expect(list('/digitaleadressen').map((a) => a.soortDigitaalAdres)).toEqual(['telefoonnummer']);
    expect(list('/internetaken')).toHaveLength(1);
    const taak = list('/internetaken')[0];
    expect(taak).toMatchObject({
      aanleidinggevendKlantcontact: { uuid: kc.uuid },
      gevraagdeHandeling: 'Terugbellen',
      toegewezenAanActoren: [{ uuid: ACTOR_UUID }],
      status: 'te_verwerken',
    });
    expect(taak.toelichting).toBe(
      'Terugbellen op donderdag 26 november 2026, ochtend (9.00 - 12.00 uur), Nederlandse tijd. Verzoek TB-2026-7QK4MX. Onderwerp: mijn parkeervergunning. Bij klacht KL-2026-7QK4MX.',
    );
    expect(row.state.interneTaak).toBe(taak.url);
  });

  test('contract test: an actor that does not exist is refused (400) → permanent, without personal data in the message', async () => {
    const row = callbackRow();
    const err = await row.attempt(createKlantinteractiesPlugin(config({ actorUrl: `${server.base('klantinteracties')}/actoren/${randomUUID()}` })));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err!.message).toMatch(/POST .*\/internetaken: 400/);
    for (const personal of ['Jan', 'Vries', '612345678', 'parkeervergunning']) expect(err!.message).not.toContain(personal);
  });

  test('contract test: server down, 5xx, time-out and a wrong token are retried; after recovery exactly one of each', async () => {
    const row = complaintRow();
    zgwSent(row);
    const plugin = createKlantinteractiesPlugin(config({ timeoutMs: 300 }));

    await server.down();
    expect((await row.attempt(plugin))!.message).toMatch(/no connection/);
    await server.up();

    server.inject({ match: 'betrokkenenCreate', status: 500 });
    const e5 = await row.attempt(plugin);
    expect(e5).not.toBeInstanceOf(PermanentDeliveryError);
    expect(e5!.message).toMatch(/betrokkenen: 500/);

    server.inject({ match: (r) => r.method === 'POST' && r.path.startsWith('/digitaleadressen'), delayMs: 800 });
    expect((await row.attempt(plugin))!.message).toMatch(/time-out after 300 ms/);
    await new Promise((r) => setTimeout(r, 700));

    const wrong = await row.attempt(createKlantinteractiesPlugin(config({ token: 'verkeerd' })));
    expect(wrong).not.toBeInstanceOf(PermanentDeliveryError);
    expect(wrong!.message).toMatch(/401 — check the credentials/);

    expect(await row.attempt(plugin)).toBeUndefined();
    expect(list('/klantcontacten')).toHaveLength(1);
    expect(list('/betrokkenen')).toHaveLength(1);
    expect(list('/digitaleadressen')).toHaveLength(2);
    expect(list('/onderwerpobjecten')).toHaveLength(1);
    expect(list('/bijlagen')).toHaveLength(1);
    // the only refused requests are the ones with the wrong token
    expect(server.violations.every((v) => v.includes('Token'))).toBe(true);
  });

  test('contract test: a klantcontact whose answer was lost is found again by onderwerp, not made twice', async () => {
    const row = callbackRow();
    const plugin = createKlantinteractiesPlugin(config({ timeoutMs: 300 }));
    server.inject({ match: (r) => r.method === 'POST' && r.path.startsWith('/klantcontacten'), delayMs: 800 });
    expect((await row.attempt(plugin))!.message).toMatch(/klantcontacten: time-out/);
    await new Promise((r) => setTimeout(r, 700));
    expect(await row.attempt(plugin)).toBeUndefined();
    expect(list('/klantcontacten')).toHaveLength(1);
    expect(list('/internetaken')).toHaveLength(1);
    expect(server.violations).toEqual([]);
  });

  test('the call-back toelichting for an English conversation says so, in Dutch', () => {
    const text = callbackToelichting(sampleCallback({ locale: 'en', partOfDay: 'afternoon', topic: undefined, date: '2026-12-01' }), loadMunicipality());
    expect(text).toBe('Terugbellen op dinsdag 1 december 2026, middag (13.00 - 17.00 uur), Nederlandse tijd. Verzoek TB-2026-7QK4MX. De inwoner sprak Engels in het gesprek.');
  });

  test('contract test: the contract server refuses what the specification refuses (read-only fields are not required, the rest is)', async () => {
    const post = async (path: string, body: unknown, token = TOKEN) =>
      (await fetch(`${server.base('klantinteracties')}${path}`, { method: 'POST', headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).status;
    const kc = { kanaal: 'chatbot', onderwerp: 'Klacht', taal: 'nld', vertrouwelijk: true };
    expect(await post('/klantcontacten', kc)).toBe(201); // url, uuid, hadBetrokkenen … are read-only
    expect(await post('/klantcontacten', { ...kc, kanaal: undefined })).toBe(400);
    expect(await post('/klantcontacten', { ...kc, taal: 'nl-NL' })).toBe(400);
    expect(await post('/klantcontacten', { ...kc, inhoud: 'x'.repeat(1001) })).toBe(400);
    expect(await post('/klantcontacten', { ...kc, plaatsgevondenOp: 'gisteren' })).toBe(400);
    expect(await post('/digitaleadressen', { adres: 'a@example.org', soortDigitaalAdres: 'fax' })).toBe(400);
    expect(await post('/partijen', { soortPartij: 'kat', indicatieActief: true })).toBe(400);
    expect(await post('/klantcontacten', kc, 'fout')).toBe(401);
    expect(server.violations).toHaveLength(7);
    expect(server.responseViolations).toEqual([]);
  });
});
