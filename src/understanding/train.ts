/**
 * Builds the prebuilt intent model (src/understanding/model/intents-model.json) from
 * src/understanding/corpus/intents.<locale>.json: `npm run train:understanding`. Run after changing the corpus.
 */
import { join } from 'path';
import { projectRoot } from '../routing/model-file';
import { trainIntentModels, writeIntentModels } from './intentModel';

const started = process.hrtime.bigint();
const models = trainIntentModels();
const path = join(projectRoot(), 'src', 'understanding', 'model', 'intents-model.json');
writeIntentModels(path, models);
process.stderr.write(`wrote ${path} in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms\n`);
