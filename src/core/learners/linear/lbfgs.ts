/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithm 7.5) with a line
 * search that keeps the strong Wolfe conditions (algorithms 3.5 and 3.6, cubic interpolation
 * in the zoom), for smooth convex objectives such as the regularized log loss. It stops as
 * SciPy's L-BFGS-B does (scikit-learn's solver): when the largest gradient component is at
 * most `gradient`, or when an iteration lowers the objective by at most `decrease` times
 * max(|f|, `scale`) (SciPy's ftol on f / scale); or when no step lowers the objective any
 * more. It says how many iterations it took and whether it got there.
 */

export interface Minimum {
  x: Float64Array;
  value: number;
  /** The largest absolute gradient component at `x`. */
  gradientNorm: number;
  iterations: number;
  converged: boolean;
}

/** When a minimization stops. */
export interface StopRule {
  maxIterations: number;
  /** Done when the largest (pseudo-)gradient component is at most this. */
  gradient: number;
  /** Done when an iteration lowers f by at most this times max(|f|, scale); 0: never. */
  decrease: number;
  /** The objective's unit (f / scale is the objective `decrease` is relative to). */
  scale: number;
  memory?: number;
  /**
   * Done (OWL-QN) when `iterations` iterations together lowered f by at most `decrease` times
   * max(|f|, scale): an L1 objective that is flat along a direction (features that are linear
   * combinations of others, unscaled) lets the pseudo-gradient wander well above `gradient`
   * for thousands of iterations that no longer change f or the predictions.
   */
  stall?: { iterations: number; decrease: number };
}

/** Whether the step from `before` to `after` lowered f by no more than the rule's share. */
function flat(rule: StopRule, before: number, after: number): boolean {
  return before - after <= rule.decrease * Math.max(Math.abs(before), Math.abs(after), rule.scale);
}

/** The objective's value at x, with its gradient written into `g`. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** The last few steps and gradient changes, from which the two-loop recursion builds −H·g. */
class History {
  readonly s: Float64Array[] = [];
  readonly y: Float64Array[] = [];
  readonly rho: number[] = [];
  readonly #alpha: Float64Array;

  constructor(readonly memory: number) {
    this.#alpha = new Float64Array(memory);
  }

  /** d = −H g by the two-loop recursion (Nocedal & Wright, algorithm 7.4). */
  direction(g: Float64Array, d: Float64Array): void {
    const { s, y, rho } = this;
    const alpha = this.#alpha;
    const n = g.length;
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, d);
      const yk = y[k]!;
      for (let i = 0; i < n; i++) d[i]! -= alpha[k]! * yk[i]!;
    }
    const gamma = s.length
      ? dot(s.at(-1)!, y.at(-1)!) / dot(y.at(-1)!, y.at(-1)!)
      : 1 / Math.max(1, maxAbs(g));
    for (let i = 0; i < n; i++) d[i]! *= gamma;
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, d);
      const sk = s[k]!;
      for (let i = 0; i < n; i++) d[i]! += (alpha[k]! - beta) * sk[i]!;
    }
  }

  /** Keeps the step x → xNew and its gradient change, when the curvature is positive. */
  remember(x: Float64Array, xNew: Float64Array, g: Float64Array, gNew: Float64Array): void {
    const n = x.length;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (!(sy > 1e-16 * dot(yk, yk))) return;
    this.s.push(sk);
    this.y.push(yk);
    this.rho.push(1 / sy);
    if (this.s.length > this.memory) {
      this.s.shift();
      this.y.shift();
      this.rho.shift();
    }
  }

  clear(): void {
    this.s.length = this.y.length = this.rho.length = 0;
  }
}

export function minimize(f: Objective, start: Float64Array, options: StopRule): Minimum {
  const n = start.length;
  const memory = options.memory ?? 10;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const stop = options.gradient;
  let level = false;
  const history = new History(memory);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let iterations = 0;
  let stalled = false;
  while (maxAbs(g) > stop && iterations < options.maxIterations) {
    history.direction(g, d);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost): restart from the steepest descent.
      history.clear();
      for (let i = 0; i < n; i++) d[i] = -g[i]! / Math.max(1, maxAbs(g));
      slope = dot(g, d);
    }
    const step = lineSearch(f, x, fx, g, d, slope, xNew, gNew);
    iterations++;
    if (step === null) {
      stalled = true; // no step lowers the objective any more: as far as doubles go
      break;
    }
    history.remember(x, xNew, g, gNew);
    x = Float64Array.from(xNew);
    g = Float64Array.from(gNew);
    level = flat(options, fx, step);
    fx = step;
    if (level) break;
  }
  const gradientNorm = maxAbs(g);
  // Stalled with a gradient within a thousand times the goal: the objective's own rounding
  // hides any further decrease, so this is the minimum as far as doubles can tell.
  const converged = gradientNorm <= stop || level || (stalled && gradientNorm <= 1e3 * stop);
  return { x, value: fx, gradientNorm, iterations, converged };
}

