/** Plain helpers of the prediction use cases: reading rows, drafts, label matching, CSV. */
import { toCsv } from './csv';
import type { RawRow, RowPrediction, RowResult } from '../core/predict/predict';
import type { ModelRecord, ModelVersionRecord, PredictionRecord } from '../core/records';
import type { Store } from '../store/db';
import type { PredictionDraft } from '../store/predictions';

/** Rows of a file as column → text objects, with the file's column names. */
export async function readRows(
  file: Blob,
  fileName: string,
): Promise<{ names: string[]; rows: RawRow[] }> {
  // The CSV reader loads with the first file read, not with the page.
  const { parseTable } = await import('../core/data/parse');
  const t = await parseTable(file, { fileName });
  const rows = Array.from({ length: t.rowCount }, (_, r) =>
    Object.fromEntries(t.names.map((n, c) => [n, t.columns[c]![r] ?? null])),
  );
  return { names: t.names, rows };
}

export function handlesMissing(v: ModelVersionRecord): boolean {
  return v.tags.includes('handles-missing-values');
}

/** A cell of a raw row by column name: own fields only (a column may be called `toString`). */
export function cellOf(row: RawRow, name: string): string | null {
  return Object.hasOwn(row, name) ? (row[name] ?? null) : null;
}

/** Logged inputs as the raw row they were. */
export function rowOf(inputs: readonly (readonly [string, string | null])[]): RawRow {
  return Object.fromEntries(inputs);
}

export function draftFor(
  model: ModelRecord,
  v: ModelVersionRecord,
  row: RawRow,
  p: RowPrediction,
  extra: Pick<PredictionDraft, 'batchId' | 'row' | 'rowId' | 'source'> & { label?: string | null },
): PredictionDraft {
  const inputs = v.encoding.features.map((f): [string, string | null] => [
    f.name,
    cellOf(row, f.name),
  ]);
  return {
    modelId: model.id,
    modelVersionId: v.id,
    batchId: extra.batchId,
    row: extra.row,
    rowId: extra.rowId,
    source: extra.source,
    inputs,
    output: p.output,
    probabilities: p.probabilities,
    path: p.path,
    label: extra.label ?? null,
    labelledAt: extra.label ? new Date().toISOString() : null,
  };
}

/** CSV of logged predictions: time, model, version, inputs, output, probabilities, label. */
export function predictionsCsv(
  ps: readonly PredictionRecord[],
  names: (p: PredictionRecord) => string,
): string {
  const inputs = [...new Set(ps.flatMap((p) => p.inputs.map(([n]) => n)))];
  const byName = new Map(ps.map((p) => [p, new Map(p.inputs)]));
  const head = [
    'time',
    'model version',
    'author',
    'batch',
    'row id',
    ...inputs,
    'output',
    'probabilities',
    'label',
  ];
  const lines = ps.map((p): (string | null)[] => [
    p.createdAt,
    names(p),
    p.author,
    p.batchId,
    p.rowId,
    ...inputs.map((n) => byName.get(p)!.get(n) ?? null),
    p.output,
    p.probabilities ? p.probabilities.map((x) => x.toFixed(4)).join(' ') : null,
    p.label,
  ]);
  return toCsv([head, ...lines]);
}

/** Version id → its model and record, for naming logged predictions. */
export type VersionIndex = Readonly<
  Record<string, { model: ModelRecord; version: ModelVersionRecord }>
>;

export async function versionIndex(
  store: Store,
  items: readonly PredictionRecord[],
  known: VersionIndex,
): Promise<VersionIndex> {
  const out: Record<string, { model: ModelRecord; version: ModelVersionRecord }> = { ...known };
  for (const id of new Set(items.map((p) => p.modelVersionId))) {
    if (out[id]) continue;
    const version = await store.get('modelVersions', id);
    const model = version ? await store.get('models', version.modelId) : undefined;
    if (version && model) out[id] = { model, version };
  }
  return out;
}

/** Pairs rows of a labels file with logged predictions, by row id or by prediction id. */
export function matchLabels(
  items: readonly PredictionRecord[],
  rows: readonly RawRow[],
  labelCol: string,
  idCol: string | null,
  predCol: string | null,
): { prediction: PredictionRecord; label: string | null }[] {
  const byRowId = new Map<string, PredictionRecord[]>();
  for (const p of items)
    if (p.rowId !== null) byRowId.set(p.rowId, [...(byRowId.get(p.rowId) ?? []), p]);
  const byId = new Map(items.map((p) => [p.id, p]));
  const updates: { prediction: PredictionRecord; label: string | null }[] = [];
  for (const row of rows) {
    const label = row[labelCol] ?? null;
    const pid = predCol ? row[predCol] : null;
    const matched = pid
      ? [byId.get(pid)].filter((p) => p !== undefined)
      : idCol
        ? (byRowId.get(row[idCol] ?? '') ?? [])
        : [];
    for (const p of matched) updates.push({ prediction: p, label });
  }
  return updates;
}

/** Rows predicted between two moments the page is given back to draw and take clicks. */
export const CHUNK_ROWS = 2000;

/**
 * Predicts a batch of raw rows in chunks, giving the page back between chunks (a batch of
 * 200,000 rows must not freeze it, and Cancel must stay reachable). Rows that cannot be
 * predicted are reported by their number (from 1), never coerced.
 */
export async function predictBatch(
  rows: readonly RawRow[],
  predict: (row: RawRow) => RowResult,
  draft: (row: RawRow, index: number, prediction: RowPrediction) => PredictionDraft,
  options: { signal?: AbortSignal; progress?: (done: number, total: number) => void } = {},
): Promise<{
  drafts: PredictionDraft[];
  problems: { row: number; problems: string[] }[];
  notes: { row: number; notes: string[] }[];
}> {
  const drafts: PredictionDraft[] = [];
  const problems: { row: number; problems: string[] }[] = [];
  const notes: { row: number; notes: string[] }[] = [];
  for (const [i, row] of rows.entries()) {
    if (i % CHUNK_ROWS === 0) {
      options.progress?.(i, rows.length);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (options.signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
    const r = predict(row);
    if (r.ok) {
      drafts.push(draft(row, i, r.prediction));
      if (r.notes) notes.push({ row: i + 1, notes: r.notes });
    } else problems.push({ row: i + 1, problems: r.problems });
  }
  return { drafts, problems, notes };
}
