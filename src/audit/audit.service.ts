import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import type { Executor } from '../storage/database.ts'
import { chainMac, formatHead, neutralise, verifyStretch } from './audit.ts'
import type { Actor, AuditEntry, AuditRow, ChainHead, ChainProblem } from './audit.ts'
import {
  insertAuditRows,
  listAuditRowsAfter,
  listAuditRowsOf,
  lockAndReadChainHead,
  searchAuditRows,
} from './audit.store.ts'
import type { AuditFilter } from './audit.store.ts'

/**
 * Appends one entry to the chain inside the caller's transaction, so that a change and its audit
 * entry commit together or not at all.
 */
export async function appendAudit(
  deps: Pick<Deps, 'kind' | 'keys' | 'clock'>,
  trx: Executor,
  actor: Actor,
  entry: AuditEntry,
): Promise<void> {
  await appendAuditBatch(deps, trx, [{ actor, entry }])
}

/**
 * Appends several entries in order under one hold of the chain's lock, with one insert: for work
 * done in batches (the public form's submissions under load), the same chain as one by one.
 */
export async function appendAuditBatch(
  deps: Pick<Deps, 'kind' | 'keys' | 'clock'>,
  trx: Executor,
  entries: readonly { actor: Actor; entry: AuditEntry }[],
): Promise<void> {
  if (entries.length === 0) return
  const last = await lockAndReadChainHead(trx, deps.kind)
  let seq = last?.seq ?? 0
  let mac = last?.mac ?? ''
  const at = isoNow(deps.clock)
  const rows: AuditRow[] = entries.map(({ actor, entry }) => {
    seq += 1
    const body: Omit<AuditRow, 'mac'> = {
      seq,
      at,
      actor_id: actor.id,
      actor_name: neutralise(actor.name),
      actor_roles: actor.roles.join(','),
      agency_id: actor.agencyId,
      action: entry.action,
      object_type: entry.objectType,
      object_id: neutralise(String(entry.objectId)),
      source_ip: neutralise(actor.ip),
      result: entry.result,
      detail: neutralise(JSON.stringify(entry.detail ?? {})),
    }
    mac = chainMac(deps.keys.audit, mac, body)
    return { ...body, mac }
  })
  await insertAuditRows(trx, rows)
}

/** Records an event that changes nothing else (a login, a denial) in a transaction of its own. */
export async function recordAudit(deps: Deps, actor: Actor, entry: AuditEntry): Promise<void> {
  await deps.db.transaction().execute((trx) => appendAudit(deps, trx, actor, entry))
}

export type ChainReport = Readonly<{ head: ChainHead; problems: ChainProblem[] }>

/** Recomputes the whole chain; with `expected`, also proves the chain was not cut short. */
export async function verifyAuditChain(deps: Pick<Deps, 'db' | 'keys'>, expected?: ChainHead): Promise<ChainReport> {
  const prev = { seq: 0, mac: '' }
  const problems: ChainProblem[] = []
  let count = 0
  let macAtExpected: string | undefined
  for (;;) {
    const rows = await listAuditRowsAfter(deps.db, prev.seq, 2000)
    if (rows.length === 0) break
    problems.push(...verifyStretch(deps.keys.audit, rows, prev))
    count += rows.length
    if (expected) macAtExpected ??= rows.find((r) => r.seq === expected.count)?.mac
  }
  const head = { count, hash: prev.mac }
  if (expected) {
    if (prev.seq < expected.count) {
      problems.push({
        seq: prev.seq + 1,
        kind: 'truncated',
        message: `审计链被截短：记录的链头为第 ${expected.count} 条，现仅存到第 ${prev.seq} 条（第 ${prev.seq + 1} 条起缺失）`,
      })
    } else if (macAtExpected !== expected.hash) {
      problems.push({
        seq: expected.count,
        kind: 'mismatch',
        message: `第 ${expected.count} 条审计记录与记录的链头 ${formatHead(expected)} 不符`,
      })
    }
  }
  return { head, problems }
}

export async function searchAudit(deps: Deps, filter: AuditFilter, page: number, pageSize = 50) {
  return searchAuditRows(deps.db, filter, pageSize, Math.max(0, page - 1) * pageSize)
}

/** The history of one object (an item, a report) as the audit log holds it, oldest first. */
export const historyOf = (deps: Pick<Deps, 'db'>, objectType: string, objectId: number) =>
  listAuditRowsOf(deps.db, objectType, objectId)

/**
 * One page of the audit log as its administrator reads it, with the chain verified when asked;
 * the reading (or the verification) is itself audited.
 */
export async function readAuditLog(deps: Deps, actor: Actor, filter: AuditFilter, page: number, verify: boolean) {
  const rows = await searchAudit(deps, filter, page)
  let chain: { head: string; problems: string[] } | undefined
  if (verify) {
    const report = await verifyAuditChain(deps)
    chain = { head: formatHead(report.head), problems: report.problems.map((p) => p.message) }
  }
  await recordAudit(deps, actor, {
    action: verify ? 'audit.verify' : 'audit.read',
    objectType: 'audit_log',
    objectId: '',
    result: 'success',
    detail: { ...filter },
  })
  return { rows, chain }
}

/** Every entry the filter selects (up to 100,000), for export; the export is itself audited. */
export async function exportAuditLog(deps: Deps, actor: Actor, filter: AuditFilter): Promise<AuditRow[]> {
  const rows = await searchAudit(deps, filter, 1, 100_000)
  await recordAudit(deps, actor, {
    action: 'audit.export',
    objectType: 'audit_log',
    objectId: '',
    result: 'success',
    detail: { rows: rows.length },
  })
  return rows
}
