/**
 * One redraw of the decision boundary: a 200 × 200 plane of the iris data's petal features,
 * computed in a worker thread as the page's worker computes it (the version sent with the
 * request, the grid transferred back), the median of 30 redraws with the sepal values moving.
 *   BENCH boundary_200x200_ms_tree <ms>
 *   BENCH boundary_200x200_ms_forest100 <ms>
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { buildContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import type { Plane } from '../../src/core/explain/boundary';
import { learnerFor } from '../../src/core/learners/registry';
import type { Predictor } from '../../src/core/predict/predict';
import { trainingSet } from '../../src/core/train/model';

const raw = await parseTable(readFileSync('public/samples/iris.csv', 'utf8'), {
  fileName: 'iris.csv',
});
const schema = suggestSchema(raw);
const content = buildContent(raw.columns, schema.columns, schema.task, raw.rowCount);
const { set, encoding } = trainingSet(content);
const all = Int32Array.from({ length: set.rows }, (_, i) => i);

function version(family: string, params: Record<string, unknown>): Predictor {
  const learner = learnerFor(family);
  const p = learner.withParams(params as never, learner.defaults('classification'));
  const { fitted } = learner.fit(set, p, { seed: 1, subset: all, shared: new Map() });
  return { family, fitted: JSON.parse(JSON.stringify(fitted)), encoding };
}

const worker = new Worker(
  `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./boundary-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}));`,
  { eval: true },
);
await new Promise((resolve) => worker.once('message', resolve));

async function redrawMs(v: Predictor): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 35; i++) {
    const plane: Plane = {
      x: 2,
      y: 3,
      xRange: [0.7, 7.2],
      yRange: [0, 2.6],
      size: 200,
      base: [4.5 + (i % 10) * 0.3, 2.2 + (i % 7) * 0.2, 0, 0],
    };
    const t0 = performance.now();
    await new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage({ version: v, plane });
    });
    if (i >= 5) times.push(performance.now() - t0); // the first few warm the JIT
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

console.log(
  `BENCH boundary_200x200_ms_tree ${(await redrawMs(version('decision-tree', {}))).toFixed(1)} ms`,
);
console.log(
  `BENCH boundary_200x200_ms_forest100 ${(await redrawMs(version('random-forest', { nTrees: 100 }))).toFixed(1)} ms`,
);
await worker.terminate();
