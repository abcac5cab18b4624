/**
 * The system overview: one row per model version with the fields the filter language can
 * name — `user`, `model`, `family`, `version`, `data`, `created`, `scenario`, `alias`,
 * `metrics.<name>` (cross-validated mean), `holdout.<name>` and `params.<name>`.
 */
import type { ModelRecord, ModelVersionRecord } from '../records';
import { holdoutValue, scalarScores, type MetricName } from '../train/metrics';
import type { Row, Value } from './query';

export interface OverviewRow {
  id: string;
  modelId: string;
  model: string;
  number: number;
  author: string;
  created: string;
  data: string;
  metric: MetricName;
  /** The model's ranking metric, cross-validated mean. */
  score: number | null;
  /** The same metric on the hold-out rows. */
  holdout: number | null;
  /** The cross-validated score chose the version in a search (optimistic by selection). */
  selected: boolean;
  /** Everything the filter and the optional columns can use. */
  fields: Row;
}

export function overviewRows(
  models: readonly ModelRecord[],
  versions: readonly ModelVersionRecord[],
  dataLabel: (datasetVersionId: string) => string,
): OverviewRow[] {
  const byId = new Map(models.map((m) => [m.id, m]));
  return versions.flatMap((v) => {
    const m = byId.get(v.modelId);
    if (!m) return [];
    const aliases = Object.entries(m.aliases)
      .filter(([, id]) => id === v.id)
      .map(([a]) => a);
    const fields: Record<string, Value> = {
      user: v.author,
      model: m.name,
      family: v.family,
      version: v.number,
      data: dataLabel(v.datasetVersionId),
      created: v.createdAt,
      scenario: v.scenario,
      alias: aliases.join(', ') || null,
      tags: (m.notes[v.id]?.tags ?? []).join(', ') || null,
    };
    for (const [k, s] of Object.entries(v.scores.cv)) fields[`metrics.${k}`] = s?.mean ?? null;
    for (const [k, s] of Object.entries(scalarScores(v.scores.holdout)))
      fields[`holdout.${k}`] = s ?? null;
    // The model's own metric, for sorting the score columns.
    fields['score'] = v.scores.cv[m.metric]?.mean ?? null;
    fields['holdout'] = holdoutValue(v.scores.holdout, m.metric);
    for (const [k, p] of Object.entries(v.hyperparameters))
      fields[`params.${k}`] = typeof p === 'number' || typeof p === 'string' ? p : null;
    return [
      {
        id: v.id,
        modelId: m.id,
        model: m.name,
        number: v.number,
        author: v.author,
        created: v.createdAt,
        data: fields['data'] as string,
        metric: m.metric,
        score: v.scores.cv[m.metric]?.mean ?? null,
        holdout: holdoutValue(v.scores.holdout, m.metric),
        selected: v.search !== null,
        fields,
      },
    ];
  });
}

/** Every field name the rows carry, for the filter and the column picker. */
export function overviewFields(rows: readonly OverviewRow[]): string[] {
  const names = new Set<string>([
    'user',
    'model',
    'version',
    'data',
    'created',
    'scenario',
    'alias',
    'tags',
  ]);
  for (const r of rows) for (const k of Object.keys(r.fields)) names.add(k);
  return [...names];
}

/** Sorts rows by a field (missing values last); stable. */
export function sortRows(
  rows: readonly OverviewRow[],
  field: string,
  descending: boolean,
): OverviewRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a.fields[field] ?? null;
    const y = b.fields[field] ?? null;
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y));
  });
}

export type OverviewItem =
  { kind: 'group'; name: string; count: number } | { kind: 'row'; row: OverviewRow };

/** Rows as drawn: when grouped, a heading with the count before each model's rows. */
export function groupRows(sorted: readonly OverviewRow[], grouped: boolean): OverviewItem[] {
  if (!grouped) return sorted.map((row) => ({ kind: 'row', row }));
  const counts = new Map<string, number>();
  for (const r of sorted) counts.set(r.model, (counts.get(r.model) ?? 0) + 1);
  const out: OverviewItem[] = [];
  let last: string | null = null;
  for (const row of sorted) {
    if (row.model !== last) {
      out.push({ kind: 'group', name: row.model, count: counts.get(row.model)! });
      last = row.model;
    }
    out.push({ kind: 'row', row });
  }
  return out;
}
