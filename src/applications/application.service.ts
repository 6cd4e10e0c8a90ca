import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Actor } from '../audit/audit.ts'
import { appendAudit, appendAuditBatch } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { KnownPerson } from '../confidentiality/scan-rules.ts'
import { addWorkingDays, CalendarMissing } from '../deadlines/calendar.ts'
import { calendarFor } from '../deadlines/calendar.store.ts'
import { computeClock, perPieceFee, perVolumeFee, statutoryClock } from '../deadlines/statutory-clock.ts'
import type { ClockEvent, ClockSettings, ClockState } from '../deadlines/statutory-clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { allowedType, cleanFileName, readStoredFile, removeStoredFile, storeFile } from '../files/file-store.ts'
import { refuseMalware } from '../files/malware-scan.ts'
import type { OutcomeCode } from '../reports/report-records.ts'
import { readSetting, readSettingCached } from '../settings/settings.store.ts'
import type { ApplicationRow, Executor } from '../storage/database.ts'
import { groupCommitter } from '../storage/group-commit.ts'
import type { ApplicationInput, Channel } from './application.ts'
import { outcomeCodes } from './application.ts'
import { draftLetter } from './letter.service.ts'

// The use cases of disclosure on request. Every change is one transaction with its timeline event
// and its audit entry; the due date is recomputed from the timeline each time (statutory-clock.ts)
// and cached on the row only for the queues. Personal data is encrypted with the field key, bound
// to the application's number, and never written to the audit log.

type Staff = Actor & { id: number; agencyId: number }

/** Today in Beijing, as a calendar date. */
export const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)

const codeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const newQueryCode = () => Array.from({ length: 10 }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join('')
const newNumber = (today: string) => `YSQ${today.replaceAll('-', '')}${String(randomInt(1_000_000)).padStart(6, '0')}`
const maskName = (name: string) => {
  const c = [...name]
  return c.length <= 1 ? '*' : c.length === 2 ? `${c[0]}*` : `${c[0]}${'*'.repeat(c.length - 2)}${c.at(-1)}`
}

/** Personal fields are bound to their application by the AAD, so a ciphertext moved to another row fails. */
const aad = (number: string, field: string) => `application:${number}:${field}`

export async function readClockSettings(db: Executor, scope?: object): Promise<ClockSettings> {
  const fee = scope
    ? await readSettingCached(scope, db, 'requests.feePausesClock')
    : await readSetting(db, 'requests.feePausesClock')
  return { ...statutoryClock, feePausesClock: fee !== 'false' }
}

export type ApplicationEvent = {
  id: number
  kind: string
  on: string
  detail: Record<string, unknown>
  actorName: string
  at: string
}

export async function listEvents(db: Executor, applicationId: number): Promise<ApplicationEvent[]> {
  const rows = await db
    .selectFrom('application_events')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    on: r.on_date,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    actorName: r.actor_name,
    at: r.created_at,
  }))
}

function clockEvents(events: readonly ApplicationEvent[]): ClockEvent[] {
  const out: ClockEvent[] = []
  for (const e of events) {
    const d = e.detail
    if (e.kind === 'correction_requested')
      out.push({ kind: 'correctionRequested', on: e.on, correctBy: String(d.correctBy) })
    else if (e.kind === 'correction_received') out.push({ kind: 'correctionReceived', on: e.on })
    else if (e.kind === 'consultation_sent')
      out.push({
        kind: 'consultationSent',
        on: e.on,
        party: d.party === 'agency' ? 'agency' : 'thirdParty',
        ref: String(e.id),
      })
    else if (e.kind === 'consultation_replied') out.push({ kind: 'consultationReplied', on: e.on, ref: String(d.ref) })
    else if (e.kind === 'extension_approved') out.push({ kind: 'extensionApproved', on: e.on, days: Number(d.days) })
    else if (e.kind === 'fee_notified') out.push({ kind: 'feeNotified', on: e.on })
    else if (e.kind === 'fee_paid') out.push({ kind: 'feePaid', on: e.on })
    else if (e.kind === 'delay_set') out.push({ kind: 'delaySet', on: e.on, until: String(d.until) })
  }
  return out
}

/** The application's clock as of today (or `asOf`), with every step that moved its due date. */
export async function clockOf(deps: Deps, db: Executor, app: ApplicationRow, asOf?: string): Promise<ClockState> {
  const events = await listEvents(db, app.id)
  const today = asOf ?? shanghaiDate(deps.clock.now())
  return computeClock(
    await calendarFor(deps, db),
    app.received_on,
    clockEvents(events),
    app.concluded_on && app.concluded_on < today ? app.concluded_on : today,
    await readClockSettings(db, deps),
  )
}

async function findApplicationRow(db: Executor, id: number): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst()
}

/** An application of the actor's own agency, or not found (never another agency's, AC-03). */
export async function findOwnApplication(
  deps: Deps,
  actor: Staff,
  id: number,
  db: Executor = deps.db,
): Promise<ApplicationRow> {
  const row = await findApplicationRow(db, id)
  if (!row || row.agency_id !== actor.agencyId || !row.status) throw new AppError('not_found', '申请不存在')
  return row
}

