/** Byte counts as people read them: 1.2 MB, 340 kB. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** A time as a short local date and time. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** A number with at most four significant decimals, as people read it. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString();
  // Tiny values (a log loss of 2e-15) read better as powers of ten than as a row of zeros.
  if (Math.abs(n) < 1e-4) return n.toExponential(1);
  return n.toLocaleString(undefined, { maximumSignificantDigits: 4 });
}

/** A duration in milliseconds as people read it: "< 1 ms", "35 ms", "2.4 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return '< 1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toLocaleString(undefined, { maximumSignificantDigits: 3 })} s`;
}
