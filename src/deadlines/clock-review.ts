import { CalendarMissing, holidaysFixedByDate } from './calendar.ts'
import type { WorkCalendar } from './calendar.ts'
import { chineseDate as cn, computeClock, statutoryClock } from './statutory-clock.ts'
import type { ClockEvent, ClockSettings, ClockState } from './statutory-clock.ts'

// Which steps of an application's timeline the law allows (条例 arts. 30–35, 国办函〔2020〕109号),
// and the clock of the lawful ones. The console's use cases refuse exactly what this reports as a
// problem, and `gongkai clock` prints it: one implementation for both.

export type ClockProblem = { event: number; code: string; message: string }

export type ClockReview = ClockState & {
  /** A consultation is open, or a fee unpaid while the fee-pause setting is on: not overdue. */
  paused: boolean
  overdue: boolean
  /** The due date runs into a year whose holiday notice is not recorded: counted as 暂定. */
  provisional: boolean
  problems: ClockProblem[]
}

type Context = {
  /** The lawful steps before this one. */
  lawful: readonly ClockEvent[]
  /** The clock of the lawful steps as it stands on the day of this step, or of `date`. */
  at: (date?: string) => ClockState
  settings: ClockSettings
}

const dueOf = (s: ClockState) => s.due ?? '（未起算）'

/** The rule a step must meet, given the lawful steps before it: null, or "code:message". */
function problemOf(e: ClockEvent, { lawful, at, settings }: Context): string | null {
  switch (e.kind) {
    case 'correctionRequested': {
      if (lawful.some((x) => x.kind === 'correctionRequested'))
        return 'correction_repeated:补正通知应一次性告知（条例第三十条），本申请已发出过补正通知'
      const due = at().due
      if (due && e.on > due)
        return `correction_after_due:答复期限已于${cn(due)}届满，不能再要求补正（条例第三十条）；补正不能使已逾期的申请重新起算`
      return null
    }
    case 'correctionReceived':
      return at().awaitingCorrection ? null : 'no_correction_pending:本申请没有等待补正（条例第三十条）'
    case 'consultationSent': {
      if (at().awaitingCorrection) return 'consultation_while_correcting:等待补正期间不能征求意见'
      if (lawful.some((x) => x.kind === 'consultationSent' && x.ref === e.ref))
        return `consultation_repeated:征求意见编号 ${e.ref} 重复`
      return null
    }
    case 'consultationReplied': {
      if (!lawful.some((x) => x.kind === 'consultationSent' && x.ref === e.ref))
        return `consultation_unknown:没有编号为 ${e.ref} 的征求意见（条例第三十二条、第三十四条）`
      if (lawful.some((x) => x.kind === 'consultationReplied' && x.ref === e.ref))
        return `consultation_replied:编号 ${e.ref} 的征求意见已记录答复`
      return null
    }
    case 'extensionApproved': {
      const max = settings.maxExtensionDays
      if (!Number.isInteger(e.days) || e.days < 1 || e.days > max)
        return `extension_too_long:延长答复期限最长不得超过 ${max} 个工作日（条例第三十三条第二款）`
      if (lawful.some((x) => x.kind === 'extensionApproved'))
        return `extension_repeated:答复期限已延长过，延长期限最长不超过 ${max} 个工作日（条例第三十三条第二款）`
      const due = at().due
      if (!due || e.on > due)
        return `extension_after_due:延期须在答复期限（${dueOf(at())}）届满前经负责人同意（条例第三十三条第二款）`
      if (!e.noticeIssuedOn) return null
      if (e.noticeIssuedOn < e.on) return 'extension_notice_early:延期告知日期不能早于批准日期'
      const dueOnNotice = at(e.noticeIssuedOn).due
      if (dueOnNotice && e.noticeIssuedOn > dueOnNotice)
        return `extension_notice_late:延期告知书须在答复期限（${cn(dueOnNotice)}）届满前发出，逾期告知的延期不发生效力（条例第三十三条第二款）`
      return null
    }
    case 'feeNotified': {
      if (lawful.some((x) => x.kind === 'feeNotified'))
        return 'fee_repeated:本申请已发出收费通知；按件与按量不得同时计收（国办函〔2020〕109号）'
      const due = at().due
      if (due && e.on > due)
        return `fee_after_due:收费通知须在答复期限（${cn(due)}）内发出（国办函〔2020〕109号），期限已届满`
      if (e.receivedByApplicantOn && e.receivedByApplicantOn < e.on)
        return 'fee_received_before_sent:申请人收到收费通知的日期不能早于发出日期'
      return null
    }
    case 'feePaid': {
      const state = at()
      return state.feePayBy || state.feeReceiptPending ? null : 'fee_not_notified:本申请没有未缴的收费通知'
    }
    case 'reasonsRequested':
      return null
    case 'delaySet': {
      if (!lawful.some((x) => x.kind === 'reasonsRequested'))
        return 'delay_without_reasons:确定延迟答复期限前，须先要求申请人说明理由（条例第三十五条）'
      if (e.until <= e.on) return 'delay_not_later:延迟答复期限应晚于告知日期'
      return null
    }
    case 'concluded': {
      if (e.outcome === 'OTHER_NO_FEE') {
        // 109号: the 20 working days run from the day after the applicant received the notice.
        if (at().feeReceiptPending)
          return 'no_fee_receipt_unknown:申请人收到收费通知的日期尚未记录，缴费期限（自收到之次日起 20 个工作日，国办函〔2020〕109号）尚未起算，不能按逾期未缴费办结；请先记录收费通知送达'
        const payBy = at().feePayBy
        if (!payBy) return 'no_fee_without_notice:本申请没有未缴的收费通知，不能按逾期未缴费办结'
        if (e.on <= payBy)
          return `no_fee_too_early:缴费期限（至${cn(payBy)}，自申请人收到收费通知次日起 20 个工作日，国办函〔2020〕109号）尚未届满，不能按逾期未缴费办结`
      }
      if (e.outcome === 'OTHER_NO_CORRECTION' && !at().awaitingCorrection)
        return 'no_correction_pending:本申请没有等待补正，不能按逾期不补正办结（条例第三十条）'
      return null
    }
  }
}

