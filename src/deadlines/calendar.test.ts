import { expect, test } from 'vitest'
import { addWorkingDays, CalendarMissing, isWorkday } from './calendar.ts'
import type { WorkCalendar } from './calendar.ts'

// The 2026 arrangement as the State Council notice of 2025-11-04 gives it (law-and-format.md §6),
// typed in by hand: the expected dates are worked out from it, never by the code under test.
const range = (from: string, to: string) => {
  const out: string[] = []
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1))
    out.push(d.toISOString().slice(0, 10))
  return out
}
const cal2026: WorkCalendar = {
  holidays: new Set([
    ...range('2026-01-01', '2026-01-03'),
    ...range('2026-02-15', '2026-02-23'),
    ...range('2026-04-04', '2026-04-06'),
    ...range('2026-05-01', '2026-05-05'),
    ...range('2026-06-19', '2026-06-21'),
    ...range('2026-09-25', '2026-09-27'),
    ...range('2026-10-01', '2026-10-07'),
  ]),
  makeupWorkdays: new Set(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']),
  years: new Set([2026]),
}

test('the make-up Saturday before the Spring Festival is a working day; the festival is not', () => {
  expect(isWorkday(cal2026, '2026-02-14')).toBe(true)
  expect(isWorkday(cal2026, '2026-02-16')).toBe(false)
  expect(isWorkday(cal2026, '2026-02-24')).toBe(true)
})

test('20 working days from a receipt on 2026-09-28 run past National Day and count the make-up Saturday', () => {
  // 9-29, 9-30 (2); 10-8, 10-9, 10-10 Sat make-up (5); 10-12…10-16 (10); 10-19…10-23 (15); 10-26…10-30 (20).
  expect(addWorkingDays(cal2026, '2026-09-28', 20)).toBe('2026-10-30')
  expect(addWorkingDays(cal2026, '2026-09-30', 3)).toBe('2026-10-10')
})

test('a year with no loaded notice is refused, never counted as Monday to Friday', () => {
  expect(() => addWorkingDays(cal2026, '2026-12-20', 20)).toThrow(CalendarMissing)
  expect(() => addWorkingDays(cal2026, '2026-12-20', 20)).toThrow(/缺少 2027 年节假日安排/)
})
