/**
 * The Overview screen's state: every model version as a row, the filter, sort, grouping and
 * extra columns, all read from and written to the URL.
 */
import {
  groupRows,
  overviewFields,
  overviewRows,
  sortRows,
  type OverviewItem,
} from '../core/compare/overview';
import { evaluate, parseQuery, QueryError, type Expr } from '../core/compare/query';
import type { DataLibrary } from './dataLibrary.svelte';
import type { ModelLibrary } from './modelLibrary.svelte';
import type { Router } from './router.svelte';

export type { OverviewItem };

export const FILTER_EXAMPLE = 'metrics.accuracy > 0.9 and (user = "amy" or params.maxDepth <= 5)';

export class OverviewView {
  readonly #router: Router;
  readonly #library: DataLibrary;
  readonly #models: ModelLibrary;

  constructor(router: Router, library: DataLibrary, models: ModelLibrary) {
    this.#router = router;
    this.#library = library;
    this.#models = models;
  }

  readonly graphView = $derived(this.#param('view') === 'graph');
  readonly q = $derived(this.#param('q') ?? '');
  readonly sortBy = $derived(this.#param('sort') ?? 'created');
  readonly desc = $derived(this.#param('desc') !== '0');
  readonly grouped = $derived(this.#param('group') === 'model');
  readonly extra = $derived((this.#param('cols') ?? '').split(',').filter(Boolean));

  #param(name: string): string | null {
    return this.#router.param(name);
  }

  /** Goes to the overview with some of its URL parameters changed (null removes one). */
  go(change: Record<string, string | null>): void {
    const cur: Record<string, string | null> = {
      q: this.q || null,
      sort: this.sortBy,
      desc: this.desc ? null : '0',
      group: this.grouped ? 'model' : null,
      cols: this.extra.join(',') || null,
    };
    const next = { ...cur, ...change };
    this.#router.go(
      'overview',
      [],
      Object.fromEntries(
        Object.entries(next).filter((e): e is [string, string] => e[1] !== null && e[1] !== ''),
      ),
    );
  }

  /** Sorts on a column; the same column again flips the direction. */
  sortOn(key: string): void {
    this.go({ sort: key, desc: this.sortBy === key && this.desc ? '0' : null });
  }

  readonly rows = $derived.by(() => {
    const labels: Record<string, string> = Object.fromEntries(
      this.#library.items.flatMap((i) =>
        i.versions.map((v) => [v.id, `${i.dataset.name} v${v.number}`] as const),
      ),
    );
    return overviewRows(
      this.#models.items.map((m) => m.model),
      this.#models.items.flatMap((m) => m.versions),
      (id) => (Object.hasOwn(labels, id) ? labels[id]! : 'data not stored'),
    );
  });
  readonly fields = $derived(overviewFields(this.rows));

  readonly parsed = $derived.by((): { expr: Expr | null; error: QueryError | null } => {
    try {
      return { expr: parseQuery(this.q, this.fields), error: null };
    } catch (e) {
      if (e instanceof QueryError) return { expr: null, error: e };
      throw e;
    }
  });
  readonly filtered = $derived(
    this.parsed.error ? [] : this.rows.filter((r) => evaluate(this.parsed.expr, r.fields)),
  );
  readonly sorted = $derived.by(() => {
    const s = sortRows(this.filtered, this.sortBy, this.desc);
    return this.grouped ? [...s].sort((a, b) => a.model.localeCompare(b.model)) : s;
  });
  /** The rows to draw, with a heading row per model when grouped. */
  readonly items = $derived.by((): OverviewItem[] => groupRows(this.sorted, this.grouped));

  readonly columns = $derived([
    { key: 'model', text: 'Model' },
    { key: 'version', text: 'Version' },
    { key: 'data', text: 'Trained on' },
    { key: 'user', text: 'Author' },
    { key: 'created', text: 'Time' },
    { key: 'score', text: 'Score (CV)' },
    { key: 'holdout', text: 'Hold-out' },
    ...this.extra.map((k) => ({ key: k, text: k })),
  ]);
}