async function addEvent(
  deps: Deps,
  trx: Executor,
  actor: Actor,
  app: ApplicationRow,
  kind: string,
  on: string,
  detail: Record<string, unknown> = {},
): Promise<number> {
  const row = await trx
    .insertInto('application_events')
    .values({
      application_id: app.id,
      kind,
      on_date: on,
      detail: JSON.stringify(detail),
      actor_id: actor.id,
      actor_name: actor.name,
      created_at: isoNow(deps.clock),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await appendAudit(deps, trx, actor, {
    action: `application.${kind}`,
    objectType: 'application',
    objectId: app.number,
    result: 'success',
    detail: { on, ...publicDetail(detail) },
  })
  return row.id
}

// Event details hold dates, counts and codes; free text is kept out of the audit log.
const publicDetail = (d: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(d).filter(([k]) => !['note', 'opinion', 'what', 'to', 'reason'].includes(k)))

/**
 * The clock, or the reason it cannot be computed: a due date that runs into a year whose holiday
 * notice is not recorded yet. The application is still taken in and worked; the due date shows as
 * undetermined with that reason until the 系统管理员 records the notice.
 */
export async function clockOrProblem(
  deps: Deps,
  db: Executor,
  app: ApplicationRow,
  asOf?: string,
): Promise<{ clock: ClockState | null; problem: string | null }> {
  try {
    return { clock: await clockOf(deps, db, app, asOf), problem: null }
  } catch (e) {
    if (e instanceof CalendarMissing) return { clock: null, problem: e.message }
    throw e
  }
}

/** After a year's holiday notice is recorded: the open applications' due dates, computed afresh. */
export async function refreshOpenDueDates(deps: Deps): Promise<number> {
  const open = await deps.db
    .selectFrom('applications')
    .selectAll()
    .where('status', 'in', ['open', 'correction'])
    .execute()
  for (const app of open) await deps.db.transaction().execute((trx) => refreshDue(deps, trx, app))
  return open.length
}

/** Recomputes and caches the due date after a change. */
async function refreshDue(deps: Deps, trx: Executor, app: ApplicationRow): Promise<void> {
  const fresh = (await findApplicationRow(trx, app.id))!
  const { clock } = await clockOrProblem(deps, trx, fresh)
  await trx
    .updateTable('applications')
    .set({ due_on: clock?.due ?? null, paused_since: clock?.pausedSince ?? null, updated_at: isoNow(deps.clock) })
    .where('id', '=', app.id)
    .execute()
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/
function checkDate(value: string, field: string, label: string, today: string, notBefore?: string): void {
  if (!dateOnly.test(value) || Number.isNaN(Date.parse(value)))
    throw new AppError('invalid_input', `${label}格式应为 YYYY-MM-DD`, { [field]: '日期格式应为 YYYY-MM-DD' })
  if (value > today) throw new AppError('invalid_input', `${label}不能晚于今天`, { [field]: '不能晚于今天' })
  if (notBefore && value < notBefore)
    throw new AppError('invalid_input', `${label}不能早于${notBefore}`, { [field]: `不能早于${notBefore}` })
}

export type Submission = {
  id: number
  number: string
  queryCode: string
  repeated: boolean
  receivedOn: string
  due: string | null
}
/** The submission made earlier with this idempotency key, if any (a retry answers with it). */
export async function findSubmission(deps: Deps, idempotencyKey: string): Promise<Submission | undefined> {
  const prior = await deps.db
    .selectFrom('applications')
    .select(['id', 'number', 'query_code_enc', 'received_on', 'due_on'])
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
  return (
    prior && {
      id: prior.id,
      number: prior.number,
      queryCode: deps.fields.decrypt(prior.query_code_enc!, aad(prior.number, 'query_code')),
      repeated: true,
      receivedOn: prior.received_on,
      due: prior.due_on,
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
    const prior = await findSubmission(deps, meta.idempotencyKey)
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
    // Under load, submissions share transactions: on SQLite (one writer) each in its own savepoint
    // of a group commit; on PostgreSQL written together with multi-row statements, falling back to
    // one by one if the batch fails. Each is answered only after the commit that holds it.
    return deps.kind === 'sqlite'
      ? await groupCommitter(deps).run(async (trx) => (await insertApplications(deps, trx, [item]))[0]!)
      : await submissionBatcher(deps).run(item)
  } catch (e) {
    // Two copies of one retried submission raced: the second finds the first.
    if (meta.idempotencyKey && !(e instanceof AppError)) {
      const prior = await findSubmission(deps, meta.idempotencyKey)
      if (prior) return prior
    }
    throw e
  }
}

/** Writes new applications, their 'received' events and audit entries, with a few statements for any number of them. */
async function insertApplications(deps: Deps, trx: Executor, items: readonly NewApplication[]): Promise<Submission[]> {
  const today = shanghaiDate(deps.clock.now())
  for (const agencyId of new Set(items.filter((i) => !i.meta.agencyChecked).map((i) => i.agencyId))) {
    if (!(await trx.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst()))
      throw new AppError('not_found', '机关不存在')
  }
  const earliest = items.map((i) => addDays(i.receivedOn, -365)).sort()[0]!
  const recent = await trx
    .selectFrom('applications')
    .select(['id', 'agency_id', 'applicant_key', 'info_description', 'info_title', 'outcome', 'received_on'])
    .where('applicant_key', 'in', [...new Set(items.map((i) => i.applicantKey))])
    .where('received_on', '>=', earliest)
    .orderBy('id', 'desc')
    .execute()
  const calendar = await calendarFor(deps, trx)
  const clockSettings = await readClockSettings(trx, deps)
  const prepared: { item: NewApplication; flags: string[]; due: string | null; related: number | null }[] = []
  for (const [k, item] of items.entries()) {
    const { input, meta, receivedOn, agencyId } = item
    const flags = [...(meta.flags ?? [])]
    const mine = recent.filter(
      (r) =>
        r.agency_id === agencyId && r.applicant_key === item.applicantKey && r.received_on >= addDays(receivedOn, -365),
    )
    const request = normaliseRequest(`${input.infoTitle ?? ''}${input.infoDescription}`)
    const repeat = mine.find(
      (r) =>
        r.outcome &&
        !r.outcome.startsWith('OTHER_') &&
        similar(normaliseRequest(`${r.info_title ?? ''}${r.info_description ?? ''}`), request),
    )
    if (repeat) flags.push('possible_repeat')
    const frequentThreshold = Number(
      (await readSettingCached(deps, trx, `requests.${agencyId}.frequentThreshold`)) ?? 10,
    )
    const sameBatch = items
      .slice(0, k)
      .filter((o) => o.agencyId === agencyId && o.applicantKey === item.applicantKey).length
    if (mine.filter((r) => r.received_on >= addDays(receivedOn, -30)).length + sameBatch + 1 >= frequentThreshold)
      flags.push('frequent')
    // A new application has no steps yet: its due date is 20 working days from receipt.
    let due: string | null = null
    try {
      due = computeClock(calendar, receivedOn, [], today, clockSettings).due
    } catch (e) {
      if (!(e instanceof CalendarMissing)) throw e
    }
    prepared.push({ item, flags, due, related: repeat?.id ?? null })
  }
  const rowFor = (p: (typeof prepared)[number], number: string) => {
    const { input, meta } = p.item
    const enc = (v: string | undefined, field: string) => (v ? deps.fields.encrypt(v, aad(number, field)) : null)
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
      query_code_enc: deps.fields.encrypt(p.item.queryCode, aad(number, 'query_code')),
      idempotency_key: meta.idempotencyKey ?? null,
      flags: JSON.stringify(p.flags),
      handler_id: null,
      due_on: p.due,
      paused_since: null,
      related_application_id: p.related,
      updated_at: isoNow(deps.clock),
    }
  }
  // Numbers are random; a rare clash with an existing one is skipped by the insert and drawn again.
  const stored = new Map<number, ApplicationRow>()
  while (stored.size < prepared.length) {
    const waiting = prepared.map((p, i) => ({ p, i, number: newNumber(today) })).filter(({ i }) => !stored.has(i))
    const rows = await trx
      .insertInto('applications')
      .values(waiting.map(({ p, number }) => rowFor(p, number)))
      .onConflict((oc) => oc.column('number').doNothing())
      .returningAll()
      .execute()
    const byNumber = new Map(rows.map((r) => [r.number, r]))
    for (const w of waiting) {
      const r = byNumber.get(w.number)
      if (r) stored.set(w.i, r)
    }
  }
  const apps = prepared.map((_, i) => stored.get(i)!)
  await trx
    .insertInto('application_events')
    .values(
      prepared.map((p, i) => ({
        application_id: apps[i]!.id,
        kind: 'received',
        on_date: p.item.receivedOn,
        detail: JSON.stringify({ channel: p.item.meta.channel, flags: p.flags }),
        actor_id: p.item.actor.id,
        actor_name: p.item.actor.name,
        created_at: isoNow(deps.clock),
      })),
    )
    .execute()
  // Last, so that the audit chain's lock is held only to the commit.
  await appendAuditBatch(
    deps,
    trx,
    prepared.map((p, i) => ({
      actor: p.item.actor,
      entry: {
        action: 'application.received',
        objectType: 'application',
        objectId: apps[i]!.number,
        result: 'success' as const,
        detail: { on: p.item.receivedOn, channel: p.item.meta.channel, flags: p.flags },
      },
    })),
  )
  return prepared.map((p, i) => ({
    id: apps[i]!.id,
    number: apps[i]!.number,
    queryCode: p.item.queryCode,
    repeated: false,
    receivedOn: p.item.receivedOn,
    due: p.due,
  }))
}

/**
 * PostgreSQL: submissions that arrive within 2 ms of each other are written in one transaction
 * with multi-row statements (each statement a round trip, and the audit chain's lock is held by one
 * writer at a time). If the batch fails (a raced idempotency key, say) each is written on its own.
 */
class SubmissionBatcher {
  private readonly queue: { item: NewApplication; resolve: (s: Submission) => void; reject: (e: unknown) => void }[] =
    []
  private running = false
  constructor(private readonly deps: Deps) {}
  run(item: NewApplication): Promise<Submission> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      if (!this.running) void this.drain()
    })
  }
  private async drain(): Promise<void> {
    this.running = true
    try {
      while (this.queue.length > 0) {
        await new Promise((r) => setTimeout(r, 2))
        const batch = this.queue.splice(0, 64)
        try {
          const done = await this.deps.db.transaction().execute((trx) =>
            insertApplications(
              this.deps,
              trx,
              batch.map((b) => b.item),
            ),
          )
          batch.forEach((b, i) => b.resolve(done[i]!))
        } catch {
          for (const b of batch) {
            try {
              b.resolve(
                (await this.deps.db.transaction().execute((trx) => insertApplications(this.deps, trx, [b.item])))[0]!,
              )
            } catch (e) {
              b.reject(e)
            }
          }
        }
      }
    } finally {
      this.running = false
    }
  }
}
const batchers = new WeakMap<object, SubmissionBatcher>()
const submissionBatcher = (deps: Deps) => {
  let b = batchers.get(deps)
  if (!b) batchers.set(deps, (b = new SubmissionBatcher(deps)))
  return b
}

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
const normaliseRequest = (s: string) => s.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase()
/** Substantially the same request: the texts share at least 80% of their character bigrams. */
function similar(a: string, b: string): boolean {
  if (!a || !b) return false
  if (a === b) return true
  const grams = (s: string) => {
    const c = [...s]
    const out = new Set<string>()
    for (let i = 0; i + 1 < c.length; i++) out.add(c[i]! + c[i + 1]!)
    return out
  }
  const ga = grams(a)
  const gb = grams(b)
  let common = 0
  for (const g of ga) if (gb.has(g)) common++
  return common / Math.max(ga.size, gb.size, 1) >= 0.8
}

