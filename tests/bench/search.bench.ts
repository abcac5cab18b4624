/**
 * Orpheus's TPE against Optuna 3.1's TPESampler on the same problems, budgets and seeds, in
 * one run; its sampler overhead; and the speed-up of trials over two workers. Optuna runs in a
 * Python child process driven by ask/tell over JSON lines, so both samplers are scored by the
 * very same objective code (ours, in Node). Debian's python3-optuna is installed with apt-get
 * when missing. Prints:
 *   BENCH tpe_median_best_<T>_<problem> <ours> vs optuna <theirs> (quartiles …) for T = 25, 50, 100
 *   BENCH random_median_best_100_<problem> <ours>
 *   BENCH tpe_problems_at_least_optuna <k>/4
 *   BENCH tpe_overhead_ms_<N> / tpe_overhead_ratio_vs_optuna_<N>  for N = 100, 500, 1000
 *   BENCH search_parallel_speedup_2_workers <ratio>
 *   BENCH tpe_suggestion_quantile_gap_vs_optuna <x>   the same 30-trial history given to both
 *     samplers, 400 seeds each: the largest gap between the 10/25/50/75/90 % quantiles of their
 *     next suggestion, as a share of the range (float, int and log-int parameters)
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { DatasetContent } from '../../src/core/data/content';
import { prepareSearch, scoreRung } from '../../src/core/search/objective';
import {
  sampleRandom,
  suggest,
  type Direction,
  type Observation,
} from '../../src/core/search/samplers';
import { type Params, type SearchSpace } from '../../src/core/search/space';
import { defaultTreeSpace, paramsToCart } from '../../src/core/learners/tree/params';
import { decisionTree } from '../../src/core/learners/tree';
import type { AnyLearner } from '../../src/core/learners/learner';
import { seededRandom } from '../../src/core/random';
import { classificationContent, ensureOptuna, PYTHON } from './shared';

const SEEDS = 20;
const TRIALS = 100;
const CHECKPOINTS = [25, 50, 100];

interface Problem {
  name: string;
  space: SearchSpace;
  direction: Direction;
  f: (p: Params) => number;
}

function branin(p: Params): number {
  const x1 = p['x1'] as number;
  const x2 = p['x2'] as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];
const H_ALPHA = [1, 1.2, 3, 3.2];

function hartmann6(p: Params): number {
  let out = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++)
      inner += H_A[i]![j]! * ((p[`x${j}`] as number) - H_P[i]![j]! * 1e-4) ** 2;
    out -= H_ALPHA[i]! * Math.exp(-inner);
  }
  return out;
}

function sample(file: string, target: string): Promise<DatasetContent> {
  return classificationContent(readFileSync(join('public/samples', file), 'utf8'), target, file);
}

async function treeProblem(name: string, file: string, target: string): Promise<Problem> {
  const content = await sample(file, target);
  const data = prepareSearch(content, { folds: 5, testFraction: 0.2, seed: 0 });
  const base = decisionTree.defaults('classification');
  const tree = decisionTree as unknown as AnyLearner;
  const f = (p: Params): number => scoreRung(data, tree, paramsToCart(p, base), 'f1_macro', 1);
  return { name, space: defaultTreeSpace('classification'), direction: 'maximize', f };
}

/** Optuna in a Python child, one JSON line per message. */
class Optuna {
  readonly #child = spawn(PYTHON, ['-u', '-c', OPTUNA_DRIVER], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  readonly #lines = createInterface({ input: this.#child.stdout! })[Symbol.asyncIterator]();

  async call(msg: object): Promise<unknown> {
    this.#child.stdin!.write(`${JSON.stringify(msg)}\n`);
    const { value } = await this.#lines.next();
    return JSON.parse(value as string);
  }

  close(): void {
    this.#child.stdin!.end();
  }
}

const OPTUNA_DRIVER = `
import json, sys, time
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
optuna.logging.set_verbosity(optuna.logging.WARNING)
def dists(space):
    out = {}
    for k, d in space.items():
        if d["kind"] == "float": out[k] = FloatDistribution(d["low"], d["high"], log=d["log"])
        elif d["kind"] == "int": out[k] = IntDistribution(d["low"], d["high"], step=1 if d["log"] else d["step"], log=d["log"])
        else: out[k] = CategoricalDistribution(d["choices"])
    return out
study = None; trial = None; D = None
for line in sys.stdin:
    m = json.loads(line)
    if m["cmd"] == "start":
        D = dists(m["space"])
        study = optuna.create_study(direction=m["direction"], sampler=optuna.samplers.TPESampler(seed=m["seed"]))
        print(json.dumps({"ok": True}))
    elif m["cmd"] == "ask":
        trial = study.ask(fixed_distributions=D)
        print(json.dumps(trial.params))
    elif m["cmd"] == "tell":
        study.tell(trial, m["value"])
        print(json.dumps({"ok": True}))
    elif m["cmd"] == "quantiles":
        import numpy as np
        d = dists({"x": m["dist"]})
        vals = []
        for s in range(m["seeds"]):
            st = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=s))
            for h in m["history"]:
                st.add_trial(optuna.trial.create_trial(params={"x": h["x"]}, distributions=d, value=h["v"]))
            vals.append(st.ask(d).params["x"])
        print(json.dumps([float(q) for q in np.quantile(vals, [0.1, 0.25, 0.5, 0.75, 0.9])]))
    elif m["cmd"] == "overhead":
        D = dists(m["space"])
        study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
        for h in m["history"]:
            study.add_trial(optuna.trial.create_trial(params=h["params"], distributions=D, value=h["value"]))
        times = []
        for _ in range(5):
            t0 = time.perf_counter(); t = study.ask(fixed_distributions=D); times.append(time.perf_counter() - t0)
            study.tell(t, state=optuna.trial.TrialState.FAIL)
        print(json.dumps({"ms": sorted(times)[2] * 1000}))
    sys.stdout.flush()
`;

