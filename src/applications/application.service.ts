import type { Actor, StaffActor } from '../audit/audit.ts'
import type { ApplicationStep } from '../audit/audit-labels.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { perPieceFee, perVolumeFee, statutoryClock } from '../deadlines/statutory-clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { mailNotices } from '../notify/outbox.service.ts'
import type { MailNotices } from '../notify/outbox.service.ts'
import type { OutcomeCode } from '../reports/report-records.ts'
import type { ApplicationRow, Executor } from '../storage/database.ts'
import type { ApplicantDetails, ApplicationEvent, FeeDelivery } from './application.ts'
import {
  canMove,
  checkDate,
  feeDeliveries,
  isDate,
  maySeePersonalData,
  publicDetail,
  shanghaiDate,
} from './application.ts'
import { findOwnApplication } from './application.policy.ts'
import {
  insertEvent,
  listApplicantFiles,
  listApplicantMonth,
  listEvents,
  updateApplication,
} from './application.store.ts'
import type { ApplicantFile } from './application.store.ts'
import { maskedApplicant } from './applicant-data.ts'
import { correctionAnswersOf } from './applicant.service.ts'
import type { CorrectionAnswerView } from './applicant.service.ts'
import { clockOrProblem, refreshDue, refuseUnlawfulStep } from './due-date.service.ts'
import type { DueClock } from './due-date.service.ts'
import { draftLetter, listLetters } from './letter.service.ts'
import { mustHaveFeePayment } from './settings.service.ts'
import type { LetterView } from './letter.service.ts'

// The handler's steps on an application while it runs: correction (art. 30), consultation
// (arts. 32, 34), extension (art. 33), fee (109号) and delay (art. 35). Every change is one
// transaction with its timeline event and its audit entry; the due date is recomputed from the
// timeline each time (statutory-clock.ts) and cached on the row only for the queues.

/** Records a step on the timeline with its audit entry (free text stays out of the audit log). */
export async function addEvent(
  deps: Deps,
  trx: Executor,
  actor: Actor,
  application: ApplicationRow,
  kind: ApplicationStep,
  on: string,
  detail: Record<string, unknown> = {},
): Promise<number> {
  const id = await insertEvent(trx, {
    application_id: application.id,
    kind,
    on_date: on,
    detail: JSON.stringify(detail),
    actor_id: actor.id,
    actor_name: actor.name,
    created_at: isoNow(deps.clock),
  })
  await appendAudit(deps, trx, actor, {
    action: `application.${kind}`,
    objectType: 'application',
    objectId: application.number,
    result: 'success',
    detail: { on, ...publicDetail(detail) },
  })
  return id
}

/** Ends an application with its outcome; every ending but a withdrawal is answered by a letter. */
export async function conclude(
  deps: Deps,
  trx: Executor,
  actor: Actor,
  application: ApplicationRow,
  on: string,
  outcome: OutcomeCode,
  replyType: string,
  basis: string,
  kind: ApplicationStep,
  /** What else the decision records on its timeline step (and audit entry), e.g. a flag. */
  detail: Record<string, unknown> = {},
): Promise<void> {
  await addEvent(deps, trx, actor, application, kind, on, { outcome, replyType, ...detail })
  await updateApplication(trx, application.id, {
    status: 'concluded',
    outcome,
    concluded_on: on,
    decided_on: on,
    reply_type: replyType,
    legal_basis: basis || null,
  })
  // A withdrawal needs no letter; every other ending is answered in writing.
  if (kind !== 'withdrawn') await draftLetter(deps, trx, actor, application, 'decision', on)
}

/**
 * One step on an application of the actor's agency, in one transaction with its timeline event and
 * audit entry; the due date is recomputed afterwards.
 */
export async function changeApplication(
  deps: Deps,
  actor: StaffActor,
  id: number,
  work: (trx: Executor, application: ApplicationRow, today: string) => Promise<void>,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const application = await findOwnApplication(deps, actor, id, trx)
    // The first handler to act takes the application; the office head acts without taking it.
    if (application.handler_id === null && actor.roles.includes('handler'))
      await updateApplication(trx, id, { handler_id: actor.id })
    await work(trx, application, shanghaiDate(deps.clock.now()))
    await refreshDue(deps, trx, application)
  })
}

export const mustBeOpen = (application: ApplicationRow) => {
  if (!canMove(application.status, 'concluded')) throw new AppError('invalid_transition', '申请已办结')
}