/** A step along d with the strong Wolfe conditions; the new point in xNew, gNew; its value. */
function lineSearch(
  f: Objective,
  x: Float64Array,
  fx: number,
  g: Float64Array,
  d: Float64Array,
  slope: number,
  xNew: Float64Array,
  gNew: Float64Array,
): number | null {
  const c1 = 1e-4;
  const c2 = 0.9;
  const n = x.length;
  const at = (t: number): { value: number; slope: number } => {
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + t * d[i]!;
    const value = f(xNew, gNew);
    return { value, slope: dot(gNew, d) };
  };
  let lo = 0;
  let loValue = fx;
  let loSlope = slope;
  let t = 1;
  for (let i = 0; i < 40; i++) {
    const p = at(t);
    if (
      !Number.isFinite(p.value) ||
      p.value > fx + c1 * t * slope ||
      (i > 0 && p.value >= loValue)
    ) {
      return zoom(lo, loValue, loSlope, t, p.value, p.slope);
    }
    if (Math.abs(p.slope) <= -c2 * slope) return p.value;
    if (p.slope >= 0) return zoom(t, p.value, p.slope, lo, loValue, loSlope);
    lo = t;
    loValue = p.value;
    loSlope = p.slope;
    t *= 2;
  }
  return null;

  function zoom(
    a: number,
    fa: number,
    da: number,
    b: number,
    fb: number,
    db: number,
  ): number | null {
    for (let i = 0; i < 40; i++) {
      // Cubic interpolation between a and b, kept well inside the interval.
      const d1 = da + db - 3 * ((fa - fb) / (a - b));
      const root = d1 * d1 - da * db;
      let t = (a + b) / 2;
      if (Number.isFinite(fb) && root >= 0) {
        const d2 = Math.sign(b - a) * Math.sqrt(root);
        const c = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        if (c > lo + 0.1 * (hi - lo) && c < hi - 0.1 * (hi - lo)) t = c;
      }
      const p = at(t);
      if (!Number.isFinite(p.value) || p.value > fx + c1 * t * slope || p.value >= fa) {
        b = t;
        fb = p.value;
        db = p.slope;
      } else {
        if (Math.abs(p.slope) <= -c2 * slope) return p.value;
        if (p.slope * (b - a) >= 0) {
          b = a;
          fb = fa;
          db = da;
        }
        a = t;
        fa = p.value;
        da = p.slope;
      }
      if (Math.abs(b - a) < 1e-16 * Math.max(1, Math.abs(a))) break;
    }
    // The best point seen lowers the objective: take it even if the curvature test failed.
    if (a > 0 && fa < fx) {
      at(a);
      return fa;
    }
    return null;
  }
}

/**
 * OWL-QN (Andrew & Gao, ICML 2007): L-BFGS for f(x) + Σ |x_i| over the coordinates `penalized`
 * marks, f smooth and convex. Directions come from the pseudo-gradient, are kept in its
 * orthant, and every step is projected back onto the orthant it started in, so coefficients
 * reach exactly zero. It stops by the same rule as `minimize`, on the pseudo-gradient, and by
 * the `stall` rule when it is given.
 */
export function minimizeL1(
  f: Objective,
  start: Float64Array,
  penalized: Uint8Array,
  options: StopRule,
): Minimum {
  const n = start.length;
  const memory = options.memory ?? 10;
  const l1 = (x: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) if (penalized[i]) s += Math.abs(x[i]!);
    return s;
  };
  const pseudo = (x: Float64Array, g: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      if (!penalized[i]) out[i] = gi;
      else if (x[i]! > 0) out[i] = gi + 1;
      else if (x[i]! < 0) out[i] = gi - 1;
      else out[i] = gi + 1 < 0 ? gi + 1 : gi - 1 > 0 ? gi - 1 : 0;
    }
  };
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g) + l1(x);
  const pg = new Float64Array(n);
  pseudo(x, g, pg);
  const stop = options.gradient;
  let level = false;
  const history = new History(memory);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let iterations = 0;
  let stalled = false;
  // f after each iteration (f before the first at 0), for the `stall` rule.
  const values = [fx];
  while (maxAbs(pg) > stop && iterations < options.maxIterations) {
    history.direction(pg, d);
    // Keep the direction in the pseudo-gradient's descent orthant.
    for (let i = 0; i < n; i++) if (d[i]! * pg[i]! >= 0) d[i] = 0;
    // Backtracking along d, projected onto the starting orthant (a sign change becomes zero).
    let t = 1;
    let accepted = false;
    let fNew = fx;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) {
        const orthant = x[i]! !== 0 ? Math.sign(x[i]!) : -Math.sign(pg[i]!);
        const v = x[i]! + t * d[i]!;
        xNew[i] = penalized[i] && v * orthant <= 0 ? 0 : v;
      }
      fNew = f(xNew, gNew) + l1(xNew);
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += pg[i]! * (xNew[i]! - x[i]!);
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    iterations++;
    if (!accepted) {
      stalled = true;
      break;
    }
    history.remember(x, xNew, g, gNew);
    x = Float64Array.from(xNew);
    g = Float64Array.from(gNew);
    level = flat(options, fx, fNew);
    fx = fNew;
    pseudo(x, g, pg);
    values.push(fx);
    const { stall } = options;
    if (stall && iterations >= stall.iterations) {
      const before = values[iterations - stall.iterations]!;
      if (before - fx <= stall.decrease * Math.max(Math.abs(fx), options.scale)) level = true;
    }
    if (level) break;
  }
  const gradientNorm = maxAbs(pg);
  const converged = gradientNorm <= stop || level || (stalled && gradientNorm <= 1e3 * stop);
  return { x, value: fx, gradientNorm, iterations, converged };
}
