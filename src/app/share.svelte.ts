import { readShareLink, type SharedModel } from '../core/export/share';
import { predictRaw, type RawRow, type RowResult } from '../core/predict/predict';
import type { Store } from '../store/db';
import { importShared } from '../store/models';
import { handlesMissing } from './predictions';

/** A model version opened from a link: shown, predicted with, and added to the store on request. */
export class SharedView {
  readonly #store: Store;
  readonly #author: () => string;
  readonly #afterImport: () => Promise<void>;
  shared = $state.raw<SharedModel | null>(null);
  error = $state<string | null>(null);
  imported = $state<{ modelId: string; name: string; number: number; added: boolean } | null>(null);
  #payload = '';

  constructor(store: Store, author: () => string, afterImport: () => Promise<void>) {
    this.#store = store;
    this.#author = author;
    this.#afterImport = afterImport;
  }

  async open(payload: string): Promise<void> {
    if (payload === this.#payload) return;
    this.#payload = payload;
    this.shared = null;
    this.error = null;
    this.imported = null;
    try {
      const shared = await readShareLink(payload);
      if (payload === this.#payload) this.shared = shared;
    } catch (e) {
      if (payload === this.#payload) this.error = e instanceof Error ? e.message : String(e);
    }
  }

  predict(row: RawRow): RowResult | null {
    const s = this.shared;
    return s ? predictRaw(s.version, row, handlesMissing(s.version)) : null;
  }

  async import(): Promise<void> {
    const s = this.shared;
    if (!s) return;
    const r = await importShared(this.#store, this.#author(), s);
    this.imported = {
      modelId: r.model.id,
      name: r.model.name,
      number: r.version.number,
      added: r.added,
    };
    await this.#afterImport();
  }
}
