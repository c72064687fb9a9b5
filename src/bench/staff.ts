/**
 * `npm run bench:staff`: fills a database with generated complaints, each with a whole intake
 * conversation as its transcript, starts the real app on it, and measures the staff API over HTTP
 * (API token, audit entry per request, as in production), one request at a time:
 * - list: a page of 20, newest first, rotating through no filter / status / route / overdue / page 2;
 * - search: full text over story and transcript (FTS5 on SQLite, tsvector + GIN on PostgreSQL),
 *   rotating through common and rare terms;
 * - open: one complaint with fields, history, deadlines and its whole transcript.
 * Prints p50/p99 per operation. Target: p99 < 50 ms on 2 cores.
 * The database: a fresh SQLite file (default), --db FILE (SQLite, kept and reused), or
 * DATABASE_URL=postgres://... (PostgreSQL; filled when it holds fewer complaints than asked, else reused).
 * It is filled with the store's bulk loader (Store.bulk, both backends), or through its repositories
 * (the same code on both backends) where a store has none.
 * Options: --complaints N (100000), --samples N per operation (1000), --db FILE.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import { parseArgs } from 'util';
import { createApp } from '../app';
import { loadConfig } from '../config';
import type { ComplaintInput } from '../domain/complaint';
import { createLogger } from '../logger';
import { loadMunicipality } from '../municipality';
import { hashToken } from '../staff/auth';
import { AnnualReports } from '../staff/reports/annual';
import { openStore, parseDatabaseUrl, type Store, type TranscriptEntry, type Tx } from '../store';

const { values } = parseArgs({
  options: {
    complaints: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '1000' },
    db: { type: 'string' },
  },
});
const COMPLAINTS = Number(values.complaints);
const SAMPLES = Number(values.samples);
const TOKEN = 'bench-token-0123456789';

// ---------- deterministic generator ----------
let seed = 42;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const SURNAMES = [
  'de Vries', 'Jansen', 'de Jong', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos',
  'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer',
  'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Berg', 'van der Heijden', 'van Dijk', 'Pietersen',
  'Koster', 'Willems', 'Prins', 'Huisman', 'Kuipers', 'Schouten', 'Postma', 'Verbeek', 'Wouters', 'Kramer', 'Hoekstra',
  'Maas', 'Verhoeven', 'Koning', 'Timmermans', 'Groen', 'Gerritsen', 'Bosman', 'Lambregts', 'Oosterhuis', 'Zwart',
];
const FIRST = ['Jan', 'Els', 'Piet', 'Ans', 'Mohamed', 'Fatima', 'Kees', 'Sanne', 'Daan', 'Emma', 'Noah', 'Lotte', 'Sem', 'Julia', 'Ahmet', 'Priya'];
const STREETS = ['Dorpsstraat', 'Laan van Ouderkerk', 'Stadsplein', 'Keizer Karelweg', 'Bovenkerkerweg', 'Zonnestein', 'Populierenlaan', 'Rembrandtweg'];
const SUBJECTS = [
  'mijn paspoort', 'de parkeervergunning', 'de afvalpas', 'de bijstandsuitkering', 'de WOZ-beschikking', 'de omgevingsvergunning',
  'mijn rijbewijs', 'de kinderopvangtoeslag', 'de huishoudelijke hulp', 'de melding over de lantaarnpaal', 'de bouwaanvraag', 'de verhuizing',
];
const WHAT = [
  'niemand belde terug', 'ik werd steeds doorverbonden', 'de medewerker was onbeleefd', 'ik kreeg verkeerde informatie',
  'ik heb al weken geen antwoord', 'de afspraak werd afgezegd zonder bericht', 'mijn brief is kwijtgeraakt', 'de balie was dicht',
];
const WHERE = ['aan de balie', 'aan de telefoon', 'per e-mail', 'op de website', 'in het stadhuis', 'per brief'];
const STATUSES = ['received', 'informal', 'formal', 'resolved'] as const;
const ROUTES = ['complaint', 'complaint', 'complaint', 'complaint', 'care', 'objection', 'report', 'damage', 'other'] as const;
const BOT_TEXTS = [
  'Goedendag. Ik ben een computerprogramma, geen mens. Ik help u een klacht over de gemeente in te dienen. Wat is er gebeurd?',
  'Waar gaat het over? Kies wat het beste past.',
  'Wanneer gebeurde het?',
  'Waar gebeurde het? Klopt dat?',
  'Gaat uw klacht over een medewerker of afdeling?',
  'Hoe kunnen we het volgens u oplossen?',
  'Wilt u eerst met een klachtenfunctionaris praten?',
  'Wat is uw naam?',
  'Op welk telefoonnummer kunnen we u bereiken?',
  'Wat is uw straat en huisnummer?',
  'Wat is uw postcode?',
  'In welke plaats woont u?',
  'Dit is uw klacht. Klopt alles?',
];

/** The reference alphabet (no 0/O, 1/I/L): a unique 6-character code per number. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
function code(i: number): string {
  let s = '';
  for (let k = 0; k < 6; k++, i = Math.floor(i / ALPHABET.length)) s = ALPHABET[i % ALPHABET.length] + s;
  return s;
}

const CHANNELS = ['emulator', 'directline', 'msteams'] as const;

// handling for the annual report (a hash of the number, so the generator's sequence above stays as it was)
const CATEGORIES = ['bejegening', 'bereikbaarheid', 'wachttijd', 'informatievoorziening', 'besluitvorming', 'overig'];
const DEPARTMENTS = ['Publiekszaken', 'Klantcontactcentrum', 'Openbare Ruimte', 'Wonen', 'Sociaal Domein', 'Belastingen'];
const FORMAL_OUTCOMES = ['gegrond', 'deels_gegrond', 'ongegrond', 'niet_in_behandeling', 'ingetrokken'];
const INTAKE = ['chat', 'chat', 'chat', 'chat', 'chat', 'chat', 'phone', 'letter', 'email', 'counter'];
function handlingOf(i: number, status: string, created: Date) {
  const h = Math.imul(i, 2654435761) >>> 0;
  const informal = h % 5 < 3;
  const handledAs = status === 'received' ? null : status === 'resolved' ? (informal ? 'informal' : 'formal') : (status as 'informal' | 'formal');
  const extended = handledAs === 'formal' && (h >>> 8) % 10 === 0;
  const days = 3 + ((h >>> 12) % (extended ? 70 : 50));
  return {
    category: (h >>> 3) % 8 === 0 ? null : CATEGORIES[(h >>> 3) % CATEGORIES.length],
    department: DEPARTMENTS[(h >>> 6) % DEPARTMENTS.length],
    intakeChannel: INTAKE[(h >>> 16) % INTAKE.length],
    handledAs,
    outcome: status !== 'resolved' ? null : informal ? 'opgelost_informeel' : FORMAL_OUTCOMES[(h >>> 20) % FORMAL_OUTCOMES.length],
    extendedAt: extended ? new Date(created.getTime() + 30 * 86_400_000).toISOString() : null,
    resolvedAt: status === 'resolved' ? new Date(created.getTime() + days * 86_400_000).toISOString() : null,
  };
}
const conversationOf = (i: number) => ({ channelId: CHANNELS[i % CHANNELS.length], conversationId: `bench-${i}` });

interface Generated {
  input: ComplaintInput;
  activities: { role: 'user' | 'bot'; text: string }[];
}

function generate(i: number): Generated {
  const name = `${pick(FIRST)} ${pick(SURNAMES)}`;
  const person = `mevrouw ${pick(SURNAMES)}`;
  const story = `Over ${pick(SUBJECTS)}: ${pick(WHAT)}, ${pick(WHERE)}. Ook ${pick(WHAT)}. Dit is nummer ${i} van mijn klachten en ik ben er klaar mee.`;
  const street = `${pick(STREETS)} ${1 + Math.floor(rand() * 200)}`;
  const phone = `061${String(1000000 + Math.floor(rand() * 8999999)).slice(0, 7)}`;
  const said = [story, 'Hoe ik behandeld ben', 'vorige week dinsdag', 'Ja', person, 'Overslaan', 'Nee, ga verder', name, phone, street, '1182jr', 'Amstelveen', 'Ja, versturen'];
  const activities: Generated['activities'] = [];
  said.forEach((text, n) => {
    activities.push({ role: 'bot', text: BOT_TEXTS[n] ?? 'Dank u wel.' });
    activities.push({ role: 'user', text });
  });
  activities.push({ role: 'bot', text: `Uw klacht is ontvangen onder kenmerk KL-BENCH-${i}. U hoort binnen 4 werkdagen van ons.` });
  const input: ComplaintInput = {
    route: pick(ROUTES),
    story,
    incidentDate: null,
    incidentDateText: 'vorige week dinsdag',
    placeKind: 'phone',
    place: 'aan de telefoon',
    personKind: 'staff',
    person,
    solution: null,
    contact: { name, phone, street, postcode: '1182 JR', city: 'Amstelveen', email: null },
    callback: null,
  } as ComplaintInput;
  return { input, activities };
}

/** Fills the store through its repositories, 500 complaints per transaction. */
async function fill(url: string, from: number): Promise<void> {
  let now = new Date();
  const store = await openStore(url, { clock: () => now });
  const start = Date.now();
  const spanMs = 3 * 365 * 86_400_000;
  const t0 = Date.now() - spanMs;
  const CHUNK = 500;
  for (let i = 0; i < from; i++) generate(i + 1); // the generator's sequence, as if filled from the start
  for (let base = from; base < COMPLAINTS; base += CHUNK) {
    const n = Math.min(CHUNK, COMPLAINTS - base);
    const fillChunk = async (tx: Tx | undefined) => {
      const generated: { i: number; g: Generated; created: Date; status: (typeof STATUSES)[number] }[] = [];
      const entries: TranscriptEntry[] = [];
      for (let k = 0; k < n; k++) {
        const i = base + k + 1;
        const created = new Date(t0 + (spanMs * i) / COMPLAINTS);
        const conv = conversationOf(i);
        const g = generate(i);
        const ageDays = (Date.now() - created.getTime()) / 86_400_000;
        const status = ageDays > 60 ? (rand() < 0.97 ? 'resolved' : pick(STATUSES)) : pick(STATUSES);
        generated.push({ i, g, created, status });
        g.activities.forEach((a, n2) => {
          const ts = new Date(created.getTime() - (g.activities.length - n2) * 15_000).toISOString();
          const data = JSON.stringify({
            type: 'message',
            id: `${conv.conversationId}-${n2}`,
            timestamp: ts,
            channelId: conv.channelId,
            serviceUrl: 'https://smba.trafficmanager.net/emea/',
            conversation: { id: conv.conversationId },
            from: a.role === 'user' ? { id: `user-${i}`, name: 'Inwoner', role: 'user' } : { id: 'klachtbot', name: 'Klachtbot', role: 'bot' },
            recipient: a.role === 'user' ? { id: 'klachtbot', name: 'Klachtbot', role: 'bot' } : { id: `user-${i}`, name: 'Inwoner', role: 'user' },
            locale: 'nl-NL',
            text: a.text,
            textFormat: 'plain',
          });
          entries.push({ ...conv, activityId: `${conv.conversationId}-${n2}`, type: 'message', role: a.role, timestamp: ts, loggedAt: ts, data });
        });
      }
      if (store.bulk) {
        // the fast way (both backends have one): rows as they are, indexes brought up to date in finish()
        const byConversation = new Map<string, TranscriptEntry[]>();
        for (const e of entries) {
          const list = byConversation.get(e.conversationId) ?? [];
          list.push(e);
          byConversation.set(e.conversationId, list);
        }
        await store.bulk.load(
          generated.map(({ i, g, created, status }) => ({
            reference: `KL-${created.getUTCFullYear()}-${code(i)}`,
            idempotencyKey: `bench/${i}`,
            status,
            route: g.input.route,
            locale: 'nl',
            channel: conversationOf(i).channelId,
            conversationId: conversationOf(i).conversationId,
            story: g.input.story,
            incidentDateText: g.input.incidentDateText,
            placeKind: g.input.placeKind,
            place: g.input.place,
            personKind: g.input.personKind,
            person: g.input.person,
            name: g.input.contact.name,
            phone: `+31${g.input.contact.phone!.slice(1)}`,
            street: g.input.contact.street,
            postcode: g.input.contact.postcode,
            city: g.input.contact.city,
            createdAt: created.toISOString(),
            ...handlingOf(i, status, created),
            transcript: byConversation.get(conversationOf(i).conversationId) ?? [],
          })),
        );
        return;
      }
      await store.transcripts.append(entries, tx);
      for (const { i, g, created, status } of generated) {
        now = created;
        const conv = conversationOf(i);
        const { reference } = await store.complaints.file(
          { input: g.input, origin: { locale: 'nl', channel: conv.channelId, conversationId: conv.conversationId }, idempotencyKey: `bench/${i}` },
          tx,
        );
        if (status !== 'received') {
          const at = new Date(created.getTime() + 20 * 86_400_000).toISOString();
          const { id } = (await store.staff.getHandling(reference, tx))!;
          await store.staff.changeStatus({ id, from: 'received', to: status, actor: 'bench', note: '', at }, tx);
        }
      }
    };
    if (store.bulk) await fillChunk(undefined);
    else await store.transaction((tx) => fillChunk(tx));
    if ((base / CHUNK) % 20 === 0) console.log(`  ${base + n} / ${COMPLAINTS} complaints (${((Date.now() - start) / 1000).toFixed(0)} s)`);
  }
  await store.bulk?.finish();
  await store.close();
  console.log(`filled ${COMPLAINTS - from} complaints with ${(COMPLAINTS - from) * 27} transcript activities in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}

function get(agent: http.Agent, port: number, pathname: string): Promise<{ ms: number; status: number; body: string }> {
  const t = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, agent, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function main(): Promise<void> {
  const envUrl = process.env.DATABASE_URL;
  const postgres = !!envUrl && parseDatabaseUrl(envUrl).backend === 'postgres';
  const tmp = postgres || values.db ? undefined : mkdtempSync(path.join(os.tmpdir(), 'klachtbot-bench-staff-'));
  const file = values.db ? path.resolve(values.db) : tmp ? path.join(tmp, 'bench.db') : '';
  const url = postgres ? envUrl! : `sqlite:${file}`;
  const shown = postgres ? url.replace(/\/\/[^@/]*@/, '//') : file;
  console.log(`bench:staff on ${os.cpus().length} CPU(s), load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${postgres ? 'PostgreSQL' : 'SQLite'} ${shown}`);
  let have = 0;
  if (postgres || existsSync(file)) {
    const probe = await openStore(url);
    have = await probe.complaints.count();
    await probe.close();
  }
  if (have < COMPLAINTS) await fill(url, have);
  else console.log(`reusing the existing database (${have} complaints)`);
  if (!postgres) console.log(`database file: ${(statSync(file).size / 1e6).toFixed(0)} MB`);

  const config = loadConfig({
    DATABASE_URL: url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    STAFF_API_TOKENS: `bench:${hashToken(TOKEN).toString('hex')}`,
  });
  const app = await createApp(config, loadMunicipality(), { log: createLogger('warn') });
  const port = await app.listen(0);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const store: Store = app.store;
  const total = await store.complaints.count();
  const refs: string[] = [];
  for (let i = 97; i <= total && refs.length < 1000; i += 97) {
    for (const c of await store.complaints.listByConversation(conversationOf(i))) refs.push(c.reference);
  }
  const page1 = JSON.parse((await get(agent, port, '/staff/api/complaints?limit=20')).body);
  const lists = [
    '/staff/api/complaints?limit=20',
    '/staff/api/complaints?limit=20&status=received',
    '/staff/api/complaints?limit=20&route=care',
    '/staff/api/complaints?limit=20&overdue=true',
    '/staff/api/complaints?limit=20&status=formal&from=2025-01-01&to=2025-12-31',
    `/staff/api/complaints?limit=20&cursor=${page1.nextCursor}`,
  ];
  const searches = ['paspoort', 'balie', 'Pietersen', 'kinderopvangtoeslag%20telefoon', 'onbeleefd%20afdeling', 'Lambregts%20Rembrandtweg', 'nummer%2012345', 'verhuizing'];

  const ops: Record<string, () => string> = {
    'list a page (20)': () => pick(lists),
    'full-text search': () => `/staff/api/complaints?limit=20&q=${pick(searches)}`,
    'open one with transcript': () => `/staff/api/complaints/${pick(refs)}`,
  };
  console.log(`measuring over HTTP, ${SAMPLES} requests per operation, one at a time (${total} complaints, ${postgres ? 'PostgreSQL' : 'SQLite'})`);
  const results: string[] = [];
  for (const [name, next] of Object.entries(ops)) {
    for (let i = 0; i < 50; i++) await get(agent, port, next()); // warm-up
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const r = await get(agent, port, next());
      if (r.status !== 200) throw new Error(`${name}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      bytes += r.body.length;
      times.push(r.ms);
    }
    const p50 = pct(times, 50);
    const p99 = pct(times, 99);
    results.push(
      `  ${name.padEnd(26)} p50 ${p50.toFixed(1).padStart(6)} ms   p99 ${p99.toFixed(1).padStart(6)} ms   max ${Math.max(...times).toFixed(1).padStart(6)} ms   ${(bytes / SAMPLES / 1024).toFixed(1)} KiB/response   ${p99 < 50 ? 'ok' : 'OVER TARGET'}`,
    );
  }
  console.log(`results (target p99 < 50 ms):\n${results.join('\n')}`);

  // the annual report (Awb 9:12a) over the year with the most complaints; target < 1 s
  const years = new Map<number, number>();
  for (let i = 1; i <= COMPLAINTS; i++) {
    const y = new Date(Date.now() - 3 * 365 * 86_400_000 + (3 * 365 * 86_400_000 * i) / COMPLAINTS).getUTCFullYear();
    years.set(y, (years.get(y) ?? 0) + 1);
  }
  const [year, inYear] = [...years.entries()].sort((a, b) => b[1] - a[1])[0];
  // made anew each time (no cache): the SQL and the term/median computation, in this process
  const fresh = new AnnualReports(store, () => new Date(), 0);
  const reportTimes: Record<string, number[]> = { 'made anew (no cache)': [], json: [], csv: [], pdf: [], 'one chart (svg)': [] };
  await fresh.annual(year);
  for (let i = 0; i < 10; i++) {
    const t0 = process.hrtime.bigint();
    await fresh.annual(year);
    reportTimes['made anew (no cache)'].push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const reportPaths: Record<string, string> = {
    json: `/staff/api/reports/annual?year=${year}`,
    csv: `/staff/api/reports/annual.csv?year=${year}`,
    pdf: `/staff/api/reports/annual.pdf?year=${year}`,
    'one chart (svg)': `/staff/api/reports/annual/category.svg?year=${year}`,
  };
  let reportTotal = 0;
  for (const [name, p] of Object.entries(reportPaths)) {
    await get(agent, port, p); // warm-up
    for (let i = 0; i < 10; i++) {
      const r = await get(agent, port, p);
      if (r.status !== 200) throw new Error(`annual report ${name}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      if (name === 'json') reportTotal = JSON.parse(r.body).total;
      reportTimes[name].push(r.ms);
    }
  }
  console.log(
    `annual report ${year} (${reportTotal} complaints received that year of ${total}; target < 1000 ms), 10 each (over HTTP: the first made, then served from the one-minute cache):\n${Object.entries(reportTimes)
      .map(([name, xs]) => {
        const p50 = pct(xs, 50);
        const max = Math.max(...xs);
        return `  ${name.padEnd(26)} p50 ${p50.toFixed(1).padStart(6)} ms   max ${max.toFixed(1).padStart(6)} ms   ${max < 1000 ? 'ok' : 'OVER TARGET'}`;
      })
      .join('\n')}`,
  );
  if (reportTotal !== inYear) console.log(`  (generated for ${year}: ${inYear}; the report counts by Amsterdam receipt day)`);
  console.log(`audit log entries: ${await store.audit.count()}`);
  agent.destroy();
  await app.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

main().catch((err: Error) => {
  console.error(`bench:staff failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
