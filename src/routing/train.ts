/**
 * Builds the prebuilt route model: trains both languages on src/routing/corpus/train.<locale>.json
 * and writes src/routing/model/routes-model.json. Run after changing the training data, the
 * training settings or the feature extraction:
 *
 *   npx tsc -p . && node dist/src/routing/train.js
 *
 * (test/routing/model.test.ts fails while the file is stale; until it is rebuilt the classifier
 * trains in process at start-up instead of loading it.)
 */
import { trainAll, serializeModels, modelFingerprint } from './model';
import { sourceModelPath, writeModelFile } from './model-file';

function main(): void {
  const started = process.hrtime.bigint();
  const models = trainAll();
  const json = serializeModels(models, modelFingerprint());
  const path = sourceModelPath();
  writeModelFile(path, json);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const sizes = json.languages.map((l) => `${l.locale}: ${l.network.features.length} features`).join(', ');
  process.stderr.write(`wrote ${path} (${sizes}) in ${ms.toFixed(0)} ms\n`);
}

main();
