import type { Executor } from '../storage/database.ts'
import type { WorkCalendar } from './calendar.ts'

/** The calendar as recorded; a few hundred rows, read when a deadline is computed. */
export async function loadCalendar(db: Executor): Promise<WorkCalendar> {
  const days = await db.selectFrom('holiday_calendar').select(['date', 'kind']).execute()
  const years = await db.selectFrom('calendar_years').select('year').execute()
  return {
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    makeupWorkdays: new Set(days.filter((d) => d.kind === 'makeup_workday').map((d) => d.date)),
    years: new Set(years.map((y) => Number(y.year))),
  }
}

export async function listCalendarYears(db: Executor) {
  return db.selectFrom('calendar_years').selectAll().orderBy('year', 'desc').execute()
}

// The calendar changes once a year; a clock computed per request need not read it each time. Kept
// per Deps (one database), for 30 seconds, and dropped at once when this process records a year.
const cached = new WeakMap<object, { at: number; calendar: WorkCalendar }>()
const freshFor = 30_000

export async function calendarFor(deps: object, db: Executor): Promise<WorkCalendar> {
  const hit = cached.get(deps)
  if (hit && Date.now() - hit.at < freshFor) return hit.calendar
  const calendar = await loadCalendar(db)
  cached.set(deps, { at: Date.now(), calendar })
  return calendar
}

export const forgetCalendar = (deps: object) => {
  cached.delete(deps)
}
