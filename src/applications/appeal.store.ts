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
