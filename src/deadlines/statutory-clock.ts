import { addWorkingDays, isWorkday } from './calendar.ts'
import type { WorkCalendar } from './calendar.ts'

// The statutory clock of an application (条例 arts. 30–35, law-and-format.md §1.6): 20 working days
// from the day after receipt; a 补正 restarts it from the corrected application; consultations
// (arts. 32, 34) and, by a setting, the time between a fee notice and its payment do not count; an
// extension approved before the due date adds at most 20 working days; art. 35 sets a later date.
// Pure: the events and the calendar in, the due date and every step that moved it out.

export type ClockSettings = Readonly<{
  replyDays: number
  correctionNoticeDays: number
  consultationReplyDays: number
  feePayDays: number
  maxExtensionDays: number
  /** Whether the days between a fee notice and its payment are not counted (spec §3 marks it [U]). */
  feePausesClock: boolean
}>

export const statutoryClock: ClockSettings = {
  replyDays: 20,
  correctionNoticeDays: 7,
  consultationReplyDays: 15,
  feePayDays: 20,
  maxExtensionDays: 20,
  feePausesClock: true,
}

export type ClockEvent =
  | { kind: 'correctionRequested'; on: string; correctBy?: string }
  | { kind: 'correctionReceived'; on: string }
  | { kind: 'consultationSent'; on: string; party: 'thirdParty' | 'agency'; ref: string }
  | { kind: 'consultationReplied'; on: string; ref: string }
  /** Effective only once its notice to the applicant is issued (art. 33 para. 2): `noticeIssuedOn`. */
  | { kind: 'extensionApproved'; on: string; days: number; noticeIssuedOn?: string }
  /**
   * `receivedByApplicantOn`: the day the applicant received the notice (electronic delivery: `on`);
   * `receiptPending`: sent by post and its receipt not recorded yet, so the days to pay have not begun.
   */
  | { kind: 'feeNotified'; on: string; receivedByApplicantOn?: string; receiptPending?: boolean }
  | { kind: 'feePaid'; on: string }
  | { kind: 'reasonsRequested'; on: string }
  | { kind: 'delaySet'; on: string; until: string }
  /** `label`: the outcome as the annual report names it. */
  | { kind: 'concluded'; on: string; outcome: string; label?: string }

export type ClockStep = { on: string; text: string; due: string | null }

export type ClockState = {
  receivedOn: string
  /** The day the 20 working days are counted from (the receipt, or the corrected application). */
  countedFrom: string
  /** Null while the applicant has a correction to make: the clock has not started. */
  due: string | null
  /** The 补正 notice must go out by this date (art. 30). */
  correctionNoticeBy: string
  /** Set while a consultation or an unpaid fee notice stops the clock. */
  pausedSince: string | null
  /** The last day to pay the fee notice (109号): 20 working days from the day after the applicant received it. */
  feePayBy: string | null
  /** A fee notice was posted and the day the applicant received it is not recorded: no 缴费期限 yet. */
  feeReceiptPending: boolean
  awaitingCorrection: boolean
  steps: ClockStep[]
}

type Pause = { from: string; to: string; label: string }

const nextDay = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}
export const chineseDate = (date: string) =>
  `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`
const cn = chineseDate

/** The working days strictly after `from` up to and including `to`. */
function workdaysBetween(cal: WorkCalendar, from: string, to: string): number {
  let n = 0
  for (let day = nextDay(from); day <= to; day = nextDay(day)) if (isWorkday(cal, day)) n++
  return n
}

/** The day on which the `count`-th counted working day after `start` falls, skipping paused days. */
function walk(cal: WorkCalendar, start: string, count: number, pauses: readonly Pause[]): string {
  let day = start
  let left = count
  while (left > 0) {
    day = nextDay(day)
    if (isWorkday(cal, day) && !pauses.some((p) => day > p.from && day <= p.to)) left--
  }
  return day
}

/**
 * The clock of one application as of `asOf` (today): an open consultation or fee notice is taken to
 * end today, or at the end of the other side's time to answer or pay, whichever comes first.
 */
