import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildContent, cellText, type DatasetContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { encodeValue } from '../../src/core/data/matrix';
import { parseTable } from '../../src/core/data/parse';
import { SAMPLES } from '../../src/core/data/samples';
import { modelToOnnx } from '../../src/core/export/onnx';
import { learnerFor } from '../../src/core/learners/registry';
import { predictEncoded } from '../../src/core/predict/predict';
import type { Params } from '../../src/core/records';
import { defaultMetric, defaultParams, trainModel } from '../../src/core/train/model';

async function sample(file: string): Promise<DatasetContent> {
  const raw = await parseTable(readFileSync(`public/${file}`, 'utf8'), { fileName: file });
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

/** Debian's python3 with python3-onnx, when this machine has it. */
const PYTHON = '/usr/bin/python3';
const hasChecker = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;

/** Every family, small enough to export quickly: a tree, forests of 10 trees, the baseline. */
const FAMILIES: { family: string; extra: Params }[] = [
  { family: 'decision-tree', extra: {} },
  { family: 'random-forest', extra: { nTrees: 10 } },
  { family: 'extra-trees', extra: { nTrees: 10 } },
  { family: 'gradient-boosting', extra: { rounds: 15 } },
  { family: 'baseline', extra: {} },
  { family: 'logistic-regression', extra: {} },
  { family: 'linear-regression', extra: {} },
  { family: 'linear-svm', extra: {} },
  { family: 'naive-bayes', extra: {} },
  { family: 'k-nearest-neighbours', extra: {} },
  { family: 'k-nearest-neighbours', extra: { weights: 'distance', metric: 'manhattan', k: 7 } },
];

describe.each(FAMILIES)('ONNX export of a $family', ({ family: chosen, extra }) => {
  const tasks = learnerFor(chosen).tasks;
  for (const s of SAMPLES.filter((x) => tasks.includes(x.task)))
    it(`${s.name}: ONNX Runtime predicts every row as Orpheus does, and the checker passes`, async () => {
      const content = await sample(s.file);
      const params = {
        ...defaultParams(content.task, chosen),
        ...('maxDepth' in defaultParams(content.task, chosen) && chosen !== 'gradient-boosting'
          ? { maxDepth: 6 }
          : {}),
        ...extra,
      };
      const result = trainModel(content, {
        family: chosen,
        params,
        plan: { folds: 3, testFraction: 0.2, seed: 1 },
        metric: defaultMetric(content.task, null),
      });
      const { family, fitted, encoding } = result;
      const bytes = await modelToOnnx({
        family,
        fitted,
        encoding,
        name: `${s.name} tree`,
        producerVersion: 'test',
        meta: { orpheus_model: `${s.name} tree`, orpheus_version: '1' },
      });
      const session = await ort.InferenceSession.create(bytes);
      expect(session.inputNames).toEqual(encoding.features.map((f) => f.name));

      // Every row of the sample, as raw text, through both.
      const n = content.rowCount;
      const columns = new Map(content.schema.map((c, i) => [c.name, content.columns[i]!]));
      // Each column as a vector [N], as MLflow's ONNX flavour passes a data frame's columns.
      const feedsOf = (dims: number[]): Record<string, ort.Tensor> => {
        const feeds: Record<string, ort.Tensor> = {};
        for (const f of encoding.features) {
          const col = columns.get(f.name)!;
          const cells = Array.from({ length: n }, (_, r) => cellText(col, r));
          feeds[f.name] =
            f.kind === 'numeric'
              ? new ort.Tensor(
                  'float64',
                  Float64Array.from(cells, (c) => (c === null ? NaN : Number(c))),
                  dims,
                )
              : new ort.Tensor(
                  'string',
                  cells.map((c) => c ?? ''),
                  dims,
                );
        }
        return feeds;
      };
      const feeds = feedsOf([n]);
      // A column given as [N, 1] is refused by ONNX Runtime (the inputs are vectors).
      await expect(session.run(feedsOf([n, 1]))).rejects.toThrow(/rank|dimension|shape/i);
      const out = await session.run(feeds);

      let missing = 0;
      for (let r = 0; r < n; r++) {
        const x = encoding.features.map((f) => encodeValue(f, cellText(columns.get(f.name)!, r)));
        missing += x.some(Number.isNaN) ? 1 : 0;
        const mine = predictEncoded({ family, fitted, encoding }, x);
        if (encoding.classes) {
          expect((out['label']!.data as string[])[r]).toBe(mine.output);
          // A model without probabilities gives decision values instead: its label is checked.
          if (mine.probabilities === null) {
            expect(out['scores']!.dims).toEqual([n, encoding.classes.length]);
            continue;
          }
          const k = encoding.classes.length;
          const p = Array.from(
            (out['probabilities']!.data as Float32Array).slice(r * k, r * k + k),
          );
          // A forest's mean is summed in another order by ONNX Runtime: equal to float32 precision.
          const want = mine.probabilities!.map(Math.fround);
          if (chosen === 'decision-tree') expect(p).toEqual(want);
          else p.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 6));
        } else {
          const got = (out['prediction']!.data as Float32Array)[r]!;
          const want = Math.fround(Number(mine.output));
          if (chosen === 'decision-tree') expect(got).toBe(want);
          else expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * 2e-7 + 1e-9);
        }
      }
      if (s.id === 'penguins') expect(missing).toBeGreaterThan(0); // missing values took their learned side

      if (hasChecker) {
        const file = join(mkdtempSync(join(tmpdir(), 'orpheus-onnx-')), 'model.onnx');
        writeFileSync(file, bytes);
        const check = spawnSync(
          PYTHON,
          [
            '-c',
            'import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print("ok")',
            file,
          ],
          { encoding: 'utf8' },
        );
        expect(check.stderr).toBe('');
        expect(check.stdout.trim()).toBe('ok');
      }
    });

  it.runIf(!hasChecker)('is checked by python3-onnx (not installed here)', () => {
    expect.fail(`${PYTHON} cannot import onnx: npm test installs python3-onnx on Debian.`);
  });
});

