/*
 * Runs a TypeScript entry point of this repository in a plain Node process, without a build:
 *   node test/routing/run-ts.js src/routing/cli.ts
 * Each .ts file is transpiled on require with the TypeScript compiler (no type checking; jest and
 * tsc do that). Used by cli.test.ts to test the real process: its stdout, stdin and exit code.
 */
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const options = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  resolveJsonModule: true,
  sourceMap: false,
};

require.extensions['.ts'] = function compile(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};

const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
