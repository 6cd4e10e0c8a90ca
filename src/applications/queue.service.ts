import { listAgencies } from '../agencies/agency.store.ts'
import type { StaffActor } from '../audit/audit.ts'
import { addWorkingDays, CalendarMissing } from '../deadlines/calendar.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import type { Deps } from '../deps.ts'
import type { ApplicationRow } from '../storage/database.ts'
import type { Queue } from './application.ts'
import { shanghaiDate } from './application.ts'
import { listQueue, listRegionOpenApplications } from './application.store.ts'
import type { RegionOpenApplication } from './application.store.ts'

// The queues by due date: the agency's own, and every agency's for the supervising office.

/** The last day of "due within 5 working days", or the reason it cannot be known yet. */
async function soonByOf(deps: Deps, today: string): Promise<{ soonBy: string; problem?: string }> {
  try {
    return { soonBy: addWorkingDays(await loadCalendar(deps.db), today, 5) }
  } catch (e) {
    if (e instanceof CalendarMissing) return { soonBy: today, problem: e.message }
    throw e
  }
}

export type QueueView = { today: string; list: ApplicationRow[]; calendarProblem: string | undefined }

export async function agencyQueue(deps: Deps, actor: StaffActor, queue: Queue): Promise<QueueView> {
  const today = shanghaiDate(deps.clock.now())
  const { soonBy, problem } = await soonByOf(deps, today)
  const list = await listQueue(deps.db, actor.agencyId, queue, today, soonBy)
  return { today, list, calendarProblem: problem }
}

export type AgencyCounts = { name: string; open: number; overdue: number; soon: number }
export type RegionView = { agencies: AgencyCounts[]; overdue: (RegionOpenApplication & { agency: string })[] }

/** Every agency's open, overdue and due-soon applications, with the overdue ones listed. */
export async function regionQueue(deps: Deps): Promise<RegionView> {
  const today = shanghaiDate(deps.clock.now())
  const agencies = await listAgencies(deps.db)
  const rows = await listRegionOpenApplications(deps.db)
  const { soonBy } = await soonByOf(deps, today)
  const name = new Map(agencies.map((a) => [a.id, a.name]))
  const isOverdue = (r: RegionOpenApplication) => !!r.due_on && r.due_on < today
  const isSoon = (r: RegionOpenApplication) => !!r.due_on && r.due_on >= today && r.due_on <= soonBy
  return {
    agencies: agencies.map((a) => {
      const mine = rows.filter((r) => r.agency_id === a.id)
      return {
        name: a.name,
        open: mine.length,
        overdue: mine.filter(isOverdue).length,
        soon: mine.filter(isSoon).length,
      }
    }),
    overdue: rows.filter(isOverdue).map((r) => ({ ...r, agency: name.get(r.agency_id) ?? '' })),
  }
}
