import { listAgencies } from '../agencies/agency.store.ts'
import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { CalendarMissing } from '../deadlines/calendar.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import type { Deps } from '../deps.ts'
import type { ApplicationRow } from '../storage/database.ts'
import { clampPage, offsetOf, pageOf, pageSize } from '../paging.ts'
import type { Queue } from './application.ts'
import { isOverdue, maySeePersonalData, shanghaiDate } from './application.ts'
import type { DatedRow } from './application.ts'
import {
  findApplicationById,
  listCorrectionNotices,
  listPausedApplications,
  countQueue,
  listQueue,
  listRegionOpenApplications,
} from './application.store.ts'
import type { CorrectionNotice, QueueFilter, RegionOpenApplication } from './application.store.ts'
import { fieldAad } from './applicant-data.ts'
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

/** What narrows a queue besides its tab: part of the number, the applicant's name, the receipt dates; and the page. */
export type QueueQuery = QueueFilter & { name?: string | undefined; page?: number | undefined }

export type QueueView = {
  today: string
  /** One page of the queue (50 rows). */
  list: ApplicationRow[]
  /** How many applications the whole filtered queue holds. */
  total: number
  page: number
  /** Set when a queue that has to be read whole was longer than this and only its first rows were searched. */
  scanLimit?: number | undefined
  calendarProblem: string | undefined
  /** For the office head: the 补正 notices sent late (条例第三十条). */
  lateCorrections?: LateCorrection[]
}

/**
 * How many applications at most are read to filter a queue in memory: the overdue and due-soon
 * queues (their paused applications are counted afresh) and a search by name (names are encrypted,
 * so they cannot be searched in SQL). A longer queue is searched in its first rows and says so.
 */
export const queueScanLimit = 5000

const normalisedName = (s: string) => s.replace(/\s+/g, '').toLowerCase()

/**
 * Whether the applicant's name contains `name`, as this actor may see it: the full name for the
 * application's handler and the office head, otherwise only the masked name everyone sees
 * (maySeePersonalData), so a search never tells anyone more than the list shows.
 */
function nameMatches(deps: Deps, actor: StaffActor, row: ApplicationRow, name: string): boolean {
  const full =
    maySeePersonalData(actor, row) && row.applicant_name_enc
      ? deps.fields.decrypt(row.applicant_name_enc, fieldAad(row.number, 'name'))
      : null
  return normalisedName(full ?? row.applicant_name_masked ?? '').includes(normalisedName(name))
}

const withinFilter = (r: ApplicationRow, f: QueueFilter) =>
  (!f.number || r.number.toUpperCase().includes(f.number.toUpperCase())) &&
  (!f.from || r.received_on >= f.from) &&
  (!f.to || r.received_on <= f.to)

/** One page of a queue of the actor's agency, filtered, with the total it holds. */
export async function agencyQueue(
  deps: Deps,
  actor: StaffActor,
  queue: Queue,
  query: QueueQuery = {},
): Promise<QueueView> {
  const today = shanghaiDate(deps.clock.now())
  const { soonBy, problem } = await soonByOf(deps, today)
  const head = actor.roles.includes('office_head')
    ? { lateCorrections: await lateCorrections(deps, actor.agencyId) }
    : {}
  const f: QueueFilter = { number: query.number, from: query.from, to: query.to }
  const page = query.page ?? 1
  const common = { today, calendarProblem: problem, ...head }
  const computed = queue === 'overdue' || queue === 'soon'
  if (!computed && !query.name) {
    const total = await countQueue(deps.db, actor.agencyId, queue, today, soonBy, f)
    const p = clampPage(page, total)
    const listed = await listQueue(deps.db, actor.agencyId, queue, today, soonBy, f, {
      limit: pageSize,
      offset: offsetOf(p),
    })
    return { ...common, list: await Promise.all(listed.map((r) => live(deps, r, today))), total, page: p }
  }
  const listed = await listQueue(deps.db, actor.agencyId, queue, today, soonBy, f, {
    limit: queueScanLimit + 1,
    offset: 0,
  })
  const scanLimit = listed.length > queueScanLimit ? queueScanLimit : undefined
  let rows = listed.slice(0, queueScanLimit)
  if (computed) {
    // A paused application's cached due date is too early: take every paused one and count it afresh.
    const paused = (await listPausedApplications(deps.db, actor.agencyId)).filter((r) => withinFilter(r, f))
    const candidates = [...rows.filter((r) => !r.paused_since), ...paused]
    const fresh = await Promise.all(candidates.map((r) => live(deps, r, today)))
    rows = fresh
      .filter((r) => (queue === 'overdue' ? isOverdue(r, today) : isSoon(r, today, soonBy)))
      .sort((a, b) => (a.due_on ?? '').localeCompare(b.due_on ?? '') || b.id - a.id)
  }
  if (query.name) {
    rows = rows.filter((r) => nameMatches(deps, actor, r, query.name!))
    // A search by name touches personal data, so it is audited as a reveal is; the name itself, free
    // text, is kept out of the log (only how many applications it found).
    const matched = rows.length
    await deps.db.transaction().execute((trx) =>
      appendAudit(deps, trx, actor, {
        action: 'application.search_by_name',
        objectType: 'agency',
        objectId: actor.agencyId,
        result: 'success',
        detail: { queue, matched },
      }),
    )
  }
  const paged = pageOf(rows, page)
  const list = computed ? paged.rows : await Promise.all(paged.rows.map((r) => live(deps, r, today)))
  return { ...common, list, total: paged.total, page: paged.page, scanLimit }
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
