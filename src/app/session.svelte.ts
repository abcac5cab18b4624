import { checkUserName, DEFAULT_NAME } from '../core/people';
import type { Store } from '../store/db';
import { readSetting, writeSetting } from '../store/settings';

/** Who is using Orpheus. Everything they make records this name as its author. */
export class Session {
  readonly #store: Store;
  #name = $state<string | null>(null);

  constructor(store: Store) {
    this.#store = store;
  }

  async load(): Promise<void> {
    this.#name = (await readSetting(this.#store, 'userName')) ?? null;
  }

  /** True until the person has chosen a name (first start). */
  get needsName(): boolean {
    return this.#name === null;
  }

  get userName(): string | null {
    return this.#name;
  }

  /** The author recorded on new records. */
  get author(): string {
    return this.#name ?? DEFAULT_NAME;
  }

  /** Saves the name; returns a message for the person if the name is not acceptable. */
  async setName(raw: string): Promise<string | null> {
    const check = checkUserName(raw);
    if (!check.ok) return check.message;
    await writeSetting(this.#store, check.name, 'userName', check.name);
    this.#name = check.name;
    return null;
  }
}
