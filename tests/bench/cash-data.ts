/**
 * The data sets of the cash benchmark, built the same way in its main thread and in each of its
 * workers: breast cancer, and a generated 50,000 × 20 set, each prepared for a 5-fold search.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyLearner } from '../../src/core/learners/learner';
import { learnerFor } from '../../src/core/learners/registry';
import { seededRandom } from '../../src/core/random';
import type { Params } from '../../src/core/records';
import {
  prepareSearch,
  runTrial,
  type Report,
  type SearchData,
} from '../../src/core/search/objective';
import type { Halving } from '../../src/core/search/pruning';
import type { TrialState } from '../../src/core/vocabulary';
import { classificationContent } from './shared';

export type DataName = 'breast_cancer' | '50k';

/** scikit-learn's make_classification in spirit: informative, redundant and noise features. */
export function generated(rows: number, seed: number): string {
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

/** One of the benchmark's data sets, prepared for a 5-fold search. */
export async function searchData(name: DataName): Promise<SearchData> {
  const content =
    name === '50k'
      ? await classificationContent(generated(50_000, 7), 'y', 'generated.csv')
      : await classificationContent(
          readFileSync(join('public/samples', 'breast-cancer.csv'), 'utf8'),
          'diagnosis',
          'breast-cancer.csv',
        );
  return prepareSearch(content, { folds: 5, testFraction: 0.2, seed: 0 });
}

/** A trial to run: the family, its full settings and its bracket's schedule. */
export interface TrialOrder {
  family: string;
  params: Params;
  halving: Halving;
}

/** How a trial ended. */
export interface TrialEnd {
  state: TrialState;
  value: number | null;
  intermediate: number[];
}

/** Runs a trial on 5-fold macro F1, asking `report` after each rung; an error fails it. */
export async function runOrder(
  data: SearchData,
  order: TrialOrder,
  report: Report,
): Promise<TrialEnd> {
  const learner = learnerFor(order.family) as unknown as AnyLearner;
  try {
    const o = await runTrial(data, learner, order.params, 'f1_macro', order.halving, report);
    return { state: o.state, value: o.value, intermediate: o.intermediate };
  } catch {
    return { state: 'failed', value: null, intermediate: [] };
  }
}
