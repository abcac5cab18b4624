/**
 * Model selection across families, Hyperband and BOHB, measured in one run and in one Node
 * process (one trial at a time, the study loop of the Search screen without its store):
 *   BENCH cash_best_minus_best_single_family <points>   breast cancer, 5-fold macro F1: the
 *     best of a 100-trial TPE search across families minus the best of the 100-trial TPE
 *     searches of each family alone (median over seeds; positive: the cross-family search wins)
 *   BENCH hyperband_speedup_vs_tpe_50k <ratio>  a generated 50,000 × 20 set (5 informative,
 *     5 redundant, 10 noise features, 3 classes): wall-clock seconds until a cross-family TPE
 *     search without early stopping reaches the target, divided by the same with Hyperband
 *     (median over seeds); the target is the best score either finds, less 0.5 point
 *   BENCH bohb_speedup_vs_tpe_50k <ratio>       the same for BOHB
 * The 50k searches run over the families whose trials fit this machine's time (decision
 * tree, logistic regression, naive Bayes, gradient-boosted trees) with a fixed budget of
 * trials; the figures say so. The comparison with Optuna driving scikit-learn is not here.
 * CASH_SEEDS (2) and CASH_TRIALS_50K (24) set the seeds and the 50k budget; CASH_PART=families
 * or CASH_PART=speedups runs one half.
 */
import { learnerFor } from '../../src/core/learners/registry';
import type { AnyLearner } from '../../src/core/learners/learner';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/core/random';
import { classificationContent, median } from './shared';
import { prepareSearch, runTrial, type SearchData } from '../../src/core/search/objective';
import { bracketOf, bracketsOf, sameBracket, trialHalving } from '../../src/core/search/hyperband';
import {
  halving as sha,
  NO_PRUNING,
  promotable,
  type Halving,
} from '../../src/core/search/pruning';
import { suggest, type Observation, type SamplerKind } from '../../src/core/search/samplers';
import {
  acrossFamilies,
  trialModel,
  ANY_FAMILY,
  type SearchSpace,
} from '../../src/core/search/space';

interface Trace {
  /** Seconds since the start and the best value so far, after each trial. */
  points: { s: number; best: number }[];
  best: number;
}

/** A study, one trial at a time, as the Search screen runs it (brackets, promotion, sampler). */
async function study(
  data: SearchData,
  family: string,
  space: SearchSpace,
  sampler: SamplerKind,
  halving: Halving,
  trials: number,
  seed: number,
  name: string,
): Promise<Trace> {
  const history: Observation[] = [];
  const start = performance.now();
  const points: Trace['points'] = [];
  let best = -Infinity;
  const rungsOf = (n: number) =>
    trialHalving(halving, bracketOf(name, n, bracketsOf(halving))).rungs;
  for (let number = 0; number < trials; number++) {
    const learnsFrom =
      halving.hyperband && sampler !== 'bohb'
        ? sameBracket(halving, name, history, number)
        : history;
    const params = suggest(sampler, {
      space,
      history: learnsFrom,
      direction: 'maximize',
      seed,
      trialNumber: number,
      rungsOf,
    })!;
    const model = trialModel(family, params);
    const learner = learnerFor(model.family) as unknown as AnyLearner;
    const full = learner.withParams(model.params, learner.defaults('classification'));
    const own = trialHalving(halving, bracketOf(name, number, bracketsOf(halving)));
    const peers = sameBracket(halving, name, history, number);
    let outcome;
    try {
      outcome = await runTrial(data, learner, full, 'f1_macro', own, (step, value) =>
        promotable(
          value,
          peers.map((t) => t.intermediate[step]).filter((v): v is number => v !== undefined),
          halving.eta,
          'maximize',
        ),
      );
    } catch {
      outcome = { state: 'failed' as const, value: null, intermediate: [] };
    }
    history.push({
      number,
      params,
      state: outcome.state,
      value: outcome.value,
      intermediate: outcome.intermediate,
    });
    if (outcome.state === 'complete' && outcome.value !== null && outcome.value > best)
      best = outcome.value;
    points.push({ s: (performance.now() - start) / 1000, best });
  }
  return { points, best };
}

function timeTo(trace: Trace, target: number): number {
  return trace.points.find((p) => p.best >= target)?.s ?? Infinity;
}

