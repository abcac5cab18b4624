/**
 * Preprocessing as part of the model, for the families that need it (linear models, nearest
 * neighbours, naive Bayes): missing values imputed (mean, median, most frequent or a constant;
 * optionally a column saying the value was missing), categories as one column each
 * (one-hot; a missing or unseen category is all zeros) or as their codes, and numbers
 * standardized. Every step is fitted on the rows the model trains on, so inside
 * cross-validation each fold's training part fits its own; the fitted steps are stored in
 * the model and applied identically wherever it predicts, including its ONNX graph.
 *
 * The design matrix has the value columns first (one per feature not one-hot encoded), then
 * the missing-value indicators, then the one-hot columns.
 */
import * as v from 'valibot';
import type { Encoding, SearchSpace } from '../records';
import type { ParamSpec } from './learner';
import { choice } from './settings';
import type { TrainingSet } from './training';

export type Impute = 'mean' | 'median' | 'most_frequent' | 'constant';

export type PipelineParams = {
  impute: Impute;
  fillValue: number;
  indicator: 'yes' | 'no';
  oneHot: 'yes' | 'no';
  scale: 'standard' | 'none';
};

export const PIPELINE_PARAMETERS: readonly ParamSpec[] = [
  choice(
    'impute',
    'Missing numbers become',
    [
      ['mean', 'the mean'],
      ['median', 'the median'],
      ['most_frequent', 'the most frequent value'],
      ['constant', 'a constant (below)'],
    ],
    'fitted on the training rows; a missing category becomes the most frequent one (or, one-hot, all zeros)',
  ),
  { name: 'fillValue', label: 'Constant for missing values', kind: 'float', min: -1e9, step: 1 },
  choice(
    'indicator',
    'Missing-value columns',
    [
      ['no', 'no'],
      ['yes', 'yes'],
    ],
    'one more column per feature with missing values: 1 where it was missing',
  ),
  choice('oneHot', 'Categories', [
    ['yes', 'one column per category (one-hot)'],
    ['no', 'as their codes 0, 1, 2 …'],
  ]),
  choice('scale', 'Scaling', [
    ['standard', 'standardize (mean 0, standard deviation 1)'],
    ['none', 'none'],
  ]),
];

export const PIPELINE_DEFAULTS: PipelineParams = {
  impute: 'mean',
  fillValue: 0,
  indicator: 'no',
  oneHot: 'yes',
  scale: 'standard',
};

export interface FittedPipeline {
  /** Features the model reads (the encoded matrix's width). */
  inputs: number;
  /** How missing numbers were filled. */
  impute: Impute;
  /** Value columns: source feature, the value a missing one becomes, centre and scale. */
  values: { from: number[]; fill: number[]; center: number[]; scale: number[] };
  /** Missing-value indicators: source feature of each. */
  missing: number[];
  /** One-hot columns: source feature and category code of each. */
  onehot: { from: number[]; code: number[] };
  /**
   * What the person should know about the training rows, not part of the model's arithmetic
   * (`sameModel` leaves it out): standardized features with one value on every training row,
   * and one-hot columns (indices into `onehot`) whose category was on one training row only.
   */
  constant?: number[];
  single?: number[];
}

const finite = v.pipe(v.number(), v.finite());
const index = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
export const PipelineSchema = v.strictObject({
  inputs: index,
  impute: v.picklist(['mean', 'median', 'most_frequent', 'constant']),
  values: v.strictObject({
    from: v.array(index),
    fill: v.array(finite),
    center: v.array(finite),
    scale: v.array(v.pipe(finite, v.gtValue(0))),
  }),
  missing: v.array(index),
  onehot: v.strictObject({ from: v.array(index), code: v.array(index) }),
  constant: v.optional(v.array(index)),
  single: v.optional(v.array(index)),
});

/** The diagnostic fields of a fitted model: what it says about its training rows, not what it computes. */
const NOTES = new Set(['constant', 'single', 'separable']);

/**
 * Whether two fitted models of a family with preprocessing are the same model: every number
 * and choice equal; the notes about the training rows (a constant feature, a separable set)
 * left out, so a version saved before a note existed still reproduces.
 */
export function sameModel(a: unknown, b: unknown): boolean {
  const numbers = (k: string, x: unknown): unknown => (NOTES.has(k) ? undefined : x);
  return JSON.stringify(a, numbers) === JSON.stringify(b, numbers);
}

/** Columns of the design matrix. */
export function widthOf(p: FittedPipeline): number {
  return p.values.from.length + p.missing.length + p.onehot.from.length;
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[n >> 1]! : (sorted[(n >> 1) - 1]! + sorted[n >> 1]!) / 2;
}

