import { noteFailure } from './failures';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** Messages for the person: what happened and what to do. */
export class Notices {
  list = $state<Notice[]>([]);
  #next = 1;

  add(kind: Notice['kind'], text: string): void {
    this.list.push({ id: this.#next++, kind, text });
  }

  /** Shows an error's own message (store errors are written for people). */
  error(e: unknown): void {
    this.add('error', e instanceof Error ? e.message : String(e));
    noteFailure(e);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }
}
