import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { irisContent } from './fixtures';
import { OptunaImport } from '../../src/app/optuna.svelte';
import { StudyLibrary } from '../../src/app/studyLibrary.svelte';
import { type DatasetContent } from '../../src/core/data/content';
import { finish } from '../../src/core/data/pipeline';
import { zipFiles } from '../../src/core/export/mlflow';
import { handoffFiles, rowFolds } from '../../src/core/export/optunaHandoff';
import { BROWSER_WORKER, FOREIGN_FAMILY, importedStudy } from '../../src/core/export/optunaImport';
import { JournalError, MAX_JOURNAL_LINES, readJournal } from '../../src/core/export/optunaJournal';
import { defaultTrials } from '../../src/core/search/families';
import { learnerFor } from '../../src/core/learners/registry';
import type { DatasetVersionRecord, StudyRecord, TrialRecord } from '../../src/core/records';
import { prepareSearch, scoreRung } from '../../src/core/search/objective';
import { acrossFamilies, contains, trialModel, type Params } from '../../src/core/search/space';
import { saveImport } from '../../src/store/datasets';
import { Store } from '../../src/store/db';
import { listStudies, listTrials } from '../../src/store/studies';

/** Debian's python3 with python3-optuna and python3-sklearn (npm test installs them). */
const PYTHON = '/usr/bin/python3';
const hasOptuna =
  spawnSync(PYTHON, ['-c', 'import optuna, sklearn'], { encoding: 'utf8' }).status === 0;
const SCRIPT = readFileSync('src/app/optuna/search.py', 'utf8');

const iris = irisContent;

const SPACE = acrossFamilies({
  'decision-tree': { maxDepth: { kind: 'int', low: 1, high: 6, step: 1, log: false } },
  'random-forest': { nTrees: { kind: 'int', low: 5, high: 20, step: 1, log: false } },
  'gradient-boosting': {
    rounds: { kind: 'int', low: 5, high: 30, step: 1, log: false },
    learningRate: { kind: 'float', low: 0.05, high: 0.3, log: true },
  },
  'logistic-regression': { C: { kind: 'float', low: 0.01, high: 100, log: true } },
  'naive-bayes': { varSmoothing: { kind: 'float', low: 1e-10, high: 1e-6, log: true } },
  'k-nearest-neighbours': {
    k: { kind: 'int', low: 1, high: 15, step: 1, log: false },
    weights: { kind: 'categorical', choices: ['uniform', 'distance'] },
  },
});

function study(dataVersionId: string): StudyRecord {
  return {
    id: 'study-1',
    name: 'Iris across families',
    datasetVersionId: dataVersionId,
    family: 'any',
    space: SPACE,
    sampler: 'tpe',
    gridPoints: 5,
    seed: 11,
    metric: 'accuracy',
    direction: 'maximize',
    budget: 40,
    halving: { eta: 3, rungs: [1] },
    evaluation: { folds: 5, testFraction: 0.2 },
    state: 'paused',
    modelId: null,
    bestVersionId: null,
    author: 'amy',
    createdAt: '2026-12-01T10:00:00.000Z',
  };
}

/** Orpheus's cross-validated score of one trial's settings on the study's folds. */
function orpheusScore(content: DatasetContent, s: StudyRecord, params: Params): number {
  const data = prepareSearch(content, { ...s.evaluation, seed: s.seed });
  const { family, params: own } = trialModel(s.family, params);
  const learner = learnerFor(family);
  return scoreRung(
    data,
    learner,
    learner.withParams(own, learner.defaults('classification')),
    s.metric,
    1,
  );
}

const BROWSER_PARAMS: Params[] = [
  { family: 'decision-tree', 'decision-tree.maxDepth': 2 },
  { family: 'logistic-regression', 'logistic-regression.C': 0.5 },
  {
    family: 'k-nearest-neighbours',
    'k-nearest-neighbours.k': 9,
    'k-nearest-neighbours.weights': 'distance',
  },
  { family: 'naive-bayes', 'naive-bayes.varSmoothing': 1e-9 },
];

function browserTrials(content: DatasetContent, s: StudyRecord): TrialRecord[] {
  return BROWSER_PARAMS.map((params, number) => ({
    id: `${s.id}/${number}`,
    studyId: s.id,
    number,
    params,
    value: orpheusScore(content, s, params),
    state: 'complete',
    durationMs: 10,
    intermediate: [],
    author: 'amy',
    createdAt: s.createdAt,
  }));
}

