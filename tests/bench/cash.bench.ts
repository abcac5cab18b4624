/**
 * Model selection across families, Hyperband and BOHB, measured in one run (the study loop of
 * the Search screen without its store: one trial at a time in this process, or against Optuna
 * two at a time on worker threads):
 *   BENCH cash_best_minus_best_single_family <points>   breast cancer, 5-fold macro F1: the
 *     best of a 100-trial TPE search across families minus the best of the 100-trial TPE
 *     searches of each family alone (median over seeds; positive: the cross-family search wins)
 *   BENCH hyperband_speedup_vs_tpe_50k <ratio>  a generated 50,000 × 20 set (5 informative,
 *     5 redundant, 10 noise features, 3 classes): wall-clock seconds until a cross-family TPE
 *     search without early stopping reaches the target, divided by the same with Hyperband
 *     (median over seeds); each search runs for the same time (a study's time limit), and the
 *     target is the best score any of the three finds, less 0.5 point
 *   BENCH bohb_speedup_vs_tpe_50k <ratio>       the same for BOHB
 * The 50k searches run over the families whose trials fit this machine's time (decision
 * tree, logistic regression, naive Bayes, gradient-boosted trees); the figures say so.
 *   BENCH cash_time_to_target_ratio_vs_optuna_breast_cancer <ratio>  ours (TPE + Hyperband across
 *     families) against Optuna 3.1 (TPESampler + HyperbandPruner) driving scikit-learn 1.2, on
 *     the same folds and row orders, each side two trials at a time (ours on two workers, as
 *     the Search screen's pool runs them; theirs in two processes sharing one SQLite study,
 *     each on one thread): our seconds to the target over theirs (median over seeds; below 1 is
 *     faster). Debian's python3-optuna and python3-sklearn are installed with apt-get when
 *     missing.
 *     Ours starts, as a new cross-family study does, with each family's default settings (one
 *     trial each); Optuna's TPE samples from its first trial.
 *   BENCH cash_time_to_target_ratio_vs_optuna_breast_cancer_sampler_only <ratio>  the same, ours
 *     without the defaults first (TPE from trial 0, as Optuna's)
 *   BENCH cash_time_to_target_ratio_vs_optuna_50k <ratio>  the same on the generated 50k set,
 *     over the four families above, CASH_TRIALS_50K trials each side (and `_sampler_only`)
 * CASH_SEEDS (2) sets the seeds of the other parts, CASH_SECONDS_50K (150) the time of each
 * speedup search and CASH_TRIALS_50K (24) the trials of each side against Optuna on the 50k set;
 * CASH_PART=families, speedups, optuna or optuna50k runs one part; CASH_SEEDS_OPTUNA (10) the
 * seeds against Optuna (both sets) and CASH_TRIALS_OPTUNA (60) the trials of each side on
 * breast cancer. CASH_TRACE=1 prints each trial of the one-at-a-time searches (its bracket,
 * family, state, rung scores, when it ended and its settings).
 */
import { learnerFor } from '../../src/core/learners/registry';
import type { AnyLearner } from '../../src/core/learners/learner';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ensureOptuna, ensureSklearn, median, runPython } from './shared';
import type { SearchData } from '../../src/core/search/objective';
import type { Params } from '../../src/core/records';
import { runOrder, searchData, type DataName, type TrialEnd, type TrialOrder } from './cash-data';
import type { WorkerSays } from './cash-worker';
import { bracketOf, bracketsOf, sameBracket, trialHalving } from '../../src/core/search/hyperband';
import {
  halving as sha,
  NO_PRUNING,
  promotable,
  type Halving,
} from '../../src/core/search/pruning';
import { defaultTrials } from '../../src/core/search/families';
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

/** What a study is: its family (or the choice of one), space, sampler, schedule, seed and name. */
interface StudySpec {
  family: string;
  space: SearchSpace;
  sampler: SamplerKind;
  halving: Halving;
  seed: number;
  name: string;
  /** Trials run before the sampler's own (each family's defaults), as a study's `startWith`. */
  startWith?: Params[];
}

/**
 * Trial `number`'s settings from the sampler (under Hyperband, TPE learns from the trial's
 * bracket only; BOHB from every trial), and what runs them: the family, its full settings and
 * the bracket's rungs.
 */
