/**
 * How this device shows Orpheus: presentation mode (larger type, thicker lines, high contrast,
 * the navigation hidden) for a projector. A preference of the device, not of the data: it is
 * kept in localStorage, never in the store or a backup.
 */
const KEY = 'orpheus.presentation';

export class Display {
  presentation = $state(false);
  readonly #root: HTMLElement | null;

  constructor(root: HTMLElement | null = globalThis.document?.documentElement ?? null) {
    this.#root = root;
    try {
      this.presentation = globalThis.localStorage?.getItem(KEY) === 'on';
    } catch {
      // Storage refused (a private window): the mode simply is not remembered.
    }
    this.#apply();
  }

  toggle(): void {
    this.presentation = !this.presentation;
    try {
      globalThis.localStorage?.setItem(KEY, this.presentation ? 'on' : 'off');
    } catch {
      // Not remembered; still switched.
    }
    this.#apply();
  }

  #apply(): void {
    this.#root?.classList.toggle('presentation', this.presentation);
  }
}
