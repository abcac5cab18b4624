/** A worker thread for the search benchmark: prepares the data once, then scores trials sent to it. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { DatasetContent } from '../../src/core/data/content';
import { prepareSearch, scoreRung } from '../../src/core/search/objective';
import type { Params } from '../../src/core/search/space';
import { paramsToCart } from '../../src/core/learners/tree/params';
import { decisionTree } from '../../src/core/learners/tree';
import type { AnyLearner } from '../../src/core/learners/learner';

const raw = JSON.parse(readFileSync(workerData as string, 'utf8')) as DatasetContent;
const content: DatasetContent = {
  ...raw,
  columns: raw.columns.map((c) =>
    c.kind === 'numeric'
      ? { ...c, values: Float64Array.from(c.values) }
      : c.kind === 'categorical'
        ? { ...c, codes: Int32Array.from(c.codes) }
        : c,
  ),
};
const data = prepareSearch(content, { folds: 5, testFraction: 0.2, seed: 0 });
const base = decisionTree.defaults('classification');
const tree = decisionTree as unknown as AnyLearner;
parentPort!.postMessage('ready');
parentPort!.on('message', (p: Params) => {
  parentPort!.postMessage(scoreRung(data, tree, paramsToCart(p, base), 'f1_macro', 1));
});