export function computeClock(
  cal: WorkCalendar,
  receivedOn: string,
  events: readonly ClockEvent[],
  asOf: string,
  settings: ClockSettings = statutoryClock,
): ClockState {
  const ordered = [...events].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))
  const correctionNoticeBy = addWorkingDays(cal, receivedOn, settings.correctionNoticeDays)
  let countedFrom = receivedOn
  let awaitingCorrection = false
  let extensionDays = 0
  let delayedTo: string | null = null
  const pauses: Pause[] = []
  // `limit` null: the other side's time has not begun (a posted fee notice not yet received).
  const open = new Map<string, { on: string; label: string; from: string; limit: number | null }>()
  const endOf = (o: { from: string; limit: number | null }, at: string) =>
    o.limit === null ? at : addWorkingDays(cal, o.from, o.limit)
  let reasonsRequested = false
  let feeFrom: string | null = null
  let feeReceiptPending = false
  const steps: ClockStep[] = []

  // Open pauses run to today or to the end of the other side's time, whichever is first.
  // Each step shows the due date as it stood that day; the last one as it stands on `asOf`.
  const currentPauses = (at: string): Pause[] => [
    ...pauses,
    ...[...open.values()].map((o) => {
      const end = endOf(o, at)
      return { from: o.on, to: at < end ? at : end, label: o.label }
    }),
  ]
  let today = receivedOn
  const due = (): string | null =>
    awaitingCorrection
      ? null
      : (delayedTo ?? walk(cal, countedFrom, settings.replyDays + extensionDays, currentPauses(today)))

  steps.push({
    on: receivedOn,
    text: `收到申请（条例第三十一条），自次日起算 ${settings.replyDays} 个工作日`,
    due: due(),
  })
  for (const e of ordered) {
    today = e.on
    switch (e.kind) {
      case 'correctionRequested': {
        awaitingCorrection = true
        const late = e.on > correctionNoticeBy ? `；应于${cn(correctionNoticeBy)}前发出，已逾期` : ''
        const by = e.correctBy ? `，补正期限至${cn(e.correctBy)}` : ''
        steps.push({
          on: e.on,
          text: `发出补正通知（第三十条）${by}，期间不计时${late}`,
          due: null,
        })
        break
      }
      case 'correctionReceived':
        awaitingCorrection = false
        countedFrom = e.on
        pauses.length = 0
        steps.push({
          on: e.on,
          text: `收到补正后的申请，答复期限自次日重新起算 ${settings.replyDays} 个工作日（第三十条）`,
          due: due(),
        })
        break
      case 'consultationSent': {
        const label = e.party === 'thirdParty' ? '征求第三方意见（第三十二条）' : '征求其他机关意见（第三十四条）'
        open.set(e.ref, { on: e.on, label, from: e.on, limit: settings.consultationReplyDays })
        steps.push({
          on: e.on,
          text: `${label}，自次日起至答复之日不计入答复期限（对方 ${settings.consultationReplyDays} 个工作日内答复）`,
          due: due(),
        })
        break
      }
      case 'consultationReplied': {
        const o = open.get(e.ref)
        if (!o) break
        open.delete(e.ref)
        const end = endOf(o, e.on)
        const to = e.on < end ? e.on : end
        pauses.push({ from: o.on, to, label: o.label })
        steps.push({
          on: e.on,
          text: `${o.label.replace(/（.*/, '')}收到答复，${workdaysBetween(cal, o.on, to)} 个工作日不计入`,
          due: due(),
        })
        break
      }
      case 'feeNotified': {
        // 109号: the applicant pays within 20 working days from the day after receiving the notice;
        // a posted notice whose receipt is not recorded has no 缴费期限 yet, and stops the clock meanwhile.
        if (e.receiptPending) {
          feeFrom = null
          feeReceiptPending = true
          if (settings.feePausesClock) open.set('fee', { on: e.on, label: '收费通知', from: e.on, limit: null })
          steps.push({
            on: e.on,
            text: `邮寄发出收费通知（国办函〔2020〕109号），申请人收到日期尚未记录，缴费期限自收到之次日起 ${settings.feePayDays} 个工作日${settings.feePausesClock ? '，期间不计入答复期限' : ''}`,
            due: due(),
          })
          break
        }
        feeFrom = e.receivedByApplicantOn ?? e.on
        const payBy = cn(addWorkingDays(cal, feeFrom, settings.feePayDays))
        if (settings.feePausesClock)
          open.set('fee', { on: e.on, label: '收费通知', from: feeFrom, limit: settings.feePayDays })
        steps.push({
          on: e.on,
          text: settings.feePausesClock
            ? `发出收费通知（国办函〔2020〕109号），缴费期限至${payBy}，期间不计入答复期限`
            : `发出收费通知（国办函〔2020〕109号），缴费期限至${payBy}`,
          due: due(),
        })
        break
      }
      case 'feePaid': {
        const o = open.get('fee')
        feeFrom = null
        feeReceiptPending = false
        if (o) {
          open.delete('fee')
          const end = endOf(o, e.on)
          const to = e.on < end ? e.on : end
          pauses.push({ from: o.on, to, label: o.label })
          steps.push({ on: e.on, text: `申请人缴费，${workdaysBetween(cal, o.on, to)} 个工作日不计入`, due: due() })
        } else steps.push({ on: e.on, text: '申请人缴费', due: due() })
        break
      }
      case 'extensionApproved': {
        // Art. 33 para. 2: approved by the office head and notified to the applicant within the reply
        // period, at most 20 working days in all; approval alone does not move the due date.
        const before = due()
        const notice = e.noticeIssuedOn
        if (
          before &&
          notice &&
          e.on <= before &&
          notice <= before &&
          e.days > 0 &&
          extensionDays + e.days <= settings.maxExtensionDays
        ) {
          extensionDays += e.days
          steps.push({
            on: e.on,
            text: `经政府信息公开工作机构负责人同意延长答复期限 ${e.days} 个工作日，${cn(notice)}告知申请人（第三十三条）`,
            due: due(),
          })
        } else {
          steps.push({
            on: e.on,
            text: notice
              ? `延期不予计入：须在答复期限届满前经负责人同意并告知申请人，且不超过 ${settings.maxExtensionDays} 个工作日（第三十三条）`
              : `经政府信息公开工作机构负责人同意延长答复期限 ${e.days} 个工作日，延期告知书尚未发出，答复期限暂不延长（第三十三条第二款）`,
            due: before,
          })
        }
        break
      }
      case 'reasonsRequested':
        reasonsRequested = true
        steps.push({ on: e.on, text: '申请数量、频次明显超过合理范围，要求申请人说明理由（第三十五条）', due: due() })
        break
      case 'delaySet':
        if (!reasonsRequested) {
          steps.push({ on: e.on, text: '延迟答复不予计入：须先要求申请人说明理由（第三十五条）', due: due() })
          break
        }
        delayedTo = e.until
        steps.push({
          on: e.on,
          text: `申请数量、频次明显超过合理范围，确定延迟答复的合理期限至${cn(e.until)}并告知申请人（第三十五条）`,
          due: due(),
        })
        break
      case 'concluded':
        steps.push({ on: e.on, text: `办结：${e.label ?? e.outcome}`, due: due() })
        break
    }
  }
  today = asOf
  const openSince =
    [...open.values()]
      .filter((o) => asOf <= endOf(o, asOf))
      .map((o) => o.on)
      .sort()[0] ?? null
  return {
    receivedOn,
    countedFrom,
    due: due(),
    correctionNoticeBy,
    pausedSince: openSince,
    feePayBy: feeFrom ? addWorkingDays(cal, feeFrom, settings.feePayDays) : null,
    feeReceiptPending,
    awaitingCorrection,
    steps,
  }
}

