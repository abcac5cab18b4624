/** A worker thread for the evaluation benchmark: repeats of repeated k-fold, or validation-curve points, of a tree on 50k rows. */
import { parentPort } from 'node:worker_threads';
import { repeatScores } from '../../src/core/compare/repeated';
import { learnerFor } from '../../src/core/learners/registry';
import { validationPoint } from '../../src/core/train/validation';
import { synthetic } from './shared';

const big = synthetic(50_000, 50);
const tree = learnerFor('decision-tree');
const params = (depth: number) =>
  tree.withParams({ maxDepth: depth }, tree.defaults('classification') as never) as never;
// Warm the JIT.
repeatScores(
  synthetic(2000, 1),
  'decision-tree',
  params(8),
  { repeats: 1, folds: 5, seed: 0 },
  0,
  0,
);
parentPort!.postMessage('ready');
parentPort!.on(
  'message',
  (m: { kind: 'repeat'; repeat: number } | { kind: 'point'; depth: number }) => {
    if (m.kind === 'repeat')
      parentPort!.postMessage(
        repeatScores(
          big,
          'decision-tree',
          params(8),
          { repeats: 10, folds: 10, seed: 1 },
          m.repeat,
          1,
        ),
      );
    else
      parentPort!.postMessage(
        validationPoint(
          big,
          'decision-tree',
          params(m.depth),
          { folds: 5, testFraction: 0.2, seed: 1 },
          'accuracy',
          m.depth,
        ),
      );
  },
);
