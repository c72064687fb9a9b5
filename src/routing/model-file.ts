import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'fs';
import { dirname, join, resolve } from 'path';
import type { RoutesModelJson } from './model';

/**
 * Where the prebuilt model lives. Source: src/routing/model/routes-model.json. Code runs either from
 * src/routing (ts-jest) or from dist/src/routing (compiled); tsc does not copy the file to dist, so
 * the compiled code reads it from the source tree.
 */
export const MODEL_FILE_NAME = 'routes-model.json';

export function defaultModelPath(): string {
  const candidates = [
    join(__dirname, 'model', MODEL_FILE_NAME),
    resolve(__dirname, '..', '..', '..', 'src', 'routing', 'model', MODEL_FILE_NAME),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1];
}

/** The repository root (the folder with package.json above this file), for fixtures and sources. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('project root not found above ' + __dirname);
    dir = parent;
  }
}

export function sourceModelPath(): string {
  return join(projectRoot(), 'src', 'routing', 'model', MODEL_FILE_NAME);
}

export function readModelFile(path: string): RoutesModelJson | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as RoutesModelJson;
}

/** Writes the model with one network row per line, so diffs and file size stay reasonable. */
export function writeModelFile(path: string, json: RoutesModelJson): void {
  mkdirSync(dirname(path), { recursive: true });
  const { languages, ...head } = json;
  const langs = languages.map((l) => {
    const { perceptrons, ...net } = l.network;
    const rows = perceptrons.map((row) => '        ' + JSON.stringify(row)).join(',\n');
    return `    {"locale": ${JSON.stringify(l.locale)}, "network": ${JSON.stringify(net).slice(0, -1)}, "perceptrons": [\n${rows}\n      ]}}`;
  });
  const text = JSON.stringify(head, null, 2).slice(0, -2) + `,\n  "languages": [\n${langs.join(',\n')}\n  ]\n}\n`;
  JSON.parse(text); // never write a file that does not read back
  writeFileSync(path, text);
}
