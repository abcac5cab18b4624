/**
 * The rows of the Compare screen, built from the compared versions: settings, how each was
 * made, what data it saw, and its scores with a verdict per column against the base (the first).
 * Formatting is passed in, so this stays plain and testable.
 */
import { describeParams, learnerFor } from '../core/learners/registry';
import { METRICS, scalarScores, verdictOf, type MetricName } from '../core/train/metrics';
import type { Compared } from './compare.svelte';

export interface Line {
  key: string;
  label: string;
  values: string[];
  differs: boolean;
  /** Per column: +1 better than the base, −1 worse, 0 same or not comparable. */
  verdicts?: number[];
}

export interface ScoreLine extends Line {
  verdicts: number[];
  raw: number[];
  /** Per column: measured on the same rows as the base's (false: another data version's hold-out). */
  comparable: boolean[];
}

export interface Formats {
  number: (n: number) => string;
  ms: (n: number) => string;
  time: (iso: string) => string;
}

const line = (key: string, label: string, values: string[]): Line => ({
  key,
  label,
  values,
  differs: values.some((v) => v !== values[0]),
});

/** Every setting of the base's family, as each version has it. */
export function settingLines(items: readonly Compared[], f: Formats): Line[] {
  const base = items[0];
  if (!base) return [];
  const shown = items.map(
    (i) =>
      new Map(
        describeParams(i.version.family, i.version.hyperparameters, f.number).map((p) => [
          p.name,
          p,
        ]),
      ),
  );
  const names = [...new Set(items.flatMap((i) => Object.keys(i.version.hyperparameters)))];
  return names.map((k) =>
    line(
      k,
      shown.find((m) => m.has(k))?.get(k)?.label ?? k,
      shown.map((m) => m.get(k)?.value ?? '—'),
    ),
  );
}

/** How each version was made: data, rows, columns, who, when, libraries, time, seed, family, size. */
export function madeWithLines(items: readonly Compared[], f: Formats): Line[] {
  const v = items.map((i) => i.version);
  return [
    line(
      'data',
      'Data version',
      items.map((i) => i.data?.label ?? 'not stored'),
    ),
    line(
      'rows',
      'Rows trained on',
      v.map((x) => String(x.trainRows)),
    ),
    line(
      'schema',
      'Columns',
      v.map((x) => x.encoding.features.map((c) => c.name).join(', ')),
    ),
    line(
      'author',
      'Made by',
      v.map((x) => x.author),
    ),
    line(
      'time',
      'Made',
      v.map((x) => f.time(x.createdAt)),
    ),
    line(
      'libs',
      'Libraries',
      v.map((x) =>
        Object.entries(x.libraryVersions)
          .map(([k, s]) => `${k} ${s}`)
          .join(', '),
      ),
    ),
    line(
      'ms',
      'Training time',
      v.map((x) => f.ms(x.trainingMs)),
    ),
    line(
      'seed',
      'Seed',
      v.map((x) => String(x.seed)),
    ),
    line(
      'family',
      'Model family',
      v.map((x) => learnerFor(x.family).label),
    ),
    line(
      'shape',
      'Size',
      v.map((x) => learnerFor(x.family).describeSize(x.modelParameters.size)),
    ),
  ];
}

/** How each version's data differs from the base's, in words. */
export function dataDifferences(items: readonly Compared[]): string[] {
  const base = items[0];
  if (!base?.data) return [];
  const a = base.data.version;
  return items.slice(1).map((i) => {
    const name = `${i.model.name} v${i.version.number}`;
    const b = i.data?.version;
    if (!b) return `${name}: its data is not in this browser`;
    if (a.id === b.id) return `${name}: same data as the base`;
    const rows = b.rowCount - a.rowCount;
    const aCols = a.schema.map((s) => `${s.name}:${s.type}:${s.role}`);
    const bCols = b.schema.map((s) => `${s.name}:${s.type}:${s.role}`);
    const schema =
      bCols.filter((c) => !aCols.includes(c)).length +
      aCols.filter((c) => !bCols.includes(c)).length;
    return `${i.data!.label} against ${base.data!.label}: ${rows >= 0 ? '+' : ''}${rows} rows${a.datasetId === b.datasetId ? '' : ' (another dataset)'}, ${schema === 0 ? 'same columns' : `${schema} column changes`}`;
  });
}

/** +1 where a value beats the first by the metric's direction, −1 where it is worse, else 0. */
export function verdicts(metric: MetricName, xs: readonly number[]): number[] {
  const first = xs[0] ?? NaN;
  return xs.map((x) => verdictOf(metric, first, x));
}

/**
 * Cross-validated and hold-out scores of every metric the versions have, with verdicts. A
 * version trained on another data version than the base's was measured on other rows: its
 * scores get no verdict and are marked not comparable.
 */
export function scoreLines(items: readonly Compared[], f: Formats): ScoreLine[] {
  const metrics = [
    ...new Set(items.flatMap((i) => Object.keys(scalarScores(i.version.scores.holdout)))),
  ] as MetricName[];
  // A score a version does not have reads as a dash (a tree grown by hand has no CV score).
  const shown = (xs: number[]) =>
    xs.map((x, i) =>
      Number.isNaN(x) ? (items[i]!.version.grown ? 'none (grown by hand)' : '—') : f.number(x),
    );
  return metrics.flatMap((m) => {
    const cvs = items.map((i) => i.version.scores.cv[m]?.mean ?? NaN);
    const hos = items.map((i) => scalarScores(i.version.scores.holdout)[m] ?? NaN);
    const base = items[0]?.version.datasetVersionId;
    // Hold-outs are rows of each version's own data version: on other data, not comparable.
    const sameRows = items.map((i) => i.version.datasetVersionId === base);
    return [
      {
        ...line(`cv-${m}`, `${METRICS[m].label} (CV)`, shown(cvs)),
        verdicts: verdicts(m, cvs).map((x, i) => (sameRows[i] ? x : 0)),
        raw: cvs,
        comparable: sameRows,
      },
      {
        ...line(`ho-${m}`, `${METRICS[m].label} (hold-out)`, shown(hos)),
        verdicts: verdicts(m, hos).map((x, i) => (sameRows[i] ? x : 0)),
        raw: hos,
        comparable: sameRows,
      },
    ];
  });
}