function bestSoFar(values: number[], direction: Direction): number[] {
  let best = direction === 'maximize' ? -Infinity : Infinity;
  return values.map(
    (v) => (best = direction === 'maximize' ? Math.max(best, v) : Math.min(best, v)),
  );
}

function quartiles(xs: number[]): [number, number, number] {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number): number => {
    const i = (s.length - 1) * f;
    const lo = Math.floor(i);
    return s[lo]! + (s[Math.ceil(i)]! - s[lo]!) * (i - lo);
  };
  return [q(0.25), q(0.5), q(0.75)];
}

function ours(kind: 'tpe' | 'random', problem: Problem, seed: number): number[] {
  const history: Observation[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const params = suggest(kind, {
      space: problem.space,
      history,
      direction: problem.direction,
      seed,
      trialNumber: i,
    })!;
    history.push({
      number: i,
      params,
      state: 'complete',
      value: problem.f(params),
      intermediate: [],
    });
  }
  return bestSoFar(
    history.map((t) => t.value!),
    problem.direction,
  );
}

async function theirs(optuna: Optuna, problem: Problem, seed: number): Promise<number[]> {
  await optuna.call({ cmd: 'start', space: problem.space, direction: problem.direction, seed });
  const values: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const params = (await optuna.call({ cmd: 'ask' })) as Params;
    const v = problem.f(params);
    values.push(v);
    await optuna.call({ cmd: 'tell', value: v });
  }
  return bestSoFar(values, problem.direction);
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

ensureOptuna();
const problems: Problem[] = [
  {
    name: 'branin',
    space: {
      x1: { kind: 'float', low: -5, high: 10, log: false },
      x2: { kind: 'float', low: 0, high: 15, log: false },
    },
    direction: 'minimize',
    f: branin,
  },
  {
    name: 'hartmann6',
    space: Object.fromEntries(
      Array.from({ length: 6 }, (_, j) => [
        `x${j}`,
        { kind: 'float' as const, low: 0, high: 1, log: false },
      ]),
    ),
    direction: 'minimize',
    f: hartmann6,
  },
  await treeProblem('breast_cancer_f1', 'breast-cancer.csv', 'diagnosis'),
  await treeProblem('wine_f1', 'wine.csv', 'cultivar'),
];

const optuna = new Optuna();
let atLeast = 0;
for (const problem of problems) {
  const mine: number[][] = [];
  const random: number[][] = [];
  const other: number[][] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    mine.push(ours('tpe', problem, seed));
    random.push(ours('random', problem, seed));
    other.push(await theirs(optuna, problem, seed));
  }
  const better = (a: number, b: number): boolean =>
    problem.direction === 'maximize' ? a >= b : a <= b;
  for (const t of CHECKPOINTS) {
    const [a1, a2, a3] = quartiles(mine.map((v) => v[t - 1]!));
    const [b1, b2, b3] = quartiles(other.map((v) => v[t - 1]!));
    console.log(
      `BENCH tpe_median_best_${t}_${problem.name} ${fmt(a2)} vs optuna ${fmt(b2)} (quartiles ours ${fmt(a1)}–${fmt(a3)}, optuna ${fmt(b1)}–${fmt(b3)}; ${problem.direction})`,
    );
    if (t === 100 && better(a2, b2)) atLeast++;
  }
  console.log(
    `BENCH random_median_best_100_${problem.name} ${fmt(quartiles(random.map((v) => v[TRIALS - 1]!))[1])}`,
  );
}
console.log(`BENCH tpe_problems_at_least_optuna ${atLeast}/${problems.length}`);