/** One tier of the 109号 standard as it applies to an application: units in the tier × the rate. */
export type FeeBand = { from: number; to: number | null; units: number; rate: number; amount: number }

/**
 * 109号 按件计收: the tier of the n-th application of the same applicant in one natural month —
 * 1–10 free, 11–30 at 100 元/件, then bands of 10, each 100 元/件 more (31–40 at 200, 41–50 at 300 …).
 */
export function perPieceBand(rankInMonth: number): FeeBand {
  if (rankInMonth <= 10) return { from: 1, to: 10, units: 1, rate: 0, amount: 0 }
  if (rankInMonth <= 30) return { from: 11, to: 30, units: 1, rate: 100, amount: 100 }
  const k = Math.floor((rankInMonth - 31) / 10)
  const rate = 100 * (2 + k)
  return { from: 31 + 10 * k, to: 40 + 10 * k, units: 1, rate, amount: rate }
}

/** 109号 art. 4: the fee for the n-th application of the same applicant in one calendar month (元). */
export const perPieceFee = (rankInMonth: number): number => perPieceBand(rankInMonth).amount

/**
 * 109号 按量计收, progressive on the excess: ≤30 pages free, 31–100 at 10 元/页, 101–200 at 20 元/页,
 * 201 and above at 40 元/页; the tiers the pages reach, each with its pages and amount.
 */
export function perVolumeBands(pages: number): FeeBand[] {
  const tiers: [number, number | null, number][] = [
    [30, 100, 10],
    [100, 200, 20],
    [200, null, 40],
  ]
  return tiers
    .map(([after, to, rate]) => {
      const units = Math.max(0, Math.min(pages, to ?? Infinity) - after)
      return { from: after + 1, to, units, rate, amount: units * rate }
    })
    .filter((b) => b.units > 0)
}

/** 109号 art. 5: the fee for one application by its pages (元), progressive on the excess. */
export const perVolumeFee = (pages: number): number => perVolumeBands(pages).reduce((n, b) => n + b.amount, 0)

/** On time when delivered (signature date, or posting date for mail; 235号) by the due date. */
export const deliveredOnTime = (due: string, deliveredOn: string) => deliveredOn <= due