/** The most frequent value (the smallest of equally frequent ones, as scikit-learn's imputer). */
function mostFrequent(sorted: Float64Array): number {
  let best = sorted[0]!;
  let bestCount = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = sorted[i]!;
    }
    i = j;
  }
  return best;
}

/**
 * Fits the steps on `rows` of the set. `categories[j]` is the number of categories of feature
 * j (0 for a number); without it every feature is a number.
 */
export function fitPipeline(
  set: TrainingSet,
  rows: Int32Array,
  params: PipelineParams,
): FittedPipeline {
  const { x, features: p } = set;
  const cats = set.categories ?? [];
  const values: FittedPipeline['values'] = { from: [], fill: [], center: [], scale: [] };
  const missing: number[] = [];
  const onehot: FittedPipeline['onehot'] = { from: [], code: [] };
  const constant: number[] = [];
  const single: number[] = [];
  const present = new Float64Array(rows.length);
  // Each column's count and sum of present values, in row order, from one pass over the rows
  // (the same additions, in the same order, as a pass down each column).
  const counts = new Float64Array(p);
  const sums = new Float64Array(p);
  for (const r of rows) {
    for (let j = 0, at = r * p; j < p; j++, at++) {
      const xv = x[at]!;
      if (xv === xv) {
        counts[j]!++;
        sums[j]! += xv;
      }
    }
  }
  const m = rows.length;
  const scaled: number[] = [];
  for (let j = 0; j < p; j++) {
    const n = counts[j]!;
    const hasMissing = n < rows.length;
    if (params.indicator === 'yes' && hasMissing) missing.push(j);
    const k = cats[j] ?? 0;
    if (k > 0 && params.oneHot === 'yes') {
      const seen = new Float64Array(k);
      for (const r of rows) {
        const xv = x[r * p + j]!;
        if (xv === xv) seen[xv]!++;
      }
      for (let c = 0; c < k; c++) {
        if (seen[c] === 1) single.push(onehot.from.length);
        onehot.from.push(j);
        onehot.code.push(c);
      }
      continue;
    }
    // The present values, sorted, only when the fill needs an order (a median or a most
    // frequent value).
    const needsOrder = k > 0 || params.impute === 'most_frequent' || params.impute === 'median';
    let fill = 0;
    let center = 0;
    let scale = 1;
    if (needsOrder) {
      let i = 0;
      for (const r of rows) {
        const xv = x[r * p + j]!;
        if (xv === xv) present[i++] = xv;
      }
      const sorted = present.slice(0, n).sort();
      if (n > 0)
        fill = k > 0 || params.impute === 'most_frequent' ? mostFrequent(sorted) : median(sorted);
      else if (params.impute === 'constant') fill = params.fillValue;
      if (params.scale === 'standard') {
        const [c, sd] = standardOf(sorted, m, fill);
        center = c;
        scale = sd || 1;
        if (sd === 0) constant.push(j);
      }
    } else {
      if (params.impute === 'constant') fill = params.fillValue;
      else if (n > 0) fill = sums[j]! / n;
      if (params.scale === 'standard') {
        // The mean of the imputed column, as StandardScaler (its deviation below).
        center = (sums[j]! + (m - n) * fill) / m;
        scaled.push(values.from.length);
      }
    }
    values.from.push(j);
    values.fill.push(fill);
    values.center.push(center);
    values.scale.push(scale);
  }
  if (scaled.length > 0) {
    // The (population) standard deviation of each imputed column, in row order as above.
    const ss = new Float64Array(p);
    const { from, center } = values;
    for (const r of rows) {
      for (const v of scaled) {
        const xv = x[r * p + from[v]!]!;
        if (xv === xv) ss[v]! += (xv - center[v]!) ** 2;
      }
    }
    for (const v of scaled) {
      const n = counts[from[v]!]!;
      const sd = deviation(ss[v]!, m, n, values.fill[v]!, center[v]!);
      values.scale[v] = sd || 1;
      if (sd === 0) constant.push(from[v]!);
    }
    constant.sort((a, b) => a - b);
  }
  return {
    inputs: p,
    impute: params.impute,
    values,
    missing,
    onehot,
    ...(constant.length > 0 ? { constant } : {}),
    ...(single.length > 0 ? { single } : {}),
  };
}

/**
 * StandardScaler's scale from Σ (x − centre)² over the n present values of m (the rest `fill`),
 * or 0 for a column with one value (StandardScaler then leaves it unscaled: a scale of 1).
 */
function deviation(ss: number, m: number, n: number, fill: number, center: number): number {
  const sd = Math.sqrt((ss + (m - n) * (fill - center) ** 2) / m);
  return sd > 1e-12 * Math.max(1, Math.abs(center)) ? sd : 0;
}