/** Art. 30: one notice, within 7 working days, naming what to correct and a reasonable period. */
export async function requestCorrection(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string; correctBy: string; what: string },
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    checkDate(input.on, 'on', '补正通知日期', today, application.received_on)
    if (!isDate(input.correctBy) || input.correctBy <= input.on)
      throw new AppError('invalid_input', '补正期限应晚于通知日期', { correctBy: '补正期限应晚于通知日期' })
    if (!input.what.trim())
      throw new AppError('invalid_input', '请写明需要补正的事项', { what: '请写明需要补正的事项' })
    if ((await listEvents(trx, application.id)).some((e) => e.kind === 'correction_requested'))
      throw new AppError('invalid_transition', '补正通知应一次性告知（条例第三十条），本申请已发出过补正通知')
    // Not after the reply period has run out: a 补正 must not revive an overdue application (art. 30).
    await refuseUnlawfulStep(deps, trx, application, { kind: 'correctionRequested', on: input.on })
    await addEvent(deps, trx, actor, application, 'correction_requested', input.on, {
      correctBy: input.correctBy,
      what: input.what.trim(),
    })
    await updateApplication(trx, application.id, { status: 'correction' })
    await draftLetter(deps, trx, actor, application, 'correction', input.on)
  })
}

export async function receiveCorrection(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string },
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    if (!canMove(application.status, 'open')) throw new AppError('invalid_transition', '本申请没有等待补正')
    const asked = (await listEvents(trx, application.id)).find((e) => e.kind === 'correction_requested')!
    checkDate(input.on, 'on', '收到补正之日', today, asked.on)
    await addEvent(deps, trx, actor, application, 'correction_received', input.on)
    await updateApplication(trx, application.id, { status: 'open' })
  })
}

/** The correction period passed without a correction: the application is taken as abandoned (OTHER_NO_CORRECTION). */
export async function concludeWithoutCorrection(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string },
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    if (application.status !== 'correction') throw new AppError('invalid_transition', '本申请没有等待补正')
    const asked = (await listEvents(trx, application.id)).find((e) => e.kind === 'correction_requested')!
    checkDate(input.on, 'on', '办结日期', today)
    if (input.on <= String(asked.detail.correctBy))
      throw new AppError('invalid_transition', `补正期限（${String(asked.detail.correctBy)}）尚未届满`)
    await conclude(
      deps,
      trx,
      actor,
      application,
      input.on,
      'OTHER_NO_CORRECTION',
      'none',
      '',
      'concluded_no_correction',
    )
  })
}

export async function sendConsultation(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string; party: 'thirdParty' | 'agency'; to: string },
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    if (application.status === 'correction') throw new AppError('invalid_transition', '等待补正期间不能征求意见')
    checkDate(input.on, 'on', '发出征求意见之日', today, application.received_on)
    if (!input.to.trim()) throw new AppError('invalid_input', '请填写征求意见的对象', { to: '请填写征求意见的对象' })
    await addEvent(deps, trx, actor, application, 'consultation_sent', input.on, {
      party: input.party,
      to: input.to.trim(),
    })
    if (input.party === 'thirdParty') await draftLetter(deps, trx, actor, application, 'consultation', input.on)
  })
}

export async function recordConsultationReply(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string; ref: number; opinion: string },
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    const events = await listEvents(trx, application.id)
    const sent = events.find((e) => e.id === input.ref && e.kind === 'consultation_sent')
    if (!sent) throw new AppError('not_found', '没有这次征求意见')
    if (events.some((e) => e.kind === 'consultation_replied' && Number(e.detail.ref) === input.ref))
      throw new AppError('invalid_transition', '这次征求意见已记录答复')
    checkDate(input.on, 'on', '收到答复之日', today, sent.on)
    await addEvent(deps, trx, actor, application, 'consultation_replied', input.on, {
      ref: input.ref,
      opinion: input.opinion.trim(),
    })
  })
}

/**
 * Art. 33 para. 2: the office head approves at most 20 working days, before the due date; the
 * 延长答复期限告知书 is drafted, and the extension takes effect only when that letter is issued within
 * the reply period (letter.service.ts issueLetter): approval alone does not move the due date.
 */
