/**
 * Builds the Teams app package: appPackage/manifest.json is a template whose `${{name}}` placeholders
 * are filled in here: the bot's MicrosoftAppId, the version from package.json, the gemeente's facts
 * from the municipality file, and `${{t:key}}` texts from locales/ (Dutch in the manifest, English in
 * en.json, a Teams localization file). The result is checked against Microsoft's manifest schema
 * (vendored in test/fixtures/teams/, see the README there) and zipped with both icons.
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import AdmZip from 'adm-zip';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { translator } from '../i18n';
import type { Municipality } from '../municipality';
import { decodePng } from './png';

export const MANIFEST_VERSION = '1.23';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const PLACEHOLDER = /\$\{\{\s*([^}\s]+)\s*\}\}/g;
const SECOND_LANGUAGE = { tag: 'en', file: 'en.json', locale: 'en' } as const;

/** The repository root (with package.json and appPackage/), from src/teams or dist/src/teams. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'appPackage'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${from}`);
    dir = up;
  }
}

export interface AppPackageInput {
  /** the bot's MicrosoftAppId (a GUID); also the Teams app id */
  appId: string;
  /** the app version, x.y.z */
  version: string;
  municipality: Municipality;
  root?: string;
}

export interface AppPackage {
  manifest: Record<string, unknown>;
  /** Teams localization files by file name */
  localizations: Record<string, Record<string, string>>;
  /** every file of the zip by name */
  files: Record<string, Buffer>;
  zip: Buffer;
}

export class AppPackageError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replaces the placeholders in every string of `template`; records where each `t:` text went. */
function fill(
  node: Json,
  values: Record<string, string>,
  translate: (key: string) => string,
  at: string,
  texts: Record<string, string>,
): Json {
  if (typeof node === 'string') {
    return node.replace(PLACEHOLDER, (_, name: string) => {
      if (name.startsWith('t:')) {
        texts[at] = name.slice(2);
        return translate(name.slice(2));
      }
      if (!(name in values)) throw new AppPackageError(`unknown placeholder \${{${name}}} at ${at || '(root)'}`);
      return values[name];
    });
  }
  if (Array.isArray(node)) return node.map((item, i) => fill(item, values, translate, `${at}[${i}]`, texts));
  if (node && typeof node === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(node)) out[k] = fill(v, values, translate, at ? `${at}.${k}` : k, texts);
    return out;
  }
  return node;
}

