/**
 * The Teams app package: built from appPackage/ with the bot id substituted, validated against
 * Microsoft's published manifest and localization schemas (vendored from @microsoft/app-manifest,
 * see test/fixtures/teams/README.md), zipped with icons of the right size and colours.
 */
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import AdmZip from 'adm-zip';
import { createUnderstander } from '../../src/understanding';
import { loadMunicipality } from '../../src/municipality';
import { AppPackageError, buildAppPackage, MANIFEST_VERSION, repoRoot, schemaValidator, validateAppPackage } from '../../src/teams/appPackage';
import { colorIcon, outlineIcon } from '../../src/teams/icons';
import { runPackage } from '../../src/teams/package';
import { decodePng, encodePng } from '../../src/teams/png';

const ROOT = repoRoot(__dirname);
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'teams');
const municipality = loadMunicipality();
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const build = () => buildAppPackage({ appId: APP_ID, version, municipality, root: ROOT });

describe('the vendored schemas', () => {
  test('are the files named in the README, unchanged (sha256)', () => {
    const readme = readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
    expect(readme).toContain('`@microsoft/app-manifest` version 1.1.2');
    for (const file of ['MicrosoftTeams.schema.json', 'MicrosoftTeams.Localization.schema.json']) {
      const hash = createHash('sha256').update(readFileSync(path.join(FIXTURES, `v${MANIFEST_VERSION}`, file))).digest('hex');
      expect(readme).toContain(`${hash}  v${MANIFEST_VERSION}/${file}`);
      expect(readme).toContain(`https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/${file}`);
    }
  });

  test('use no draft-04-only keyword, so validating them with Ajv 8 (draft-07 rules) is exact', () => {
    const found: string[] = [];
    const walk = (node: unknown, at: string, inProperties: boolean) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`, false));
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (!inProperties && (k === 'exclusiveMinimum' || k === 'exclusiveMaximum') && typeof v === 'boolean') found.push(`${at}/${k}`);
        if (!inProperties && k === 'id' && typeof v === 'string') found.push(`${at}/id`);
        walk(v, `${at}/${k}`, !inProperties && (k === 'properties' || k === 'patternProperties' || k === 'definitions'));
      }
    };
    for (const file of ['MicrosoftTeams.schema.json', 'MicrosoftTeams.Localization.schema.json']) {
      const schema = JSON.parse(readFileSync(path.join(FIXTURES, `v${MANIFEST_VERSION}`, file), 'utf8')) as { $schema: string };
      expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
      walk(schema, file, false);
    }
    expect(found).toEqual([]);
  });
});

describe('the manifest', () => {
  test('template names the vendored schema version', () => {
    const template = JSON.parse(readFileSync(path.join(ROOT, 'appPackage', 'manifest.json'), 'utf8'));
    expect(template.manifestVersion).toBe(MANIFEST_VERSION);
    expect(template.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
  });

  test('built with the bot id validates against Microsoft\'s schema, with the English localization file', () => {
    const pkg = build();
    expect(validateAppPackage(pkg, ROOT)).toEqual([]);
    const m = pkg.manifest as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(m.id).toBe(APP_ID);
    expect(m.bots).toEqual([expect.objectContaining({ botId: APP_ID, scopes: ['personal'] })]);
    expect(m.version).toBe(version);
    expect(m.developer).toEqual({
      name: 'Gemeente Amstelveen',
      websiteUrl: 'https://www.amstelveen.nl',
      privacyUrl: 'https://www.amstelveen.nl/privacyverklaring',
      termsOfUseUrl: municipality.urls.complaint,
    });
    expect(m.name).toEqual({ short: 'Klachten Amstelveen', full: 'Klacht indienen bij Gemeente Amstelveen' });
    expect(m.accentColor).toBe('#00548f');
    expect(pkg.localizations['en.json']).toMatchObject({
      'name.short': 'Complaints Amstelveen',
      'description.short': 'File a complaint about how Gemeente Amstelveen treated you.',
      'bots[0].commandLists[0].commands[0].title': 'help',
    });
    expect(JSON.stringify(pkg.manifest)).not.toMatch(/\$\{\{/);
  });

  test('the schema check catches a wrong manifest (so the test above can fail)', () => {
    const v = schemaValidator(ROOT);
    const good = build().manifest as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const broken = JSON.parse(JSON.stringify(good));
    broken.bots[0].botId = 'not-a-guid';
    broken.name.short = 'x'.repeat(31);
    delete broken.developer.privacyUrl;
    broken.manifestVersion = '1.99';
    const errors = v.manifest(broken).join('\n');
    expect(errors).toContain('/bots/0/botId');
    expect(errors).toContain('/name/short');
    expect(errors).toContain('privacyUrl');
    expect(errors).toContain('/manifestVersion');
    expect(v.localization('en.json', { 'name.short': 'x' })).not.toEqual([]);
  });

  test('every command in the Teams command menu is one the bot understands, in both languages', async () => {
    const pkg = build();
    const bots = (pkg.manifest as { bots: { commandLists: { commands: { title: string }[] }[] }[] }).bots;
    const nl = bots[0].commandLists[0].commands.map((c) => c.title);
    const en = Object.entries(pkg.localizations['en.json'])
      .filter(([k]) => /^bots\[0\]\.commandLists\[0\]\.commands\[\d\]\.title$/.test(k))
      .map(([, v]) => v);
    expect(nl).toHaveLength(5);
    expect(en).toHaveLength(5);
    // the same understanding step the bot uses: each title is a command, not an answer
    const understander = await createUnderstander({ classifier: null });
    for (const [title, locale] of [...nl.map((t) => [t, 'nl'] as const), ...en.map((t) => [t, 'en'] as const)]) {
      const { intent } = await understander.understand({ text: title, locale, asked: 'when' });
      expect({ title, intent }).toEqual({ title, intent: expect.stringMatching(/^(help|person|restart|stop|language)$/) });
    }
  });

  test('refuses a missing or malformed bot id', () => {
    expect(() => buildAppPackage({ appId: '{{MicrosoftAppId}}', version, municipality, root: ROOT })).toThrow(AppPackageError);
    expect(() => runPackage({}, { root: ROOT, outDir: os.tmpdir() })).toThrow(/MicrosoftAppId is not set/);
  });
});

describe('the icons', () => {
  test('appPackage/color.png is 192x192 and outline.png 32x32 white on transparent', () => {
    const color = decodePng(readFileSync(path.join(ROOT, 'appPackage', 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(readFileSync(path.join(ROOT, 'appPackage', 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const alphas = new Set<number>();
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] > 0) expect([...outline.data.subarray(i, i + 3)]).toEqual([255, 255, 255]);
      alphas.add(outline.data[i + 3]);
    }
    expect(alphas.has(0)).toBe(true);
    expect(alphas.has(255)).toBe(true);
  });

  test('the package check rejects an outline icon that is not white on transparent, or the wrong size', () => {
    const pkg = build();
    const red = outlineIcon();
    for (let i = 0; i < red.data.length; i += 4) red.data[i + 1] = red.data[i + 2] = 0;
    expect(validateAppPackage({ ...pkg, files: { ...pkg.files, 'outline.png': encodePng(red) } }, ROOT).join()).toContain('white on transparent');
    expect(validateAppPackage({ ...pkg, files: { ...pkg.files, 'color.png': encodePng(colorIcon('#00548f', 96)) } }, ROOT).join()).toContain('192x192');
  });

  test('PNG writer and reader agree', () => {
    const img = colorIcon('#e3007d', 20);
    expect(decodePng(encodePng(img))).toEqual(img);
  });
});

test('runPackage (npm run teams:package) writes a valid zip with the bot id from MicrosoftAppId', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
  try {
    const { file, errors } = runPackage({ MicrosoftAppId: APP_ID }, { root: ROOT, outDir: out });
    expect(errors).toEqual([]);
    expect(path.basename(file)).toBe('klachtbot-amstelveen.zip');
    const zip = new AdmZip(file);
    expect(zip.getEntries().map((e) => e.entryName).sort()).toEqual(['color.png', 'en.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(zip.readAsText('manifest.json'));
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(schemaValidator(ROOT).manifest(manifest)).toEqual([]);
    expect(zip.readFile('color.png')!.equals(readFileSync(path.join(ROOT, 'appPackage', 'color.png')))).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the build folder is git-ignored and the npm script exists', () => {
  expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^appPackage\/build\/$/m);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.scripts['teams:package']).toBe('tsc -p . && node dist/src/teams/package.js');
});