async function change(
  deps: Deps,
  actor: Staff,
  id: number,
  work: (trx: Executor, app: ApplicationRow, today: string) => Promise<void>,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const app = await findOwnApplication(deps, actor, id, trx)
    // The first handler to act takes the application; the office head acts without taking it.
    if (app.handler_id === null && actor.roles.includes('handler'))
      await trx.updateTable('applications').set({ handler_id: actor.id }).where('id', '=', id).execute()
    await work(trx, app, shanghaiDate(deps.clock.now()))
    await refreshDue(deps, trx, app)
  })
}

const mustBeOpen = (app: ApplicationRow) => {
  if (app.status === 'concluded') throw new AppError('invalid_transition', '申请已办结')
}

/** Art. 30: one notice, within 7 working days, naming what to correct and a reasonable period. */
export async function requestCorrection(
  deps: Deps,
  actor: Staff,
  id: number,
  input: { on: string; correctBy: string; what: string },
): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    mustBeOpen(app)
    checkDate(input.on, 'on', '补正通知日期', today, app.received_on)
    if (!dateOnly.test(input.correctBy) || input.correctBy <= input.on)
      throw new AppError('invalid_input', '补正期限应晚于通知日期', { correctBy: '补正期限应晚于通知日期' })
    if (!input.what.trim())
      throw new AppError('invalid_input', '请写明需要补正的事项', { what: '请写明需要补正的事项' })
    if ((await listEvents(trx, app.id)).some((e) => e.kind === 'correction_requested'))
      throw new AppError('invalid_transition', '补正通知应一次性告知（条例第三十条），本申请已发出过补正通知')
    await addEvent(deps, trx, actor, app, 'correction_requested', input.on, {
      correctBy: input.correctBy,
      what: input.what.trim(),
    })
    await trx.updateTable('applications').set({ status: 'correction' }).where('id', '=', app.id).execute()
    await draftLetter(deps, trx, actor, app, 'correction')
  })
}

