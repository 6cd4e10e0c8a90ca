import { sql } from 'kysely'
import type { Insertable, Updateable } from 'kysely'
import type {
  DatabaseKind,
  ApplicationEventTable,
  ApplicationFileTable,
  ApplicationRow,
  ApplicationTable,
  CorrectionAnswerTable,
  Executor,
  LetterTable,
} from '../storage/database.ts'
import type { ApplicationEvent, Queue } from './application.ts'

// Every query of disclosure on request: applications, their timeline, the applicant's files and the
// letters. Rows go in and out as they are; the services decide what they mean.

export async function findApplicationById(db: Executor, id: number): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findApplicationByNumber(db: Executor, number: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('number', '=', number).executeTakeFirst()
}

export async function findApplicationByIdempotencyKey(db: Executor, key: string) {
  return db
    .selectFrom('applications')
    .select(['id', 'number', 'idempotency_digest', 'received_on', 'due_on', 'due_provisional'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst()
}

/** An application of the agency by its number, with what a repeat (NP_REPEAT) is checked against. */
export async function findAgencyApplicationByNumber(db: Executor, agencyId: number, number: string) {
  return db
    .selectFrom('applications')
    .select(['id', 'applicant_key', 'outcome'])
    .where('number', '=', number)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst()
}

export async function agencyExists(db: Executor, agencyId: number): Promise<boolean> {
  return !!(await db.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst())
}

export async function findAgencyName(db: Executor, agencyId: number): Promise<string> {
  const row = await db.selectFrom('agencies').select('name').where('id', '=', agencyId).executeTakeFirstOrThrow()
  return row.name
}

/** The agency's kind and level: its place in the region (行政复议法 art. 24). */
export async function findAgencyPlace(db: Executor, agencyId: number): Promise<{ kind: string; level: string }> {
  return db.selectFrom('agencies').select(['kind', 'level']).where('id', '=', agencyId).executeTakeFirstOrThrow()
}

export async function findRegionName(db: Executor): Promise<string | undefined> {
  return (await db.selectFrom('regions').select('name').executeTakeFirst())?.name
}

/** The applications of these applicants received since `since`, newest first (repeat and frequency checks). */
export async function listRecentOfApplicants(db: Executor, applicantKeys: readonly string[], since: string) {
  return db
    .selectFrom('applications')
    .select(['id', 'agency_id', 'applicant_key', 'info_description', 'info_title', 'outcome', 'received_on'])
    .where('applicant_key', 'in', [...applicantKeys])
    .where('received_on', '>=', since)
    .orderBy('id', 'desc')
    .execute()
}

/** The applicant's applications to the agency received in a calendar month (`YYYY-MM`). */
export async function listApplicantMonth(db: Executor, agencyId: number, applicantKey: string | null, month: string) {
  return db
    .selectFrom('applications')
    .select(['id', 'received_on'])
    .where('agency_id', '=', agencyId)
    .where('applicant_key', '=', applicantKey)
    .where('received_on', '>=', `${month}-01`)
    .where('received_on', '<=', `${month}-31`)
    .execute()
}

/** Inserts new applications; a row whose number is taken already is skipped (the caller draws again). */
export async function insertApplicationsSkippingTakenNumbers(
  db: Executor,
  rows: readonly Insertable<ApplicationTable>[],
): Promise<Pick<ApplicationRow, 'id' | 'number' | 'email_enc'>[]> {
  // Only what the intake needs back: returning all fifty columns cost more than the insert.
  return db
    .insertInto('applications')
    .values([...rows])
    .onConflict((oc) => oc.column('number').doNothing())
    .returning(['id', 'number', 'email_enc'])
    .execute()
}

export async function updateApplication(db: Executor, id: number, patch: Updateable<ApplicationTable>): Promise<void> {
  await db.updateTable('applications').set(patch).where('id', '=', id).execute()
}

export async function listOpenApplications(db: Executor): Promise<ApplicationRow[]> {
  return db.selectFrom('applications').selectAll().where('status', 'in', ['open', 'correction']).execute()
}

/** The applications of the agency's applicants who are natural persons, with their personal data. */
export async function listPersonApplications(db: Executor, agencyId: number): Promise<ApplicationRow[]> {
  return db
    .selectFrom('applications')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('applicant_name_enc', 'is not', null)
    .where('applicant_kind', '=', 'person')
    .execute()
}

/** What narrows a console queue besides its tab: part of the number, and the receipt dates. */
export type QueueFilter = { number?: string | undefined; from?: string | undefined; to?: string | undefined }

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/** The agency's applications of one queue tab, matching the filter (the query both list and count use). */
function queueQuery(db: Executor, agencyId: number, queue: Queue, today: string, soonBy: string, f: QueueFilter) {
  let rows = db.selectFrom('applications').where('agency_id', '=', agencyId).where('status', 'is not', null)
  if (queue === 'overdue') rows = rows.where('status', '!=', 'concluded').where('due_on', '<', today)
  if (queue === 'soon')
    rows = rows.where('status', '!=', 'concluded').where('due_on', '>=', today).where('due_on', '<=', soonBy)
  if (queue === 'open') rows = rows.where('status', '=', 'open')
  if (queue === 'correction') rows = rows.where('status', '=', 'correction')
  if (queue === 'concluded') rows = rows.where('status', '=', 'concluded')
  if (f.number)
    rows = rows.where(sql<boolean>`upper(number) like ${`%${escapeLike(f.number.toUpperCase())}%`} escape '\\'`)
  if (f.from) rows = rows.where('received_on', '>=', f.from)
  if (f.to) rows = rows.where('received_on', '<=', f.to)
  return rows
}

/** One page of a console queue of the agency, by due date. */
export async function listQueue(
  db: Executor,
  agencyId: number,
  queue: Queue,
  today: string,
  soonBy: string,
  f: QueueFilter = {},
  page: { limit: number; offset: number } = { limit: 50, offset: 0 },
): Promise<ApplicationRow[]> {
  return queueQuery(db, agencyId, queue, today, soonBy, f)
    .selectAll()
    .orderBy('due_on')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

/** How many applications a console queue of the agency holds, filtered. */
export async function countQueue(
  db: Executor,
  agencyId: number,
  queue: Queue,
  today: string,
  soonBy: string,
  f: QueueFilter = {},
): Promise<number> {
  const row = await queueQuery(db, agencyId, queue, today, soonBy, f)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The agency's unconcluded applications whose clock was stopped when last computed. */
export async function listPausedApplications(db: Executor, agencyId: number): Promise<ApplicationRow[]> {
  return db
    .selectFrom('applications')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('status', 'in', ['open', 'correction'])
    .where('paused_since', 'is not', null)
    .execute()
}

export type RegionOpenApplication = {
  id: number
  agency_id: number
  number: string
  received_on: string
  due_on: string | null
  due_provisional: number
  status: string | null
  applicant_name_masked: string | null
  paused_since: string | null
}

/** Every agency's open applications, by due date, for the supervising office. */
export async function listRegionOpenApplications(db: Executor): Promise<RegionOpenApplication[]> {
  return db
    .selectFrom('applications')
    .select([
      'id',
      'agency_id',
      'number',
      'received_on',
      'due_on',
      'due_provisional',
      'status',
      'applicant_name_masked',
      'paused_since',
    ])
    .where('status', 'in', ['open', 'correction'])
    .orderBy('due_on')
    .execute()
}

/** Concluded before `cutoff` and still holding personal data (retention). */
export async function listExpiredPersonalData(db: Executor, cutoff: string) {
  return db
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
}

export async function erasePersonalData(db: Executor, id: number): Promise<void> {
  await updateApplication(db, id, {
    id_number_enc: null,
    phone_enc: null,
    email_enc: null,
    address_enc: null,
    contact_person_enc: null,
    postcode: null,
    query_code_hash: null,
  })
}

// The timeline.

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

export async function insertEvent(db: Executor, event: Insertable<ApplicationEventTable>): Promise<number> {
  const row = await db.insertInto('application_events').values(event).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function insertEvents(db: Executor, events: readonly Insertable<ApplicationEventTable>[]): Promise<void> {
  await db
    .insertInto('application_events')
    .values([...events])
    .execute()
}

// The applicant's files.

export type ApplicantFile = {
  id: number
  file_name: string
  content_type: string
  size: number
  created_at: string
  /** The applicant's online 补正 answer the file came with (条例 art. 30), if any. */
  correction_answer_id: number | null
}

export async function listApplicantFiles(db: Executor, applicationId: number): Promise<ApplicantFile[]> {
  return db
    .selectFrom('application_files')
    .select(['id', 'file_name', 'content_type', 'size', 'created_at', 'correction_answer_id'])
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute()
}

export async function findApplicantFile(db: Executor, applicationId: number, fileId: number) {
  return db
    .selectFrom('application_files')
    .selectAll()
    .where('id', '=', fileId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst()
}

export async function insertApplicantFile(db: Executor, file: Insertable<ApplicationFileTable>): Promise<void> {
  await db.insertInto('application_files').values(file).execute()
}

/** Every applicant file with its application's number (the files' encryption is bound to it). */
export async function listAllApplicantFileKeys(db: Executor) {
  return db
    .selectFrom('application_files')
    .innerJoin('applications', 'applications.id', 'application_files.application_id')
    .select(['application_files.id', 'application_files.storage_key', 'applications.number'])
    .orderBy('application_files.id')
    .execute()
}

export async function setApplicantFileKey(db: Executor, id: number, key: string): Promise<void> {
  await db.updateTable('application_files').set({ storage_key: key }).where('id', '=', id).execute()
}

export async function listFileKeys(db: Executor, applicationId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('application_files')
    .select('storage_key')
    .where('application_id', '=', applicationId)
    .execute()
  return rows.map((f) => f.storage_key)
}

export async function deleteApplicantFiles(db: Executor, applicationId: number): Promise<void> {
  await db.deleteFrom('application_files').where('application_id', '=', applicationId).execute()
}

// Letters.

export async function listLetterRows(db: Executor, applicationId: number) {
  return db.selectFrom('letters').selectAll().where('application_id', '=', applicationId).orderBy('id').execute()
}

export async function listIssuedLetters(db: Executor, applicationId: number) {
  return db
    .selectFrom('letters')
    .select(['id', 'kind', 'issued_on'])
    .where('application_id', '=', applicationId)
    .where('status', '=', 'issued')
    .orderBy('id')
    .execute()
}

export async function findLetter(db: Executor, applicationId: number, letterId: number) {
  return db
    .selectFrom('letters')
    .selectAll()
    .where('id', '=', letterId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst()
}

export async function insertLetter(db: Executor, letter: Insertable<LetterTable>): Promise<number> {
  const row = await db.insertInto('letters').values(letter).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updateLetter(db: Executor, id: number, patch: Updateable<LetterTable>): Promise<void> {
  await db.updateTable('letters').set(patch).where('id', '=', id).execute()
}

/**
 * The highest 文号 sequence the agency has given in a year, 0 before its first. On PostgreSQL the
 * agency's row is locked first, so that two letters issued at once do not take the same number
 * (SQLite runs one write transaction at a time).
 */
export async function lastLetterSeq(db: Executor, kind: DatabaseKind, agencyId: number, year: number): Promise<number> {
  if (kind === 'postgres') await db.selectFrom('agencies').select('id').where('id', '=', agencyId).forUpdate().execute()
  const row = await db
    .selectFrom('letters')
    .select((eb) => eb.fn.max('reference_seq').as('n'))
    .where('reference_agency_id', '=', agencyId)
    .where('reference_year', '=', year)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

export type CorrectionNotice = {
  id: number
  agency_id: number
  number: string
  received_on: string
  /** The day the 补正 notice was sent. */
  on_date: string
}

/** Every 补正 notice sent (条例 art. 30), of one agency or of all, newest first. */
export async function listCorrectionNotices(db: Executor, agencyId?: number): Promise<CorrectionNotice[]> {
  let rows = db
    .selectFrom('application_events as e')
    .innerJoin('applications as a', 'a.id', 'e.application_id')
    .select(['a.id', 'a.agency_id', 'a.number', 'a.received_on', 'e.on_date'])
    .where('e.kind', '=', 'correction_requested')
  if (agencyId !== undefined) rows = rows.where('a.agency_id', '=', agencyId)
  return rows.orderBy('e.on_date', 'desc').orderBy('a.id', 'desc').execute()
}

/** Records the applicant's online answer to a 补正 request (条例 art. 30); its id. */
export async function insertCorrectionAnswer(db: Executor, answer: Insertable<CorrectionAnswerTable>): Promise<number> {
  const row = await db.insertInto('correction_answers').values(answer).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function listCorrectionAnswers(db: Executor, applicationId: number) {
  return db
    .selectFrom('correction_answers')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute()
}

/** Erases the answers' text with the other personal data (retention). */
export async function deleteCorrectionAnswers(db: Executor, applicationId: number): Promise<void> {
  await db.deleteFrom('correction_answers').where('application_id', '=', applicationId).execute()
}
