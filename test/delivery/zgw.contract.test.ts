/**
 * Contract tests of the zgw registration backend against a local server that validates every request
 * against the vendored Zaken 1.5.1 and Documenten 1.4.2 specifications (test/helpers/openapiServer.ts).
 * No real Open Zaak runs here: these tests prove the requests match the published contract.
 */
jest.mock('jose', () => require('module')._load(require.resolve('jose'), null, false));

import type * as Jose from 'jose';
import { createZgwPlugin, splitName, zgwToken, type ZgwConfig } from '../../src/delivery/zgw';
import { PermanentDeliveryError } from '../../src/delivery/types';
import { OpenApiServer, sampleComplaint, TestRow } from '../helpers/openapiServer';

const CLIENT_ID = 'klachtbot';
const SECRET = 'een-geheim-van-minstens-32-tekens-lang!';
const CATALOGI = 'https://catalogi.example.nl/catalogi/api/v1';

let server: OpenApiServer;

function config(over: Partial<ZgwConfig> = {}): ZgwConfig {
  return {
    zakenUrl: server.base('zaken'),
    documentenUrl: server.base('documenten'),
    clientId: CLIENT_ID,
    secret: SECRET,
    zaaktypeUrl: `${CATALOGI}/zaaktypen/0119dd4e-7be9-477e-bccf-75023b1453c1`,
    roltypeInitiatorUrl: `${CATALOGI}/roltypen/5e5b4a1a-2d66-4d0b-9d2e-9f1d7f3c6b10`,
    statustypeUrl: `${CATALOGI}/statustypen/7a2b7a0c-8e2b-4d7e-b0a1-3b7c1a9e4f21`,
    informatieobjecttypeUrl: `${CATALOGI}/informatieobjecttypen/4f1c2b9a-6d3e-4a8b-9c7d-2e5f8a1b3c40`,
    bronorganisatie: '002220647',
    verantwoordelijkeOrganisatie: '002220647',
    timeoutMs: 2000,
    ...over,
  };
}

const complaint = sampleComplaint();
const newRow = () => new TestRow({ kind: 'complaint', reference: complaint.reference }, 'zgw', { complaint });

function count(op: string): number {
  return server.created(op).length;
}

beforeEach(async () => {
  server = await OpenApiServer.start({
    specs: ['zaken-1.5.1.openapi.yaml', 'documenten-1.4.2.openapi.yaml'],
    jwtClients: { [CLIENT_ID]: SECRET },
  });
});

afterEach(async () => {
  await server.stop();
});

function expectOneOfEach(): void {
  expect(server.list('zaken', '/zaken')).toHaveLength(1);
  expect(server.list('zaken', '/rollen')).toHaveLength(1);
  expect(server.list('zaken', '/statussen')).toHaveLength(1);
  expect(server.list('documenten', '/enkelvoudiginformatieobjecten')).toHaveLength(2);
  expect(server.list('zaken', '/zaakinformatieobjecten')).toHaveLength(2);
}