export async function receiveCorrection(deps: Deps, actor: Staff, id: number, input: { on: string }): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    if (app.status !== 'correction') throw new AppError('invalid_transition', '本申请没有等待补正')
    const asked = (await listEvents(trx, app.id)).find((e) => e.kind === 'correction_requested')!
    checkDate(input.on, 'on', '收到补正之日', today, asked.on)
    await addEvent(deps, trx, actor, app, 'correction_received', input.on)
    await trx.updateTable('applications').set({ status: 'open' }).where('id', '=', app.id).execute()
  })
}

/** The correction period passed without a correction: the application is taken as abandoned (OTHER_NO_CORRECTION). */
export async function concludeWithoutCorrection(
  deps: Deps,
  actor: Staff,
  id: number,
  input: { on: string },
): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    if (app.status !== 'correction') throw new AppError('invalid_transition', '本申请没有等待补正')
    const asked = (await listEvents(trx, app.id)).find((e) => e.kind === 'correction_requested')!
    checkDate(input.on, 'on', '办结日期', today)
    if (input.on <= String(asked.detail.correctBy))
      throw new AppError('invalid_transition', `补正期限（${String(asked.detail.correctBy)}）尚未届满`)
    await conclude(deps, trx, actor, app, input.on, 'OTHER_NO_CORRECTION', 'none', '', 'concluded_no_correction')
  })
}

export async function sendConsultation(
  deps: Deps,
  actor: Staff,
  id: number,
  input: { on: string; party: 'thirdParty' | 'agency'; to: string },
): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    mustBeOpen(app)
    if (app.status === 'correction') throw new AppError('invalid_transition', '等待补正期间不能征求意见')
    checkDate(input.on, 'on', '发出征求意见之日', today, app.received_on)
    if (!input.to.trim()) throw new AppError('invalid_input', '请填写征求意见的对象', { to: '请填写征求意见的对象' })
    await addEvent(deps, trx, actor, app, 'consultation_sent', input.on, { party: input.party, to: input.to.trim() })
    if (input.party === 'thirdParty') await draftLetter(deps, trx, actor, app, 'consultation')
  })
}

export async function recordConsultationReply(
  deps: Deps,
  actor: Staff,
  id: number,
  input: { on: string; ref: number; opinion: string },
): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    const events = await listEvents(trx, app.id)
    const sent = events.find((e) => e.id === input.ref && e.kind === 'consultation_sent')
    if (!sent) throw new AppError('not_found', '没有这次征求意见')
    if (events.some((e) => e.kind === 'consultation_replied' && Number(e.detail.ref) === input.ref))
      throw new AppError('invalid_transition', '这次征求意见已记录答复')
    checkDate(input.on, 'on', '收到答复之日', today, sent.on)
    await addEvent(deps, trx, actor, app, 'consultation_replied', input.on, {
      ref: input.ref,
      opinion: input.opinion.trim(),
    })
  })
}

