import { describe, expect, it } from 'vitest';
import { minimizeL1, type Objective } from '../../src/core/learners/linear/lbfgs';

/** An ill-conditioned bowl: 50 coordinates, curvatures 1 … 10⁴, its minimum at (1, …, 1). */
const n = 50;
const curvature = Float64Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / (n - 1)));
const bowl: Objective = (x, g) => {
  let f = 0;
  for (let i = 0; i < n; i++) {
    g[i] = curvature[i]! * (x[i]! - 1);
    f += 0.5 * curvature[i]! * (x[i]! - 1) ** 2;
  }
  return f;
};

describe('OWL-QN', () => {
  it('stops when the objective has stopped moving over the stall window, and not before', () => {
    const start = new Float64Array(n);
    const none = new Uint8Array(n);
    const rule = { maxIterations: 1000, gradient: 1e-8, decrease: 0, scale: 1 };
    const full = minimizeL1(bowl, start, none, rule);
    expect(full.converged).toBe(true);
    for (const v of full.x) expect(v).toBeCloseTo(1, 6);
    // f after k iterations (the start's at 0), by running with a cap: the rule compares f
    // three iterations apart.
    const at = (k: number) => minimizeL1(bowl, start, none, { ...rule, maxIterations: k }).value;
    const stall = { iterations: 3, decrease: 0.01 };
    const stopped = minimizeL1(bowl, start, none, { ...rule, stall });
    expect(stopped.converged).toBe(true);
    expect(stopped.iterations).toBeLessThan(full.iterations);
    const k = stopped.iterations;
    const flat = (j: number) => at(j - 3) - at(j) <= 0.01 * Math.max(Math.abs(at(j)), 1);
    expect(flat(k)).toBe(true);
    for (let j = 3; j < k; j++) expect(flat(j)).toBe(false);
  });
});
