/** Comparing records by content: the same text means the same record, field order aside. */

/** A stable text for a record, typed arrays included, to tell identical from different. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, x: unknown) => {
    if (x instanceof Float64Array || x instanceof Int32Array)
      return { t: x.constructor.name, v: Array.from(x, (n) => (Number.isNaN(n) ? 'NaN' : n)) };
    if (x && typeof x === 'object' && !Array.isArray(x))
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, (x as Record<string, unknown>)[k]]),
      );
    return x;
  });
}
