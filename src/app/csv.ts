import { isNumeric } from '../core/data/cells';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first),
 * unless it is a plain number: OWASP's advice for CSV injection is to prefix it with a quote.
 */
function neutralised(s: string): string {
  return /^[=+\-@\t\r]/.test(s) && !isNumeric(s.trim()) ? `'${s}` : s;
}

/**
 * CSV text for downloads: formula-like cells neutralised; cells with a comma, quote or line
 * break quoted; null is empty.
 */
export function toCsv(rows: readonly (readonly (string | null)[])[]): string {
  const cell = (raw: string | null): string => {
    if (raw === null) return '';
    const s = neutralised(raw);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\n');
}
