// CSV for spreadsheets: a text that a spreadsheet would run as a formula (leading = + - @, tab or
// CR) is prefixed with ' so that it shows as text (CSV injection, issue #14); a cell is quoted when
// it must be (or always, for exports that always quoted). Numbers stay numbers.

export function csvCell(value: unknown, opts: { alwaysQuote?: boolean } = {}): string {
  if (typeof value === 'number') return String(value)
  const s = String(value ?? '')
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return opts.alwaysQuote || /[",\n\r']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
