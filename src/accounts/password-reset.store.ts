import type { Insertable, Selectable } from 'kysely'
import type { Executor, PasswordResetTable } from '../storage/database.ts'

// One-time password-reset links (issue #14): only their hashes, spent once.

export type PasswordResetRow = Selectable<PasswordResetTable>

export async function insertPasswordReset(db: Executor, row: Insertable<PasswordResetTable>): Promise<void> {
  await db.insertInto('password_resets').values(row).execute()
}

export async function findPasswordReset(db: Executor, tokenHash: string): Promise<PasswordResetRow | undefined> {
  return db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
}

/** Ends the links of an account not used yet: a new one replaces them. */
export async function retireUnusedResets(db: Executor, userId: number, now: string): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute()
}

/** Marks a link used if nobody has yet; true for the one caller that did. */
export async function spendPasswordReset(db: Executor, id: number, now: string): Promise<boolean> {
  const r = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
