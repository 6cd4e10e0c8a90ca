import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { addWorkingDays, CalendarMissing } from '../deadlines/calendar.ts'
import { calendarFor } from '../deadlines/calendar.store.ts'
import { statutoryClock } from '../deadlines/statutory-clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readSetting } from '../settings/settings.store.ts'
import type { ApplicationRow, Executor } from '../storage/database.ts'
import { defaultLetterText, fillTemplate, letterDocument, letterDocx, letterKinds, letterPdf } from './letter.ts'
import type { LetterFacts, LetterKind } from './letter.ts'
import {
  clockOrProblem,
  decryptApplicant,
  findOwnApplication,
  listEvents,
  shanghaiDate,
} from './application.service.ts'

// Letters are drafted when the step that needs one is recorded, edited by the handler, and issued;
// an issued letter is fixed. The text carries personal data, so it is stored encrypted.

type Staff = Actor & { id: number; agencyId: number }
const aad = (app: ApplicationRow, letterKind: string) => `letter:${app.number}:${letterKind}`

async function payByOf(deps: Deps, db: Executor, noticeOn: string): Promise<string | undefined> {
  try {
    return addWorkingDays(await calendarFor(deps, db), noticeOn, statutoryClock.feePayDays)
  } catch (e) {
    if (e instanceof CalendarMissing) return undefined
    throw e
  }
}

async function factsFor(
  deps: Deps,
  db: Executor,
  app: ApplicationRow,
  kind: LetterKind,
  extra: Partial<LetterFacts> = {},
): Promise<LetterFacts> {
  const agency = await db
    .selectFrom('agencies')
    .select(['name'])
    .where('id', '=', app.agency_id)
    .executeTakeFirstOrThrow()
  const region = await db.selectFrom('regions').select('name').executeTakeFirst()
  const events = await listEvents(db, app.id)
  const last = (k: string) => [...events].reverse().find((e) => e.kind === k)
  const { clock } = await clockOrProblem(deps, db, app)
  const who = decryptApplicant(deps, app)
  const fee = last('fee_notified')
  return {
    agency: agency.name,
    applicant: who.name,
    number: app.number,
    receivedOn: app.received_on,
    request: [app.info_title, app.info_doc_number, app.info_description].filter(Boolean).join('；'),
    due: clock?.due ?? null,
    correctionWhat: last('correction_requested')?.detail.what as string | undefined,
    correctBy: last('correction_requested')?.detail.correctBy as string | undefined,
    extensionDays: last('extension_approved')?.detail.days as number | undefined,
    extensionReason: last('extension_approved')?.detail.reason as string | undefined,
    feeAmount: fee?.detail.amount as number | undefined,
    feeBasis: fee
      ? fee.detail.method === 'piece'
        ? '为本月内您提出的超过 10 件的申请，按件计收'
        : `共 ${String(fee.detail.pages)} 页，超过 30 页，按量计收`
      : undefined,
    payBy: fee ? await payByOf(deps, db, fee.on) : undefined,
    delayUntil: last('delay_set')?.detail.until as string | undefined,
    delayReason: last('delay_set')?.detail.reason as string | undefined,
    outcome: app.outcome ?? undefined,
    replyType: app.reply_type ?? undefined,
    basis: app.legal_basis ?? undefined,
    thirdParty: last('consultation_sent')?.detail.to as string | undefined,
    reconsiderationBody:
      (await readSetting(db, `letters.${app.agency_id}.reconsiderationBody`)) ?? `${region?.name ?? ''}人民政府`,
    ...extra,
  }
}

/** The text a new letter starts from: the agency's own template if it has one, else the default. */
async function startingText(deps: Deps, db: Executor, app: ApplicationRow, kind: LetterKind): Promise<string> {
  const facts = await factsFor(deps, db, app, kind)
  const own = await readSetting(db, `letters.${app.agency_id}.${kind}`)
  return own ? fillTemplate(own, facts) : defaultLetterText(kind, facts)
}

/** Drafts the letter a step needs, inside that step's transaction. */
export async function draftLetter(
  deps: Deps,
  trx: Executor,
  actor: Actor,
  app: ApplicationRow,
  kind: LetterKind,
): Promise<number> {
  const fresh = await trx.selectFrom('applications').selectAll().where('id', '=', app.id).executeTakeFirstOrThrow()
  const body = await startingText(deps, trx, fresh, kind)
  const now = isoNow(deps.clock)
  const row = await trx
    .insertInto('letters')
    .values({
      application_id: app.id,
      kind,
      body_enc: deps.fields.encrypt(body, aad(app, kind)),
      status: 'draft',
      issued_on: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await appendAudit(deps, trx, actor, {
    action: 'letter.draft',
    objectType: 'application',
    objectId: app.number,
    result: 'success',
    detail: { letter: row.id, kind },
  })
  return row.id
}

export type LetterView = {
  id: number
  kind: LetterKind
  title: string
  status: string
  issuedOn: string | null
  body: string
}

export async function listLetters(deps: Deps, db: Executor, app: ApplicationRow): Promise<LetterView[]> {
  const rows = await db.selectFrom('letters').selectAll().where('application_id', '=', app.id).orderBy('id').execute()
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as LetterKind,
    title: letterKinds[r.kind as LetterKind],
    status: r.status,
    issuedOn: r.issued_on,
    body: deps.fields.decrypt(r.body_enc, aad(app, r.kind)),
  }))
}