/** Runs a command to its end, its output kept. */
function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(PYTHON, args, { cwd });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const DATA = { id: 'dv-1', task: 'classification' } as DatasetVersionRecord;
const CTX = { data: DATA, fileName: 'journal.log', now: '2026-12-01T12:00:00.000Z', author: 'amy' };

describe('continue elsewhere with Optuna, and back', () => {
  it('writes each row’s fold as the study’s evaluation splits it', async () => {
    const content = await iris();
    const folds = rowFolds(content, study('dv-1'));
    expect(folds).toHaveLength(150);
    expect(folds.filter((f) => f === 'test')).toHaveLength(30);
    for (let k = 0; k < 5; k++) expect(folds.filter((f) => f === String(k))).toHaveLength(24);
  });

  it.runIf(hasOptuna)(
    'runs the exported study on two Optuna workers sharing one journal, and imports it back',
    async () => {
      const content = await iris();
      // Started from each family's defaults: the browser ran trials 0 … 3; the rest wait.
      const s = { ...study('dv-1'), startWith: defaultTrials(SPACE, 'any', 'classification') };
      const trials = browserTrials(content, s);
      const zip = await zipFiles(
        handoffFiles({
          study: s,
          trials,
          content,
          data: DATA,
          dataLabel: 'Iris v1',
          script: SCRIPT,
          app: 'Orpheus test',
        }),
      );
      const dir = mkdtempSync(join(tmpdir(), 'orpheus-optuna-'));
      for (const [path, bytes] of Object.entries(
        unzipSync(new Uint8Array(await zip.arrayBuffer())),
      )) {
        if (path.endsWith('/')) continue;
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), bytes);
      }
      const cwd = join(dir, 'orpheus-study');
      expect(readFileSync(join(cwd, 'README.md'), 'utf8')).toMatch(
        /--storage journal\.log --trials 200/,
      );

      // Two workers, one journal.
      const workers = await Promise.all([
        run(['search.py', '--storage', 'journal.log', '--trials', '20'], cwd),
        run(['search.py', '--storage', 'journal.log', '--trials', '20'], cwd),
      ]);
      for (const w of workers) expect(w.code, w.err).toBe(0);

      const journal = readJournal(readFileSync(join(cwd, 'journal.log'), 'utf8'));
      expect(journal.studies).toHaveLength(1);
      const back = importedStudy(journal.studies[0]!, CTX);
      expect(back.study.family).toBe('any');
      expect(back.study.origin?.continues).toBe(s.id);
      expect(back.study.metric).toBe('accuracy');
      // The browser's trials once each, not run again; at least 20 new ones.
      const fromBrowser = back.trials.filter((t) => t.worker === BROWSER_WORKER);
      expect(fromBrowser).toHaveLength(trials.length);
      for (const t of trials) {
        const same = fromBrowser.filter(
          (b) => JSON.stringify(b.params) === JSON.stringify(t.params),
        );
        expect(same).toHaveLength(1);
        expect(same[0]!.value).toBeCloseTo(t.value!, 12);
      }
      const fresh = back.trials.filter((t) => t.worker !== BROWSER_WORKER);
      // The defaults the browser had not run yet are Optuna's first trials.
      const waiting = s.startWith.slice(trials.length);
      expect(waiting.map((p) => p.family)).toEqual(['naive-bayes', 'k-nearest-neighbours']);
      expect(
        fresh
          .slice()
          .sort((a, b) => a.number - b.number)
          .slice(0, 2)
          .map((t) => t.params),
      ).toEqual(expect.arrayContaining(waiting));
      expect(fresh.length).toBeGreaterThanOrEqual(20);
      expect(fresh.length).toBeLessThanOrEqual(22);
      expect(new Set(fresh.map((t) => t.worker)).size).toBe(2);
      expect(back.study.origin?.workers).toBe(3);
      // Every setting in Orpheus's names, inside the study's space; nothing failed.
      for (const t of back.trials) {
        expect(t.state, t.error).not.toBe('failed');
        for (const [name, value] of Object.entries(t.params)) {
          expect(SPACE[name], name).toBeDefined();
          expect(contains(SPACE[name]!, value), `${name} = ${String(value)}`).toBe(true);
        }
      }
      // Optuna's scores are scikit-learn's on the same folds: where both fit the same model
      // (no ties between equally good splits to break), they agree with Orpheus's.
      const exact = ['logistic-regression', 'naive-bayes', 'k-nearest-neighbours'];
      for (const t of fresh.filter((x) => exact.includes(String(x.params.family))))
        if (t.state === 'complete')
          expect(
            Math.abs(t.value! - orpheusScore(content, s, t.params)),
            JSON.stringify(t.params),
          ).toBeLessThanOrEqual(0.01);
      // (Deeper trees meet splits of equal gain, which scikit-learn orders at random and Orpheus by
      // feature: one row of 24 on a fold is 0.8 points.)
      const one = { family: 'decision-tree', 'decision-tree.maxDepth': 2 };
      const scored = await run(
        ['search.py', '--score', JSON.stringify({ family: 'decision-tree', maxDepth: 2 })],
        cwd,
      );
      expect(scored.code, scored.err).toBe(0);
      const sk = (JSON.parse(scored.out) as Record<string, { value: number }>)['decision-tree']!
        .value;
      expect(Math.abs(sk - orpheusScore(content, s, one))).toBeLessThanOrEqual(0.01);
      // Each family's defaults score as Orpheus's do on these folds (trees may break ties otherwise).
      const check = await run(['search.py', '--check'], cwd);
      const all = JSON.parse(check.out) as Record<string, { value?: number; leftOut?: string }>;
      for (const f of ['logistic-regression', 'naive-bayes', 'k-nearest-neighbours', 'baseline']) {
        const learner = learnerFor(f);
        const own = learner.defaults('classification');
        const data = prepareSearch(content, { ...s.evaluation, seed: s.seed });
        expect(all[f]!.value, f).toBeCloseTo(scoreRung(data, learner, own, 'accuracy', 1), 6);
      }
    },
    180_000,
  );

  it.runIf(hasOptuna)(
    'imports a study written with Optuna in Python, its space read from its trials',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'orpheus-optuna-py-'));
      writeFileSync(
        join(dir, 'study.py'),
        `import optuna, warnings
warnings.simplefilter("ignore")
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage("journal.log"))
study = optuna.create_study(storage=storage, study_name="hand-written", direction="minimize",
                            sampler=optuna.samplers.RandomSampler(seed=1))
def objective(trial):
    kind = trial.suggest_categorical("kind", ["line", "bowl"])
    n = trial.suggest_int("n", 1, 10)
    if kind == "bowl":
        x = trial.suggest_float("x", 1e-3, 10, log=True)
        trial.report(x, 0)
        if x > 5:
            raise optuna.TrialPruned()
        return (x - 2) ** 2 + n
    return float(n)
study.optimize(objective, n_trials=15)
`,
      );
      const r = await run(['study.py'], dir);
      expect(r.code, r.err).toBe(0);
      const journal = readJournal(readFileSync(join(dir, 'journal.log'), 'utf8'));
      const back = importedStudy(journal.studies[0]!, CTX);
      expect(back.study.family).toBe(FOREIGN_FAMILY);
      expect(back.study.direction).toBe('minimize');
      expect(back.study.origin?.valueName).toMatch(/Objective value/);
      expect(back.trials).toHaveLength(15);
      expect(back.study.space.kind).toEqual({
        kind: 'categorical',
        choices: expect.arrayContaining(['line', 'bowl']),
      });
      expect(back.study.space.n).toMatchObject({ kind: 'int', step: 1, log: false });
      expect(back.study.space.x).toMatchObject({
        kind: 'float',
        log: true,
        when: { param: 'kind', is: 'bowl' },
      });
      for (const t of back.trials) {
        if (t.params.kind === 'line') expect(t.value).toBe(t.params.n);
        if (t.state === 'pruned') expect(t.intermediate[0]).toBeGreaterThan(5);
      }
    },
    60_000,
  );

  it.runIf(!hasOptuna)('is checked against Optuna (not installed here)', () => {
    expect.fail(`${PYTHON} cannot import optuna and sklearn: npm test installs them on Debian.`);
  });
});