export async function approveExtension(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string; days: number; reason: string },
): Promise<void> {
  if (!actor.roles.includes('office_head'))
    throw new AppError('forbidden', '延长答复期限须经政府信息公开工作机构负责人同意')
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    checkDate(input.on, 'on', '批准延期之日', today, application.received_on)
    // 条例 第三十三条第二款: 延长的期限最长不得超过20个工作日. The service refuses more, whatever the form allows.
    if (!Number.isInteger(input.days) || input.days < 1 || input.days > statutoryClock.maxExtensionDays)
      throw new AppError('invalid_input', '延长期限为 1 至 20 个工作日', { days: '延长期限为 1 至 20 个工作日' })
    if (!input.reason.trim()) throw new AppError('invalid_input', '请写明延期理由', { reason: '请写明延期理由' })
    const events = await listEvents(trx, application.id)
    if (events.some((e) => e.kind === 'extension_approved'))
      throw new AppError('invalid_transition', '答复期限已延长过，延长期限最长不超过 20 个工作日')
    await refuseUnlawfulStep(deps, trx, application, { kind: 'extensionApproved', on: input.on, days: input.days })
    // `noticeByLetter`: the extension counts from the day its letter is issued (application.ts clockEvents).
    await addEvent(deps, trx, actor, application, 'extension_approved', input.on, {
      days: input.days,
      noticeByLetter: true,
      reason: input.reason.trim(),
    })
    await draftLetter(deps, trx, actor, application, 'extension', input.on)
  })
}

/**
 * 109号: per piece by the applicant's rank in the calendar month, or per volume by pages; never both;
 * sent within the reply period, stating how to pay (the agency's 缴纳方式, refused while unset). The
 * 20 working days to pay run from the day after the applicant receives it: electronic and in-person
 * delivery on the day sent; by post on `receivedByApplicantOn`, or once recorded (recordFeeNoticeReceipt).
 */
export async function notifyFee(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: {
    on: string
    method: 'piece' | 'volume'
    pages?: number
    /** How the notice reaches the applicant; by default electronic, or post when a later receipt day is given. */
    delivery?: FeeDelivery
    receivedByApplicantOn?: string
  },
): Promise<number> {
  let amount = 0
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    checkDate(input.on, 'on', '收费通知日期', today, application.received_on)
    if (application.fee_method) throw new AppError('invalid_transition', '本申请已发出收费通知；按件与按量不得同时计收')
    const delivery =
      input.delivery ??
      (input.receivedByApplicantOn && input.receivedByApplicantOn !== input.on ? 'post' : 'electronic')
    if (!Object.hasOwn(feeDeliveries, delivery))
      throw new AppError('invalid_input', '请选择送达方式', { delivery: '请选择送达方式' })
    // Electronic and in-person delivery reach the applicant the day they are sent; a posted notice
    // on the day the applicant received it, recorded now or later.
    const receivedByApplicantOn = delivery === 'post' ? input.receivedByApplicantOn : input.on
    if (receivedByApplicantOn)
      checkDate(receivedByApplicantOn, 'receivedByApplicantOn', '申请人收到收费通知之日', today, input.on)
    await refuseUnlawfulStep(deps, trx, application, {
      kind: 'feeNotified',
      on: input.on,
      ...(receivedByApplicantOn ? { receivedByApplicantOn } : { receiptPending: true }),
    })
    await mustHaveFeePayment(trx, application.agency_id)
    const month = application.received_on.slice(0, 7)
    let rank: number | null = null
    if (input.method === 'piece') {
      const same = await listApplicantMonth(trx, application.agency_id, application.applicant_key, month)
      rank = same.filter(
        (r) =>
          r.received_on < application.received_on ||
          (r.received_on === application.received_on && r.id <= application.id),
      ).length
      amount = perPieceFee(rank)
    } else {
      if (!input.pages || !Number.isInteger(input.pages) || input.pages < 1)
        throw new AppError('invalid_input', '按量计收须填写页数', { pages: '请填写页数' })
      amount = perVolumeFee(input.pages)
    }
    if (amount === 0)
      throw new AppError('invalid_input', '按收费标准本申请无需缴费（按件：当月第 1–10 件免费；按量：30 页以内免费）')
    await addEvent(deps, trx, actor, application, 'fee_notified', input.on, {
      method: input.method,
      pages: input.pages ?? null,
      rank,
      month: rank === null ? null : month,
      amount,
      delivery,
      receivedByApplicantOn: receivedByApplicantOn ?? null,
    })
    await updateApplication(trx, application.id, { fee_method: input.method, fee_amount: amount })
    await draftLetter(deps, trx, actor, application, 'fee', input.on)
  })
  return amount
}

/**
 * 109号: "记录收费通知送达" — the day the applicant received a posted fee notice, from which the 20
 * working days to pay run; the application page then shows the exact last day to pay.
 */