async function ownLetter(deps: Deps, trx: Executor, actor: Staff, appId: number, letterId: number) {
  const app = await findOwnApplication(deps, actor, appId, trx)
  if (app.handler_id !== actor.id && !actor.roles.includes('office_head'))
    throw new AppError('forbidden', '文书含有个人信息，仅本申请的承办人和公开办负责人可以处理')
  const letter = await trx
    .selectFrom('letters')
    .selectAll()
    .where('id', '=', letterId)
    .where('application_id', '=', app.id)
    .executeTakeFirst()
  if (!letter) throw new AppError('not_found', '文书不存在')
  return { app, letter }
}

export async function editLetter(
  deps: Deps,
  actor: Staff,
  appId: number,
  letterId: number,
  body: string,
): Promise<void> {
  const text = body.replace(/\r\n/g, '\n').trim()
  if (!text) throw new AppError('invalid_input', '文书内容不能为空', { body: '文书内容不能为空' })
  if (text.length > 20_000) throw new AppError('invalid_input', '文书内容过长', { body: '不超过 20000 字' })
  await deps.db.transaction().execute(async (trx) => {
    const { app, letter } = await ownLetter(deps, trx, actor, appId, letterId)
    if (letter.status !== 'draft') throw new AppError('invalid_transition', '已印发的文书不能修改')
    await trx
      .updateTable('letters')
      .set({ body_enc: deps.fields.encrypt(text, aad(app, letter.kind)), updated_at: isoNow(deps.clock) })
      .where('id', '=', letterId)
      .execute()
    await appendAudit(deps, trx, actor, {
      action: 'letter.edit',
      objectType: 'application',
      objectId: app.number,
      result: 'success',
      detail: { letter: letterId },
    })
  })
}

export async function issueLetter(deps: Deps, actor: Staff, appId: number, letterId: number): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const { app, letter } = await ownLetter(deps, trx, actor, appId, letterId)
    if (letter.status !== 'draft') throw new AppError('invalid_transition', '文书已印发')
    await trx
      .updateTable('letters')
      .set({ status: 'issued', issued_on: shanghaiDate(deps.clock.now()), updated_at: isoNow(deps.clock) })
      .where('id', '=', letterId)
      .execute()
    await appendAudit(deps, trx, actor, {
      action: 'letter.issue',
      objectType: 'application',
      objectId: app.number,
      result: 'success',
      detail: { letter: letterId, kind: letter.kind },
    })
  })
}

/** A letter as a file, for staff (any status) or, with `issuedOnly`, for the applicant. */
export async function letterFile(
  deps: Deps,
  app: ApplicationRow,
  letterId: number,
  format: 'pdf' | 'docx',
  issuedOnly: boolean,
): Promise<{ name: string; bytes: Buffer; type: string }> {
  const letter = (await listLetters(deps, deps.db, app)).find(
    (l) => l.id === letterId && (!issuedOnly || l.status === 'issued'),
  )
  if (!letter) throw new AppError('not_found', '文书不存在')
  const agency = await deps.db
    .selectFrom('agencies')
    .select('name')
    .where('id', '=', app.agency_id)
    .executeTakeFirstOrThrow()
  const doc = letterDocument(
    letter.kind,
    agency.name,
    app.number,
    letter.body,
    letter.issuedOn ?? shanghaiDate(deps.clock.now()),
  )
  const name = `${letter.title}-${app.number}.${format}`
  return format === 'pdf'
    ? { name, bytes: await letterPdf(doc), type: 'application/pdf' }
    : {
        name,
        bytes: await letterDocx(doc),
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      }
}

/** The receipt given on submission: number, query code, receipt date, the due date as it stands. */
export async function receiptPdf(deps: Deps, app: ApplicationRow, queryCode: string): Promise<Buffer> {
  const facts = await factsFor(deps, deps.db, app, 'receipt')
  const agency = facts.agency
  const body = `${defaultLetterText('receipt', facts)}\n申请编号：${app.number}    查询码：${queryCode}`
  return letterPdf(letterDocument('receipt', agency, app.number, body, app.received_on))
}