describe('zgw plugin (contract test: Zaken 1.5.1, Documenten 1.4.2)', () => {
  test('contract test: a complaint becomes one zaak with its initiator, first status and two documents; every request is valid', async () => {
    const row = newRow();
    const plugin = createZgwPlugin(config());
    const e0 = await row.attempt(plugin);
    expect(e0).toBeUndefined();
    expect(server.violations).toEqual([]);
    expect(server.responseViolations).toEqual([]);
    expectOneOfEach();
    // the first attempt searches for nothing (nothing can exist yet); it reads the zaak's identificatie once
    expect(server.requests.filter((r) => r.method === 'GET').map((r) => r.operationId)).toEqual(['zaak_read']);

    const zaak = server.list('zaken', '/zaken')[0];
    expect(zaak).toMatchObject({
      bronorganisatie: '002220647',
      verantwoordelijkeOrganisatie: '002220647',
      zaaktype: config().zaaktypeUrl,
      omschrijving: 'Klacht KL-2026-7QK4MX',
      registratiedatum: '2026-11-24',
      startdatum: '2026-11-24',
      communicatiekanaalNaam: 'Chatbot',
      kenmerken: [{ kenmerk: 'KL-2026-7QK4MX', bron: 'klachtbot' }],
    });
    expect(String(zaak.toelichting)).toContain('parkeervergunning');
    expect(String(zaak.toelichting).length).toBeLessThanOrEqual(1000);
    const zaakCreate = server.created('zaak_create')[0];
    expect(zaakCreate.headers['content-crs']).toBe('EPSG:4326');

    const rol = server.list('zaken', '/rollen')[0];
    expect(rol).toMatchObject({
      zaak: zaak.url,
      betrokkeneType: 'natuurlijk_persoon',
      roltype: config().roltypeInitiatorUrl,
      betrokkeneIdentificatie: { voornamen: 'Jan', voorvoegselGeslachtsnaam: 'de', geslachtsnaam: 'Vries' },
      contactpersoonRol: { naam: 'Jan de Vries', emailadres: 'jan@example.org', telefoonnummer: '+31612345678' },
    });
    // the status was reached when the complaint was filed, whenever the delivery runs
    expect(server.list('zaken', '/statussen')[0]).toMatchObject({ zaak: zaak.url, statustype: config().statustypeUrl, datumStatusGezet: '2026-11-24T09:00:00.000Z' });

    const [pdf, transcript] = server.list('documenten', '/enkelvoudiginformatieobjecten');
    const pdfRequest = server.created('enkelvoudiginformatieobject_create')[0].body as { inhoud: string; bestandsomvang: number };
    expect(Buffer.from(pdfRequest.inhoud, 'base64').length).toBe(pdfRequest.bestandsomvang);
    expect(pdf).toMatchObject({ formaat: 'application/pdf', taal: 'nld', bronorganisatie: '002220647', informatieobjecttype: config().informatieobjecttypeUrl, vertrouwelijkheidaanduiding: 'vertrouwelijk', creatiedatum: '2026-11-24', auteur: 'klachtbot' });
    expect(server.contents.get(String(pdf.url))!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // the accessible complaint PDF (src/delivery/pdf): tagged, in the conversation's language
    expect(server.contents.get(String(pdf.url))!.toString('latin1')).toContain('/StructTreeRoot');
    expect(server.contents.get(String(pdf.url))!.toString('latin1')).toContain('/Lang (nl');
    expect(transcript).toMatchObject({ formaat: 'application/json', taal: 'nld' });
    expect(JSON.parse(server.contents.get(String(transcript.url))!.toString('utf8'))).toEqual([
      { type: 'message', from: { role: 'user' }, text: 'Ik wil een klacht indienen' },
    ]);
    const links = server.list('zaken', '/zaakinformatieobjecten');
    expect(links.map((l) => l.informatieobject).sort()).toEqual([pdf.url, transcript.url].sort());
    expect(links.every((l) => l.zaak === zaak.url)).toBe(true);

    // every created URL is in the row's state
    expect(row.state).toMatchObject({
      zaak: zaak.url,
      zaakIdentificatie: zaak.identificatie,
      rol: rol.url,
      pdfDocument: pdf.url,
      transcriptDocument: transcript.url,
    });
    expect(typeof row.state.status).toBe('string');
    expect(typeof row.state.pdfLink).toBe('string');
    expect(typeof row.state.transcriptLink).toBe('string');
  });

  test('contract test: the JWT is HS256, verifies with the secret and carries iss, iat, client_id, user_id, user_representation', async () => {
    const row = newRow();
    expect(await row.attempt(createZgwPlugin(config()))).toBeUndefined();
    const auth = String(server.requests[0].headers.authorization);
    expect(auth).toMatch(/^Bearer /);
    const jose = require('jose') as typeof Jose;
    const { payload, protectedHeader } = await jose.jwtVerify(auth.slice(7), new TextEncoder().encode(SECRET));
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ iss: CLIENT_ID, client_id: CLIENT_ID, user_id: 'klachtbot', user_representation: expect.any(String) });
    expect(typeof payload.iat).toBe('number');
    await expect(jose.jwtVerify(auth.slice(7), new TextEncoder().encode('een ander geheim'))).rejects.toThrow();
  });

  test('contract test: wants a complaint only (a call-back is an interne taak in Klantinteracties, not a zaak)', () => {
    const plugin = createZgwPlugin(config());
    expect(plugin.wants({ kind: 'complaint', reference: 'KL-1' }, { email: null })).toBe(true);
    expect(plugin.wants({ kind: 'callback', reference: 'TB-1', id: 1 }, { email: null })).toBe(false);
  });

  test('contract test: server down → retried (no connection); after recovery exactly one zaak', async () => {
    const row = newRow();
    const plugin = createZgwPlugin(config());
    await server.down();
    const err = await row.attempt(plugin);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect(err!.message).toMatch(/no connection/);
    expect(row.state).toEqual({});
    await server.up();
    expect(await row.attempt(plugin)).toBeUndefined();
    expectOneOfEach();
    expect(server.violations).toEqual([]);
  });

  test('contract test: 5xx halfway (the rol) → retried; the retry continues from the stored zaak, never a second zaak', async () => {
    const row = newRow();
    const plugin = createZgwPlugin(config());
    server.inject({ match: 'rol_create', status: 503 });
    const err = await row.attempt(plugin);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect(err!.message).toMatch(/POST .*\/rollen: 503/);
    expect(typeof row.state.zaak).toBe('string');
    expect(row.state.rol).toBeUndefined();
    expect(await row.attempt(plugin)).toBeUndefined();
    expect(count('zaak_create')).toBe(1);
    expectOneOfEach();
    expect(server.violations).toEqual([]);
  });

  test('contract test: time-out after the zaak was made (answer lost) → retried; the retry finds the zaak by its kenmerk instead of making a second one', async () => {
    const row = newRow();
    const plugin = createZgwPlugin(config({ timeoutMs: 300 }));
    server.inject({ match: 'zaak_create', delayMs: 1000 });
    const err = await row.attempt(plugin);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect(err!.message).toMatch(/time-out after 300 ms/);
    expect(row.state.zaak).toBeUndefined();
    await new Promise((r) => setTimeout(r, 800));
    expect(server.list('zaken', '/zaken')).toHaveLength(1); // it went through
    expect(await row.attempt(plugin)).toBeUndefined();
    expect(count('zaak_create')).toBe(1);
    expect(row.state.zaak).toBe(server.list('zaken', '/zaken')[0].url);
    expectOneOfEach();
    expect(server.violations).toEqual([]);
  });

  test('contract test: time-out after a document and a link were made → the retry finds them, no duplicates', async () => {
    const row = newRow();
    const plugin = createZgwPlugin(config({ timeoutMs: 300 }));
    server.inject({ match: 'enkelvoudiginformatieobject_create', delayMs: 1000 });
    expect((await row.attempt(plugin))?.message).toMatch(/enkelvoudiginformatieobjecten: time-out/);
    await new Promise((r) => setTimeout(r, 800));
    server.inject({ match: 'zaakinformatieobject_create', status: 502, afterHandling: true });
    expect((await row.attempt(plugin))?.message).toMatch(/zaakinformatieobjecten: 502/);
    expect(await row.attempt(plugin)).toBeUndefined();
    expectOneOfEach();
    expect(server.violations).toEqual([]);
  });

  test('contract test: 400 (a request the API refuses) → permanent, with the field names but no personal data', async () => {
    const row = newRow();
    // a statustype that is no URL: the specification (format uri) refuses the status
    const plugin = createZgwPlugin(config({ statustypeUrl: 'statustype-1' }));
    const err = await row.attempt(plugin);
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err!.message).toMatch(/POST .*\/statussen: 400/);
    for (const personal of ['Jan', 'Vries', 'jan@example.org', '612345678', 'Dorpsstraat', 'parkeervergunning']) {
      expect(err!.message).not.toContain(personal);
    }
    expect(server.violations).toHaveLength(1);
  });

  test('contract test: 401/403 (wrong secret or client) → retried, not failed at once: after the secret is fixed it goes through', async () => {
    const row = newRow();
    const wrong = await row.attempt(createZgwPlugin(config({ secret: 'een-verkeerd-geheim-van-32-tekens!!' })));
    expect(wrong).not.toBeInstanceOf(PermanentDeliveryError);
    expect(wrong!.message).toMatch(/403 — check the credentials/);
    expect(await row.attempt(createZgwPlugin(config()))).toBeUndefined();
    expectOneOfEach();
  });

  test('contract test: 500 on every attempt stays retryable and makes nothing twice', async () => {
    const row = newRow();
    const plugin = createZgwPlugin(config());
    server.inject({ match: 'status_create', status: 500, times: 3 });
    for (let i = 0; i < 3; i++) expect((await row.attempt(plugin))!.message).toMatch(/statussen: 500/);
    expect(await row.attempt(plugin)).toBeUndefined();
    expectOneOfEach();
  });

  test('names are split the Dutch way as far as they go', () => {
    expect(splitName('Jan de Vries')).toEqual({ voornamen: 'Jan', voorvoegsel: 'de', geslachtsnaam: 'Vries' });
    expect(splitName('Anna Maria van der Berg')).toEqual({ voornamen: 'Anna Maria', voorvoegsel: 'van der', geslachtsnaam: 'Berg' });
    expect(splitName('Şahin')).toEqual({ geslachtsnaam: 'Şahin' });
    expect(splitName('Łukasz Nowak')).toEqual({ voornamen: 'Łukasz', geslachtsnaam: 'Nowak' });
  });

  describe('the contract server refuses what the specification refuses (so the tests above would fail loudly)', () => {
    async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
      const token = await zgwToken(CLIENT_ID, new TextEncoder().encode(SECRET), 'test');
      const res = await fetch(`${server.base('zaken')}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return res.status;
    }
    const zaak = () => ({ bronorganisatie: '002220647', verantwoordelijkeOrganisatie: '002220647', zaaktype: config().zaaktypeUrl, startdatum: '2026-11-24' });

    test('contract test: a zaak without Content-Crs, without startdatum, with a too long omschrijving or a bad date', async () => {
      expect(await post('/zaken', zaak())).toBe(412);
      expect(await post('/zaken', { ...zaak(), startdatum: undefined }, { 'Content-Crs': 'EPSG:4326' })).toBe(400);
      expect(await post('/zaken', { ...zaak(), omschrijving: 'x'.repeat(81) }, { 'Content-Crs': 'EPSG:4326' })).toBe(400);
      expect(await post('/zaken', { ...zaak(), startdatum: '24-11-2026' }, { 'Content-Crs': 'EPSG:4326' })).toBe(400);
      expect(await post('/zaken', zaak(), { 'Content-Crs': 'EPSG:4326' })).toBe(201);
      expect(server.violations).toHaveLength(4);
      expect(server.responseViolations).toEqual([]);
    });

    test('contract test: a rol by its discriminator (betrokkeneType), a contactpersoonRol without naam, a missing or wrong JWT', async () => {
      const rol = { zaak: 'http://127.0.0.1/zaken/api/v1/zaken/1', roltype: config().roltypeInitiatorUrl, roltoelichting: 'x' };
      expect(await post('/rollen', { ...rol, betrokkeneType: 'buitenaards' })).toBe(400);
      expect(await post('/rollen', { ...rol, betrokkeneType: 'natuurlijk_persoon', contactpersoonRol: { emailadres: 'a@example.org' } })).toBe(400);
      expect(await post('/rollen', { ...rol, betrokkeneType: 'natuurlijk_persoon', betrokkeneIdentificatie: { inpBsn: '12' } })).toBe(400);
      expect(await post('/rollen', { ...rol, betrokkeneType: 'natuurlijk_persoon', contactpersoonRol: { naam: 'A' } })).toBe(201);
      expect(await post('/rollen', { ...rol, betrokkeneType: 'natuurlijk_persoon' }, { Authorization: 'Bearer x.y.z' })).toBe(403);
      const res = await fetch(`${server.base('zaken')}/rollen`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(401);
      expect(server.violations).toHaveLength(5);
    });
  });
});
