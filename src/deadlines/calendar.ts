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
