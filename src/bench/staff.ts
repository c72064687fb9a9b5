/**
 * `npm run bench:staff`: fills a fresh SQLite database with generated complaints, each with a whole
 * intake conversation as its transcript, starts the real app, and measures the staff API over HTTP
 * (API token, audit entry per request, as in production), one request at a time:
 * - list: a page of 20, newest first, rotating through no filter / status / route / overdue / page 2;
 * - search: full text (FTS5) over story and transcript, rotating through common and rare terms;
 * - open: one complaint with fields, history, deadlines and its whole transcript.
 * Prints p50/p99 per operation. Target: p99 < 50 ms on 2 cores.
 * Options: --complaints N (100000), --samples N per operation (1000), --db FILE (keep and reuse a database).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import { parseArgs } from 'util';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { loadMunicipality } from '../municipality';
import { Db } from '../store/db';
import { ComplaintStore } from '../store/complaintStore';
import { SqliteStorage } from '../bot/sqliteStorage';
import { DedupeMiddleware } from '../bot/dedupe';
import { SqliteTranscriptStore } from '../bot/sqliteTranscriptStore';
import { hashToken } from '../staff/auth';
import { STAFF_MIGRATIONS } from '../staff/service';

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

interface Generated {
  row: unknown[];
  activities: { role: 'user' | 'bot'; text: string }[];
}

function generate(i: number): Generated {
  const name = `${pick(FIRST)} ${pick(SURNAMES)}`;
  const person = `mevrouw ${pick(SURNAMES)}`;
  const story = `Over ${pick(SUBJECTS)}: ${pick(WHAT)}, ${pick(WHERE)}. Ook ${pick(WHAT)}. Dit is nummer ${i} van mijn klachten en ik ben er klaar mee.`;
  const street = `${pick(STREETS)} ${1 + Math.floor(rand() * 200)}`;
  const phone = `+3161${String(1000000 + Math.floor(rand() * 8999999)).slice(0, 7)}`;
  const said = [story, 'Hoe ik behandeld ben', 'vorige week dinsdag', 'Ja', person, 'Overslaan', 'Nee, ga verder', name, phone.replace('+31', '0'), street, '1182jr', 'Amstelveen', 'Ja, versturen'];
  const activities: Generated['activities'] = [];
  said.forEach((text, n) => {
    activities.push({ role: 'bot', text: BOT_TEXTS[n] ?? 'Dank u wel.' });
    activities.push({ role: 'user', text });
  });
  activities.push({ role: 'bot', text: `Uw klacht is ontvangen onder kenmerk KL-BENCH-${i}. U hoort binnen 4 werkdagen van ons.` });
  return { row: [name, phone, street, story, person], activities };
}

async function fill(file: string): Promise<void> {
  const db = await Db.open(file);
  await new ComplaintStore(db).init();
  await new SqliteStorage(db).init();
  await new DedupeMiddleware(db).init();
  await new SqliteTranscriptStore(db).init();
  await db.migrate('staff', STAFF_MIGRATIONS); // the search triggers come with the app's first start
  const start = Date.now();
  const spanMs = 3 * 365 * 86_400_000;
  const t0 = Date.now() - spanMs;
  const CHUNK = 500;
  for (let base = 0; base < COMPLAINTS; base += CHUNK) {
    const n = Math.min(CHUNK, COMPLAINTS - base);
    await db.transaction(async () => {
      const complaints: unknown[][] = [];
      const activities: unknown[][] = [];
      const handling: unknown[][] = [];
      for (let k = 0; k < n; k++) {
        const i = base + k + 1;
        const created = new Date(t0 + (spanMs * i) / COMPLAINTS);
        const conv = `bench-${i}`;
        const g = generate(i);
        const [name, phone, street, story, person] = g.row as string[];
        const ageDays = (Date.now() - created.getTime()) / 86_400_000;
        const status = ageDays > 60 ? (rand() < 0.97 ? 'resolved' : pick(STATUSES)) : pick(STATUSES);
        const ref = `KL-${created.getUTCFullYear()}-${code(i)}`;
        complaints.push([
          ref, `bench/${i}`, status, pick(ROUTES), 'nl', pick(['emulator', 'directline', 'msteams']), conv, story,
          null, 'vorige week dinsdag', 'phone', 'aan de telefoon', 'staff', person, null,
          name, phone, street, '1182 JR', 'Amstelveen', null, created.toISOString(), created.toISOString(),
        ]);
        if (status === 'resolved') handling.push([i, null, new Date(created.getTime() + 20 * 86_400_000).toISOString()]);
        g.activities.forEach((a, n2) => {
          const ts = new Date(created.getTime() - (g.activities.length - n2) * 15_000).toISOString();
          const channel = complaints[complaints.length - 1][5] as string;
          const data = JSON.stringify({
            type: 'message',
            id: `${conv}-${n2}`,
            timestamp: ts,
            channelId: channel,
            serviceUrl: 'https://smba.trafficmanager.net/emea/',
            conversation: { id: conv },
            from: a.role === 'user' ? { id: `user-${i}`, name: 'Inwoner', role: 'user' } : { id: 'klachtbot', name: 'Klachtbot', role: 'bot' },
            recipient: a.role === 'user' ? { id: 'klachtbot', name: 'Klachtbot', role: 'bot' } : { id: `user-${i}`, name: 'Inwoner', role: 'user' },
            locale: 'nl-NL',
            text: a.text,
            textFormat: 'plain',
          });
          activities.push([channel, conv, `${conv}-${n2}`, 'message', a.role, ts, ts, data]);
        });
      }
      for (let k = 0; k < activities.length; k += 400) {
        const chunk = activities.slice(k, k + 400);
        await db.run(
          `INSERT INTO transcript_activities (channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data) VALUES ${chunk.map(() => '(?,?,?,?,?,?,?,?)').join(',')}`,
          chunk.flat(),
        );
      }
      for (let k = 0; k < complaints.length; k += 200) {
        const chunk = complaints.slice(k, k + 200);
        await db.run(
          `INSERT INTO complaints (reference, idempotency_key, status, route, locale, channel, conversation_id, story,
             incident_date, incident_date_text, place_kind, place, person_kind, person, solution,
             name, phone, street, postcode, city, email, created_at, updated_at)
           VALUES ${chunk.map(() => `(${Array(23).fill('?').join(',')})`).join(',')}`,
          chunk.flat(),
        );
      }
      if (handling.length) {
        await db.run(`INSERT INTO complaint_handling (complaint_id, extended_at, resolved_at) VALUES ${handling.map(() => '(?,?,?)').join(',')}`, handling.flat());
      }
    });
    if ((base / CHUNK) % 40 === 0) console.log(`  ${base + n} / ${COMPLAINTS} complaints`);
  }
  // transcripts registry and search index for everything at once
  await db.transaction(async () => {
    await db.run(
      `INSERT OR IGNORE INTO transcripts (channel_id, conversation_id, created_at, last_activity_at)
       SELECT channel_id, conversation_id, min(logged_at), max(logged_at) FROM transcript_activities GROUP BY channel_id, conversation_id`,
    );
    await db.run(`INSERT INTO complaint_search (complaint_search) VALUES ('delete-all')`);
    await db.run(
      `INSERT INTO complaint_search (rowid, story, transcript)
       SELECT c.id, c.story, (SELECT group_concat(json_extract(t.data, '$.text'), char(10)) FROM transcript_activities t
                               WHERE t.channel_id = c.channel AND t.conversation_id = c.conversation_id AND t.role = 'user' AND t.type = 'message')
         FROM complaints c`,
    );
  });
  await db.exec('ANALYZE; PRAGMA optimize;');
  await db.close();
  const mb = statSync(file).size / 1e6;
  console.log(`filled ${COMPLAINTS} complaints with ${COMPLAINTS * 27} transcript activities in ${((Date.now() - start) / 1000).toFixed(1)} s (${mb.toFixed(0)} MB)`);
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
  const tmp = values.db ? undefined : mkdtempSync(path.join(os.tmpdir(), 'klachtbot-bench-staff-'));
  const file = values.db ? path.resolve(values.db) : path.join(tmp!, 'bench.db');
  console.log(`bench:staff on ${os.cpus().length} CPU(s), load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; database ${file}`);
  if (!existsSync(file)) await fill(file);
  else console.log('reusing the existing database');

  const config = loadConfig({
    DATABASE_URL: `sqlite:${file}`,
    PORT: '0',
    LOG_LEVEL: 'warn',
    STAFF_API_TOKENS: `bench:${hashToken(TOKEN).toString('hex')}`,
  });
  const app = await createApp(config, loadMunicipality(), { log: createLogger('warn') });
  const port = await app.listen(0);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const total = (await app.db.get<{ n: number }>('SELECT max(id) AS n FROM complaints'))!.n;
  const refs = (await app.db.all<{ reference: string }>('SELECT reference FROM complaints WHERE id % 97 = 0')).map((r) => r.reference);
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
  console.log(`measuring over HTTP, ${SAMPLES} requests per operation, one at a time (${total} complaints)`);
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
  const audited = (await app.db.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))!.n;
  console.log(`audit log entries written: ${audited}`);
  agent.destroy();
  await app.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

main().catch((err: Error) => {
  console.error(`bench:staff failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