/** A column's centre and standard deviation (0: one value) from its present values, as StandardScaler. */
function standardOf(present: Float64Array, m: number, fill: number): [number, number] {
  const n = present.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += present[i]!;
  const center = (sum + (m - n) * fill) / m;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (present[i]! - center) ** 2;
  return [center, deviation(ss, m, n, fill, center)];
}

/** How many (rows, settings) designs a training set's memo keeps for the search's trials. */
const DESIGNS_KEPT = 8;

/** FNV-1a of a row list: the memo's key for a fold's training rows. */
function rowsKey(rows: Int32Array): string {
  let h = 0x811c9dc5;
  for (const r of rows) h = Math.imul(h ^ r, 0x01000193);
  return `${rows.length}:${h >>> 0}`;
}

/**
 * The steps fitted on `rows` of the set and those rows' design matrix. With a fits' memo
 * (`shared`, one per training set), the last few results are kept: the trials of a search
 * with the same preprocessing settings on the same fold fit the steps once. The design is
 * shared: it must not be written to.
 */
export function fitDesign(
  set: TrainingSet,
  rows: Int32Array,
  params: PipelineParams,
  shared?: Map<string, unknown>,
): { pipeline: FittedPipeline; design: Float64Array } {
  const key = `${rowsKey(rows)}|${params.impute}|${params.fillValue}|${params.indicator}|${params.oneHot}|${params.scale}`;
  let memo = shared?.get('pipeline:designs') as
    Map<string, { pipeline: FittedPipeline; design: Float64Array }> | undefined;
  const hit = memo?.get(key);
  if (memo && hit) {
    // The newest use last: the oldest is the one let go.
    memo.delete(key);
    memo.set(key, hit);
    return hit;
  }
  const pipeline = fitPipeline(set, rows, params);
  const p = set.features;
  const x = new Float64Array(rows.length * p);
  for (let i = 0, at = 0; i < rows.length; i++) {
    const from = rows[i]! * p;
    for (let j = 0; j < p; j++) x[at++] = set.x[from + j]!;
  }
  const out = { pipeline, design: transform(pipeline, x, rows.length, p) };
  if (shared) {
    memo ??= new Map();
    shared.set('pipeline:designs', memo);
    memo.set(key, out);
    if (memo.size > DESIGNS_KEPT) memo.delete(memo.keys().next().value!);
  }
  return out;
}

/** The design matrix (rows × width, row-major) of a row-major matrix of `features` columns. */
export function transform(
  p: FittedPipeline,
  x: Float64Array | readonly number[],
  rows: number,
  features: number,
): Float64Array {
  const m = widthOf(p);
  const out = new Float64Array(rows * m);
  const { from, fill, center, scale } = p.values;
  const a = from.length;
  const b = p.missing.length;
  for (let r = 0; r < rows; r++) {
    const at = r * features;
    const o = r * m;
    for (let i = 0; i < a; i++) {
      let xv = x[at + from[i]!]!;
      if (xv !== xv) xv = fill[i]!;
      out[o + i] = (xv - center[i]!) / scale[i]!;
    }
    for (let i = 0; i < b; i++) {
      const xv = x[at + p.missing[i]!]!;
      out[o + a + i] = xv !== xv ? 1 : 0;
    }
    const oh = p.onehot;
    for (let i = 0; i < oh.from.length; i++)
      out[o + a + b + i] = x[at + oh.from[i]!] === oh.code[i] ? 1 : 0;
  }
  return out;
}

/** Names of the design matrix's columns: "age", "age missing", "colour = red". */
export function columnNames(p: FittedPipeline, encoding: Encoding): string[] {
  const f = encoding.features;
  const category = (j: number, c: number): string => {
    const e = f[j];
    return e?.kind === 'categorical' ? (e.categories[c] ?? String(c)) : String(c);
  };
  return [
    ...p.values.from.map((j) => f[j]?.name ?? `feature ${j + 1}`),
    ...p.missing.map((j) => `${f[j]?.name ?? `feature ${j + 1}`} missing`),
    ...p.onehot.from.map(
      (j, i) => `${f[j]?.name ?? `feature ${j + 1}`} = ${category(j, p.onehot.code[i]!)}`,
    ),
  ];
}

/** Which input feature each design column comes from (for importances per feature). */
export function sourceOf(p: FittedPipeline): number[] {
  return [...p.values.from, ...p.missing, ...p.onehot.from];
}

