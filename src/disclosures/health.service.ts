import type { Agency } from '../agencies/agency.ts'
import { listAgencies } from '../agencies/agency.store.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import type { Deps } from '../deps.ts'
import { columnHealth } from './column-health.ts'
import type { HealthReport } from './column-health.ts'
import { columnStats, listTimelinessItems } from './disclosure.store.ts'
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

/** 条例 art. 26: the agency's items, each with the date it is due to be published by and whether it was late. */
export async function timelinessOf(deps: Deps, agencyId: number): Promise<TimelinessRow[]> {
  const cal = await loadCalendar(deps.db)
  const items = await listTimelinessItems(deps.db, agencyId)
  return items.map((i) => ({ ...i, t: publicationTimeliness(cal, i.formed_on, i.published_at, deps.clock.now()) }))
}