/** Art. 33: the office head approves at most 20 working days, before the due date, and the applicant is told. */
export async function approveExtension(
  deps: Deps,
  actor: Staff,
  id: number,
  input: { on: string; days: number; reason: string },
): Promise<void> {
  if (!actor.roles.includes('office_head'))
    throw new AppError('forbidden', '延长答复期限须经政府信息公开工作机构负责人同意')
  await change(deps, actor, id, async (trx, app, today) => {
    mustBeOpen(app)
    checkDate(input.on, 'on', '批准延期之日', today, app.received_on)
    if (!Number.isInteger(input.days) || input.days < 1 || input.days > statutoryClock.maxExtensionDays)
      throw new AppError('invalid_input', '延长期限为 1 至 20 个工作日', { days: '延长期限为 1 至 20 个工作日' })
    if (!input.reason.trim()) throw new AppError('invalid_input', '请写明延期理由', { reason: '请写明延期理由' })
    const events = await listEvents(trx, app.id)
    if (events.some((e) => e.kind === 'extension_approved'))
      throw new AppError('invalid_transition', '答复期限已延长过，延长期限最长不超过 20 个工作日')
    const { clock, problem } = await clockOrProblem(deps, trx, app, input.on)
    if (!clock) throw new AppError('invalid_transition', problem!)
    if (!clock.due || input.on > clock.due)
      throw new AppError('deadline_passed', `延期须在答复期限（${clock.due ?? '未起算'}）届满前批准`)
    await addEvent(deps, trx, actor, app, 'extension_approved', input.on, {
      days: input.days,
      reason: input.reason.trim(),
    })
    await refreshDue(deps, trx, app)
    await draftLetter(deps, trx, actor, app, 'extension')
  })
}

/** 109号: per piece by the applicant's rank in the calendar month, or per volume by pages; never both. */
export async function notifyFee(
  deps: Deps,
  actor: Staff,
  id: number,
  input: { on: string; method: 'piece' | 'volume'; pages?: number },
): Promise<number> {
  let amount = 0
  await change(deps, actor, id, async (trx, app, today) => {
    mustBeOpen(app)
    checkDate(input.on, 'on', '收费通知日期', today, app.received_on)
    if (app.fee_method) throw new AppError('invalid_transition', '本申请已发出收费通知；按件与按量不得同时计收')
    if (input.method === 'piece') {
      const month = app.received_on.slice(0, 7)
      const same = await trx
        .selectFrom('applications')
        .select(['id', 'received_on'])
        .where('agency_id', '=', app.agency_id)
        .where('applicant_key', '=', app.applicant_key)
        .where('received_on', '>=', `${month}-01`)
        .where('received_on', '<=', `${month}-31`)
        .execute()
      const rank = same.filter(
        (r) => r.received_on < app.received_on || (r.received_on === app.received_on && r.id <= app.id),
      ).length
      amount = perPieceFee(rank)
    } else {
      if (!input.pages || !Number.isInteger(input.pages) || input.pages < 1)
        throw new AppError('invalid_input', '按量计收须填写页数', { pages: '请填写页数' })
      amount = perVolumeFee(input.pages)
    }
    if (amount === 0)
      throw new AppError('invalid_input', '按收费标准本申请无需缴费（按件：当月第 1–10 件免费；按量：30 页以内免费）')
    await addEvent(deps, trx, actor, app, 'fee_notified', input.on, {
      method: input.method,
      pages: input.pages ?? null,
      amount,
    })
    await trx
      .updateTable('applications')
      .set({ fee_method: input.method, fee_amount: amount })
      .where('id', '=', app.id)
      .execute()
    await draftLetter(deps, trx, actor, app, 'fee')
  })
  return amount
}

export async function recordFeePaid(deps: Deps, actor: Staff, id: number, input: { on: string }): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    const notice = (await listEvents(trx, app.id)).find((e) => e.kind === 'fee_notified')
    if (!notice) throw new AppError('invalid_transition', '本申请没有收费通知')
    checkDate(input.on, 'on', '缴费日期', today, notice.on)
    await addEvent(deps, trx, actor, app, 'fee_paid', input.on, { amount: notice.detail.amount })
  })
}

/** Not paid within 20 working days of the notice: taken as abandoned (OTHER_NO_FEE). */
export async function concludeWithoutFee(deps: Deps, actor: Staff, id: number, input: { on: string }): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    const events = await listEvents(trx, app.id)
    const notice = events.find((e) => e.kind === 'fee_notified')
    if (!notice || events.some((e) => e.kind === 'fee_paid'))
      throw new AppError('invalid_transition', '本申请没有未缴的收费通知')
    checkDate(input.on, 'on', '办结日期', today)
    const payBy = addWorkingDays(await calendarFor(deps, trx), notice.on, statutoryClock.feePayDays)
    if (input.on <= payBy) throw new AppError('invalid_transition', `缴费期限（${payBy}）尚未届满`)
    await conclude(deps, trx, actor, app, input.on, 'OTHER_NO_FEE', 'none', '', 'concluded_no_fee')
  })
}

/** Art. 35: a reasonable later date, set by the office head with the notice to the applicant recorded. */
export async function setDelay(
  deps: Deps,
  actor: Staff,
  id: number,
  input: { on: string; until: string; reason: string },
): Promise<void> {
  if (!actor.roles.includes('office_head'))
    throw new AppError('forbidden', '延迟答复期限须由政府信息公开工作机构负责人确定')
  await change(deps, actor, id, async (trx, app, today) => {
    mustBeOpen(app)
    checkDate(input.on, 'on', '告知日期', today, app.received_on)
    if (!dateOnly.test(input.until) || input.until <= input.on)
      throw new AppError('invalid_input', '延迟答复期限应晚于告知日期', { until: '应晚于告知日期' })
    if (!input.reason.trim()) throw new AppError('invalid_input', '请写明理由', { reason: '请写明理由' })
    await addEvent(deps, trx, actor, app, 'delay_set', input.on, { until: input.until, reason: input.reason.trim() })
    await refreshDue(deps, trx, app)
    await draftLetter(deps, trx, actor, app, 'delay')
  })
}

const denyCodes = new Set([
  'DENY_SECRET',
  'DENY_LAW',
  'DENY_SECURITY',
  'DENY_THIRD_PARTY',
  'DENY_INTERNAL',
  'DENY_PROCESS',
  'DENY_ENFORCEMENT_FILE',
  'DENY_QUERY',
])

export type DecisionInput = { on: string; outcome: string; replyType: string; basis: string; relatedNumber?: string }

