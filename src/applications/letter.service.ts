import type { Actor, StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { CalendarMissing } from '../deadlines/calendar.ts'
import { calendarFor } from '../deadlines/calendar.store.ts'
import { reviewClock } from '../deadlines/clock-review.ts'
import { computeClock } from '../deadlines/statutory-clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { queueLetterMail } from '../notify/outbox.service.ts'
import { readSetting } from '../settings/settings.store.ts'
import type { ApplicationRow, Executor } from '../storage/database.ts'
import type { ApplicationEvent } from './application.ts'
import { clockEvents, maySeePersonalData, shanghaiDate } from './application.ts'
import { findOwnApplication } from './application.policy.ts'
import {
  findAgencyName,
  findApplicationById,
  findLetter,
  insertEvent,
  insertLetter,
  lastLetterSeq,
  listEvents,
  listLetterRows,
  updateLetter,
} from './application.store.ts'
import { decryptApplicant } from './applicant-data.ts'
import { clockOrProblem, readClockSettings, refreshDue } from './due-date.service.ts'
import { feePaymentOf, mustHaveFeePayment, reconsiderationBodyOf } from './settings.service.ts'
import {
  defaultLetterText,
  fillTemplate,
  isForApplicant,
  letterDocument,
  letterDocx,
  letterKinds,
  letterPdf,
  referenceOf,
} from './letter.ts'
import type { LetterFacts, LetterKind } from './letter.ts'

// Letters are drafted when the step that needs one is recorded, edited by the handler, and issued;
// an issued letter is fixed. The text carries personal data, so it is stored encrypted.

const aad = (application: ApplicationRow, letterKind: string) => `letter:${application.number}:${letterKind}`

/** The extension awaiting its notice letter (条例第三十三条第二款), if any. */
const pendingExtension = (events: readonly ApplicationEvent[]) =>
  events.some((e) => e.kind === 'extension_notified')
    ? undefined
    : events.find((e) => e.kind === 'extension_approved' && e.detail.noticeByLetter)

/**
 * The timeline's clock events with the pending extension notified on `noticeOn`: the due date the
 * extension letter announces, and the step `issueLetter` checks against the clock (clock-review.ts).
 */
function withExtensionNotice(events: readonly ApplicationEvent[], noticeOn: string) {
  const clock = clockEvents(events)
  const index = clock.findIndex((e) => e.kind === 'extensionApproved')
  const ext = clock[index]
  if (ext?.kind === 'extensionApproved') clock[index] = { ...ext, noticeIssuedOn: noticeOn }
  return { clock, index }
}

/** The due date an extension letter announces: as if notified on the day it was approved. */
async function extendedDue(deps: Deps, db: Executor, application: ApplicationRow, events: ApplicationEvent[]) {
  const pending = pendingExtension(events)
  if (!pending) return undefined
  try {
    const { clock } = withExtensionNotice(events, pending.on)
    const cal = await calendarFor(deps, db)
    return computeClock(cal, application.received_on, clock, pending.on, await readClockSettings(db, deps)).due
  } catch (e) {
    if (e instanceof CalendarMissing) return undefined
    throw e
  }
}

async function factsFor(
  deps: Deps,
  db: Executor,
  application: ApplicationRow,
  extra: Partial<LetterFacts> = {},
): Promise<LetterFacts> {
  const agency = await findAgencyName(db, application.agency_id)
  const events = await listEvents(db, application.id)
  const last = (k: string) => [...events].reverse().find((e) => e.kind === k)
  const { clock } = await clockOrProblem(deps, db, application)
  const who = decryptApplicant(deps, application)
  const fee = last('fee_notified')
  const reconsiderationBody = await reconsiderationBodyOf(db, application.agency_id)
  return {
    agency,
    applicant: who.name,
    number: application.number,
    receivedOn: application.received_on,
    request: [application.info_title, application.info_doc_number, application.info_description]
      .filter(Boolean)
      .join('；'),
    due: (await extendedDue(deps, db, application, events)) ?? clock?.due ?? null,
    correctionWhat: last('correction_requested')?.detail.what as string | undefined,
    correctBy: last('correction_requested')?.detail.correctBy as string | undefined,
    extensionDays: last('extension_approved')?.detail.days as number | undefined,
    extensionReason: last('extension_approved')?.detail.reason as string | undefined,
    fee: fee
      ? {
          method: fee.detail.method === 'piece' ? 'piece' : 'volume',
          rank: fee.detail.rank as number | undefined,
          month: fee.detail.month as string | undefined,
          pages: (fee.detail.pages as number | null) ?? undefined,
          amount: Number(fee.detail.amount),
          payment: (await feePaymentOf(db, application.agency_id)) ?? '（缴纳方式）',
          // The very date the clock enforces, known once the applicant's receipt is (109号).
          payBy: clock?.feePayBy ?? undefined,
        }
      : undefined,
    delayUntil: last('delay_set')?.detail.until as string | undefined,
    delayReason: last('delay_set')?.detail.reason as string | undefined,
    outcome: application.outcome ?? undefined,
    replyType: application.reply_type ?? undefined,
    basis: application.legal_basis ?? undefined,
    withheldBasis: last('decided')?.detail.withheldBasis as string | undefined,
    queryLaw: application.query_law ?? undefined,
    queryOffice: application.query_office ?? undefined,
    responsibleAgency: application.responsible_agency ?? undefined,
    responsibleContact: application.responsible_contact ?? undefined,
    thirdParty: last('consultation_sent')?.detail.to as string | undefined,
    reconsiderationBody: reconsiderationBody ?? '（行政复议机关）',
    ...extra,
  }
}

/** The text a new letter starts from: the agency's own template if it has one, else the default. */
async function startingText(deps: Deps, db: Executor, application: ApplicationRow, kind: LetterKind): Promise<string> {
  const facts = await factsFor(deps, db, application)
  const own = await readSetting(db, `letters.${application.agency_id}.${kind}`)
  return own ? fillTemplate(own, facts) : defaultLetterText(kind, facts)
}

/** Drafts the letter a step needs, inside that step's transaction. */
export async function draftLetter(
  deps: Deps,
  trx: Executor,
  actor: Actor,
  application: ApplicationRow,
  kind: LetterKind,
  datedOn: string,
): Promise<number> {
  const fresh = await findApplicationById(trx, application.id)
  if (!fresh) throw new AppError('not_found', '申请不存在')
  const body = await startingText(deps, trx, fresh, kind)
  const now = isoNow(deps.clock)
  const id = await insertLetter(trx, {
    application_id: application.id,
    kind,
    body_enc: deps.fields.encrypt(body, aad(application, kind)),
    status: 'draft',
    issued_on: null,
    dated_on: datedOn,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
  })
  await appendAudit(deps, trx, actor, {
    action: 'letter.draft',
    objectType: 'application',
    objectId: application.number,
    result: 'success',
    detail: { letter: id, kind },
  })
  return id
}

export type LetterView = {
  id: number
  kind: LetterKind
  title: string
  status: string
  issuedOn: string | null
  /** The date the letter bears: its step's date (older letters: the day issued). */
  datedOn: string | null
  reference: string | null
  body: string
  /** The agency that issues it, as the letter names it at its head and signature. */
  agency: string
}

export async function listLetters(deps: Deps, db: Executor, application: ApplicationRow): Promise<LetterView[]> {
  const rows = await listLetterRows(db, application.id)
  const agency = rows.length ? await findAgencyName(db, application.agency_id) : ''
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as LetterKind,
    title: letterKinds[r.kind as LetterKind],
    status: r.status,
    issuedOn: r.issued_on,
    datedOn: r.dated_on ?? r.issued_on,
    reference: r.reference,
    body: deps.fields.decrypt(r.body_enc, aad(application, r.kind)),
    agency,
  }))
}