/** The one-hot features of an encoded row that are missing or unseen (their columns are all zeros). */
export function unknownCategories(p: FittedPipeline, x: readonly number[]): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < p.onehot.from.length; i++) {
    const j = p.onehot.from[i]!;
    const xv = x[j]!;
    if (xv !== xv) seen.add(j);
  }
  return [...seen];
}

/** The fitted steps in words, for the version page and the model card. */
export function describePipeline(p: FittedPipeline, encoding: Encoding): string[] {
  const names = encoding.features.map((f) => f.name);
  const out: string[] = [];
  const { from, fill, center, scale } = p.values;
  const fmt = (x: number): string => Number(x.toPrecision(4)).toString();
  // A category's fill is its code: shown as its label.
  const shown = (j: number, x: number): string => {
    const f = encoding.features[j];
    return f?.kind === 'categorical' ? (f.categories[x] ?? fmt(x)) : fmt(x);
  };
  if (from.length > 0) {
    out.push(
      `Missing values become ${from.map((j, i) => `${names[j]}: ${shown(j, fill[i]!)}`).join(', ')} (${p.impute.replace('_', ' ')}${encoding.features.some((f) => f.kind === 'categorical') ? '; categories: the most frequent' : ''}, from the training rows).`,
    );
  }
  if (p.missing.length > 0)
    out.push(`Columns saying a value was missing: ${p.missing.map((j) => names[j]).join(', ')}.`);
  if (p.onehot.from.length > 0) {
    const cats = [...new Set(p.onehot.from)].map((j) => names[j]);
    out.push(
      `One column per category of ${cats.join(', ')} (one-hot); a missing or unseen category is all zeros.`,
    );
  }
  if (scale.some((s, i) => s !== 1 || center[i] !== 0))
    out.push(
      `Standardized with the training rows' mean and standard deviation: ${from.map((j, i) => `${names[j]} (${fmt(center[i]!)} ± ${fmt(scale[i]!)})`).join(', ')}.`,
    );
  if (p.constant?.length)
    out.push(
      `${p.constant.map((j) => names[j]).join(', ')} ${p.constant.length === 1 ? 'has' : 'have'} one value on every training row: nothing to standardize (the scale is left at 1) and nothing to learn from. Check the data, or give ${p.constant.length === 1 ? 'it' : 'them'} the role "ignored" (the dataset's New version, Change types or roles).`,
    );
  if (p.single?.length) {
    const label = (i: number): string =>
      `${names[p.onehot.from[i]!]}: ${shown(p.onehot.from[i]!, p.onehot.code[i]!)}`;
    out.push(
      `Categories on one training row only: ${p.single.map(label).join(', ')}. What the model makes of each rests on that one row; more rows of it, or merging it with a similar category, give it weight.`,
    );
  }
  return out;
}

/** The fitted steps as a version page's facts, one "Preprocessing" line each. */
export function pipelineFacts(p: FittedPipeline, encoding: Encoding): [string, string][] {
  return describePipeline(p, encoding).map((s): [string, string] => ['Preprocessing', s]);
}

/** Problems of a fitted pipeline from a file against the version's encoding, or null. */
export function pipelineProblem(p: FittedPipeline, encoding: Encoding): string | null {
  const n = encoding.features.length;
  if (p.inputs !== n) return `reads ${p.inputs} features, but the version has ${n}`;
  const { from, fill, center, scale } = p.values;
  if (fill.length !== from.length || center.length !== from.length || scale.length !== from.length)
    return 'has value columns of different lengths';
  if (p.onehot.code.length !== p.onehot.from.length)
    return 'has one-hot columns of different lengths';
  for (const j of [...from, ...p.missing, ...p.onehot.from])
    if (j >= n) return `reads feature ${j + 1} of ${n}`;
  for (let i = 0; i < p.onehot.from.length; i++) {
    const f = encoding.features[p.onehot.from[i]!]!;
    if (f.kind !== 'categorical' || p.onehot.code[i]! >= f.categories.length)
      return 'has a one-hot column for a category the version does not have';
  }
  return null;
}

/** What the steps do with a category training never saw. */
export function unseenCategoryNote(p: FittedPipeline): string {
  return p.onehot.from.length > 0
    ? 'its one-hot columns are all zeros'
    : 'it counts as missing and becomes the most frequent category of the training rows';
}

/**
 * The preprocessing choices a search explores by default (the Search screen lists them, so a
 * person can narrow them to one): how missing numbers are filled and, unless `scaling` is
 * off, whether numbers are standardized.
 */
export function pipelineSpace(scaling = true): SearchSpace {
  return {
    impute: { kind: 'categorical', choices: ['mean', 'median'] },
    ...(scaling ? { scale: { kind: 'categorical', choices: ['standard', 'none'] } } : {}),
  };
}
