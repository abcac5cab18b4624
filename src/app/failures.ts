/**
 * Failures that need more than their message. A full disk is one: wherever it surfaces (a job,
 * a notice), the shell offers a backup. One listener, set by the composition root.
 */
let storageFull: (() => void) | null = null;

export function onStorageFull(listener: () => void): void {
  storageFull = listener;
}

/** Called with every failure shown to the person. */
export function noteFailure(e: unknown): void {
  if (e instanceof Error && e.name === 'StorageFullError') storageFull?.();
}
