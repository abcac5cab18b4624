/**
 * A data version as CSV text for a program to read back (a lesson's embedded table, the Optuna
 * hand-off's data.csv): raw cell text, missing cells empty, quoted where CSV needs it, and no
 * spreadsheet-formula guard (that would change values; downloads for people use `app/csv.ts`).
 */
import Papa from 'papaparse';
import { cellText, type DatasetContent } from './content';

/** The content as CSV, with one more column after the others when `extra` is given. */
export function contentCsv(
  content: DatasetContent,
  extra?: { name: string; cells: readonly (string | null)[] },
): string {
  const fields = content.schema.map((s) => s.name);
  const data: (string | null)[][] = [];
  for (let r = 0; r < content.rowCount; r++) {
    const row = content.columns.map((c) => cellText(c, r));
    if (extra) row.push(extra.cells[r] ?? null);
    data.push(row);
  }
  return (
    Papa.unparse({ fields: extra ? [...fields, extra.name] : fields, data }, { newline: '\n' }) +
    '\n'
  );
}
