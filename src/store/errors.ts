/** Why a store operation failed, in words the UI can show as they are. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The browser refused to store more: the disk or the site's quota is full. Nothing was written. */
export class StorageFullError extends StoreError {
  override readonly name = 'StorageFullError';
  constructor(cause?: unknown) {
    super(
      'The browser has no room left for Orpheus data, so nothing was saved. ' +
        'Download a backup now (Backup screen), then free space on this device or in the ' +
        "browser's site data, and try again.",
      { cause },
    );
  }
}

function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, cause } = e as { name?: unknown; cause?: unknown };
  return name === 'QuotaExceededError' || (cause !== undefined && isQuotaError(cause));
}

/** Turns whatever IndexedDB threw into a StoreError with a message a person can act on. */
export function toStoreError(e: unknown, what: string): StoreError {
  if (e instanceof StoreError) return e;
  if (isQuotaError(e)) return new StorageFullError(e);
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new StoreError(`Could not ${what}: ${detail}`, { cause: e });
}

/** True when a write failed on a unique index: another tab took the same number first. */
export function isConstraintError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, cause } = e as { name?: unknown; cause?: unknown };
  return name === 'ConstraintError' || (cause !== undefined && isConstraintError(cause));
}