async function ownLetter(deps: Deps, trx: Executor, actor: StaffActor, applicationId: number, letterId: number) {
  const application = await findOwnApplication(deps, actor, applicationId, trx)
  if (!maySeePersonalData(actor, application))
    throw new AppError('forbidden', '文书含有个人信息，仅本申请的承办人和公开办负责人可以处理')
  const letter = await findLetter(trx, application.id, letterId)
  if (!letter) throw new AppError('not_found', '文书不存在')
  return { application, letter }
}

export async function editLetter(
  deps: Deps,
  actor: StaffActor,
  applicationId: number,
  letterId: number,
  body: string,
): Promise<void> {
  const text = body.replace(/\r\n/g, '\n').trim()
  if (!text) throw new AppError('invalid_input', '文书内容不能为空', { body: '文书内容不能为空' })
  if (text.length > 20_000) throw new AppError('invalid_input', '文书内容过长', { body: '不超过 20000 字' })
  await deps.db.transaction().execute(async (trx) => {
    const { application, letter } = await ownLetter(deps, trx, actor, applicationId, letterId)
    if (letter.status !== 'draft') throw new AppError('invalid_transition', '已印发的文书不能修改')
    await updateLetter(trx, letterId, {
      body_enc: deps.fields.encrypt(text, aad(application, letter.kind)),
      updated_at: isoNow(deps.clock),
    })
    await appendAudit(deps, trx, actor, {
      action: 'letter.edit',
      objectType: 'application',
      objectId: application.number,
      result: 'success',
      detail: { letter: letterId },
    })
  })
}