describe('ONNX export of a version with a decision threshold', () => {
  it('labels each row as Orpheus does: the second class when its probability is at least the threshold', async () => {
    const s = SAMPLES.find((x) => x.name.startsWith('Breast cancer'))!;
    const content = await sample(s.file);
    const result = trainModel(content, {
      family: 'logistic-regression',
      params: defaultParams(content.task, 'logistic-regression'),
      plan: { folds: 3, testFraction: 0.2, seed: 1 },
      metric: 'accuracy',
    });
    const { family, fitted, encoding } = result;
    // A threshold far from 0.5, so that it changes many labels.
    const threshold = 0.1;
    const bytes = await modelToOnnx({
      family,
      fitted,
      encoding,
      threshold,
      name: 'cancer',
      producerVersion: 'test',
      meta: {},
    });
    const session = await ort.InferenceSession.create(bytes);
    const n = content.rowCount;
    const columns = new Map(content.schema.map((c, i) => [c.name, content.columns[i]!]));
    const feeds: Record<string, ort.Tensor> = {};
    for (const f of encoding.features) {
      const col = columns.get(f.name)!;
      feeds[f.name] = new ort.Tensor(
        'float64',
        Float64Array.from({ length: n }, (_, r) => Number(cellText(col, r) ?? NaN)),
        [n],
      );
    }
    const out = await session.run(feeds);
    let changed = 0;
    for (let r = 0; r < n; r++) {
      const x = encoding.features.map((f) => encodeValue(f, cellText(columns.get(f.name)!, r)));
      const plain = predictEncoded({ family, fitted, encoding }, x);
      const mine = predictEncoded({ family, fitted, encoding, decision: { threshold } }, x);
      if (mine.output !== plain.output) changed++;
      expect(mine.output).toBe(
        mine.probabilities![1]! >= threshold ? encoding.classes![1] : encoding.classes![0],
      );
      expect((out['label']!.data as string[])[r]).toBe(mine.output);
    }
    expect(changed).toBeGreaterThan(0);
  });
});
