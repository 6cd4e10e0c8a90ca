import { formatShanghai } from '../clock.ts'
import { addWorkingDays, CalendarMissing } from '../deadlines/calendar.ts'
import type { WorkCalendar } from '../deadlines/calendar.ts'

// 条例 art. 26: proactive information is published within 20 working days of being made or changed.

export type Timeliness = { due: string; late: boolean } | { due: null; unverified: string }

export function publicationTimeliness(
  cal: WorkCalendar,
  formedOn: string,
  publishedAt: string | null,
  now: Date,
): Timeliness {
  try {
    const due = addWorkingDays(cal, formedOn, 20)
    const on = publishedAt ? formatShanghai(publishedAt).slice(0, 10) : formatShanghai(now.toISOString()).slice(0, 10)
    return { due, late: on > due }
  } catch (e) {
    if (e instanceof CalendarMissing) return { due: null, unverified: e.message }
    throw e
  }
}
