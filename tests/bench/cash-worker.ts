/**
 * A worker thread of the cash benchmark's parallel studies, as a worker of the app's pool runs
 * a study's trials: it prepares one data set once, then runs each trial it is sent, asking the
 * study (the main thread) after each rung whether the trial goes on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runOrder, searchData, type DataName, type TrialEnd, type TrialOrder } from './cash-data';

/** What a worker says: prepared; a rung's score (answer with `{ go }`); a trial's end. */
export type WorkerSays =
  | { type: 'ready' }
  | { type: 'report'; step: number; value: number }
  | { type: 'done'; outcome: TrialEnd };

const port = parentPort!;
const data = await searchData(workerData as DataName);
let decide: ((go: boolean) => void) | null = null;

port.on('message', (m: TrialOrder | { go: boolean }) => {
  if ('go' in m) decide?.(m.go);
  else
    void runOrder(
      data,
      m,
      (step, value) =>
        new Promise<boolean>((resolve) => {
          decide = resolve;
          port.postMessage({ type: 'report', step, value } satisfies WorkerSays);
        }),
    ).then((outcome) => port.postMessage({ type: 'done', outcome } satisfies WorkerSays));
});
port.postMessage({ type: 'ready' } satisfies WorkerSays);
