export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** Messages for the person: what happened and what to do. */
export class Notices {
  list = $state<Notice[]>([]);
  #next = 1;
  /** Called for an error saying the browser's storage is full. */
  onStorageFull: (() => void) | null = null;

  add(kind: Notice['kind'], text: string): void {
    this.list.push({ id: this.#next++, kind, text });
  }

  /** Shows an error's own message (store errors are written for people). */
  error(e: unknown): void {
    this.add('error', e instanceof Error ? e.message : String(e));
    if (e instanceof Error && e.name === 'StorageFullError') this.onStorageFull?.();
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }
}
