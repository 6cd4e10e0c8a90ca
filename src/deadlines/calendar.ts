// Working days (law-and-format.md §1.6, §6): Monday to Friday, minus the rest days and plus the
// 调休 working weekend days of each year's 国务院办公厅 notice, held as data. A year whose notice is
// not loaded cannot be counted: the engine refuses rather than fall back to Monday–Friday (TIME-03).

export type WorkCalendar = Readonly<{
  holidays: ReadonlySet<string>
  makeupWorkdays: ReadonlySet<string>
  years: ReadonlySet<number>
}>

export class CalendarMissing extends Error {
  constructor(readonly year: number) {
    super(`缺少 ${year} 年节假日安排，无法计算工作日；请系统管理员录入国务院办公厅当年的放假通知`)
  }
}

/** Calendar dates are plain 'YYYY-MM-DD' strings, never instants (TIME-05). */
const nextDay = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export function isWorkday(cal: WorkCalendar, date: string): boolean {
  const year = Number(date.slice(0, 4))
  if (!cal.years.has(year)) throw new CalendarMissing(year)
  if (cal.makeupWorkdays.has(date)) return true
  if (cal.holidays.has(date)) return false
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6
}

/**
 * The n-th working day strictly after `date`: the start day is not counted (民法典 art. 201), and a
 * period ending in a holiday runs to the next working day by construction (art. 203).
 */
export function addWorkingDays(cal: WorkCalendar, date: string, n: number): string {
  let day = date
  let left = n
  while (left > 0) {
    day = nextDay(day)
    if (isWorkday(cal, day)) left--
  }
  return day
}

/**
 * The holidays 《全国年节及纪念日放假办法》 (国务院令第798号, art. 2) fixes by date — 元旦 1-1, 劳动节 5-1 and 5-2,
 * 国庆节 10-1 to 10-3 — which no 调休 notice turns into working days; the lunar ones are left out.
 */
export const holidaysFixedByDate = (year: number): string[] =>
  ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'].map((d) => `${year}-${d}`)

/**
 * A calendar on which every day of the unrecorded `years` is a working day but the holidays fixed by date: no notice
 * can make a period shorter than it does, so a period counted on it ends on the earliest day the real one can.
 */
export function earliestPossible(cal: WorkCalendar, years: readonly number[]): WorkCalendar {
  const makeup = new Set(cal.makeupWorkdays)
  const holidays = new Set(cal.holidays)
  for (const year of years) {
    for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1))
      makeup.add(d.toISOString().slice(0, 10))
    for (const h of holidaysFixedByDate(year)) {
      makeup.delete(h)
      holidays.add(h)
    }
  }
  return { holidays, makeupWorkdays: makeup, years: new Set([...cal.years, ...years]) }
}
