import { spawn } from 'child_process';
import http from 'http';
import path from 'path';
import { ConfigError, loadConfig } from '../src/config';
import { loadMunicipality, MunicipalityError } from '../src/municipality';
import { tempDbFile } from './helpers/harness';
import { writeFileSync } from 'fs';
import amstelveen from '../src/municipality/amstelveen.json';

describe('configuration', () => {
  test('defaults: port 3978, database in ./data', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3978);
    expect(c.DATABASE_URL).toBe('sqlite:./data/complaints.db');
    expect(c.databaseFile).toBe(path.resolve('data/complaints.db'));
    expect(c.MicrosoftAppType).toBe('MultiTenant');
  });

  test('DATABASE_URL selects PostgreSQL with postgres:// or postgresql://; databaseFile is for SQLite only', () => {
    for (const url of ['postgres://postgres@127.0.0.1:5432/klachtbot', 'postgresql://u:p@db.example:5432/k?sslmode=require']) {
      const c = loadConfig({ DATABASE_URL: url });
      expect(c.DATABASE_URL).toBe(url);
      expect(c.databaseFile).toBe('');
    }
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).databaseFile).toBe(':memory:');
  });

  test('a wrong value names the variable and what is expected', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: a SQLite URL .* or a PostgreSQL URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres:x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ MicrosoftAppType: 'Other' })).toThrow(/MicrosoftAppType/);
    expect(() => loadConfig({ MicrosoftAppId: 'abc' })).toThrow(/MicrosoftAppPassword: required/);
    expect(() => loadConfig({ MicrosoftAppId: 'a', MicrosoftAppPassword: 'b', MicrosoftAppType: 'SingleTenant' })).toThrow(/MicrosoftAppTenantId/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  test('the municipality file is validated; another gemeente can be loaded', () => {
    const tmp = tempDbFile();
    const file = tmp.file.replace(/test\.db$/, 'other.json');
    writeFileSync(file, JSON.stringify({ ...amstelveen, id: 'ouder-amstel', name: 'Gemeente Ouder-Amstel', phone: '020 496 21 21' }));
    expect(loadMunicipality(file)).toMatchObject({ name: 'Gemeente Ouder-Amstel' });
    writeFileSync(file, JSON.stringify({ ...amstelveen, email: 'not-an-email', urls: { ...amstelveen.urls, objection: 'ftp://x' } }));
    expect(() => loadMunicipality(file)).toThrow(MunicipalityError);
    expect(() => loadMunicipality(file)).toThrow(/email.*urls\.objection|urls\.objection.*email/);
    tmp.cleanup();
  });
});

describe('the process (compiled by the test command)', () => {
  const entry = path.resolve('dist/src/index.js');

  test('a wrong value stops the process with a message and a non-zero exit code', async () => {
    const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH, PORT: 'seventy' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/PORT/);
  });

  test('starts, answers /healthz, creates the database folder and stops on SIGTERM', async () => {
    const tmp = tempDbFile();
    const dbFile = path.join(path.dirname(tmp.file), 'nested', 'complaints.db');
    const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH, PORT: '0', DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: 'info' } });
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /"port":(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const body = await new Promise<string>((resolve) => http.get(`http://127.0.0.1:${port}/healthz`, (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve(b)); }));
    expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(require('fs').existsSync(dbFile)).toBe(true);
    tmp.cleanup();
  });
});
