/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithm 7.5) with a line
 * search that keeps the strong Wolfe conditions (algorithms 3.5 and 3.6, cubic interpolation
 * in the zoom), for smooth convex objectives such as the regularized log loss. It stops when
 * the largest gradient component is at most `tolerance` times that of the start (or 1), or
 * when no step lowers the objective any more, and says how many iterations it took and
 * whether it got there.
 */

export interface Minimum {
  x: Float64Array;
  value: number;
  /** The largest absolute gradient component at `x`. */
  gradientNorm: number;
  iterations: number;
  converged: boolean;
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

export function minimize(
  f: Objective,
  start: Float64Array,
  options: { maxIterations: number; tolerance: number; memory?: number },
): Minimum {
  const n = start.length;
  const memory = options.memory ?? 10;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const stop = options.tolerance * Math.max(1, maxAbs(g));
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Float64Array(memory);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let iterations = 0;
  let stalled = false;
  while (maxAbs(g) > stop && iterations < options.maxIterations) {
    // Two-loop recursion: d = −H g.
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
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost): restart from the steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]! / Math.max(1, maxAbs(g));
      slope = dot(g, d);
    }
    const step = lineSearch(f, x, fx, g, d, slope, xNew, gNew);
    iterations++;
    if (step === null) {
      stalled = true; // no step lowers the objective any more: as far as doubles go
      break;
    }
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-16 * dot(yk, yk)) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
      if (s.length > memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    x = Float64Array.from(xNew);
    g = Float64Array.from(gNew);
    fx = step;
  }
  const gradientNorm = maxAbs(g);
  // Stalled with a gradient a thousand times below the start's: the objective's own rounding
  // hides any further decrease, so this is the minimum as far as doubles can tell.
  const converged = gradientNorm <= stop || (stalled && gradientNorm <= 1e3 * stop);
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
