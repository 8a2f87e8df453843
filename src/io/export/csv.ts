/**
 * CSV for matrices and tables the lab shows, in RFC 4180 form: comma-separated, CRLF line ends,
 * cells with commas, quotes or line breaks quoted with doubled quotes. Missing values are empty
 * cells, never 0; numbers keep full precision.
 */

/** One CSV cell: numbers in full precision, NaN and null as an empty cell. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? '' : value > 0 ? 'inf' : '-inf';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A table with a header row. `rows` are arrays of cells, each as long as `header`. */
export function tableToCsv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A square matrix with its labels as the first row and column, e.g. a CKA matrix between
 * stages. `values` is row-major, labels.length squared; NaN cells are written empty.
 */
export function matrixToCsv(labels: string[], values: ArrayLike<number>, corner = ''): string {
  const n = labels.length;
  const rows = labels.map((label, i) => [label, ...Array.from({ length: n }, (_, j) => values[i * n + j])]);
  return tableToCsv([corner, ...labels], rows);
}
