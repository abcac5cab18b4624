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

/** A time in a few characters ("1 Dec 2026, 12:41"), for tables; the full one goes in a tooltip. */
export function formatShortTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
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

/**
 * A prediction's output as people read it: a regression value such as 262.7567567567568 with
 * four significant digits; class labels, and numbers already short, as they are. The exact
 * output stays in the log and its exports (and in a tooltip where it is shown).
 */
export function formatOutput(output: string): string {
  const digits = output.replace(/^[-+]/, '').replace(/e.*$/i, '');
  if (!/^\d*\.\d+$/.test(digits) || digits.replace('.', '').replace(/^0+/, '').length <= 6)
    return output;
  return formatNumber(Number(output));
}
