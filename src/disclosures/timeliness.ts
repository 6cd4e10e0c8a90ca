import { formatShanghai } from '../clock.ts'
import { addWorkingDays, CalendarMissing, earliestPossible } from '../deadlines/calendar.ts'
import type { WorkCalendar } from '../deadlines/calendar.ts'

// 条例 art. 26: proactive information is published within 20 working days of being made or changed.

export type Timeliness =
  | { due: string; late: boolean }
  /**
   * The period runs into a year whose holiday notice is not recorded, but the item was published (or today is) no
   * later than the earliest day the period can end: on time whatever the notice says (`due` is that earliest day).
   */
  | { due: string; late: false; notBefore: true; unrecorded: number[] }
  | { due: null; unverified: string }

export function publicationTimeliness(
  cal: WorkCalendar,
  formedOn: string,
  publishedAt: string | null,
  now: Date,
): Timeliness {
  const on = publishedAt ? formatShanghai(publishedAt).slice(0, 10) : formatShanghai(now.toISOString()).slice(0, 10)
  const unrecorded: number[] = []
  for (;;) {
    try {
      const due = addWorkingDays(unrecorded.length ? earliestPossible(cal, unrecorded) : cal, formedOn, 20)
      if (!unrecorded.length) return { due, late: on > due }
      if (on <= due) return { due, late: false, notBefore: true, unrecorded }
      return { due: null, unverified: new CalendarMissing(unrecorded[0]!).message }
    } catch (e) {
      if (!(e instanceof CalendarMissing) || unrecorded.length > 1) throw e
      unrecorded.push(e.year)
    }
  }
}
