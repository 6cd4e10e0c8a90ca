import { listAgencies } from '../agencies/agency.store.ts'
import type { StaffActor } from '../audit/audit.ts'
import { CalendarMissing } from '../deadlines/calendar.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import type { Deps } from '../deps.ts'
import type { ApplicationRow } from '../storage/database.ts'
import type { Queue } from './application.ts'
import { isOverdue, shanghaiDate } from './application.ts'
import type { DatedRow } from './application.ts'
import {
  findApplicationById,
  listCorrectionNotices,
  listPausedApplications,
  listQueue,
  listRegionOpenApplications,
} from './application.store.ts'
import type { CorrectionNotice, RegionOpenApplication } from './application.store.ts'
import { addWorkingDaysProvisionally, clockOrProblem } from './due-date.service.ts'

// The queues by due date: the agency's own, and every agency's for the supervising office. The due
// date cached on the row is exact unless the clock was stopped when it was computed (an open
// consultation, arts. 32, 34; an unpaid fee notice, 109号): those are counted afresh on the live
// clock, and a paused application is never overdue.

/** The row with its due date and pause as of `today`, counted afresh when its clock was stopped. */
async function live<
  R extends {
    id: number
    status: string | null
    due_on: string | null
    due_provisional: number
    paused_since: string | null
  },
>(deps: Deps, row: R, today: string): Promise<R> {
  if (!row.paused_since || row.status === 'concluded') return row
  const full = await findApplicationById(deps.db, row.id)
  const { clock } = full ? await clockOrProblem(deps, deps.db, full, today) : { clock: null }
  return clock
    ? { ...row, due_on: clock.due, due_provisional: clock.provisional ? 1 : 0, paused_since: clock.pausedSince }
    : row
}

const isSoon = (r: DatedRow, today: string, soonBy: string) =>
  r.status !== null && r.status !== 'concluded' && !!r.due_on && r.due_on >= today && r.due_on <= soonBy

/**
 * The last day of "due within 5 working days", or the reason it cannot be known yet. Across the
 * new year before its holiday notice is out it is counted provisionally (暂定), as the due dates are.
 */
async function soonByOf(deps: Deps, today: string): Promise<{ soonBy: string; problem?: string }> {
  try {
    return { soonBy: addWorkingDaysProvisionally(await loadCalendar(deps.db), today, 5) }
  } catch (e) {
    if (e instanceof CalendarMissing) return { soonBy: today, problem: e.message }
    throw e
  }
}

/** A 补正 notice sent after the 7 working days of 条例第三十条, with the last day it was due. */
export type LateCorrection = CorrectionNotice & { noticeBy: string }

/**
 * The 补正 notices sent after the 7 working days from receipt that 条例第三十条 allows (一次性告知):
 * accepted, but shown to the office head and the supervising office.
 */
export async function lateCorrections(deps: Deps, agencyId?: number): Promise<LateCorrection[]> {
  const cal = await loadCalendar(deps.db)
  const late: LateCorrection[] = []
  for (const n of await listCorrectionNotices(deps.db, agencyId)) {
    const noticeBy = addWorkingDaysProvisionally(cal, n.received_on, 7)
    if (n.on_date > noticeBy) late.push({ ...n, noticeBy })
  }
  return late
}

export type QueueView = {
  today: string
  list: ApplicationRow[]
  calendarProblem: string | undefined
  /** For the office head: the 补正 notices sent late (条例第三十条). */
  lateCorrections?: LateCorrection[]
}

export async function agencyQueue(deps: Deps, actor: StaffActor, queue: Queue): Promise<QueueView> {
  const today = shanghaiDate(deps.clock.now())
  const { soonBy, problem } = await soonByOf(deps, today)
  const head = actor.roles.includes('office_head')
    ? { lateCorrections: await lateCorrections(deps, actor.agencyId) }
    : {}
  const listed = await listQueue(deps.db, actor.agencyId, queue, today, soonBy)
  if (queue !== 'overdue' && queue !== 'soon')
    return {
      today,
      list: await Promise.all(listed.map((r) => live(deps, r, today))),
      calendarProblem: problem,
      ...head,
    }
  // A paused application's cached due date is too early: take every paused one and count it afresh.
  const paused = await listPausedApplications(deps.db, actor.agencyId)
  const candidates = [...listed.filter((r) => !r.paused_since), ...paused]
  const fresh = await Promise.all(candidates.map((r) => live(deps, r, today)))
  const list = fresh
    .filter((r) => (queue === 'overdue' ? isOverdue(r, today) : isSoon(r, today, soonBy)))
    .sort((a, b) => (a.due_on ?? '').localeCompare(b.due_on ?? '') || b.id - a.id)
  return { today, list, calendarProblem: problem, ...head }
}

export type AgencyCounts = { name: string; open: number; overdue: number; soon: number; lateCorrections: number }
export type RegionView = {
  agencies: AgencyCounts[]
  overdue: (RegionOpenApplication & { agency: string })[]
  /** The 补正 notices sent after the 7 working days of 条例第三十条, per agency. */
  lateCorrections: (LateCorrection & { agency: string })[]
}

/** Every agency's open, overdue and due-soon applications, with the overdue ones listed. */
export async function regionQueue(deps: Deps): Promise<RegionView> {
  const today = shanghaiDate(deps.clock.now())
  const agencies = await listAgencies(deps.db)
  const rows = await liveOpenApplications(deps, today)
  const { soonBy } = await soonByOf(deps, today)
  const name = new Map(agencies.map((a) => [a.id, a.name]))
  const overdue = (r: RegionOpenApplication) => isOverdue(r, today)
  const soon = (r: RegionOpenApplication) => isSoon(r, today, soonBy)
  const late = await lateCorrections(deps)
  return {
    agencies: agencies.map((a) => {
      const mine = rows.filter((r) => r.agency_id === a.id)
      return {
        name: a.name,
        open: mine.length,
        overdue: mine.filter(overdue).length,
        soon: mine.filter(soon).length,
        lateCorrections: late.filter((l) => l.agency_id === a.id).length,
      }
    }),
    overdue: rows.filter(overdue).map((r) => ({ ...r, agency: name.get(r.agency_id) ?? '' })),
    lateCorrections: late.map((l) => ({ ...l, agency: name.get(l.agency_id) ?? '' })),
  }
}

/** Every agency's open applications with their due dates on the live clock (for the region's counts). */
export async function liveOpenApplications(deps: Deps, today: string): Promise<RegionOpenApplication[]> {
  const rows = await listRegionOpenApplications(deps.db)
  return (await Promise.all(rows.map((r) => live(deps, r, today)))).sort((a, b) =>
    (a.due_on ?? '').localeCompare(b.due_on ?? ''),
  )
}
