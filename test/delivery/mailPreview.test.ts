/**
 * The mail templates on the staff page (issue 13) over the real staff API: the list, each template
 * rendered with the made-up example in both languages, the officers' alert without personal data,
 * errors in the one JSON shape, authentication required.
 */
import { API_TOKEN, API_TOKEN_ENTRY, request, startApp, type TestApp } from '../staff/helpers';
import { mailPreview } from '../../src/staff/mailApi';
import { loadMunicipality } from '../../src/municipality';

let t: TestApp;

beforeAll(async () => {
  t = await startApp({ STAFF_API_TOKENS: API_TOKEN_ENTRY });
});

afterAll(() => t.close());

test('GET /staff/api/mail/templates lists the templates with a Dutch description', async () => {
  const r = await request(t.base, 'GET', '/staff/api/mail/templates', { token: API_TOKEN });
  expect(r.status).toBe(200);
  expect(r.json.map((x: { id: string }) => x.id)).toEqual(['citizen', 'officers', 'officers-callback', 'digest']);
  expect(r.json[0].description).toBe('Ontvangstbevestiging aan de indiener, met de klacht als PDF');
  expect((await request(t.base, 'GET', '/staff/api/mail/templates')).status).toBe(401);
});

test('GET /staff/api/mail/preview/:id renders each template with the example, in Dutch and English', async () => {
  const nl = await request(t.base, 'GET', '/staff/api/mail/preview/citizen', { token: API_TOKEN });
  expect(nl.status).toBe(200);
  expect(nl.json.subject).toBe('Wij hebben uw klacht ontvangen (KL-2026-VB1234)');
  expect(nl.json.text).toContain('Wat gebeurt er nu?');
  expect(nl.json.html).toContain('<html lang="nl">');
  expect(nl.json.attachments).toEqual([{ filename: 'klacht-KL-2026-VB1234.pdf', contentType: 'application/pdf' }]);
  const en = await request(t.base, 'GET', '/staff/api/mail/preview/citizen?locale=en', { token: API_TOKEN });
  expect(en.json.subject).toBe('We have received your complaint (KL-2026-VB1234)');
  expect(en.json.html).toContain('<html lang="en">');
  for (const id of ['officers', 'officers-callback', 'digest']) {
    const r = await request(t.base, 'GET', `/staff/api/mail/preview/${id}`, { token: API_TOKEN });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ subject: expect.any(String), text: expect.any(String), html: expect.stringContaining('<!DOCTYPE html>'), attachments: [] });
  }
  const officers = await request(t.base, 'GET', '/staff/api/mail/preview/officers', { token: API_TOKEN });
  expect(officers.json.text).toContain('/staff/#/complaints/KL-2026-VB1234');
  expect(officers.json.text).not.toContain('Sam de Voorbeeld');
});

test('an unknown template is 404 and an unknown language 400, in the one error shape', async () => {
  const missing = await request(t.base, 'GET', '/staff/api/mail/preview/nope', { token: API_TOKEN });
  expect(missing.status).toBe(404);
  expect(missing.json).toEqual({ error: 'not_found', message: expect.any(String) });
  const badLocale = await request(t.base, 'GET', '/staff/api/mail/preview/citizen?locale=fr', { token: API_TOKEN });
  expect(badLocale.status).toBe(400);
  expect(badLocale.json).toEqual({ error: 'invalid_query', message: expect.any(String) });
});

test('the officers’ preview shows personal data only when the gemeente turned it on', () => {
  const municipality = loadMunicipality();
  expect(mailPreview('officers', 'nl', { municipality, personalData: false }).text).not.toContain('Sam de Voorbeeld');
  expect(mailPreview('officers', 'nl', { municipality, personalData: true }).text).toContain('Sam de Voorbeeld');
});