function nextTrial(
  study: StudySpec,
  history: Observation[],
  number: number,
): { params: Params; order: TrialOrder } {
  const { family, space, sampler, halving, seed, name, startWith } = study;
  const params = suggest(sampler, {
    ...(startWith ? { startWith } : {}),
    space,
    history:
      halving.hyperband && sampler !== 'bohb'
        ? sameBracket(halving, name, history, number)
        : history,
    direction: 'maximize',
    seed,
    trialNumber: number,
    rungsOf: (n) => trialHalving(halving, bracketOf(name, n, bracketsOf(halving))).rungs,
  })!;
  const model = trialModel(family, params);
  const learner = learnerFor(model.family) as unknown as AnyLearner;
  return {
    params,
    order: {
      family: model.family,
      params: learner.withParams(model.params, learner.defaults('classification')),
      halving: trialHalving(halving, bracketOf(name, number, bracketsOf(halving))),
    },
  };
}

/**
 * A study, one trial at a time, as the Search screen runs it (brackets, promotion, sampler):
 * `trials` trials, or fewer when `seconds` have passed (as a study's time limit stops it).
 */
async function study(
  data: SearchData,
  family: string,
  space: SearchSpace,
  sampler: SamplerKind,
  halving: Halving,
  trials: number,
  seed: number,
  name: string,
  seconds = Infinity,
): Promise<Trace> {
  const history: Observation[] = [];
  const start = performance.now();
  const points: Trace['points'] = [];
  let best = -Infinity;
  for (let number = 0; number < trials; number++) {
    if (performance.now() - start >= seconds * 1000) break;
    const { params, order } = nextTrial(
      { family, space, sampler, halving, seed, name },
      history,
      number,
    );
    const peers = sameBracket(halving, name, history, number);
    const outcome = await runOrder(data, order, (step, value) =>
      promotable(
        value,
        peers.map((t) => t.intermediate[step]).filter((v): v is number => v !== undefined),
        halving.eta,
        'maximize',
      ),
    );
    if (process.env['CASH_TRACE'])
      console.log(
        `    ${name} #${number} bracket ${bracketOf(name, number, bracketsOf(halving))} ${order.family} ${outcome.state} ${outcome.value?.toFixed(4) ?? '-'} [${outcome.intermediate.map((v) => v.toFixed(3)).join(' ')}] at ${((performance.now() - start) / 1000).toFixed(1)} s ${JSON.stringify(params)}`,
      );
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

/** `count` workers, each with `name`'s data prepared (the bundled cash-worker.ts). */
async function startWorkers(count: number, name: DataName): Promise<Worker[]> {
  const file = new URL('./.cash-worker.bundle.mjs', import.meta.url);
  const workers = Array.from({ length: count }, () => new Worker(file, { workerData: name }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  return workers;
}

/**
 * `study` over a pool of workers, as the Search screen runs one: each free worker takes the
 * next trial, the sampler sees the running trials (TPE's constant liar), and after each rung
 * a trial competes with its bracket's trials at that rung, running ones included.
 */
async function parallelStudy(
  workers: Worker[],
  space: SearchSpace,
  halving: Halving,
  trials: number,
  seed: number,
  name: string,
  startWith?: Params[],
): Promise<Trace> {
  const history: Observation[] = [];
  const start = performance.now();
  const points: Trace['points'] = [];
  let best = -Infinity;
  let next = 0;
  const one = async (w: Worker): Promise<void> => {
    const number = next++;
    const { params, order } = nextTrial(
      {
        family: ANY_FAMILY,
        space,
        sampler: 'tpe',
        halving,
        seed,
        name,
        ...(startWith ? { startWith } : {}),
      },
      history,
      number,
    );
    const entry: Observation = { number, params, state: 'running', value: null, intermediate: [] };
    history.push(entry);
    const outcome = await new Promise<TrialEnd>((resolve) => {
      const listen = (m: WorkerSays): void => {
        if (m.type === 'report') {
          entry.intermediate[m.step] = m.value;
          const others = sameBracket(halving, name, history, number)
            .filter((t) => t !== entry)
            .map((t) => t.intermediate[m.step])
            .filter((v): v is number => v !== undefined);
          w.postMessage({ go: promotable(m.value, others, halving.eta, 'maximize') });
        } else if (m.type === 'done') {
          w.off('message', listen);
          resolve(m.outcome);
        }
      };
      w.on('message', listen);
      w.postMessage(order);
    });
    Object.assign(entry, outcome);
    if (outcome.state === 'complete' && outcome.value !== null && outcome.value > best)
      best = outcome.value;
    points.push({ s: (performance.now() - start) / 1000, best });
  };
  await Promise.all(
    workers.map(async (w) => {
      while (next < trials) await one(w);
    }),
  );
  return { points, best };
}

/**
 * Seconds until the best so far reached the target; a search that never reached it counts
 * with its whole time (so a ratio against it is a bound), and `missed` counts those.
 */
const missed = { count: 0 };
function timeTo(trace: Trace, target: number): number {
  const hit = trace.points.find((p) => p.best >= target);
  if (hit) return hit.s;
  missed.count++;
  return trace.points.at(-1)?.s ?? 0;
}

const SEEDS = Number(process.env['CASH_SEEDS'] ?? 2);

/** Breast cancer prepared for a search (5 folds), with every family's default space. */
async function breastCancer(): Promise<{
  data: SearchData;
  families: string[];
  spaces: Record<string, SearchSpace>;
}> {
  const data = await searchData('breast_cancer');
  const spaces = Object.fromEntries(
    FAMILIES.map((f) => [f, learnerFor(f).defaultSpace('classification')]),
  );
  return { data, families: FAMILIES, spaces };
}

async function singleVsAcross(): Promise<void> {
  const { data, families, spaces } = await breastCancer();
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

/** The families whose trials on the 50k set fit this machine's time. */
const FAMILIES_50K = ['decision-tree', 'logistic-regression', 'naive-bayes', 'gradient-boosting'];

async function speedups(): Promise<void> {
  missed.count = 0;
  const data = await searchData('50k');
  const space = acrossFamilies(
    Object.fromEntries(FAMILIES_50K.map((f) => [f, learnerFor(f).defaultSpace('classification')])),
  );
  // Each search gets the same time, as a study's time limit gives it: a trial count would give
  // the searches that stop trials early less time to find a better model.
  const seconds = Number(process.env['CASH_SECONDS_50K'] ?? 150);
  const hb: Halving = { ...sha(3, 3), hyperband: true };
  const tpeOverHb: number[] = [];
  const tpeOverBohb: number[] = [];
  const run = (sampler: SamplerKind, halving: Halving, seed: number) =>
    study(data, ANY_FAMILY, space, sampler, halving, 10_000, seed, `s${seed}`, seconds);
  for (let seed = 1; seed <= SEEDS; seed++) {
    const tpe = await run('tpe', NO_PRUNING, seed);
    const hyper = await run('tpe', hb, seed);
    const bohb = await run('bohb', hb, seed);
    const target = Math.max(tpe.best, hyper.best, bohb.best) - 0.005;
    const a = timeTo(tpe, target);
    const b = timeTo(hyper, target);
    const c = timeTo(bohb, target);
    console.log(
      `  seed ${seed}: target ${target.toFixed(4)}; TPE ${a.toFixed(1)} s (best ${tpe.best.toFixed(4)}, ${tpe.points.length} trials), Hyperband ${b.toFixed(1)} s (best ${hyper.best.toFixed(4)}, ${hyper.points.length} trials), BOHB ${c.toFixed(1)} s (best ${bohb.best.toFixed(4)}, ${bohb.points.length} trials)`,
    );
    tpeOverHb.push(a / b);
    tpeOverBohb.push(a / c);
  }
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
  console.log(
    `BENCH hyperband_speedup_vs_tpe_50k ${fmt(median(tpeOverHb))} (median of ${SEEDS} seeds, ${seconds} s each; TPE time to target / TPE + Hyperband time; ${missed.count} searches never reached the target and count with their whole time)`,
  );
  console.log(
    `BENCH bohb_speedup_vs_tpe_50k ${fmt(median(tpeOverBohb))} (median of ${SEEDS} seeds, ${seconds} s each)`,
  );
}

/** Every family of a classification search but the baseline (scikit-learn has each one). */
const FAMILIES = [
  'decision-tree',
  'random-forest',
  'extra-trees',
  'gradient-boosting',
  'logistic-regression',
  'linear-svm',
  'k-nearest-neighbours',
  'naive-bayes',
];

/** Optuna's side: each Orpheus family as the scikit-learn estimator with the same settings. */
const OPTUNA_SCRIPT = String.raw`
import json, multiprocessing as mp, os, sys, tempfile, time, traceback, warnings
from queue import Empty
import numpy as np
import optuna
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import f1_score

warnings.filterwarnings('ignore')
optuna.logging.set_verbosity(optuna.logging.WARNING)
spec = json.load(open(sys.argv[1]))
X = np.array(spec['x']); y = np.array(spec['y'])
folds = [np.array(f) for f in spec['folds']]
orders = [np.array(o) for o in spec['foldTrain']]
space = spec['space']
RUNGS = [1 / 9, 1 / 3, 1]
PROCESSES = spec['processes']

def suggest(trial, name, d):
    if d['kind'] == 'categorical':
        return trial.suggest_categorical(name, d['choices'])
    if d['kind'] == 'int':
        return trial.suggest_int(name, int(d['low']), int(d['high']), log=d['log'])
    return trial.suggest_float(name, d['low'], d['high'], log=d['log'])

def features(v):
    return {'all': None, 'sqrt': 'sqrt', 'log2': 'log2'}.get(v, float(v) if v not in ('all', 'sqrt', 'log2') else v)

def pipe(p, model):
    steps = [SimpleImputer(strategy=p['impute'])]
    if p.get('scale', 'none') == 'standard':
        steps.append(StandardScaler())
    return make_pipeline(*steps, model)

# Each Orpheus family as the scikit-learn estimator with the same settings. A rung's fit stands
# for the fold's training rows: automatic early stopping is decided by their count, as Orpheus
# decides it, so each side trains the same model at every rung.
def estimator(family, p, seed, stands_for):
    cw = lambda v: None if v == 'none' else v
    if family == 'decision-tree':
        return DecisionTreeClassifier(max_depth=p['maxDepth'], min_samples_split=p['minSamplesSplit'], min_samples_leaf=p['minSamplesLeaf'], min_impurity_decrease=p['minImpurityDecrease'], max_features=features(p['maxFeatures']), criterion=p['criterion'], class_weight=cw(p['classWeight']), random_state=seed)
    if family in ('random-forest', 'extra-trees'):
        cls = RandomForestClassifier if family == 'random-forest' else ExtraTreesClassifier
        return cls(n_estimators=p['nTrees'], max_depth=p['maxDepth'], min_samples_leaf=p['minSamplesLeaf'], max_features=features(p['maxFeatures']), criterion=p['criterion'], class_weight=cw(p['classWeight']), random_state=seed, n_jobs=1)
    if family == 'gradient-boosting':
        return HistGradientBoostingClassifier(max_iter=p['rounds'], learning_rate=p['learningRate'], max_leaf_nodes=p['maxLeaves'], min_samples_leaf=p['minSamplesLeaf'], l2_regularization=p['l2'], early_stopping=stands_for > 10000, random_state=seed)
    if family == 'logistic-regression':
        solver = 'liblinear' if p['penalty'] == 'l1' else 'lbfgs'
        return pipe(p, LogisticRegression(C=p['C'], penalty=p['penalty'], solver=solver, class_weight=cw(p['classWeight']), max_iter=1000))
    if family == 'linear-svm':
        return pipe(p, LinearSVC(C=p['C'], loss=p['loss'], max_iter=1000, dual=True))
    if family == 'naive-bayes':
        return make_pipeline(SimpleImputer(strategy=p['impute']), GaussianNB(var_smoothing=p['varSmoothing']))
    if family == 'k-nearest-neighbours':
        return pipe(p, KNeighborsClassifier(n_neighbors=p['k'], weights=p['weights'], metric=p['metric']))
    raise ValueError(family)

def score(family, p, share, seed):
    values = []
    for fold, order in zip(folds, orders):
        n = max(2, int(np.ceil(len(order) * share)))
        rows = np.sort(order[:n])
        try:
            m = estimator(family, p, seed, len(order)).fit(X[rows], y[rows])
            values.append(f1_score(y[fold], m.predict(X[fold]), average='macro'))
        except ValueError:
            pass
    return float(np.mean(values)) if values else float('nan')

def shared(path):
    # The processes' one study: SQLite (Optuna 3.1's JournalFileStorage can read a line another
    # process is still writing, and fail with a JSONDecodeError).
    return optuna.storages.RDBStorage(f'sqlite:///{path}', engine_kwargs={'connect_args': {'timeout': 60}})

def work(seed, index, count, path, start, queue):
    # One of the study's processes: its own sampler (seeded apart), the study in the shared database.
    pruner = optuna.pruners.HyperbandPruner(min_resource=1, max_resource=9, reduction_factor=3)
    study = optuna.load_study(study_name=f's{seed}', storage=shared(path), sampler=optuna.samplers.TPESampler(seed=seed * 100 + index), pruner=pruner)
    ends = []
    try:
        for _ in range(count):
            value = run_trial(study, pruner, seed)
            ends.append([time.time() - start, value])
    except BaseException:
        # Said to the parent, which would otherwise wait for this process's trials for ever.
        queue.put(traceback.format_exc())
        raise
    queue.put(ends)

def run_trial(study, pruner, seed):
    trial = study.ask()
    family = trial.suggest_categorical('family', list(space.keys()))
    p = {name: suggest(trial, f'{family}.{name}', d) for name, d in space[family].items()}
    full = {**spec['defaults'][family], **p}
    state = optuna.trial.TrialState.COMPLETE; value = None
    # The trial's bracket starts at step 3^b: lower rungs would not decide anything.
    trial.should_prune()
    first = 3 ** pruner._get_bracket_id(study, trial)
    for step, share in zip([1, 3, 9], RUNGS):
        if step < first:
            continue
        v = score(family, full, share, seed)
        if step == 9:
            value = v
            break
        trial.report(v, step)
        if trial.should_prune():
            state = optuna.trial.TrialState.PRUNED
            break
    if state == optuna.trial.TrialState.PRUNED:
        study.tell(trial, state=state)
    elif value is None or np.isnan(value):
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
    else:
        study.tell(trial, value)
        return value
    return None

out = []
fork = mp.get_context('fork')
for seed in spec['seeds']:
    path = os.path.join(tempfile.mkdtemp(), 'study.db')
    optuna.create_study(direction='maximize', study_name=f's{seed}', storage=shared(path))
    queue = fork.Queue()
    counts = [spec['trials'] // PROCESSES + (1 if i < spec['trials'] % PROCESSES else 0) for i in range(PROCESSES)]
    start = time.time()
    procs = [fork.Process(target=work, args=(seed, i, counts[i], path, start, queue)) for i in range(PROCESSES)]
    for p in procs: p.start()
    parts = []
    while len(parts) < len(procs):
        try:
            parts.append(queue.get(timeout=10))
        except Empty:
            # A process that ended without saying its trials (a crash) would leave this waiting.
            if all(p.exitcode is not None for p in procs) and queue.empty():
                sys.exit(f'An Optuna process ended without its trials (exit codes {[p.exitcode for p in procs]})')
    for part in parts:
        if isinstance(part, str):
            sys.exit('An Optuna process failed:\n' + part)
    ends = sorted((e for part in parts for e in part), key=lambda e: e[0])
    for p in procs: p.join()
    best = -1; trace = []
    for t, v in ends:
        if v is not None: best = max(best, v)
        trace.append([t, best])
    out.append({'seed': seed, 'trace': trace})
print(json.dumps(out))
`;

/**
 * Ours against Optuna 3.1 (TPESampler with HyperbandPruner, ask and tell) driving scikit-learn
 * 1.2: the same space across the given families, the same folds, the same seeded row orders
 * for the rungs; each side two trials at a time (our two workers; two Optuna processes
 * sharing one SQLite study, each on one thread).
 */
async function againstOptuna(
  name: DataName,
  data: SearchData,
  spaces: Record<string, SearchSpace>,
  trials: number,
  count: number,
): Promise<void> {
  const families = Object.keys(spaces);
  const seeds = Array.from({ length: count }, (_, i) => i + 1);
  const { set } = data.prep;
  const p = set.features;
  const file = join(mkdtempSync(join(tmpdir(), 'cash-')), 'spec.json');
  writeFileSync(
    file,
    JSON.stringify({
      x: Array.from({ length: set.rows }, (_, r) => Array.from(set.x.subarray(r * p, (r + 1) * p))),
      y: Array.from(set.y),
      folds: data.prep.folds.map((f) => Array.from(f)),
      foldTrain: data.foldTrain.map((f) => Array.from(f)),
      space: spaces,
      defaults: Object.fromEntries(
        families.map((f) => [f, learnerFor(f).defaults('classification')]),
      ),
      seeds,
      trials,
      processes: WORKERS,
    }),
  );
  // Two processes, one core each: scikit-learn's OpenMP and BLAS threads limited to one.
  const theirs = runPython<{ seed: number; trace: [number, number][] }[]>(OPTUNA_SCRIPT, file, {
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
  });
  const hb: Halving = { ...sha(3, 3), hyperband: true };
  const space = acrossFamilies(spaces);
  // Ours as a new cross-family study runs by default (each family's defaults first), and with
  // the sampler from its first trial as Optuna's: each against the same Optuna search.
  const arms = [
    { label: 'ours', startWith: defaultTrials(space, ANY_FAMILY, 'classification') },
    { label: 'ours without the defaults first', startWith: undefined },
  ];
  const ratios = arms.map(() => [] as number[]);
  const misses = arms.map(() => 0);
  const workers = await startWorkers(WORKERS, name);
  for (const seed of seeds) {
    const trace = theirs.find((t) => t.seed === seed)!.trace;
    const other: Trace = {
      points: trace.map(([s, best]) => ({ s, best })),
      best: Math.max(...trace.map(([, b]) => b)),
    };
    for (const [i, arm] of arms.entries()) {
      const ours = await parallelStudy(workers, space, hb, trials, seed, `s${seed}`, arm.startWith);
      missed.count = 0;
      const target = Math.max(ours.best, other.best) - 0.005;
      const a = timeTo(ours, target);
      const b = timeTo(other, target);
      misses[i]! += missed.count;
      console.log(
        `  seed ${seed}, ${arm.label}: target ${target.toFixed(4)}; ours ${a.toFixed(1)} s (best ${ours.best.toFixed(4)}, ${ours.points.at(-1)!.s.toFixed(0)} s in all), Optuna + scikit-learn ${b.toFixed(1)} s (best ${other.best.toFixed(4)}, ${other.points.at(-1)!.s.toFixed(0)} s)`,
      );
      ratios[i]!.push(a / b);
    }
  }
  await Promise.all(workers.map((w) => w.terminate()));
  const how = `${trials} trials over ${families.length} families, TPE + Hyperband each side, ${WORKERS} trials at a time each side: ours on ${WORKERS} workers, theirs ${WORKERS} processes sharing one SQLite study, each on one thread; ours / theirs`;
  console.log(
    `BENCH cash_time_to_target_ratio_vs_optuna_${name} ${median(ratios[0]!).toFixed(2)} (median of ${count} seeds, ${how}; ours starts with each family's defaults, as a new study does, Optuna with its sampler; ${misses[0]} searches never reached the target and count with their whole time)`,
  );
  console.log(
    `BENCH cash_time_to_target_ratio_vs_optuna_${name}_sampler_only ${median(ratios[1]!).toFixed(2)} (the same, ours without the defaults first: TPE from trial 0 on each side; ${misses[1]} searches never reached the target)`,
  );
}

/** Trials at a time against Optuna: our workers, and Optuna's processes. */
const WORKERS = 2;

async function optunaBreastCancer(): Promise<void> {
  const { data, spaces } = await breastCancer();
  await againstOptuna(
    'breast_cancer',
    data,
    spaces,
    Number(process.env['CASH_TRIALS_OPTUNA'] ?? 60),
    Number(process.env['CASH_SEEDS_OPTUNA'] ?? 10),
  );
}

async function optunaGenerated(): Promise<void> {
  const data = await searchData('50k');
  await againstOptuna(
    '50k',
    data,
    Object.fromEntries(FAMILIES_50K.map((f) => [f, learnerFor(f).defaultSpace('classification')])),
    Number(process.env['CASH_TRIALS_50K'] ?? 24),
    Number(process.env['CASH_SEEDS_OPTUNA'] ?? 10),
  );
}

// CASH_PART=families, speedups, optuna or optuna50k runs one part.
const part = process.env['CASH_PART'];
if (part === undefined || part === 'optuna' || part === 'optuna50k') {
  ensureOptuna();
  ensureSklearn();
}
if (!part || part === 'families') await singleVsAcross();
if (!part || part === 'speedups') await speedups();
if (!part || part === 'optuna') await optunaBreastCancer();
if (!part || part === 'optuna50k') await optunaGenerated();
