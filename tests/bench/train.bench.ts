/**
 * The trainer against ml-cart's own train and scikit-learn's DecisionTreeClassifier, on the
 * same data in the same run. Prints:
 *   BENCH fit_1k_ms / fit_10k_ms / fit_50k_ms   ours, 10 numeric features, 3 classes, full depth
 *   BENCH fit_4k_ratio_vs_mlcart <x>            ours (ml-cart rules, same tree) / ml-cart's train
 *   BENCH fit_50k_ratio_vs_sklearn <x>          ours / scikit-learn, same data and settings
 *   BENCH holdout_accuracy_delta_vs_sklearn <points>  ours − scikit-learn on the bundled
 *                                               classification samples (5 seeded splits each)
 * scikit-learn is Debian's python3-sklearn (installed with apt-get when missing); both sides
 * read the same data from one JSON file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecisionTreeClassifier } from 'ml-cart';
import { parseTable } from '../../src/core/data/parse';
import { buildFromRaw, inspectRaw } from '../../src/core/data/pipeline';
import { SAMPLES } from '../../src/core/data/samples';
import { seededRandom } from '../../src/core/random';
import { DEFAULT_CART_PARAMS, fitCart } from '../../src/core/learners/tree/cart';
import type { TrainingSet } from '../../src/core/learners/training';
import { fitMlCart } from '../oracle/mlCartRules';
import { holdoutSplit } from '../../src/core/train/evaluate';
import { predictTree } from '../../src/core/learners/tree/tree';
import { trainingSet } from '../../src/core/train/model';

const PYTHON = '/usr/bin/python3';

function ensureSklearn(): void {
  const ok = spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
  if (ok) return;
  console.log('Installing python3-sklearn with apt-get …');
  execFileSync('apt-get', ['install', '-y', 'python3-sklearn'], { stdio: 'inherit' });
}

/** 3 classes from a noisy rule over the first features; 10 numeric features. */
function synthetic(rows: number, seed: number): TrainingSet {
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

function rowsOf(set: TrainingSet): number[][] {
  return Array.from({ length: set.rows }, (_, r) =>
    Array.from(set.x.subarray(r * set.features, (r + 1) * set.features)),
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeMs(fn: () => void, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

ensureSklearn();
const dir = mkdtempSync(join(tmpdir(), 'orpheus-bench-'));

// Fit times.
const sizes = [1000, 10_000, 50_000];
const sets = new Map(sizes.map((n) => [n, synthetic(n, n)]));
fitCart(sets.get(1000)!); // warm up the JIT
const ours = new Map(
  sizes.map((n) => [n, timeMs(() => fitCart(sets.get(n)!), n >= 50_000 ? 3 : 5)]),
);

// ml-cart at 4k rows: its own train against our trainer under its rules (the same tree).
const four = synthetic(4000, 4);
const mlRows = rowsOf(four);
const mlY = Array.from(four.y);
const mlCartMs = timeMs(() => new DecisionTreeClassifier({}).train(mlRows, mlY), 1);
const oursMlRulesMs = timeMs(() => fitMlCart(four, { minNumSamples: 3, maxDepth: null }), 3);

// Holdout accuracy on the bundled samples, at equal settings (defaults, full depth).
interface Case {
  name: string;
  xTrain: number[][];
  yTrain: number[];
  xTest: number[][];
  yTest: number[];
  ours: number;
}
const cases: Case[] = [];
for (const sample of SAMPLES.filter((s) => s.task === 'classification')) {
  const text = readFileSync(join('public', sample.file), 'utf8');
  const raw = await parseTable(text, { fileName: sample.file });
  const inspection = inspectRaw(raw, sample.target);
  const built = await buildFromRaw(raw, {
    schema: inspection.suggestion.columns.map((c) => ({
      name: c.name,
      type: c.type,
      role: c.role,
    })),
    task: 'classification',
    strayAsMissing: [],
  });
  const { set } = trainingSet(built.content);
  for (let seed = 0; seed < 5; seed++) {
    const { train, test } = holdoutSplit(set, 0.2, seededRandom(seed));
    // scikit-learn 1.2 has no missing-value support in trees: both sides get the training medians.
    const p = set.features;
    const medians = Array.from({ length: p }, (_, f) =>
      median(Array.from(train, (r) => set.x[r * p + f]!).filter((v) => !Number.isNaN(v))),
    );
    const x = Float64Array.from(set.x, (v, i) => (Number.isNaN(v) ? medians[i % p]! : v));
    const pick = (rows: Int32Array): number[][] =>
      Array.from(rows, (r) => Array.from(x.subarray(r * p, (r + 1) * p)));
    const imputed = { ...set, x };
    const fitted = fitCart(imputed, DEFAULT_CART_PARAMS, { subset: train, seed });
    const xt = Float64Array.from(pick(test).flat());
    const pred = predictTree(fitted.tree, xt, test.length, p, set.classes).predictions;
    let correct = 0;
    test.forEach((r, i) => {
      if (pred[i] === set.y[r]) correct++;
    });
    cases.push({
      name: `${sample.id}#${seed}`,
      xTrain: pick(train),
      yTrain: Array.from(train, (r) => set.y[r]!),
      xTest: pick(test),
      yTest: Array.from(test, (r) => set.y[r]!),
      ours: correct / test.length,
    });
  }
}

const dataFile = join(dir, 'data.json');
writeFileSync(
  dataFile,
  JSON.stringify({
    fits: sizes.map((n) => ({ n, x: rowsOf(sets.get(n)!), y: Array.from(sets.get(n)!.y) })),
    cases: cases.map(({ ours: _ours, ...c }) => c),
  }),
);
const script = `
import json, sys, time
import numpy as np
from sklearn.tree import DecisionTreeClassifier
d = json.load(open(sys.argv[1]))
out = {"fits": {}, "cases": {}}
for f in d["fits"]:
    X = np.array(f["x"]); y = np.array(f["y"])
    DecisionTreeClassifier(random_state=0).fit(X, y)
    times = []
    for _ in range(3 if f["n"] >= 50000 else 5):
        t0 = time.perf_counter(); DecisionTreeClassifier(random_state=0).fit(X, y); times.append(time.perf_counter() - t0)
    out["fits"][str(f["n"])] = sorted(times)[len(times)//2] * 1000
for c in d["cases"]:
    m = DecisionTreeClassifier(random_state=0).fit(np.array(c["xTrain"]), np.array(c["yTrain"]))
    out["cases"][c["name"]] = float((m.predict(np.array(c["xTest"])) == np.array(c["yTest"])).mean())
print(json.dumps(out))
`;
const scriptFile = join(dir, 'sklearn_bench.py');
writeFileSync(scriptFile, script);
const sk = JSON.parse(
  execFileSync(PYTHON, [scriptFile, dataFile], { encoding: 'utf8', maxBuffer: 1 << 28 }),
) as {
  fits: Record<string, number>;
  cases: Record<string, number>;
};

for (const n of sizes) {
  const label = n >= 1000 ? `${n / 1000}k` : String(n);
  console.log(
    `BENCH fit_${label}_ms ${ours.get(n)!.toFixed(1)} ms (scikit-learn ${sk.fits[String(n)]!.toFixed(1)} ms)`,
  );
}
console.log(
  `BENCH fit_4k_ratio_vs_mlcart ${(oursMlRulesMs / mlCartMs).toFixed(4)} (ours with ml-cart's rules ${oursMlRulesMs.toFixed(1)} ms / ml-cart ${mlCartMs.toFixed(0)} ms, same tree)`,
);
console.log(
  `BENCH fit_50k_ratio_vs_sklearn ${(ours.get(50_000)! / sk.fits['50000']!).toFixed(2)} (ours / scikit-learn ${sklearnVersion()})`,
);
const deltas = cases.map((c) => (c.ours - sk.cases[c.name]!) * 100);
const delta = deltas.reduce((a, b) => a + b, 0) / deltas.length;
console.log(
  `BENCH holdout_accuracy_delta_vs_sklearn ${delta.toFixed(2)} points (ours − scikit-learn, mean over ${cases.length} splits of ${new Set(cases.map((c) => c.name.split('#')[0])).size} samples)`,
);

function sklearnVersion(): string {
  return execFileSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], {
    encoding: 'utf8',
  }).trim();
}