/** The decision in the report's taxonomy, with the art. 36 reply type and the articles relied on (spec §8.3). */
export async function decideApplication(deps: Deps, actor: Staff, id: number, input: DecisionInput): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    mustBeOpen(app)
    if (app.status === 'correction') throw new AppError('invalid_transition', '申请正在等待补正，请先记录补正结果')
    checkDate(input.on, 'on', '答复日期', today, app.received_on)
    if (
      !(outcomeCodes as readonly string[]).includes(input.outcome) ||
      input.outcome === 'OTHER_NO_CORRECTION' ||
      input.outcome === 'OTHER_NO_FEE'
    ) {
      throw new AppError('invalid_input', '请选择答复结果（逾期不补正、逾期不缴费请用对应的办结操作）', {
        outcome: '请选择答复结果',
      })
    }
    const basis = input.basis.trim()
    if ((denyCodes.has(input.outcome) || input.outcome === 'PARTIAL') && !basis)
      throw new AppError('invalid_input', '不予公开和部分公开须写明依据的条款和理由', {
        basis: '请写明依据的条款和理由',
      })
    let related: number | null = app.related_application_id
    if (input.outcome === 'NP_REPEAT') {
      const earlier = input.relatedNumber
        ? await trx
            .selectFrom('applications')
            .select(['id', 'applicant_key', 'outcome'])
            .where('number', '=', input.relatedNumber.trim())
            .where('agency_id', '=', app.agency_id)
            .executeTakeFirst()
        : undefined
      if (!earlier || earlier.applicant_key !== app.applicant_key || !earlier.outcome)
        throw new AppError('invalid_input', '重复申请须关联同一申请人已答复的申请编号', {
          relatedNumber: '请填写同一申请人已答复的申请编号',
        })
      related = earlier.id
    }
    if (
      input.outcome === 'NP_MASSIVE' &&
      !(await listEvents(trx, app.id)).some((e) => e.kind === 'delay_set' || e.kind === 'reasons_requested')
    ) {
      throw new AppError(
        'invalid_transition',
        '以“无正当理由大量反复申请”不予处理前，须先要求申请人说明理由（条例第三十五条）',
      )
    }
    await trx.updateTable('applications').set({ related_application_id: related }).where('id', '=', app.id).execute()
    await conclude(deps, trx, actor, app, input.on, input.outcome as OutcomeCode, input.replyType, basis, 'decided')
  })
}

async function conclude(
  deps: Deps,
  trx: Executor,
  actor: Actor,
  app: ApplicationRow,
  on: string,
  outcome: OutcomeCode,
  replyType: string,
  basis: string,
  kind: string,
): Promise<void> {
  await addEvent(deps, trx, actor, app, kind, on, { outcome, replyType })
  await trx
    .updateTable('applications')
    .set({
      status: 'concluded',
      outcome,
      concluded_on: on,
      decided_on: on,
      reply_type: replyType,
      legal_basis: basis || null,
    })
    .where('id', '=', app.id)
    .execute()
  // A withdrawal needs no letter; every other ending is answered in writing.
  if (kind !== 'withdrawn') await draftLetter(deps, trx, actor, app, 'decision')
}

/** Art. 35 first step: the applicant is asked for the reasons of a clearly excessive number of requests. */
export async function requestReasons(deps: Deps, actor: Staff, id: number, input: { on: string }): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    mustBeOpen(app)
    checkDate(input.on, 'on', '要求说明理由之日', today, app.received_on)
    await addEvent(deps, trx, actor, app, 'reasons_requested', input.on)
  })
}

export const deliveryMethods = {
  direct: '直接送达（申请人签收）',
  entrusted: '委托其他行政机关送达',
  post: '邮寄送达（交邮政企业）',
  email: '电子邮件',
  online: '网上送达',
} as const

/** Delivery (235号): the signature date, or the posting date for mail, decides whether the reply was on time. */
export async function recordDelivery(
  deps: Deps,
  actor: Staff,
  id: number,
  input: { on: string; method: keyof typeof deliveryMethods },
): Promise<boolean> {
  let onTime = false
  await change(deps, actor, id, async (trx, app, today) => {
    if (app.status !== 'concluded' || !app.decided_on) throw new AppError('invalid_transition', '请先作出答复')
    if (!(input.method in deliveryMethods))
      throw new AppError('invalid_input', '请选择送达方式', { method: '请选择送达方式' })
    checkDate(input.on, 'on', input.method === 'post' ? '交邮日期' : '送达日期', today, app.decided_on)
    const { clock, problem } = await clockOrProblem(deps, trx, app, input.on)
    if (!clock) throw new AppError('invalid_transition', problem!)
    onTime = clock.due !== null && input.on <= clock.due
    await addEvent(deps, trx, actor, app, 'delivered', input.on, { method: input.method, onTime })
    await trx
      .updateTable('applications')
      .set({ delivered_method: input.method, delivered_on: input.on, on_time: onTime ? 1 : 0 })
      .where('id', '=', app.id)
      .execute()
  })
  return onTime
}

export async function withdrawApplication(deps: Deps, actor: Staff, id: number, input: { on: string }): Promise<void> {
  await change(deps, actor, id, async (trx, app, today) => {
    mustBeOpen(app)
    checkDate(input.on, 'on', '撤回日期', today, app.received_on)
    await conclude(deps, trx, actor, app, input.on, 'OTHER_OTHER', 'none', '申请人撤回申请', 'withdrawn')
  })
}

export type ApplicantDetails = {
  name: string
  contactPerson: string | null
  idNumber: string | null
  phone: string | null
  email: string | null
  address: string | null
}

