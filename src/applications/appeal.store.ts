import type { Insertable, Updateable } from 'kysely'
import type { AppealTable, Executor } from '../storage/database.ts'

// The queries of reconsideration and litigation cases.

/** The id of the agency's application with this number, if it has one. */
export async function findAgencyApplicationId(db: Executor, agencyId: number, number: string) {
  const row = await db
    .selectFrom('applications')
    .select('id')
    .where('number', '=', number)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst()
  return row?.id
}

export async function insertAppeal(db: Executor, appeal: Insertable<AppealTable>): Promise<number> {
  const row = await db.insertInto('appeals').values(appeal).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function findAgencyAppeal(db: Executor, agencyId: number, id: number) {
  return db.selectFrom('appeals').selectAll().where('id', '=', id).where('agency_id', '=', agencyId).executeTakeFirst()
}

export async function updateAppeal(db: Executor, id: number, patch: Updateable<AppealTable>): Promise<void> {
  await db.updateTable('appeals').set(patch).where('id', '=', id).execute()
}

export async function listAppeals(db: Executor, agencyId: number) {
  return db.selectFrom('appeals').selectAll().where('agency_id', '=', agencyId).orderBy('filed_on', 'desc').execute()
}

/** What narrows the list of cases: the kind, open or concluded, the year filed. */
export type AppealFilter = {
  kind?: string | undefined
  state?: 'open' | 'concluded' | undefined
  year?: number | undefined
}

function appealsQuery(db: Executor, agencyId: number, f: AppealFilter) {
  let q = db.selectFrom('appeals').where('agency_id', '=', agencyId)
  if (f.kind) q = q.where('kind', '=', f.kind)
  if (f.state === 'open') q = q.where('raw_result', 'is', null)
  if (f.state === 'concluded') q = q.where('raw_result', 'is not', null)
  if (f.year) q = q.where('filed_on', '>=', `${f.year}-01-01`).where('filed_on', '<=', `${f.year}-12-31`)
  return q
}

/** One page of the agency's cases, latest filed first. */
export async function listAppealsPage(
  db: Executor,
  agencyId: number,
  f: AppealFilter,
  page: { limit: number; offset: number },
) {
  return appealsQuery(db, agencyId, f)
    .selectAll()
    .orderBy('filed_on', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export async function countAppeals(db: Executor, agencyId: number, f: AppealFilter): Promise<number> {
  const row = await appealsQuery(db, agencyId, f)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
