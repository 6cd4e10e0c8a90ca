import type { Insertable, Selectable } from 'kysely'
import type { Executor, MailOutboxTable } from '../storage/database.ts'

// The mail outbox: rows in, the due ones found, one claimed by one worker, the outcome written.

export type OutboxRow = Selectable<MailOutboxTable>

export async function insertOutboxRows(db: Executor, rows: Insertable<MailOutboxTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('mail_outbox').values(rows).execute()
}

export async function listOutboxOfApplication(db: Executor, applicationId: number): Promise<OutboxRow[]> {
  return db.selectFrom('mail_outbox').selectAll().where('application_id', '=', applicationId).orderBy('id').execute()
}

/** Messages a worker may take now: queued and due, or left 'sending' by a worker whose hold has run out. */
export async function listDueOutboxIds(db: Executor, now: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/**
 * Takes one message for sending until `until`, if it is still free: one conditional UPDATE, so of
 * two workers (two processes, or SQLite and PostgreSQL alike) exactly one sees its row changed.
 */
export async function claimOutboxRow(
  db: Executor,
  id: number,
  now: string,
  until: string,
): Promise<OutboxRow | undefined> {
  const taken = await db
    .updateTable('mail_outbox')
    .set({ status: 'sending', claimed_until: until, updated_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
      ]),
    )
    .executeTakeFirst()
  if (Number(taken.numUpdatedRows) !== 1) return undefined
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function updateOutboxRow(
  db: Executor,
  id: number,
  changes: Partial<Omit<OutboxRow, 'id' | 'application_id'>>,
): Promise<void> {
  await db.updateTable('mail_outbox').set(changes).where('id', '=', id).execute()
}

/** Erases the recipients of an application's messages; those not yet sent will not be. */
export async function eraseOutboxRecipients(db: Executor, applicationId: number, now: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status: 'failed',
      last_error: '申请人的个人信息已按保存期限删除，不再发送',
      claimed_until: null,
      updated_at: now,
    })
    .where('application_id', '=', applicationId)
    .where('status', 'in', ['queued', 'sending'])
    .execute()
  await db
    .updateTable('mail_outbox')
    .set({ recipient_enc: null, updated_at: now })
    .where('application_id', '=', applicationId)
    .where('recipient_enc', 'is not', null)
    .execute()
}
