/**
 * What the model benchmarks share: Debian's scikit-learn (installed when missing), a seeded
 * synthetic classification set, timing, and the bundled classification samples split five
 * ways with missing values imputed by the training medians (scikit-learn 1.2's trees take none).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetContent } from '../../src/core/data/content';
import { parseTable } from '../../src/core/data/parse';
import { buildFromRaw, inspectRaw } from '../../src/core/data/pipeline';
import { SAMPLES } from '../../src/core/data/samples';
import type { TrainingSet } from '../../src/core/learners/training';
import { seededRandom } from '../../src/core/random';
import { holdoutSplit } from '../../src/core/train/evaluate';
import { trainingSet } from '../../src/core/train/model';

export const PYTHON = '/usr/bin/python3';

export function ensureSklearn(): void {
  const ok = spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
  if (ok) return;
  console.log('Installing python3-sklearn with apt-get …');
  execFileSync('apt-get', ['install', '-y', 'python3-sklearn'], { stdio: 'inherit' });
}

export function ensureOptuna(): void {
  if (spawnSync(PYTHON, ['-c', 'import optuna'], { stdio: 'ignore' }).status === 0) return;
  console.log('Installing python3-optuna with apt-get …');
  execFileSync('apt-get', ['install', '-y', 'python3-optuna'], { stdio: 'inherit' });
}

export function sklearnVersion(): string {
  return execFileSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], {
    encoding: 'utf8',
  }).trim();
}

/** Runs a Python script on a JSON file and reads the JSON it prints. */
export function runPython<T>(
  script: string,
  dataFile: string,
  env: Record<string, string> = {},
): T {
  return JSON.parse(
    execFileSync(PYTHON, ['-c', script, dataFile], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, ...env },
    }),
  ) as T;
}

/** 3 classes from a noisy rule over the first features; 10 numeric features. */
export function synthetic(rows: number, seed: number): TrainingSet {
  const random = seededRandom(seed);
  const p = 10;
  const x = new Float64Array(rows * p);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < p; f++) x[r * p + f] = Math.round(random() * 10000) / 100;
    const score = x[r * p]! + 0.5 * x[r * p + 1]! - 0.3 * x[r * p + 2]! + 20 * random();
    y[r] = score < 35 ? 0 : score < 65 ? 1 : 2;
  }
  return { x, rows, features: p, y, classes: 3 };
}

export function rowsOf(set: TrainingSet): number[][] {
  return Array.from({ length: set.rows }, (_, r) =>
    Array.from(set.x.subarray(r * set.features, (r + 1) * set.features)),
  );
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function timeMs(fn: () => void, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** One hold-out split of a bundled sample, imputed, as both sides train on it. */
export interface SplitCase {
  name: string;
  /** Imputed training set over all rows; `train` and `test` index it. */
  set: TrainingSet;
  train: Int32Array;
  test: Int32Array;
}

/** A classification table's rows as Orpheus imports them, with the suggested schema. */
export async function classificationContent(
  text: string,
  target: string,
  fileName: string,
): Promise<DatasetContent> {
  const raw = await parseTable(text, { fileName });
  const inspection = inspectRaw(raw, target);
  const built = await buildFromRaw(raw, {
    schema: inspection.suggestion.columns.map((c) => ({
      name: c.name,
      type: c.type,
      role: c.role,
    })),
    task: 'classification',
    strayAsMissing: [],
  });
  return built.content;
}

export async function sampleSplits(splits = 5): Promise<SplitCase[]> {
  const cases: SplitCase[] = [];
  for (const sample of SAMPLES.filter((s) => s.task === 'classification')) {
    const text = readFileSync(join('public', sample.file), 'utf8');
    const { set } = trainingSet(await classificationContent(text, sample.target, sample.file));
    for (let seed = 0; seed < splits; seed++) {
      const { train, test } = holdoutSplit(set, 0.2, seededRandom(seed));
      const p = set.features;
      const medians = Array.from({ length: p }, (_, f) =>
        median(Array.from(train, (r) => set.x[r * p + f]!).filter((v) => !Number.isNaN(v))),
      );
      const x = Float64Array.from(set.x, (v, i) => (Number.isNaN(v) ? medians[i % p]! : v));
      cases.push({ name: `${sample.id}#${seed}`, set: { ...set, x }, train, test });
    }
  }
  return cases;
}

/** The rows of a split as plain arrays, for the JSON file Python reads. */
export function splitData(c: SplitCase): {
  name: string;
  xTrain: number[][];
  yTrain: number[];
  xTest: number[][];
  yTest: number[];
} {
  const p = c.set.features;
  const pick = (rows: Int32Array): number[][] =>
    Array.from(rows, (r) => Array.from(c.set.x.subarray(r * p, (r + 1) * p)));
  return {
    name: c.name,
    xTrain: pick(c.train),
    yTrain: Array.from(c.train, (r) => c.set.y[r]!),
    xTest: pick(c.test),
    yTest: Array.from(c.test, (r) => c.set.y[r]!),
  };
}

/** Share of the test rows a prediction gets right. */
export function accuracyOn(c: SplitCase, predictions: ArrayLike<number>): number {
  let correct = 0;
  c.test.forEach((r, i) => {
    if (predictions[i] === c.set.y[r]) correct++;
  });
  return correct / c.test.length;
}

/** The test rows of a split as one row-major matrix. */
export function testMatrix(c: SplitCase): Float64Array {
  const p = c.set.features;
  const out = new Float64Array(c.test.length * p);
  c.test.forEach((r, i) => out.set(c.set.x.subarray(r * p, (r + 1) * p), i * p));
  return out;
}