function withProvisionalYear(cal: WorkCalendar, year: number): WorkCalendar {
  return {
    holidays: new Set([...cal.holidays, ...holidaysFixedByDate(year)]),
    makeupWorkdays: cal.makeupWorkdays,
    years: new Set([...cal.years, year]),
  }
}

/**
 * `count` on the calendar; where it runs into a year whose holiday notice is not recorded, that year
 * is counted provisionally (暂定) with weekends and the holidays fixed by date. `years`: those
 * guessed. The one provisional count for the console, the applicant's pages and `gongkai clock`.
 */
export function provisionally<T>(
  cal: WorkCalendar,
  count: (cal: WorkCalendar, guessed: readonly number[]) => T,
): { value: T; years: number[] } {
  const guessed: number[] = []
  for (;;) {
    try {
      return { value: count(cal, guessed), years: guessed }
    } catch (e) {
      if (!(e instanceof CalendarMissing) || guessed.includes(e.year) || guessed.length > 2) throw e
      guessed.push(e.year)
      cal = withProvisionalYear(cal, e.year)
    }
  }
}

/** The step that says why the due date is 暂定 (《全国年节及纪念日放假办法》). */
export const provisionalStep = (years: readonly number[]) =>
  `暂定：${years.join('、')} 年放假安排尚未录入，答复期限按周末及《全国年节及纪念日放假办法》按日期固定的节日（元旦、劳动节、国庆节）暂定计算，录入后以实际安排为准`

/**
 * The lawful steps of a timeline and the clock they give as of `asOf` (or the conclusion). An
 * unlawful step is reported with its index in `events` and left out, as the console refuses it.
 * A due date running into a year without a recorded notice is counted provisionally (暂定).
 */
export function reviewClock(
  cal: WorkCalendar,
  receivedOn: string,
  events: readonly ClockEvent[],
  asOf: string,
  settings: ClockSettings = statutoryClock,
): ClockReview {
  const { value, years } = provisionally(cal, (c, guessed) => review(c, guessed))
  return { ...value, provisional: years.length > 0 }

  function review(cal: WorkCalendar, guessed: readonly number[]): Omit<ClockReview, 'provisional'> {
    // The steps in date order (a stable sort keeps same-day steps as given), each checked against
    // the lawful ones before it.
    const ordered = events
      .map((e, index) => ({ e, index }))
      .sort((a, b) => (a.e.on < b.e.on ? -1 : a.e.on > b.e.on ? 1 : 0))
    const lawful: ClockEvent[] = []
    const problems: ClockProblem[] = []
    for (const { e, index } of ordered) {
      const concluded = lawful.some((x) => x.kind === 'concluded')
      const found =
        e.on < receivedOn
          ? 'before_receipt:日期早于收到申请之日（条例第三十一条）'
          : concluded
            ? 'after_conclusion:申请已办结'
            : problemOf(e, {
                lawful,
                at: (date = e.on) => computeClock(cal, receivedOn, lawful, date, settings),
                settings,
              })
      if (found) {
        const at = found.indexOf(':')
        problems.push({ event: index, code: found.slice(0, at), message: found.slice(at + 1) })
      } else lawful.push(e)
    }
    problems.sort((a, b) => a.event - b.event)
    const end = lawful.find((x) => x.kind === 'concluded')?.on
    const until = end && end < asOf ? end : asOf
    const state = computeClock(cal, receivedOn, lawful, until, settings)
    if (guessed.length) state.steps.push({ on: until, text: provisionalStep(guessed), due: state.due })
    const paused = !end && state.pausedSince !== null
    return { ...state, paused, overdue: !paused && state.due !== null && state.due < until, problems }
  }
}