// ---- hostile journals

const W = '"worker_id": "w-1"';
const CREATE = `{"op_code": 0, ${W}, "study_name": "s", "directions": [2]}`;
const TRIAL = `{"op_code": 4, ${W}, "study_id": 0, "datetime_start": "2026-12-01T10:00:00.000000"}`;
const PARAM = `{"op_code": 5, ${W}, "trial_id": 0, "param_name": "depth", "param_value_internal": 3.0, "distribution": "{\\"name\\": \\"IntDistribution\\", \\"attributes\\": {\\"log\\": false, \\"step\\": 1, \\"low\\": 1, \\"high\\": 8}}"}`;
const DONE = `{"op_code": 6, ${W}, "trial_id": 0, "state": 1, "values": [0.9], "datetime_complete": "2026-12-01T10:00:01.500000"}`;
const GOOD = [CREATE, TRIAL, PARAM, DONE].join('\n') + '\n';

describe('reading an Optuna journal', () => {
  it('replays a study: settings, value, state and duration', () => {
    const j = readJournal(GOOD);
    const back = importedStudy(j.studies[0]!, CTX);
    expect(back.trials).toEqual([
      expect.objectContaining({
        number: 0,
        params: { depth: 3 },
        value: 0.9,
        state: 'complete',
        durationMs: 1500,
      }),
    ]);
    expect(back.study.space).toEqual({
      depth: { kind: 'int', low: 1, high: 8, step: 1, log: false },
    });
  });

  it('reads past a last line cut off while a worker wrote it, and says so', () => {
    const j = readJournal(GOOD + DONE.slice(0, 30));
    expect(j.notes[0]).toMatch(/last line was cut off/);
    expect(j.studies[0]!.trials).toHaveLength(1);
  });

  it('refuses a damaged line in the middle, an unknown operation, or a study never created', () => {
    expect(() => readJournal([CREATE, TRIAL.slice(0, 20), PARAM].join('\n') + '\n')).toThrow(
      /Line 2 is not an operation/,
    );
    expect(() => readJournal(GOOD + `{"op_code": 42, ${W}}\n`)).toThrow(/Line 5 has operation 42/);
    expect(() =>
      readJournal(CREATE + '\n' + TRIAL.replace('"study_id": 0', '"study_id": 7') + '\n'),
    ).toThrow(/Line 2: it names study 7, which the file never created/);
    expect(() => readJournal(CREATE + '\n' + DONE + '\n')).toThrow(/names trial 0/);
    expect(() => readJournal('hello\n')).toThrow(JournalError);
    expect(() => readJournal('')).toThrow(/no study/);
  });

  it('refuses a file of a million lines without replaying it', () => {
    const big = (CREATE + '\n').repeat(MAX_JOURNAL_LINES * 2);
    expect(() => readJournal(big)).toThrow(/1,000,000 lines/);
  });

  it('reads __proto__ keys as plain names, never as the prototype', () => {
    const attr = `{"op_code": 2, ${W}, "study_id": 0, "user_attr": {"__proto__": {"polluted": true}}}`;
    const tattr = `{"op_code": 8, ${W}, "trial_id": 0, "user_attr": {"__proto__": {"polluted": true}}}`;
    const j = readJournal([CREATE, attr, TRIAL, PARAM, tattr, DONE].join('\n') + '\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(j.studies[0]!.trials[0]!.params)).toBe(Map.prototype);
    expect(j.studies[0]!.trials[0]!.params.get('depth')).toBe(3);
    const evil = PARAM.replace('"param_name": "depth"', '"param_name": "__proto__"');
    expect(() => readJournal([CREATE, TRIAL, evil].join('\n') + '\n')).toThrow(
      /a setting is named "__proto__"/,
    );
  });

  it('refuses a value that its distribution does not allow', () => {
    expect(() =>
      readJournal([CREATE, TRIAL, PARAM.replace('3.0', '99.0')].join('\n') + '\n'),
    ).toThrow(/Line 3: 99, outside 1 … 8/);
  });
});

describe('the Import an Optuna study panel', () => {
  const opened: Store[] = [];
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
  });

  it('stores nothing from a bad file, and the whole study from a good one', async () => {
    const store = await Store.open(`optuna-${Math.random().toString(36).slice(2)}`);
    opened.push(store);
    const content = await iris();
    const built = await finish(content, {
      kind: 'import',
      rowsAdded: 150,
      rowsRemoved: 0,
      columnsChanged: [],
      summary: 'imported',
    });
    const saved = await saveImport(
      store,
      'amy',
      { name: 'iris', description: '', source: 'iris.csv' },
      built,
    );
    if (!saved.saved) throw new Error('not saved');
    const flow = new OptunaImport(store, () => 'amy', new StudyLibrary(store));

    await flow.read(new File([GOOD.replace('"op_code": 6', '"op_code": 66')], 'journal.log'));
    expect(flow.error).toMatch(
      /journal\.log cannot be imported: Line 4 has operation 66[\s\S]*Nothing was changed/,
    );
    expect(flow.journal).toBeNull();
    expect(await listStudies(store)).toEqual([]);

    await flow.read(new File([GOOD], 'journal.log'));
    expect(flow.error).toBeNull();
    flow.dataVersionId = saved.version.id;
    const s = await flow.import();
    expect(s?.origin?.file).toBe('journal.log');
    expect((await listStudies(store)).map((x) => x.id)).toEqual([s!.id]);
    expect((await listTrials(store, s!.id)).map((t) => t.params)).toEqual([{ depth: 3 }]);
  });
});
