import type { Store } from '../store/db';
import { readSetting, writeSetting } from '../store/settings';

/** How much room Orpheus uses in this browser, and whether the browser promised to keep it. */
export class StorageStatus {
  readonly #store: Store;
  readonly #storage: StorageManager | undefined;
  persisted = $state<boolean | null>(null);
  usage = $state<number | null>(null);
  quota = $state<number | null>(null);

  constructor(store: Store, storage: StorageManager | undefined) {
    this.#store = store;
    this.#storage = storage;
  }

  get supported(): boolean {
    return this.#storage !== undefined;
  }

  /**
   * On first start, asks the browser to keep Orpheus's data even when space runs low
   * (`navigator.storage.persist()`); afterwards only reads the answer.
   */
  async start(author: string): Promise<void> {
    const s = this.#storage;
    if (!s) return;
    const asked = await readSetting(this.#store, 'persistGranted');
    if (asked === undefined) {
      const granted = typeof s.persist === 'function' ? await s.persist() : false;
      await writeSetting(this.#store, author, 'persistGranted', granted);
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const s = this.#storage;
    if (!s) return;
    this.persisted = typeof s.persisted === 'function' ? await s.persisted() : null;
    const est = await s.estimate();
    this.usage = est.usage ?? null;
    this.quota = est.quota ?? null;
  }
}