function decryptApplicant(deps: Deps, app: ApplicationRow): ApplicantDetails {
  const dec = (v: string | null, field: string) => (v ? deps.fields.decrypt(v, aad(app.number, field)) : null)
  return {
    name: dec(app.applicant_name_enc, 'name') ?? '',
    contactPerson: dec(app.contact_person_enc, 'contact_person'),
    idNumber: dec(app.id_number_enc, 'id_number'),
    phone: dec(app.phone_enc, 'phone'),
    email: dec(app.email_enc, 'email'),
    address: dec(app.address_enc, 'address'),
  }
}

const maskTail = (s: string | null, keep = 4) =>
  s ? `${'*'.repeat(Math.max(0, [...s].length - keep))}${s.slice(-keep)}` : null

/** What everyone in the agency sees by default: masked. */
export function maskedApplicant(deps: Deps, app: ApplicationRow): ApplicantDetails {
  const d = decryptApplicant(deps, app)
  return {
    name: app.applicant_name_masked ?? '',
    contactPerson: d.contactPerson ? maskName(d.contactPerson) : null,
    idNumber: maskTail(d.idNumber),
    phone: d.phone ? `${d.phone.slice(0, 3)}****${d.phone.slice(-4)}` : null,
    email: d.email ? d.email.replace(/^(.).*(@.*)$/, '$1***$2') : null,
    address: d.address ? `${[...d.address].slice(0, 6).join('')}……` : null,
  }
}

/** The full personal data, for the application's own handler and the office head only; each reveal is audited. */
export async function revealApplicant(deps: Deps, actor: Staff, id: number): Promise<ApplicantDetails> {
  const app = await findOwnApplication(deps, actor, id)
  const allowed = app.handler_id === actor.id || actor.roles.includes('office_head')
  await deps.db.transaction().execute((trx) =>
    appendAudit(deps, trx, actor, {
      action: 'application.reveal',
      objectType: 'application',
      objectId: app.number,
      result: allowed ? 'success' : 'denied',
    }),
  )
  if (!allowed) throw new AppError('forbidden', '只有本申请的承办人和公开办负责人可以查看完整的个人信息')
  return decryptApplicant(deps, app)
}

/** The applicants this agency holds, for the pre-publication scan (their names with ID numbers, phones, addresses). */
export async function knownApplicants(deps: Deps, db: Executor, agencyId: number): Promise<KnownPerson[]> {
  const rows = await db
    .selectFrom('applications')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('applicant_name_enc', 'is not', null)
    .where('applicant_kind', '=', 'person')
    .execute()
  return rows.map((r) => {
    const d = decryptApplicant(deps, r)
    return { name: d.name, idNumber: d.idNumber, phone: d.phone, address: d.address }
  })
}

export type PublicStatus = {
  number: string
  status: string
  receivedOn: string
  due: string | null
  outcome: string | null
  decidedOn: string | null
  steps: { on: string; text: string }[]
  letters: { id: number; kind: string; issuedOn: string }[]
}

/** Constant-time match of a number and query code; undefined for any mismatch, the same for both halves. */
export async function findByTracking(
  deps: Deps,
  number: string,
  queryCode: string,
): Promise<ApplicationRow | undefined> {
  const row = await deps.db
    .selectFrom('applications')
    .selectAll()
    .where('number', '=', number.trim().toUpperCase())
    .executeTakeFirst()
  const stored = row?.query_code_enc
    ? deps.fields.decrypt(row.query_code_enc, aad(row.number, 'query_code'))
    : randomBytes(5).toString('hex').toUpperCase()
  const a = Buffer.from(stored.padEnd(16))
  const b = Buffer.from(queryCode.trim().toUpperCase().padEnd(16).slice(0, 16))
  const same = a.length === b.length && timingSafeEqual(a, b)
  return same && row ? row : undefined
}

/** The second check before letters: the last four characters of the applicant's ID number or phone. */
export function secondCheck(deps: Deps, app: ApplicationRow, lastFour: string): boolean {
  const d = decryptApplicant(deps, app)
  const want = Buffer.from(lastFour.trim().toUpperCase().padEnd(4).slice(0, 4))
  const ok = (v: string | null) =>
    v !== null && v.length >= 4 && timingSafeEqual(Buffer.from(v.slice(-4).toUpperCase()), want)
  // Both are compared, always, so that the time taken does not say which one matched.
  const byId = ok(d.idNumber)
  const byPhone = ok(d.phone)
  return byId || byPhone
}

export async function publicStatus(deps: Deps, app: ApplicationRow): Promise<PublicStatus> {
  const { clock } = await clockOrProblem(deps, deps.db, app)
  const letters = await deps.db
    .selectFrom('letters')
    .select(['id', 'kind', 'issued_on'])
    .where('application_id', '=', app.id)
    .where('status', '=', 'issued')
    .orderBy('id')
    .execute()
  return {
    number: app.number,
    status: app.status ?? 'open',
    receivedOn: app.received_on,
    due: app.status === 'concluded' ? null : (clock?.due ?? null),
    outcome: app.outcome,
    decidedOn: app.decided_on,
    steps: [
      ...(clock
        ? clock.steps.map((s) => ({ on: s.on, text: s.text }))
        : [{ on: app.received_on, text: '收到申请；答复期限待国务院办公厅公布下一年度节假日安排后确定' }]),
      ...(app.status === 'concluded' && app.concluded_on
        ? [
            {
              on: app.concluded_on,
              text: app.outcome === 'OTHER_OTHER' && !app.reply_type?.match(/\d/) ? '办结' : '作出答复',
            },
          ]
        : []),
      ...(app.delivered_on ? [{ on: app.delivered_on, text: '答复文书送达' }] : []),
    ],
    letters: letters.map((l) => ({ id: l.id, kind: l.kind, issuedOn: l.issued_on! })),
  }
}

