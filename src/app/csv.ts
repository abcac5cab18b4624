/** CSV text for downloads: cells with a comma, quote or line break are quoted; null is empty. */
export function toCsv(rows: readonly (readonly (string | null)[])[]): string {
  const cell = (s: string | null): string =>
    s === null ? '' : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  return rows.map((r) => r.map(cell).join(',')).join('\n');
}
