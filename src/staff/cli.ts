/**
 * Command line for staff and operators: `npm run --silent staff -- <command>` (see src/staff/README.md).
 * Works on the database of DATABASE_URL (also while the bot runs). Every read and change is audited as
 * `cli:<os user>`.
 */
import 'dotenv/config';
import { existsSync } from 'fs';
import { userInfo } from 'os';
import { parseArgs, type ParseArgsConfig } from 'util';
import type { Activity } from 'botbuilder';
import { BotTranscriptStore, toEmulatorTranscript } from '../bot/transcriptStore';
import { ConfigError, loadConfig } from '../config';
import { addressLine, PARTS_OF_DAY, STATUSES, type Status } from '../domain/complaint';
import { OUTCOME_GROUNDS, OUTCOMES, type Outcome } from '../domain/handling';
import { ROUTES } from '../domain/routes';
import { translator } from '../i18n';
import { createLogger } from '../logger';
import { openStore, parseDatabaseUrl } from '../store';
import { CALLBACK_OUTCOMES, type CallbackOutcome, type Store } from '../store/types';
import type { Actor } from './audit';
import { newApiToken } from './auth';
import { createStaff, type Staff } from './index';
import type { ComplaintDetail, ComplaintSummary } from './schemas';
import { isReference, StaffError } from './service';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
  /** who runs it (default: the operating-system user) */
  user?: string;
}

export const USAGE = `Usage: npm run --silent staff -- <command>

  list [--status S] [--route R] [--overdue] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
       [--search TEXT] [--limit N] [--cursor C] [--json]
                             complaints, newest first (status: ${STATUSES.join('|')})
  show <reference> [--json]  one complaint: fields, deadlines, history and transcript
  transcript <reference>     the conversation as a Bot Framework Emulator .transcript (JSON) on stdout
  purge --dry-run|--yes [--json]
                             delete what is past retention (--dry-run: only report)
  audit [--reference R] [--actor A] [--limit N] [--json]
                             the audit log, newest first
  token <name>               a new API token, and its STAFF_API_TOKENS entry (name:sha256)

Handling (audited as cli:<user>; --json prints the complaint as the API returns it):
  status <reference> <${STATUSES.join('|')}> --note TEXT
       [--outcome ${OUTCOMES.join('|')}] [--ground ${OUTCOME_GROUNDS.join('|')}]
       [--category C] [--department D]
  extend <reference> --note TEXT        the decision term extended once (Awb 9:11)
  reopen <reference> --reason TEXT      a resolved complaint back to formal handling
  note <reference> --text TEXT          a note on the timeline (a phone call, say)
  assign <reference> [--assignee ID] [--department D] [--handler ID]   ('-' clears one)
  callback <id> <${CALLBACK_OUTCOMES.join('|')}> [--note TEXT] [--date YYYY-MM-DD --part ${PARTS_OF_DAY.join('|')}]

Exit status: 0 done, 1 not found or failed, 2 wrong use. --json output is documented in src/staff/README.md.`;

class UsageError extends Error {}

/** DATABASE_URL names no database to open (a mistyped file or scheme): wrong use, never a new empty database. */
class NoDatabaseError extends Error {}

const t = translator('nl');

async function openStaff(env: NodeJS.ProcessEnv, clock?: () => Date): Promise<{ store: Store; staff: Staff }> {
  const config = loadConfig(env);
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, process.stderr as never);
  let target: ReturnType<typeof parseDatabaseUrl>;
  try {
    target = parseDatabaseUrl(config.DATABASE_URL);
  } catch {
    throw new NoDatabaseError(t('staffApi.cli.badDatabaseUrl'));
  }
  // open, never create: a file that is not there is a typing error, not an empty database
  if (target.backend === 'sqlite' && target.file !== ':memory:' && !existsSync(target.file)) {
    throw new NoDatabaseError(t('staffApi.cli.noDatabase', { url: config.DATABASE_URL }));
  }
  let store: Store;
  try {
    store = await openStore(config.DATABASE_URL, { clock, log });
  } catch (err) {
    // PostgreSQL: 3D000 the database does not exist
    if ((err as { code?: string }).code === '3D000') throw new NoDatabaseError(t('staffApi.cli.noDatabase', { url: redact(config.DATABASE_URL) }));
    throw err;
  }
  const transcripts = new BotTranscriptStore(store.transcripts, { log });
  const staff = await createStaff(store, transcripts, config, { clock }); // no log: the API's warnings are not the CLI's
  return { store, staff };
}

const STATUS_NL: Record<string, string> = { received: 'ontvangen', informal: 'informeel', formal: 'formeel', resolved: 'afgehandeld' };