export async function recordFeeNoticeReceipt(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string },
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    const events = await listEvents(trx, application.id)
    const notice = events.find((e) => e.kind === 'fee_notified')
    if (!notice || notice.detail.receivedByApplicantOn || events.some((e) => e.kind === 'fee_notice_received'))
      throw new AppError('invalid_transition', '本申请没有待记录送达的收费通知')
    checkDate(input.on, 'on', '申请人收到收费通知之日', today, notice.on)
    await addEvent(deps, trx, actor, application, 'fee_notice_received', input.on)
  })
}

export async function recordFeePaid(deps: Deps, actor: StaffActor, id: number, input: { on: string }): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    const notice = (await listEvents(trx, application.id)).find((e) => e.kind === 'fee_notified')
    if (!notice) throw new AppError('invalid_transition', '本申请没有收费通知')
    // A posted notice's receipt may be unknown: paying proves it arrived, and ends the fee's pause.
    checkDate(input.on, 'on', '缴费日期', today, notice.on)
    await addEvent(deps, trx, actor, application, 'fee_paid', input.on, { amount: notice.detail.amount })
  })
}

/** Not paid within 20 working days from the day after the applicant received the notice (109号): abandoned (OTHER_NO_FEE). */
export async function concludeWithoutFee(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string },
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    const events = await listEvents(trx, application.id)
    const notice = events.find((e) => e.kind === 'fee_notified')
    if (!notice || events.some((e) => e.kind === 'fee_paid'))
      throw new AppError('invalid_transition', '本申请没有未缴的收费通知')
    checkDate(input.on, 'on', '办结日期', today)
    await refuseUnlawfulStep(deps, trx, application, { kind: 'concluded', on: input.on, outcome: 'OTHER_NO_FEE' })
    await conclude(deps, trx, actor, application, input.on, 'OTHER_NO_FEE', 'none', '', 'concluded_no_fee')
  })
}

/** Art. 35: a reasonable later date, set by the office head with the notice to the applicant recorded. */
export async function setDelay(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string; until: string; reason: string },
): Promise<void> {
  if (!actor.roles.includes('office_head'))
    throw new AppError('forbidden', '延迟答复期限须由政府信息公开工作机构负责人确定')
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    checkDate(input.on, 'on', '告知日期', today, application.received_on)
    if (!isDate(input.until) || input.until <= input.on)
      throw new AppError('invalid_input', '延迟答复期限应晚于告知日期', { until: '应晚于告知日期' })
    if (!input.reason.trim()) throw new AppError('invalid_input', '请写明理由', { reason: '请写明理由' })
    // Only after the applicant was asked for the reasons (art. 35).
    await refuseUnlawfulStep(deps, trx, application, { kind: 'delaySet', on: input.on, until: input.until })
    await addEvent(deps, trx, actor, application, 'delay_set', input.on, {
      until: input.until,
      reason: input.reason.trim(),
    })
    await refreshDue(deps, trx, application)
    await draftLetter(deps, trx, actor, application, 'delay', input.on)
  })
}

export type ApplicationView = {
  application: ApplicationRow
  applicant: ApplicantDetails
  revealed: boolean
  clock: DueClock | null
  problem: string | null
  events: ApplicationEvent[]
  /** The applicant's online answers to the 补正 request (条例 art. 30), for those who may see personal data. */
  correctionAnswers: CorrectionAnswerView[]
  letters: LetterView[]
  files: ApplicantFile[]
  /** The actor may see the personal data: the files and letters. */
  personal: boolean
  isHead: boolean
  today: string
  /** The e-mail the applicant was sent about it (issue #11). */
  mail: MailNotices
}

/** Everything the console shows of an application of the actor's agency; personal data masked unless `revealed`. */
export async function applicationView(
  deps: Deps,
  actor: StaffActor,
  id: number,
  revealed?: ApplicantDetails,
): Promise<ApplicationView> {
  const application = await findOwnApplication(deps, actor, id)
  return {
    application,
    applicant: revealed ?? maskedApplicant(deps, application),
    revealed: !!revealed,
    ...(await clockOrProblem(deps, deps.db, application)),
    events: await listEvents(deps.db, id),
    letters: await listLetters(deps, deps.db, application),
    files: await listApplicantFiles(deps.db, id),
    correctionAnswers: maySeePersonalData(actor, application) ? await correctionAnswersOf(deps, application) : [],
    personal: maySeePersonalData(actor, application),
    isHead: actor.roles.includes('office_head'),
    today: shanghaiDate(deps.clock.now()),
    mail: await mailNotices(deps, application),
  }
}
