/** A worker thread for the forest benchmark: trains the trees [from, to) of the 50k-row forest it is sent. */
import { parentPort } from 'node:worker_threads';
import { randomForest } from '../../src/core/learners/forest';
import type { SharedWork } from '../../src/core/learners/learner';
import { synthetic } from './shared';

const big = synthetic(50_000, 50);
const shared: SharedWork = new Map();
const params = (trees: number) => ({ ...randomForest.defaults('classification'), nTrees: trees });
// Warm the JIT, and sort the columns once, as a worker keeps a run's prepared data.
randomForest.pieces!.fit(big, params(3), { seed: 0, shared }, 0, 3);
parentPort!.postMessage('ready');
parentPort!.on('message', (m: { trees: number; from: number; to: number }) => {
  parentPort!.postMessage(
    randomForest.pieces!.fit(big, params(m.trees), { seed: 1, shared }, m.from, m.to),
  );
});