// Sampler overhead: one suggestion after N completed trials, the tree space.
const space = defaultTreeSpace('classification');
for (const n of [100, 500, 1000]) {
  const random = seededRandom(n);
  const history: Observation[] = Array.from({ length: n }, (_, i) => ({
    number: i,
    params: sampleRandom(space, random),
    state: 'complete' as const,
    value: random(),
    intermediate: [],
  }));
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    suggest('tpe', { space, history, direction: 'maximize', seed: k, trialNumber: n });
    times.push(performance.now() - t0);
  }
  const mineMs = times.sort((a, b) => a - b)[2]!;
  const { ms } = (await optuna.call({
    cmd: 'overhead',
    space,
    history: history.map((h) => ({ params: h.params, value: h.value })),
  })) as { ms: number };
  console.log(`BENCH tpe_overhead_ms_${n} ${mineMs.toFixed(2)} ms (optuna ${ms.toFixed(2)} ms)`);
  console.log(`BENCH tpe_overhead_ratio_vs_optuna_${n} ${(mineMs / ms).toFixed(3)}`);
}
// The same history to both samplers: do their next suggestions follow the same distribution?
{
  const random = seededRandom(5);
  const dists: Record<string, SearchSpace[string]> = {
    float: { kind: 'float', low: 0, high: 10, log: false },
    int: { kind: 'int', low: 1, high: 20, step: 1, log: false },
    logint: { kind: 'int', low: 1, high: 64, step: 1, log: true },
  };
  const QS = [0.1, 0.25, 0.5, 0.75, 0.9];
  let gap = 0;
  for (const d of Object.values(dists)) {
    if (d.kind === 'categorical') continue;
    const history = Array.from({ length: 30 }, () => {
      const x =
        d.kind === 'float'
          ? random() * 10
          : d.log
            ? Math.max(1, Math.min(64, Math.round(Math.exp(random() * Math.log(64)))))
            : 1 + Math.floor(random() * 20);
      return { x, v: (Math.log(x + 1) - Math.log(4)) ** 2 + 0.3 * random() };
    });
    const obs: Observation[] = history.map((h, i) => ({
      number: i,
      params: { x: h.x },
      state: 'complete',
      value: h.v,
      intermediate: [],
    }));
    const mine = Array.from(
      { length: 400 },
      (_, s) =>
        suggest('tpe', {
          space: { x: d },
          history: obs,
          direction: 'minimize',
          seed: s,
          trialNumber: 30,
        })!['x'] as number,
    ).sort((a, b) => a - b);
    const theirsQ = (await optuna.call({
      cmd: 'quantiles',
      dist: d,
      history,
      seeds: 400,
    })) as number[];
    QS.forEach((q, i) => {
      const ours_ = mine[Math.round(q * (mine.length - 1))]!;
      gap = Math.max(gap, Math.abs(ours_ - theirsQ[i]!) / (d.high - d.low));
    });
  }
  console.log(
    `BENCH tpe_suggestion_quantile_gap_vs_optuna ${gap.toFixed(3)} (share of the range; same history, 400 seeds each)`,
  );
}
optuna.close();

// Parallel speed-up: the same 200 trials of the tree objective on 1 and on 2 worker threads.
const dir = mkdtempSync(join(tmpdir(), 'orpheus-search-'));
const contentFile = join(dir, 'content.json');
const bc1 = await sample('breast-cancer.csv', 'diagnosis');
const repeat = (a: ArrayLike<number>): number[] =>
  Array.from({ length: a.length * 8 }, (_, i) => a[i % a.length]!);
const bc = {
  ...bc1,
  rowCount: bc1.rowCount * 8,
  columns: bc1.columns.map((c) =>
    c.kind === 'numeric'
      ? { ...c, values: Float64Array.from(repeat(c.values)) }
      : c.kind === 'categorical'
        ? { ...c, codes: Int32Array.from(repeat(c.codes)) }
        : c,
  ),
};
writeFileSync(
  contentFile,
  JSON.stringify({
    ...bc,
    columns: bc.columns.map((c) =>
      c.kind === 'text'
        ? c
        : {
            ...c,
            ...('values' in c ? { values: Array.from(c.values) } : { codes: Array.from(c.codes) }),
          },
    ),
  }),
);
const trialParams = Array.from({ length: 200 }, (_, i) =>
  sampleRandom(space, seededRandom(1000 + i)),
);

async function timeWorkers(count: number): Promise<number> {
  const workers = Array.from(
    { length: count },
    () =>
      // Worker threads do not inherit tsx's loader: the worker loads the module through tsx's API.
      new Worker(
        `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./search-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}));`,
        { eval: true, workerData: contentFile },
      ),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve)))); // prepared
  // Warm each worker's JIT on a few trials before the clock starts.
  for (const w of workers)
    for (const p of trialParams.slice(0, 10)) {
      w.postMessage(p);
      await new Promise((resolve) => w.once('message', resolve));
    }
  const queue = [...trialParams];
  const t0 = performance.now();
  await Promise.all(
    workers.map(async (w) => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        w.postMessage(p);
        await new Promise((resolve) => w.once('message', resolve));
      }
    }),
  );
  const ms = performance.now() - t0;
  await Promise.all(workers.map((w) => w.terminate()));
  return ms;
}
const one = await timeWorkers(1);
const two = await timeWorkers(2);
console.log(
  `BENCH search_parallel_speedup_2_workers ${(one / two).toFixed(2)} (${((200 / one) * 60_000).toFixed(0)} → ${((200 / two) * 60_000).toFixed(0)} trials per minute)`,
);
