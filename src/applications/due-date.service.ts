import { isoNow } from '../clock.ts'
import { addWorkingDays, CalendarMissing } from '../deadlines/calendar.ts'
import { calendarFor } from '../deadlines/calendar.store.ts'
import { provisionally, provisionalStep, reviewClock } from '../deadlines/clock-review.ts'
import type { WorkCalendar } from '../deadlines/calendar.ts'
import { computeClock, statutoryClock } from '../deadlines/statutory-clock.ts'
import type { ClockEvent, ClockSettings, ClockState } from '../deadlines/statutory-clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readSetting, readSettingCached } from '../settings/settings.store.ts'
import type { ApplicationRow, Executor } from '../storage/database.ts'
import { clockEvents, shanghaiDate } from './application.ts'
import { findApplicationById, listEvents, listOpenApplications, updateApplication } from './application.store.ts'

// The due date is recomputed from the timeline each time (statutory-clock.ts) and cached on the
// row only for the queues.

export async function readClockSettings(db: Executor, scope?: object): Promise<ClockSettings> {
  const fee = scope
    ? await readSettingCached(scope, db, 'requests.feePausesClock')
    : await readSetting(db, 'requests.feePausesClock')
  return { ...statutoryClock, feePausesClock: fee !== 'false' }
}

/** The clock with whether its due date is 暂定: it runs into a year whose holiday notice is not recorded. */
export type DueClock = ClockState & { provisional: boolean }

/**
 * The clock on `cal`; a period running into an unrecorded year is counted provisionally (暂定) by
 * the same rule as `gongkai clock` (clock-review.ts: weekends and the holidays fixed by date in
 * 《全国年节及纪念日放假办法》), with a step that says so.
 */
export function provisionalClock(
  cal: WorkCalendar,
  receivedOn: string,
  events: readonly ClockEvent[],
  asOf: string,
  settings: ClockSettings,
): DueClock {
  const { value, years } = provisionally(cal, (c) => computeClock(c, receivedOn, events, asOf, settings))
  if (years.length) value.steps.push({ on: asOf, text: provisionalStep(years), due: value.due })
  return { ...value, provisional: years.length > 0 }
}

/** `n` working days after `date`, counted provisionally (暂定) into a year whose notice is not recorded. */
export const addWorkingDaysProvisionally = (cal: WorkCalendar, date: string, n: number) =>
  provisionally(cal, (c) => addWorkingDays(c, date, n)).value

/** The application's clock as of today (or `asOf`), with every step that moved its due date. */
export async function clockOf(deps: Deps, db: Executor, application: ApplicationRow, asOf?: string): Promise<DueClock> {
  const events = await listEvents(db, application.id)
  const today = asOf ?? shanghaiDate(deps.clock.now())
  const concluded = application.concluded_on
  return provisionalClock(
    await calendarFor(deps, db),
    application.received_on,
    clockEvents(events),
    concluded && concluded < today ? concluded : today,
    await readClockSettings(db, deps),
  )
}

/**
 * The clock, or the reason it cannot be computed. A due date that runs into the next year, whose
 * holiday notice is not recorded yet, is 暂定 (provisional) rather than missing; only a period
 * running years beyond the recorded calendar leaves it undetermined with that reason.
 */
export async function clockOrProblem(
  deps: Deps,
  db: Executor,
  application: ApplicationRow,
  asOf?: string,
): Promise<{ clock: DueClock | null; problem: string | null }> {
  try {
    return { clock: await clockOf(deps, db, application, asOf), problem: null }
  } catch (e) {
    if (e instanceof CalendarMissing) return { clock: null, problem: e.message }
    throw e
  }
}

/** Recomputes and caches the due date after a change. */
export async function refreshDue(deps: Deps, trx: Executor, application: ApplicationRow): Promise<void> {
  const fresh = (await findApplicationById(trx, application.id))!
  const { clock } = await clockOrProblem(deps, trx, fresh)
  await updateApplication(trx, application.id, {
    due_on: clock?.due ?? null,
    due_provisional: clock?.provisional ? 1 : 0,
    paused_since: clock?.pausedSince ?? null,
    updated_at: isoNow(deps.clock),
  })
}

/** After a year's holiday notice is recorded: the open applications' due dates, computed afresh. */
export async function refreshOpenDueDates(deps: Deps): Promise<number> {
  const open = await listOpenApplications(deps.db)
  for (const application of open) await deps.db.transaction().execute((trx) => refreshDue(deps, trx, application))
  return open.length
}

// The steps refused because a period has run out, as against steps that come in the wrong order.
const afterPeriod = new Set([
  'correction_after_due',
  'extension_after_due',
  'extension_notice_late',
  'fee_after_due',
  'no_fee_too_early',
])

/**
 * Refuses a step the law does not allow on this application's timeline, with the very problem
 * `gongkai clock` reports for it (clock-review.ts: arts. 30–35, 国办函〔2020〕109号).
 */
export async function refuseUnlawfulStep(
  deps: Deps,
  trx: Executor,
  application: ApplicationRow,
  step: ClockEvent,
): Promise<void> {
  const events = clockEvents(await listEvents(trx, application.id))
  const review = reviewClock(
    await calendarFor(deps, trx),
    application.received_on,
    [...events, step],
    step.on,
    await readClockSettings(trx, deps),
  )
  const problem = review.problems.find((p) => p.event === events.length)
  if (problem)
    throw new AppError(afterPeriod.has(problem.code) ? 'deadline_passed' : 'invalid_transition', problem.message)
}
