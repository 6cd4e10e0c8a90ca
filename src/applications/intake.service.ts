import type { Insertable } from 'kysely'
import { randomInt } from 'node:crypto'
import { findAgencyById } from '../agencies/agency.store.ts'
import type { Actor } from '../audit/audit.ts'
import { appendAuditBatch } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { CalendarMissing } from '../deadlines/calendar.ts'
import type { WorkCalendar } from '../deadlines/calendar.ts'
import { calendarFor } from '../deadlines/calendar.store.ts'
import type { ClockSettings } from '../deadlines/statutory-clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readSettingCached } from '../settings/settings.store.ts'
import type { ApplicationRow, ApplicationTable, Executor } from '../storage/database.ts'
import { GroupCommitter } from '../storage/group-commit.ts'
import { queueApplicantMail } from '../notify/outbox.service.ts'
import type { ApplicationInput, Channel, Submission } from './application.ts'
import { addDays, checkDate, maskName, screenApplication, shanghaiDate } from './application.ts'
import {
  agencyExists,
  findApplicationByIdempotencyKey,
  insertApplicationsSkippingTakenNumbers,
  insertEvents,
  listRecentOfApplicants,
} from './application.store.ts'
import { fieldAad, queryCodeHash } from './applicant-data.ts'
import { provisionalClock, readClockSettings } from './due-date.service.ts'

// Taking applications in (arts. 29–31): from the portal or registered by staff, once per
// idempotency key, each with its 'received' event and audit entry. Under load submissions share
// transactions and statements: a group commit, on SQLite and PostgreSQL alike.

const codeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const newQueryCode = () => Array.from({ length: 10 }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join('')
/**
 * A number carries the application's receipt date (条例 art. 31), not the day it was keyed in: a letter signed for
 * on Friday and registered on Monday is numbered with Friday. Numbers already given are never changed.
 */
const newNumber = (receivedOn: string) =>
  `YSQ${receivedOn.replaceAll('-', '')}${String(randomInt(1_000_000)).padStart(6, '0')}`

/** A keyed hash of what is submitted: the agency and the application as parsed. */
const submissionDigest = (deps: Deps, agencyId: number, input: ApplicationInput) =>
  deps.fields.blindIndex(JSON.stringify([agencyId, input]), 'idempotency v1')

export const reusedKeyMessage = '这份申请表已提交过另一份内容的申请，不能重复使用。请重新打开申请页面填写后提交。'

/**
 * The submission made earlier with this idempotency key, if any: a retry of the same application is
 * answered with it, without the query code, which is shown only once (issue #14). The same key with
 * other content is refused: it never hands out another application's receipt.
 */
export async function findSubmission(
  deps: Deps,
  idempotencyKey: string,
  agencyId: number,
  input: ApplicationInput,
): Promise<Submission | undefined> {
  const prior = await findApplicationByIdempotencyKey(deps.db, idempotencyKey)
  if (prior && prior.idempotency_digest !== submissionDigest(deps, agencyId, input)) {
    throw new AppError('invalid_input', reusedKeyMessage)
  }
  return (
    prior && {
      id: prior.id,
      number: prior.number,
      queryCode: null,
      repeated: true,
      receivedOn: prior.received_on,
      due: prior.due_on,
      dueProvisional: prior.due_provisional === 1,
    }
  )
}

export type SubmitMeta = {
  channel: Channel
  receivedOn?: string
  idempotencyKey?: string
  flags?: string[]
  /** The caller has just looked the key up. */ idempotencyChecked?: boolean
  /** The caller has just found the agency. */ agencyChecked?: boolean
}

/** One application to take in, with what was worked out before its transaction. */
type NewApplication = {
  actor: Actor
  agencyId: number
  input: ApplicationInput
  meta: SubmitMeta
  receivedOn: string
  applicantKey: string
  queryCode: string
}

/**
 * Takes in an application, from the portal (received the day both sides confirm: the system's
 * receipt is the agency's confirmation) or registered by staff with the date its channel implies.
 * A retried submission with the same idempotency key returns the first one.
 */
export async function submitApplication(
  deps: Deps,
  actor: Actor,
  agencyId: number,
  input: ApplicationInput,
  meta: SubmitMeta,
): Promise<Submission> {
  const today = shanghaiDate(deps.clock.now())
  const receivedOn = meta.receivedOn ?? today
  checkDate(receivedOn, 'receivedOn', '收到申请之日', today)
  if (meta.idempotencyKey && !meta.idempotencyChecked) {
    const prior = await findSubmission(deps, meta.idempotencyKey, agencyId, input)
    if (prior) return prior
  }
  const key =
    input.applicantKind === 'person'
      ? `${input.idType}:${input.idNumber!.toUpperCase()}`
      : `org:${input.creditCode!.toUpperCase()}`
  const item: NewApplication = {
    actor,
    agencyId,
    input,
    meta,
    receivedOn,
    applicantKey: deps.fields.blindIndex(key, 'applicant'),
    queryCode: newQueryCode(),
  }
  try {
    // Under load, submissions share a transaction (one commit, one fsync) and its multi-row
    // statements; each is answered only after the commit that holds it.
    return await intakeCommitter(deps).run(item)
  } catch (e) {
    // Two copies of one retried submission raced: the second finds the first.
    if (meta.idempotencyKey && !(e instanceof AppError)) {
      const prior = await findSubmission(deps, meta.idempotencyKey, agencyId, input)
      if (prior) return prior
    }
    throw e
  }
}

type StoredApplication = Pick<ApplicationRow, 'id' | 'number' | 'email_enc'>

type Prepared = {
  item: NewApplication
  flags: string[]
  due: string | null
  provisional: boolean
  related: number | null
}

/** Writes new applications, their 'received' events and audit entries, with a few statements for any number of them. */
async function insertApplications(deps: Deps, trx: Executor, items: readonly NewApplication[]): Promise<Submission[]> {
  const today = shanghaiDate(deps.clock.now())
  for (const agencyId of new Set(items.filter((i) => !i.meta.agencyChecked).map((i) => i.agencyId))) {
    if (!(await agencyExists(trx, agencyId))) throw new AppError('not_found', '机关不存在')
  }
  const prepared = await prepareApplications(deps, trx, items, today)
  const applications = await insertWithFreshNumbers(deps, trx, prepared)
  await queueApplicantMail(deps, trx, applications, 'received') // issue #11: tell the applicant by e-mail
  await recordReceived(deps, trx, prepared, applications)
  return prepared.map((p, i) => ({
    id: applications[i]!.id,
    number: applications[i]!.number,
    queryCode: p.item.queryCode,
    repeated: false,
    receivedOn: p.item.receivedOn,
    due: p.due,
    dueProvisional: p.provisional,
  }))
}

/** Each new application's flags for the handler (art. 35) and first due date, worked out before the insert. */
async function prepareApplications(
  deps: Deps,
  trx: Executor,
  items: readonly NewApplication[],
  today: string,
): Promise<Prepared[]> {
  const earliest = items.map((i) => addDays(i.receivedOn, -365)).sort()[0]!
  const recent = await listRecentOfApplicants(trx, [...new Set(items.map((i) => i.applicantKey))], earliest)
  const calendar = await calendarFor(deps, trx)
  const clockSettings = await readClockSettings(trx, deps)
  const prepared: Prepared[] = []
  for (const [k, item] of items.entries()) {
    const { input, agencyId, applicantKey } = item
    const sameApplicant = (o: { agencyId: number; applicantKey: string }) =>
      o.agencyId === agencyId && o.applicantKey === applicantKey
    const threshold = await readSettingCached(deps, trx, `requests.${agencyId}.frequentThreshold`)
    const screening = screenApplication({
      earlier: recent.filter((r) => r.agency_id === agencyId && r.applicant_key === applicantKey),
      receivedOn: item.receivedOn,
      request: `${input.infoTitle ?? ''}${input.infoDescription}`,
      sameBatch: items.slice(0, k).filter(sameApplicant).length,
      frequentThreshold: Number(threshold ?? 10),
    })
    prepared.push({
      item,
      flags: [...(item.meta.flags ?? []), ...screening.flags],
      ...firstDueDate(calendar, item.receivedOn, today, clockSettings),
      related: screening.repeatOf ?? null,
    })
  }
  return prepared
}

type FirstDue = { due: string | null; provisional: boolean }
/**
 * The first due dates worked out with one calendar (calendarFor keeps it until it changes), by
 * receipt day, day of the computation and settings: the applications of a day share them.
 */
const firstDueDates = new WeakMap<WorkCalendar, Map<string, FirstDue>>()

/**
 * A new application has no steps yet: its due date is 20 working days from receipt, 暂定 where it
 * runs into a year whose holiday notice is not recorded (due-date.service.ts).
 */
function firstDueDate(calendar: WorkCalendar, receivedOn: string, today: string, settings: ClockSettings): FirstDue {
  let known = firstDueDates.get(calendar)
  if (!known) firstDueDates.set(calendar, (known = new Map()))
  const key = JSON.stringify([receivedOn, today, settings])
  let due = known.get(key)
  if (!due) {
    due = computeFirstDueDate(calendar, receivedOn, today, settings)
    if (known.size >= 1000) known.clear()
    known.set(key, due)
  }
  return due
}

function computeFirstDueDate(
  calendar: WorkCalendar,
  receivedOn: string,
  today: string,
  settings: ClockSettings,
): FirstDue {
  try {
    const clock = provisionalClock(calendar, receivedOn, [], today, settings)
    return { due: clock.due, provisional: clock.provisional }
  } catch (e) {
    if (e instanceof CalendarMissing) return { due: null, provisional: false }
    throw e
  }
}

/** The row of a new application, its personal data encrypted and bound to its number. */
function applicationRow(deps: Deps, p: Prepared, number: string): Insertable<ApplicationTable> {
  const { input, meta } = p.item
  const enc = (v: string | undefined, field: string) => (v ? deps.fields.encrypt(v, fieldAad(number, field)) : null)
  return {
    agency_id: p.item.agencyId,
    number,
    applicant_category: input.category,
    received_on: p.item.receivedOn,
    concluded_on: null,
    outcome: null,
    created_at: isoNow(deps.clock),
    channel: meta.channel,
    submitted_at: isoNow(deps.clock),
    status: 'open',
    applicant_kind: input.applicantKind,
    applicant_name_enc: enc(input.name, 'name'),
    applicant_name_masked: maskName(input.name),
    contact_person_enc: enc(input.contactPerson, 'contact_person'),
    id_type: input.idType ?? null,
    id_number_enc: enc(input.idNumber?.toUpperCase(), 'id_number'),
    credit_code: input.creditCode?.toUpperCase() ?? null,
    applicant_key: p.item.applicantKey,
    phone_enc: enc(input.phone, 'phone'),
    email_enc: enc(input.email, 'email'),
    address_enc: enc(input.address, 'address'),
    postcode: input.postcode ?? null,
    info_title: input.infoTitle ?? null,
    info_doc_number: input.infoDocNumber ?? null,
    info_description: input.infoDescription,
    wanted_form: input.wantedForm,
    delivery_way: input.deliveryWay,
    needs_assistance: input.needsAssistance ? 1 : 0,
    query_code_hash: queryCodeHash(deps, number, p.item.queryCode),
    idempotency_key: meta.idempotencyKey ?? null,
    idempotency_digest: meta.idempotencyKey ? submissionDigest(deps, p.item.agencyId, input) : null,
    flags: JSON.stringify(p.flags),
    handler_id: null,
    due_on: p.due,
    due_provisional: p.provisional ? 1 : 0,
    paused_since: null,
    related_application_id: p.related,
    updated_at: isoNow(deps.clock),
  }
}

/**
 * Inserts the rows, in order; a number is the receipt date and six random digits, and a rare clash with an existing
 * one (of the region: numbers are unique in the table) is drawn again.
 */
async function insertWithFreshNumbers(
  deps: Deps,
  trx: Executor,
  prepared: readonly Prepared[],
): Promise<StoredApplication[]> {
  const stored = new Map<number, StoredApplication>()
  while (stored.size < prepared.length) {
    const waiting = prepared
      .map((p, i) => ({ p, i, number: newNumber(p.item.receivedOn) }))
      .filter(({ i }) => !stored.has(i))
    const rows = await insertApplicationsSkippingTakenNumbers(
      trx,
      waiting.map(({ p, number }) => applicationRow(deps, p, number)),
    )
    const byNumber = new Map(rows.map((r) => [r.number, r]))
    for (const w of waiting) {
      const r = byNumber.get(w.number)
      if (r) stored.set(w.i, r)
    }
  }
  return prepared.map((_, i) => stored.get(i)!)
}

/** The 'received' step of each new application, and its audit entry. */
async function recordReceived(
  deps: Deps,
  trx: Executor,
  prepared: readonly Prepared[],
  applications: readonly StoredApplication[],
): Promise<void> {
  await insertEvents(
    trx,
    prepared.map((p, i) => ({
      application_id: applications[i]!.id,
      kind: 'received',
      on_date: p.item.receivedOn,
      detail: JSON.stringify({ channel: p.item.meta.channel, flags: p.flags }),
      actor_id: p.item.actor.id,
      actor_name: p.item.actor.name,
      created_at: isoNow(deps.clock),
    })),
  )
  // Last, so that the audit chain's lock is held only to the commit.
  await appendAuditBatch(
    deps,
    trx,
    prepared.map((p, i) => ({
      actor: p.item.actor,
      entry: {
        action: 'application.received',
        objectType: 'application',
        objectId: applications[i]!.number,
        result: 'success' as const,
        detail: { on: p.item.receivedOn, channel: p.item.meta.channel, flags: p.flags },
      },
    })),
  )
}

const committers = new WeakMap<object, GroupCommitter<NewApplication, Submission>>()
/** The group committer of one database's submissions (one per Deps). */
function intakeCommitter(deps: Deps): GroupCommitter<NewApplication, Submission> {
  let c = committers.get(deps)
  if (!c) committers.set(deps, (c = new GroupCommitter(deps.db, (trx, items) => insertApplications(deps, trx, items))))
  return c
}

/** The agency an application is made to, or not found. */
export async function findApplyingAgency(deps: Deps, id: number): Promise<{ id: number; name: string }> {
  const agency = await findAgencyById(deps.db, id)
  if (!agency) throw new AppError('not_found', '机关不存在')
  return { id: agency.id, name: agency.name }
}
