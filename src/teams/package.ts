/**
 * `npm run teams:package`: builds appPackage/build/klachtbot-<gemeente>.zip for side-loading in Teams.
 * Reads MicrosoftAppId (required) and MUNICIPALITY_FILE from the environment or .env; the version
 * comes from package.json. The package is validated against Microsoft's manifest schema first.
 */
import 'dotenv/config';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { loadMunicipality } from '../municipality';
import { AppPackageError, buildAppPackage, repoRoot, validateAppPackage } from './appPackage';

export interface PackageResult {
  file: string;
  errors: string[];
}

export function runPackage(env: NodeJS.ProcessEnv = process.env, opts: { root?: string; outDir?: string } = {}): PackageResult {
  const root = opts.root ?? repoRoot();
  const appId = (env.MicrosoftAppId ?? '').trim();
  if (!appId) {
    throw new AppPackageError(
      'MicrosoftAppId is not set. Put the Azure Bot resource\'s Microsoft App ID in .env (or the environment) and run again.',
    );
  }
  const municipality = loadMunicipality(env.MUNICIPALITY_FILE?.trim() || undefined);
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const pkg = buildAppPackage({ appId, version, municipality, root });
  const errors = validateAppPackage(pkg, root);
  const outDir = opts.outDir ?? path.join(root, 'appPackage', 'build');
  const file = path.join(outDir, `klachtbot-${municipality.id}.zip`);
  if (errors.length === 0) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(file, pkg.zip);
  }
  return { file, errors };
}

if (require.main === module) {
  try {
    const { file, errors } = runPackage();
    if (errors.length > 0) {
      process.stderr.write(`The Teams app package is not valid:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);
      process.exit(1);
    }
    process.stdout.write(`Teams app package: ${path.relative(process.cwd(), file)}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}
