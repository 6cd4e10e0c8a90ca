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