export { decryptApplicant }

const applicantFileTypes = new Set(['application/pdf', 'image/jpeg', 'image/png'])
const maxApplicantFiles = 5

/**
 * A file the applicant adds to the application (a copy of the ID, a power of attorney): PDF, JPG or
 * PNG by name and content, malware-checked, at most five, while the application is open. Such files
 * are never publishable and are shown only to the agency's handlers.
 */
export async function addApplicantFile(
  deps: Deps,
  actor: Actor,
  app: ApplicationRow,
  rawName: string,
  bytes: Buffer,
): Promise<void> {
  const fileName = cleanFileName(rawName)
  const type = allowedType(fileName, bytes)
  if (!type || !applicantFileTypes.has(type))
    throw new AppError('invalid_input', '材料仅支持 PDF、JPG、PNG，且文件内容须与扩展名一致', {
      file: '文件类型不允许或内容与扩展名不符',
    })
  if (app.status === 'concluded') throw new AppError('invalid_transition', '申请已办结，不能再上传材料')
  await refuseMalware(deps, actor, 'application', app.id, fileName, bytes)
  const stored = storeFile(deps.config.dataDir, bytes, deps.clock.now())
  await deps.db.transaction().execute(async (trx) => {
    const count = (
      await trx.selectFrom('application_files').select('id').where('application_id', '=', app.id).execute()
    ).length
    if (count >= maxApplicantFiles)
      throw new AppError('invalid_input', `每件申请最多上传 ${maxApplicantFiles} 份材料`, {
        file: `最多 ${maxApplicantFiles} 份`,
      })
    await trx
      .insertInto('application_files')
      .values({
        application_id: app.id,
        file_name: fileName,
        content_type: type,
        size: stored.size,
        sha256: stored.sha256,
        storage_key: stored.key,
        created_at: isoNow(deps.clock),
      })
      .execute()
    await appendAudit(deps, trx, actor, {
      action: 'application.file_add',
      objectType: 'application',
      objectId: app.number,
      result: 'success',
      detail: { size: stored.size, sha256: stored.sha256 },
    })
  })
}

export async function listApplicantFiles(db: Executor, applicationId: number) {
  return db
    .selectFrom('application_files')
    .select(['id', 'file_name', 'content_type', 'size', 'created_at'])
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute()
}

/** A handler opens an applicant's file: personal data, so the opening is audited. */
export async function readApplicantFile(
  deps: Deps,
  actor: Staff,
  applicationId: number,
  fileId: number,
): Promise<{ name: string; type: string; bytes: Buffer }> {
  const app = await findOwnApplication(deps, actor, applicationId)
  if (app.handler_id !== actor.id && !actor.roles.includes('office_head'))
    throw new AppError('forbidden', '申请人的材料仅本申请的承办人和公开办负责人可以查看')
  const row = await deps.db
    .selectFrom('application_files')
    .selectAll()
    .where('id', '=', fileId)
    .where('application_id', '=', app.id)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', '材料不存在')
  await deps.db.transaction().execute((trx) =>
    appendAudit(deps, trx, actor, {
      action: 'application.file_open',
      objectType: 'application',
      objectId: app.number,
      result: 'success',
      detail: { file: fileId },
    }),
  )
  return { name: row.file_name, type: row.content_type, bytes: readStoredFile(deps.config.dataDir, row.storage_key) }
}

export const defaultRetentionYears = 10

/**
 * Retention (a setting, requests.retentionYears, default 10 years [U]: practice follows each
 * archive's own schedule): once an application has been concluded that long, the applicant's ID
 * number, contacts and uploaded files are erased. What the annual report counts, the name and the
 * issued letters stay as the record of the case.
 */
export async function purgeExpiredPersonalData(
  deps: Deps,
  actor: Actor,
  dryRun = false,
): Promise<{ cutoff: string; count: number }> {
  const years = Number((await readSetting(deps.db, 'requests.retentionYears')) ?? defaultRetentionYears)
  const today = shanghaiDate(deps.clock.now())
  const cutoff = `${Number(today.slice(0, 4)) - years}${today.slice(4)}`
  const expired = await deps.db
    .selectFrom('applications')
    .select(['id', 'number'])
    .where('status', '=', 'concluded')
    .where('concluded_on', '<', cutoff)
    .where((eb) =>
      eb.or([
        eb('id_number_enc', 'is not', null),
        eb('phone_enc', 'is not', null),
        eb('address_enc', 'is not', null),
        eb('email_enc', 'is not', null),
      ]),
    )
    .execute()
  if (dryRun || expired.length === 0) return { cutoff, count: expired.length }
  const keys: string[] = []
  await deps.db.transaction().execute(async (trx) => {
    for (const a of expired) {
      keys.push(
        ...(
          await trx.selectFrom('application_files').select('storage_key').where('application_id', '=', a.id).execute()
        ).map((f) => f.storage_key),
      )
      await trx.deleteFrom('application_files').where('application_id', '=', a.id).execute()
      await trx
        .updateTable('applications')
        .set({
          id_number_enc: null,
          phone_enc: null,
          email_enc: null,
          address_enc: null,
          contact_person_enc: null,
          postcode: null,
          query_code_enc: null,
        })
        .where('id', '=', a.id)
        .execute()
    }
    await appendAudit(deps, trx, actor, {
      action: 'application.purge',
      objectType: 'application',
      objectId: `${expired.length}`,
      result: 'success',
      detail: { cutoff, years, numbers: expired.map((a) => a.number) },
    })
  })
  for (const key of keys) removeStoredFile(deps.config.dataDir, key)
  return { cutoff, count: expired.length }
}