/** A URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

const amsterdam = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An ISO instant as Amsterdam local time: '24-11-2026 10:00'. */
export function amsterdamTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(amsterdam.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}`;
}

/** A day YYYY-MM-DD as 24-11-2026. */
function dutchDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : day;
}

const label = (key: string, code: string | null | undefined): string => {
  if (!code) return '';
  const text = t(`${key}.${code}`);
  return text === `${key}.${code}` ? code : text;
};

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function listLine(c: ComplaintSummary): string {
  const late = c.deadlines.overdue ? ' TE LAAT' : '';
  return [c.reference, c.createdAt.slice(0, 10), STATUS_NL[c.status].padEnd(11), c.route.padEnd(13), oneLine(c.contact.name, 24).padEnd(24), `${oneLine(c.excerpt, 60)}${late}`].join('  ');
}

function transcriptTimeLines(activities: ComplaintDetail['transcript']): string[] {
  return activities.map((a) => {
    const who = a.from?.role === 'user' ? 'Inwoner' : 'Bot';
    const text = typeof a.text === 'string' ? a.text : `[${a.type}]`;
    return `  ${amsterdamTime(a.timestamp)}  ${who}: ${text.replace(/\n/g, '\n      ')}`;
  });
}

function timelineLine(e: ComplaintDetail['timeline'][number]): string {
  const what =
    e.kind === 'status' || e.kind === 'reopen'
      ? `${label('reports.status', e.from)} -> ${label('reports.status', e.to)}`
      : e.kind === 'assignment'
        ? Object.entries(e.data ?? {})
            .filter(([k]) => k !== 'previous')
            .map(([k, v]) => `${t(`staffApi.cli.${k}`)}: ${v ?? t('staffApi.cli.nobody')}`)
            .join(', ')
        : e.kind === 'document'
          ? String((e.data as { filename?: string } | null)?.filename ?? '')
          : e.kind === 'callback'
            ? label('staffApi.callbackOutcome', (e.data as { outcome?: string } | null)?.outcome)
            : '';
  const outcome = (e.data as { outcome?: string } | null)?.outcome;
  const extra = e.kind === 'status' && outcome ? ` (${label('reports.outcome', outcome)})` : '';
  return `  ${amsterdamTime(e.at)}  ${e.actor}  ${label('staffApi.timeline', e.kind)}${what ? `: ${what}` : ''}${extra}${e.note ? ` — ${e.note}` : ''}`;
}

function detailText(c: ComplaintDetail): string {
  const d = c.deadlines;
  const L = (k: string) => `${t(`staffApi.cli.${k}`)}:`.padEnd(20);
  const lines = [
    `Klacht ${c.reference} (${STATUS_NL[c.status]})`,
    `  ${L('received')}${amsterdamTime(c.receivedAt)} (${label('reports.channel', c.intakeChannel)})`,
    `  ${L('updated')}${amsterdamTime(c.updatedAt)} (versie ${c.version})`,
    `  contact uiterlijk:  ${dutchDay(d.contactBy)}${d.contactOverdue ? ' VERSTREKEN' : ''}`,
    `  besluit uiterlijk:  ${dutchDay(d.decisionDue)}${d.extended ? ' (verdaagd)' : ''}${d.decisionOverdue ? ' VERSTREKEN' : ''}`,
    `  ${L('assignee')}${c.assignee ?? t('staffApi.cli.nobody')}`,
    `  ${L('department')}${c.department ?? ''}`,
    `  ${L('handler')}${c.handler ?? ''}`,
    `  ${L('category')}${label('staffApi.category', c.category)}`,
    `  ${L('outcome')}${label('reports.outcome', c.outcome)}${c.outcomeGround ? ` — ${label('staffApi.outcomeGround', c.outcomeGround)}` : ''}`,
    `  soort:              ${c.route}`,
    `  verhaal:            ${c.story}`,
    `  wanneer:            ${c.incidentDate ? dutchDay(c.incidentDate) : c.incidentDateFrom ? `${dutchDay(c.incidentDateFrom)} t/m ${dutchDay(c.incidentDateTo ?? '')}` : ''} ${c.incidentDateText}`.trimEnd(),
    `  waar:               ${c.place}`.trimEnd(),
    `  over wie:           ${c.person ?? ''}`.trimEnd(),
    `  oplossing:          ${c.solution ?? ''}`,
    `  naam:               ${c.contact.name}`,
    `  telefoon:           ${c.contact.phone ?? ''}`,
    `  adres:              ${addressLine(c.contact)}`,
    `  e-mail:             ${c.contact.email ?? ''}`,
    `  terugbellen:        ${c.callback ? `${dutchDay(c.callback.date)} ${label('staffApi.partOfDay', c.callback.partOfDay)}` : ''}`,
    `  kanaal:             ${c.channel} (${c.locale === 'en' ? 'Engels' : 'Nederlands'})`,
    'Geschiedenis:',
    ...(c.timeline.length ? c.timeline.map(timelineLine) : ['  (geen)']),
    'Gesprek:',
    ...(c.transcript.length ? transcriptTimeLines(c.transcript) : ['  (niet opgeslagen)']),
  ];
  return lines.join('\n');
}

/** Runs one command; returns the exit status. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'token') {
    const name = rest[0];
    if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
      io.err('token <name>: a name of letters, digits, dot, dash or underscore');
      return 2;
    }
    const { token, entry } = newApiToken(name);
    io.out(`token (give it to the user once; it is not stored): ${token}\nSTAFF_API_TOKENS entry: ${entry}`);
    return 0;
  }
  const actor: Actor = { id: `cli:${io.user ?? safeUser()}`, via: 'cli' };
  let opened: { store: Store; staff: Staff } | undefined;
  try {
    const { values, positionals } = parseCommand(command, rest);
    opened = await openStaff(env, io.clock);
    const { staff } = opened;
    const json = Boolean(values.json);
    switch (command) {
      case 'list': {
        const status = values.status as string | undefined;
        if (status && !(STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status: one of ${STATUSES.join(', ')}`);
        const route = values.route as string | undefined;
        if (route && !(ROUTES as readonly string[]).includes(route)) throw new UsageError(`--route: one of ${ROUTES.join(', ')}`);
        const limit = values.limit === undefined ? 50 : Number(values.limit);
        const result = await staff.service.list(actor, {
          status: status as never,
          route: route as never,
          overdue: values.overdue ? true : undefined,
          from: values.from as string | undefined,
          to: values.to as string | undefined,
          q: values.search as string | undefined,
          limit,
          cursor: values.cursor as string | undefined,
        });
        if (json) io.out(JSON.stringify(result, null, 2));
        else {
          io.out(result.items.length ? result.items.map(listLine).join('\n') : 'Geen klachten gevonden.');
          if (result.nextCursor) io.out(`(meer: --cursor ${result.nextCursor})`);
        }
        return 0;
      }
      case 'show': {
        const ref = referenceArg(positionals);
        const detail = await staff.service.get(actor, ref);
        io.out(json ? JSON.stringify(detail, null, 2) : detailText(detail));
        return 0;
      }
      case 'transcript': {
        const ref = referenceArg(positionals);
        const activities: Activity[] = await staff.service.transcript(actor, ref);
        io.out(toEmulatorTranscript(activities).trimEnd());
        return 0;
      }
      case 'purge': {
        if (Boolean(values['dry-run']) === Boolean(values.yes)) throw new UsageError('purge needs exactly one of --dry-run or --yes');
        const report = await staff.retention.purge(actor, { dryRun: Boolean(values['dry-run']) });
        if (json) io.out(JSON.stringify(report, null, 2));
        else {
          const verb = report.dryRun ? 'would delete' : 'deleted';
          io.out(
            [
              `Retention: complaints ${staff.retention.policy.resolvedYears} years after resolved, other conversations ${staff.retention.policy.abandonedDays} days after the last activity.`,
              `${verb} ${report.complaints.length} complaint(s)${report.complaints.length ? ':' : ''}`,
              ...report.complaints.map((c) => `  ${c.reference} (resolved ${c.resolvedAt.slice(0, 10)})`),
              `${verb} ${report.conversations} conversation(s) without a complaint and ${report.callbacks} other call-back request(s)`,
            ].join('\n'),
          );
        }
        return 0;
      }
      case 'audit': {
        const result = await staff.audit.list({
          reference: (values.reference as string | undefined)?.toUpperCase(),
          actor: values.actor as string | undefined,
          limit: values.limit === undefined ? 50 : Number(values.limit),
        });
        await staff.audit.record(actor, { action: 'audit.list', detail: { count: result.items.length } });
        if (json) io.out(JSON.stringify(result, null, 2));
        else io.out(result.items.map((e) => `${e.at}  ${e.actor}  ${e.action}  ${e.references.join(',')}`).join('\n') || '(leeg)');
        return 0;
      }
      case 'status': {
        const ref = referenceArg(positionals.slice(0, 1));
        const to = positionals[1] as Status;
        if (positionals.length !== 2 || !(STATUSES as readonly string[]).includes(to)) throw new UsageError(`status <reference> <${STATUSES.join('|')}>`);
        const note = required(values.note, '--note');
        const outcome = values.outcome as string | undefined;
        if (outcome && !(OUTCOMES as readonly string[]).includes(outcome)) throw new UsageError(`--outcome: one of ${OUTCOMES.join(', ')}`);
        const detail = await staff.service.changeStatus(actor, ref, to, note, {
          outcome: outcome as Outcome | undefined,
          outcomeGround: values.ground as string | undefined,
          category: values.category as string | undefined,
          department: values.department as string | undefined,
        });
        return done(io, detail, json);
      }
      case 'extend': {
        const ref = referenceArg(positionals);
        return done(io, await staff.service.extend(actor, ref, required(values.note, '--note')), json);
      }
      case 'reopen': {
        const ref = referenceArg(positionals);
        return done(io, await staff.service.reopen(actor, ref, required(values.reason, '--reason')), json);
      }
      case 'note': {
        const ref = referenceArg(positionals);
        return done(io, await staff.service.addNote(actor, ref, required(values.text, '--text')), json);
      }
      case 'assign': {
        const ref = referenceArg(positionals);
        const v = (x: unknown) => (x === undefined ? undefined : x === '-' || x === '' ? null : String(x));
        const a = { assignee: v(values.assignee), department: v(values.department), handler: v(values.handler) };
        if (Object.values(a).every((x) => x === undefined)) throw new UsageError('assign: give --assignee, --department or --handler');
        return done(io, await staff.service.assign(actor, ref, a), json);
      }
      case 'callback': {
        const id = Number(positionals[0]);
        const outcome = positionals[1] as CallbackOutcome;
        if (positionals.length !== 2 || !Number.isSafeInteger(id) || id <= 0 || !(CALLBACK_OUTCOMES as readonly string[]).includes(outcome)) {
          throw new UsageError(`callback <id> <${CALLBACK_OUTCOMES.join('|')}>`);
        }
        const part = values.part as string | undefined;
        if (part && !(PARTS_OF_DAY as readonly string[]).includes(part)) throw new UsageError(`--part: one of ${PARTS_OF_DAY.join(', ')}`);
        if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(String(values.date))) throw new UsageError('--date: YYYY-MM-DD');
        await staff.service.callbackOutcome(actor, id, {
          outcome,
          note: values.note as string | undefined,
          date: values.date as string | undefined,
          partOfDay: part as 'morning' | 'afternoon' | undefined,
        });
        io.out(json ? JSON.stringify({ id, outcome }) : `Klaar: terugbelverzoek ${id}: ${label('staffApi.callbackOutcome', outcome)}.`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof NoDatabaseError) {
      io.err(err.message);
      return 2;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(err.message);
      return 2;
    }
    if (err instanceof StaffError) {
      io.err(`${err.code}: ${err.code === 'stale' ? t('staffApi.cli.stale') : err.message}`);
      return err.status === 400 ? 2 : 1;
    }
    io.err(`failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await opened?.store.close();
  }
}

function parseCommand(command: string, args: string[]) {
  const common = { json: { type: 'boolean' as const } };
  const byCommand: Record<string, ParseArgsConfig['options']> = {
    list: {
      ...common,
      status: { type: 'string' },
      route: { type: 'string' },
      overdue: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      search: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    },
    show: common,
    transcript: {},
    status: { ...common, note: { type: 'string' }, outcome: { type: 'string' }, ground: { type: 'string' }, category: { type: 'string' }, department: { type: 'string' } },
    extend: { ...common, note: { type: 'string' } },
    reopen: { ...common, reason: { type: 'string' } },
    note: { ...common, text: { type: 'string' } },
    assign: { ...common, assignee: { type: 'string' }, department: { type: 'string' }, handler: { type: 'string' } },
    callback: { ...common, note: { type: 'string' }, date: { type: 'string' }, part: { type: 'string' } },
    purge: { ...common, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' } },
    audit: { ...common, reference: { type: 'string' }, actor: { type: 'string' }, limit: { type: 'string' } },
  };
  const options = byCommand[command];
  if (!options) throw new UsageError(`unknown command: ${command}`);
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

function required(v: unknown, name: string): string {
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`${name} is required`);
  return v;
}

function done(io: CliIo, detail: ComplaintDetail, json: boolean): number {
  io.out(json ? JSON.stringify(detail, null, 2) : t('staffApi.cli.done', { reference: detail.reference, version: detail.version }));
  return 0;
}

function referenceArg(positionals: string[]): string {
  const ref = (positionals[0] ?? '').toUpperCase();
  if (positionals.length !== 1 || !isReference(ref)) throw new UsageError('give one complaint reference, like KL-2026-ABC234');
  return ref;
}

function safeUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return process.env.USER || 'unknown';
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`failed: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
