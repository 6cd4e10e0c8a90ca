import type { WorkCalendar } from '../../src/deadlines/calendar.ts'

// The 2025 and 2026 arrangements typed in by hand from the State Council notices (law-and-format.md
// §6.1); every expected date in the tests that use them was counted by hand on these tables.
const range = (from: string, to: string) => {
  const out: string[] = []
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1))
    out.push(d.toISOString().slice(0, 10))
  return out
}
export const official: WorkCalendar = {
  holidays: new Set([
    '2025-01-01',
    ...range('2025-01-28', '2025-02-04'),
    ...range('2025-04-04', '2025-04-06'),
    ...range('2025-05-01', '2025-05-05'),
    ...range('2025-05-31', '2025-06-02'),
    ...range('2025-10-01', '2025-10-08'),
    ...range('2026-01-01', '2026-01-03'),
    ...range('2026-02-15', '2026-02-23'),
    ...range('2026-04-04', '2026-04-06'),
    ...range('2026-05-01', '2026-05-05'),
    ...range('2026-06-19', '2026-06-21'),
    ...range('2026-09-25', '2026-09-27'),
    ...range('2026-10-01', '2026-10-07'),
  ]),
  makeupWorkdays: new Set([
    '2025-01-26',
    '2025-02-08',
    '2025-04-27',
    '2025-09-28',
    '2025-10-11',
    '2026-01-04',
    '2026-02-14',
    '2026-02-28',
    '2026-05-09',
    '2026-09-20',
    '2026-10-10',
  ]),
  years: new Set([2025, 2026]),
}
// A made-up 2027 (only 1 January off) for crossing the year end; the real notice is not out yet.
export const withFixture2027: WorkCalendar = {
  ...official,
  holidays: new Set([...official.holidays, '2027-01-01']),
  years: new Set([2025, 2026, 2027]),
}