export async function issueLetter(
  deps: Deps,
  actor: StaffActor,
  applicationId: number,
  letterId: number,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const { application, letter } = await ownLetter(deps, trx, actor, applicationId, letterId)
    if (letter.status !== 'draft') throw new AppError('invalid_transition', '文书已印发')
    const today = shanghaiDate(deps.clock.now())
    // 109号: a fee notice states how to pay; 条例第三十三条第二款: the extension runs from its notice.
    if (letter.kind === 'fee') await mustHaveFeePayment(trx, application.agency_id)
    const extensionNotice = letter.kind === 'extension' && (await notifyExtension(deps, trx, actor, application, today))
    // The 文号 is given on issue, the next of the agency's year of the letter's date.
    const pattern = await readSetting(trx, `letters.${application.agency_id}.referencePattern`)
    const year = Number((letter.dated_on ?? today).slice(0, 4))
    const seq = pattern ? (await lastLetterSeq(trx, deps.kind, application.agency_id, year)) + 1 : null
    await updateLetter(trx, letterId, {
      status: 'issued',
      issued_on: today,
      dated_on: extensionNotice ? today : (letter.dated_on ?? today),
      ...(pattern && seq
        ? {
            reference: referenceOf(pattern, year, seq),
            reference_agency_id: application.agency_id,
            reference_year: year,
            reference_seq: seq,
          }
        : {}),
      updated_at: isoNow(deps.clock),
    })
    await queueLetterMail(deps, trx, application, letter.kind) // issue #11: the applicant is told by e-mail
    await appendAudit(deps, trx, actor, {
      action: 'letter.issue',
      objectType: 'application',
      objectId: application.number,
      result: 'success',
      detail: { letter: letterId, kind: letter.kind, ...(extensionNotice ? { noticeIssuedOn: today } : {}) },
    })
    if (extensionNotice) await refreshDue(deps, trx, application)
  })
}

/**
 * 条例第三十三条第二款: an extension takes effect with its notice to the applicant, issued within the
 * reply period. Issuing the 延长答复期限告知书 records that notice; a late one is refused with the
 * clock's own message (extension_notice_late), and the due date stays. False when nothing awaits it.
 */
async function notifyExtension(
  deps: Deps,
  trx: Executor,
  actor: StaffActor,
  application: ApplicationRow,
  today: string,
): Promise<boolean> {
  if (application.status === 'concluded') return false
  const events = await listEvents(trx, application.id)
  if (!pendingExtension(events)) return false
  const { clock, index } = withExtensionNotice(events, today)
  const review = reviewClock(
    await calendarFor(deps, trx),
    application.received_on,
    clock,
    today,
    await readClockSettings(trx, deps),
  )
  const problem = review.problems.find((p) => p.event === index)
  if (problem) throw new AppError('deadline_passed', problem.message)
  await insertEvent(trx, {
    application_id: application.id,
    kind: 'extension_notified',
    on_date: today,
    detail: JSON.stringify({}),
    actor_id: actor.id,
    actor_name: actor.name,
    created_at: isoNow(deps.clock),
  })
  return true
}

export type LetterFile = { name: string; bytes: Buffer; type: string }

/**
 * A letter as a file, for staff (any status) or for the applicant: only an issued letter addressed
 * to the applicant; any other answers as a letter that does not exist.
 */
export async function letterFile(
  deps: Deps,
  application: ApplicationRow,
  letterId: number,
  format: 'pdf' | 'docx',
  reader: 'applicant' | 'staff',
): Promise<LetterFile> {
  const letter = (await listLetters(deps, deps.db, application)).find(
    (l) => l.id === letterId && (reader === 'staff' || (l.status === 'issued' && isForApplicant(l.kind))),
  )
  if (!letter) throw new AppError('not_found', '文书不存在')
  const agency = await findAgencyName(deps.db, application.agency_id)
  const dated = letter.datedOn ?? shanghaiDate(deps.clock.now())
  const doc = letterDocument(letter.kind, agency, application.number, letter.body, dated, letter.reference)
  const name = `${letter.title}-${application.number}.${format}`
  return format === 'pdf'
    ? { name, bytes: await letterPdf(doc), type: 'application/pdf' }
    : {
        name,
        bytes: await letterDocx(doc),
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      }
}

/** A letter downloaded from the console: the agency's own application, by its handler or the office head. */
export async function staffLetterFile(
  deps: Deps,
  actor: StaffActor,
  applicationId: number,
  letterId: number,
  format: 'pdf' | 'docx',
): Promise<LetterFile> {
  const application = await findOwnApplication(deps, actor, applicationId)
  if (!maySeePersonalData(actor, application))
    throw new AppError('forbidden', '文书含有个人信息，仅本申请的承办人和公开办负责人可以下载')
  return letterFile(deps, application, letterId, format, 'staff')
}

/** The receipt given on submission: number, query code, receipt date, the due date as it stands. */
export async function receiptPdf(deps: Deps, application: ApplicationRow, queryCode: string): Promise<Buffer> {
  const facts = await factsFor(deps, deps.db, application)
  const body = `${defaultLetterText('receipt', facts)}\n申请编号：${application.number}    查询码：${queryCode}`
  return letterPdf(letterDocument('receipt', facts.agency, application.number, body, application.received_on))
}
