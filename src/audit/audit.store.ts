import { sql } from 'kysely'
import type { DatabaseKind, Executor } from '../storage/database.ts'
import type { AuditRow } from './audit.ts'

/**
 * Serialises audit writers by taking the chain's lock and reading its head: one statement on
 * PostgreSQL (audit_chain_head() takes an advisory lock), a plain read on SQLite, whose transaction
 * already holds the write lock (BEGIN IMMEDIATE).
 */
export async function lockAndReadChainHead(
  trx: Executor,
  kind: DatabaseKind,
): Promise<{ seq: number; mac: string } | undefined> {
  if (kind === 'postgres')
    return (await sql<{ seq: number; mac: string }>`select seq, mac from audit_chain_head()`.execute(trx)).rows[0]
  return findLastAuditRow(trx)
}

export async function findLastAuditRow(trx: Executor): Promise<{ seq: number; mac: string } | undefined> {
  return trx.selectFrom('audit_log').select(['seq', 'mac']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
}

export async function insertAuditRows(trx: Executor, rows: readonly AuditRow[]): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values([...rows])
    .execute()
}

export async function listAuditRowsAfter(db: Executor, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute()
}

export type AuditFilter = Readonly<{
  actor?: string | undefined
  action?: string | undefined
  from?: string | undefined
  to?: string | undefined
  result?: string | undefined
}>

export async function searchAuditRows(
  db: Executor,
  filter: AuditFilter,
  limit: number,
  offset: number,
): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll()
  if (filter.actor) q = q.where(sql<boolean>`actor_name like ${`%${escapeLike(filter.actor)}%`} escape '\\'`)
  if (filter.action) q = q.where('action', '=', filter.action)
  if (filter.result) q = q.where('result', '=', filter.result)
  if (filter.from) q = q.where('at', '>=', filter.from)
  if (filter.to) q = q.where('at', '<', filter.to)
  return q.orderBy('seq', 'desc').limit(limit).offset(offset).execute()
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/** The entries about one object, oldest first: an item's or a report's history. */
export async function listAuditRowsOf(
  db: Executor,
  objectType: string,
  objectId: string | number,
): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('object_type', '=', objectType)
    .where('object_id', '=', String(objectId))
    .orderBy('seq')
    .limit(500)
    .execute()
}