export function buildAppPackage(input: AppPackageInput): AppPackage {
  const root = input.root ?? repoRoot();
  const { appId, version, municipality: m } = input;
  if (!GUID.test(appId)) throw new AppPackageError(`MicrosoftAppId must be the bot's app id, a GUID; got "${appId}"`);
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new AppPackageError(`the version must look like 1.2.3; got "${version}"`);
  const values: Record<string, string> = {
    MicrosoftAppId: appId,
    version,
    gemeente: m.name,
    websiteUrl: m.urls.website,
    privacyUrl: m.urls.privacy,
    termsOfUseUrl: m.urls.complaint,
    accentColor: m.branding.primaryColor,
  };
  const vars = { gemeente: m.name, place: m.shortName, phone: m.phone };
  const template = JSON.parse(readFileSync(path.join(root, 'appPackage', 'manifest.json'), 'utf8')) as Json;
  const texts: Record<string, string> = {};
  const nl = translator('nl');
  const manifest = fill(template, values, (key) => nl(key, vars), '', texts) as Record<string, unknown>;

  const en = translator(SECOND_LANGUAGE.locale);
  const localization: Record<string, string> = {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`,
  };
  for (const [at, key] of Object.entries(texts)) localization[at] = en(key, vars);

  const files: Record<string, Buffer> = {
    'manifest.json': Buffer.from(JSON.stringify(manifest, null, 2)),
    [SECOND_LANGUAGE.file]: Buffer.from(JSON.stringify(localization, null, 2)),
  };
  const icons = manifest.icons as Record<string, string>;
  for (const icon of Object.values(icons)) {
    const file = path.join(root, 'appPackage', icon);
    if (!existsSync(file)) throw new AppPackageError(`icon ${icon} is missing in appPackage/`);
    files[icon] = readFileSync(file);
  }
  const zip = new AdmZip();
  for (const [name, data] of Object.entries(files)) zip.addFile(name, data);
  return { manifest, localizations: { [SECOND_LANGUAGE.file]: localization }, files, zip: zip.toBuffer() };
}

function schema(root: string, name: string): object {
  return JSON.parse(readFileSync(path.join(root, 'test', 'fixtures', 'teams', `v${MANIFEST_VERSION}`, name), 'utf8')) as object;
}

/**
 * Microsoft's schemas declare draft-04 but use nothing that differs from draft-07 (the test checks
 * this), so Ajv 8 validates them as they are, without checking them against the draft-04 meta-schema.
 * Their patterns are plain ECMA-262 expressions, not all valid with the `u` flag Ajv adds by default
 * (`...\b]\.description$` in the localization schema), hence `unicodeRegExp: false`.
 */
export function schemaValidator(root = repoRoot()) {
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, unicodeRegExp: false });
  addFormats(ajv);
  const manifest = ajv.compile(schema(root, 'MicrosoftTeams.schema.json'));
  const localization = ajv.compile(schema(root, 'MicrosoftTeams.Localization.schema.json'));
  const show = (file: string, errors: ErrorObject[] | null | undefined) =>
    (errors ?? []).map((e) => `${file}${e.instancePath || ''}: ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  return {
    manifest: (m: unknown) => (manifest(m) ? [] : show('manifest.json', manifest.errors)),
    localization: (file: string, l: unknown) => (localization(l) ? [] : show(file, localization.errors)),
  };
}

/** Everything Teams checks on upload that we can check here; an empty list when the package is fine. */
export function validateAppPackage(pkg: AppPackage, root = repoRoot()): string[] {
  const v = schemaValidator(root);
  const errors = [...v.manifest(pkg.manifest)];
  for (const [file, l] of Object.entries(pkg.localizations)) errors.push(...v.localization(file, l));
  const zipped = new AdmZip(pkg.zip).getEntries().map((e) => e.entryName);
  const info = pkg.manifest.localizationInfo as { additionalLanguages?: { file: string }[] } | undefined;
  const icons = pkg.manifest.icons as { color: string; outline: string };
  for (const file of [icons.color, icons.outline, ...(info?.additionalLanguages ?? []).map((l) => l.file)]) {
    if (!zipped.includes(file)) errors.push(`${file} is named in the manifest but not in the zip`);
  }
  const leftover = JSON.stringify(pkg.manifest).match(PLACEHOLDER);
  if (leftover) errors.push(`placeholders left in manifest.json: ${leftover.join(', ')}`);
  errors.push(...checkIcon(icons.color, pkg.files[icons.color], 192, false));
  errors.push(...checkIcon(icons.outline, pkg.files[icons.outline], 32, true));
  return errors;
}

function checkIcon(name: string, data: Buffer | undefined, size: number, outline: boolean): string[] {
  if (!data) return [`${name} is missing`];
  let img;
  try {
    img = decodePng(data);
  } catch (err) {
    return [`${name}: ${(err as Error).message}`];
  }
  if (img.width !== size || img.height !== size) return [`${name} must be ${size}x${size} pixels, is ${img.width}x${img.height}`];
  if (!outline) return [];
  let opaque = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, g, b, a] = img.data.subarray(i, i + 4);
    if (a > 0 && (r !== 255 || g !== 255 || b !== 255)) return [`${name} must be white on transparent; pixel ${i / 4} is rgb(${r},${g},${b})`];
    if (a > 0) opaque++;
  }
  if (opaque === img.width * img.height) return [`${name} must have a transparent background`];
  if (opaque === 0) return [`${name} is empty`];
  return [];
}
