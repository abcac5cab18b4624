/** A worker thread for the boundary benchmark: one plane per message, as the page's worker computes it. */
import { parentPort } from 'node:worker_threads';
import { boundary, type Plane } from '../../src/core/explain/boundary';
import type { Predictor } from '../../src/core/predict/predict';

parentPort!.postMessage('ready');
parentPort!.on('message', (m: { version: Predictor; plane: Plane }) => {
  const b = boundary(m.version, m.plane);
  const buffers = [b.strength.buffer, ...(b.classes ? [b.classes.buffer] : [])] as ArrayBuffer[];
  parentPort!.postMessage(b, buffers);
});
