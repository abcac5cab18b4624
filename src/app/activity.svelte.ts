import type { EventRecord } from '../core/records';
import type { Store } from '../store/db';

/** The newest lines of the event log: who did what, when. */
export class Activity {
  readonly #store: Store;
  events = $state.raw<EventRecord[]>([]);

  constructor(store: Store) {
    this.#store = store;
  }

  async refresh(limit = 20): Promise<void> {
    this.events = await this.#store.recentEvents(limit);
  }
}
