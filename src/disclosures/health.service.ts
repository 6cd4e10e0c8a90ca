import { performance } from 'node:perf_hooks'
import type { Agency } from '../agencies/agency.ts'
import { listAgencies } from '../agencies/agency.store.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import type { Deps } from '../deps.ts'
import { columnHealth } from './column-health.ts'
import type { HealthReport } from './column-health.ts'
import { columnStats, listTimelinessItems, yieldToEventLoop } from './disclosure.store.ts'
import { publicationTimeliness } from './timeliness.ts'
import type { Timeliness } from './timeliness.ts'

// Column health against the 19号 inspection rules, and 条例 art. 26's publication time limit.

export async function ownColumnHealth(deps: Deps, agencyId: number): Promise<HealthReport> {
  return columnHealth(await columnStats(deps.db, agencyId), deps.clock.now())
}

/** The column health of every agency of the region, for the supervising office. */
export async function regionColumnHealth(deps: Deps): Promise<{ agency: Agency; report: HealthReport }[]> {
  const rows = []
  for (const agency of await listAgencies(deps.db))
    rows.push({ agency, report: await ownColumnHealth(deps, agency.id) })
  return rows
}

export type TimelinessRow = Awaited<ReturnType<typeof listTimelinessItems>>[number] & { t: Timeliness }

/** 条例 art. 26 over an agency's items: the late ones, how many were checked, how many could not be decided. */
export type TimelinessReport = {
  late: TimelinessRow[]
  checked: number
  unverified: { count: number; reason: string } | undefined
}

/** How many items a slice of the check reads (tests make it small, to cross slices). */
export const timelinessSlice = { size: 1000 }

/**
 * 条例 art. 26: every item of the agency, each with the date it is due to be published by and whether it was late; the
 * late ones are kept, newest made first. Read a slice at a time with the event loop given back between slices, and
 * each (made on, hour published) pair worked out once.
 */
export async function timelinessOf(deps: Deps, agencyId: number): Promise<TimelinessReport> {
  const cal = await loadCalendar(deps.db)
  const now = deps.clock.now()
  const known = new Map<string, Timeliness>()
  const late: TimelinessRow[] = []
  let checked = 0
  let unverified: { count: number; reason: string; formedOn: string; id: number } | undefined
  let since = performance.now()
  for (let after = 0; ;) {
    const slice = await listTimelinessItems(deps.db, agencyId, after, timelinessSlice.size)
    for (const [n, item] of slice.entries()) {
      // Working out a new pair can take a while (a year without its holiday notice): the loop is given back every
      // 10 ms within a slice too.
      if (n % 100 === 99 && performance.now() - since > 10) {
        await yieldToEventLoop()
        since = performance.now()
      }
      // A UTC time's hour decides its day in Shanghai: items published within one hour share their outcome.
      const at = item.published_at ?? ''
      const key = `${item.formed_on}|${/^\d{4}-\d\d-\d\dT\d\d:.*Z$/.test(at) ? at.slice(0, 13) : at}`
      let t = known.get(key)
      if (!t) known.set(key, (t = publicationTimeliness(cal, item.formed_on, item.published_at, now)))
      checked++
      if ('late' in t && t.late) late.push({ ...item, t })
      // The reason shown is the newest such item's, as when the list was read newest first.
      if (t.due === null) {
        const newest =
          !unverified ||
          item.formed_on > unverified.formedOn ||
          (item.formed_on === unverified.formedOn && item.id > unverified.id)
        unverified = newest
          ? { count: (unverified?.count ?? 0) + 1, reason: t.unverified, formedOn: item.formed_on, id: item.id }
          : { ...unverified!, count: unverified!.count + 1 }
      }
    }
    if (slice.length < timelinessSlice.size) break
    after = slice.at(-1)!.id
    await yieldToEventLoop()
    since = performance.now()
  }
  late.sort((x, y) => (x.formed_on < y.formed_on ? 1 : x.formed_on > y.formed_on ? -1 : y.id - x.id))
  return { late, checked, unverified: unverified && { count: unverified.count, reason: unverified.reason } }
}
