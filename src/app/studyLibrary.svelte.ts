import type { StudyRecord } from '../core/records';
import type { Store } from '../store/db';
import { listStudies } from '../store/studies';

/** Every study, newest first. */
export class StudyLibrary {
  readonly #store: Store;
  items = $state.raw<StudyRecord[]>([]);

  constructor(store: Store) {
    this.#store = store;
  }

  async refresh(): Promise<void> {
    this.items = await listStudies(this.#store);
  }
}