/** scikit-learn's make_classification in spirit: informative, redundant and noise features. */
function generated(rows: number, seed: number): string {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const informative = 5;
  const redundant = 5;
  const noise = 10;
  const classes = 3;
  const centres = Array.from({ length: classes * 2 }, () =>
    Array.from({ length: informative }, () => (random() < 0.5 ? -1 : 1)),
  );
  const mix = Array.from({ length: redundant }, () =>
    Array.from({ length: informative }, () => 2 * random() - 1),
  );
  const header = [
    ...Array.from({ length: informative + redundant + noise }, (_, i) => `x${i}`),
    'y',
  ];
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const y = r % classes;
    const c = centres[y * 2 + (random() < 0.5 ? 0 : 1)]!;
    const inf = c.map((m) => m + gauss());
    const red = mix.map((w) => w.reduce((s, wi, i) => s + wi * inf[i]!, 0));
    const nz = Array.from({ length: noise }, gauss);
    // 1 % of the labels flipped, as make_classification's flip_y.
    const label = random() < 0.01 ? Math.floor(random() * classes) : y;
    lines.push(
      [...inf, ...red, ...nz]
        .map((v) => v.toFixed(4))
        .concat(`c${label}`)
        .join(','),
    );
  }
  return lines.join('\n');
}

const SEEDS = Number(process.env['CASH_SEEDS'] ?? 2);

async function singleVsAcross(): Promise<void> {
  const csv = readFileSync(join('public/samples', 'breast-cancer.csv'), 'utf8');
  const data = prepareSearch(await classificationContent(csv, 'diagnosis', 'breast-cancer.csv'), {
    folds: 5,
    testFraction: 0.2,
    seed: 0,
  });
  const families = [
    'decision-tree',
    'random-forest',
    'extra-trees',
    'gradient-boosting',
    'logistic-regression',
    'linear-svm',
    'k-nearest-neighbours',
    'naive-bayes',
  ];
  const spaces = Object.fromEntries(
    families.map((f) => [f, learnerFor(f).defaultSpace('classification')]),
  );
  const gaps: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const across = await study(
      data,
      ANY_FAMILY,
      acrossFamilies(spaces),
      'tpe',
      NO_PRUNING,
      100,
      seed,
      'across',
    );
    let single = -Infinity;
    for (const f of families)
      single = Math.max(
        single,
        (await study(data, f, spaces[f]!, 'tpe', NO_PRUNING, 100, seed, f)).best,
      );
    gaps.push(100 * (across.best - single));
    console.log(
      `  seed ${seed}: across ${across.best.toFixed(4)}, best single ${single.toFixed(4)}`,
    );
  }
  console.log(
    `BENCH cash_best_minus_best_single_family ${median(gaps).toFixed(2)} points (median of ${SEEDS} seeds, 100 trials each, breast cancer, 5-fold macro F1)`,
  );
}

async function speedups(): Promise<void> {
  const data = prepareSearch(
    await classificationContent(generated(50_000, 7), 'y', 'generated.csv'),
    {
      folds: 5,
      testFraction: 0.2,
      seed: 0,
    },
  );
  const families = ['decision-tree', 'logistic-regression', 'naive-bayes', 'gradient-boosting'];
  const space = acrossFamilies(
    Object.fromEntries(families.map((f) => [f, learnerFor(f).defaultSpace('classification')])),
  );
  const trials = Number(process.env['CASH_TRIALS_50K'] ?? 24);
  const hb: Halving = { ...sha(3, 3), hyperband: true };
  const tpeOverHb: number[] = [];
  const tpeOverBohb: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const tpe = await study(data, ANY_FAMILY, space, 'tpe', NO_PRUNING, trials, seed, `s${seed}`);
    const hyper = await study(data, ANY_FAMILY, space, 'tpe', hb, trials, seed, `s${seed}`);
    const bohb = await study(data, ANY_FAMILY, space, 'bohb', hb, trials, seed, `s${seed}`);
    const target = Math.max(tpe.best, hyper.best, bohb.best) - 0.005;
    const a = timeTo(tpe, target);
    const b = timeTo(hyper, target);
    const c = timeTo(bohb, target);
    console.log(
      `  seed ${seed}: target ${target.toFixed(4)}; TPE ${a.toFixed(1)} s (${tpe.points.at(-1)!.s.toFixed(0)} s in all), Hyperband ${b.toFixed(1)} s (${hyper.points.at(-1)!.s.toFixed(0)} s), BOHB ${c.toFixed(1)} s (${bohb.points.at(-1)!.s.toFixed(0)} s)`,
    );
    tpeOverHb.push(a / b);
    tpeOverBohb.push(a / c);
  }
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
  console.log(
    `BENCH hyperband_speedup_vs_tpe_50k ${fmt(median(tpeOverHb))} (median of ${SEEDS} seeds, ${trials} trials each; TPE time to target / TPE + Hyperband time)`,
  );
  console.log(
    `BENCH bohb_speedup_vs_tpe_50k ${fmt(median(tpeOverBohb))} (median of ${SEEDS} seeds, ${trials} trials each)`,
  );
}

// CASH_PART=families or CASH_PART=speedups runs one half.
const part = process.env['CASH_PART'];
if (part !== 'speedups') await singleVsAcross();
if (part !== 'families') await speedups();
