/**
 * A worker thread of the cash benchmark's parallel studies, as a worker of the app's pool runs
 * a study's trials: it prepares one data set once, then runs each trial it is sent, asking the
 * study (the main thread) after each rung whether the trial goes on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AnyLearner } from '../../src/core/learners/learner';
import { learnerFor } from '../../src/core/learners/registry';
import type { Params } from '../../src/core/records';
import { runTrial } from '../../src/core/search/objective';
import type { Halving } from '../../src/core/search/pruning';
import type { TrialState } from '../../src/core/vocabulary';
import { searchData, type DataName } from './cash-data';

/** A trial to run: the family, its full settings and its bracket's schedule. */
export interface TrialOrder {
  family: string;
  params: Params;
  halving: Halving;
}

/** What a worker says: prepared; a rung's score (answer with `{ go }`); a trial's end. */
export type WorkerSays =
  | { type: 'ready' }
  | { type: 'report'; step: number; value: number }
  | {
      type: 'done';
      outcome: { state: TrialState; value: number | null; intermediate: number[] };
    };

const port = parentPort!;
const data = await searchData(workerData as DataName);
let decide: ((go: boolean) => void) | null = null;

async function run(order: TrialOrder): Promise<void> {
  const learner = learnerFor(order.family) as unknown as AnyLearner;
  let outcome: Extract<WorkerSays, { type: 'done' }>['outcome'];
  try {
    const o = await runTrial(
      data,
      learner,
      order.params,
      'f1_macro',
      order.halving,
      (step, value) =>
        new Promise<boolean>((resolve) => {
          decide = resolve;
          port.postMessage({ type: 'report', step, value } satisfies WorkerSays);
        }),
    );
    outcome = { state: o.state, value: o.value, intermediate: o.intermediate };
  } catch {
    outcome = { state: 'failed', value: null, intermediate: [] };
  }
  port.postMessage({ type: 'done', outcome } satisfies WorkerSays);
}

port.on('message', (m: TrialOrder | { go: boolean }) => {
  if ('go' in m) decide?.(m.go);
  else void run(m);
});
port.postMessage({ type: 'ready' } satisfies WorkerSays);
