import type { AuditAction } from './audit-labels.ts'
import type { Selectable } from 'kysely'
import { equalBytes, hmacSm3 } from '../security/crypto.ts'
import type { AuditLogTable } from '../storage/database.ts'

// The audit chain (security-and-reliability.md §4.3): mac_n = HMAC-SM3(K_audit, mac_{n-1} ‖ body_n),
// where body_n carries seq n. Editing, inserting, deleting or reordering an entry breaks the chain;
// cutting the tail off is caught only against a head recorded elsewhere (`audit verify --head`).

export type AuditResult = 'success' | 'failure' | 'denied'

/** Who did it, as the audit log records them. */
export type Actor = Readonly<{
  id: number | null
  name: string
  roles: readonly string[]
  agencyId: number | null
  ip: string
}>

/** A signed-in member of an agency's staff acting in a use case: who they are and which agency they act for. */
export type StaffActor = Actor & { id: number; agencyId: number }

export type AuditEntry = Readonly<{
  action: AuditAction
  objectType: string
  objectId: string | number
  result: AuditResult
  detail?: Readonly<Record<string, unknown>>
}>

/** One stored entry of the chain, exactly as the audit_log table holds it. */
export type AuditRow = Selectable<AuditLogTable>

export const systemActor = (name = '命令行操作员'): Actor => ({ id: null, name, roles: [], agencyId: null, ip: 'cli' })

/** CR/LF, other controls and bidi overrides are escaped before they reach the log (LOG-04). */
// eslint-disable-next-line no-control-regex
const unsafeCharacters = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g

export const neutralise = (value: string): string =>
  value.replace(unsafeCharacters, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

export function canonicalBody(row: Omit<AuditRow, 'mac'>): string {
  return JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.actor_name,
    row.actor_roles,
    row.agency_id,
    row.action,
    row.object_type,
    row.object_id,
    row.source_ip,
    row.result,
    row.detail,
  ])
}

export const chainMac = (key: Buffer, prevMac: string, row: Omit<AuditRow, 'mac'>): string =>
  hmacSm3(key, `${prevMac}\n${canonicalBody(row)}`).toString('hex')

export type ChainProblem = Readonly<{ seq: number; kind: 'missing' | 'mismatch' | 'truncated'; message: string }>

/** Checks one stretch of the chain; `prev` carries the state between stretches. */
export function verifyStretch(
  key: Buffer,
  rows: readonly AuditRow[],
  prev: { seq: number; mac: string },
): ChainProblem[] {
  const problems: ChainProblem[] = []
  for (const row of rows) {
    if (row.seq !== prev.seq + 1) {
      problems.push({
        seq: prev.seq + 1,
        kind: 'missing',
        message: `第 ${prev.seq + 1} 条审计记录缺失：序号从 ${prev.seq} 跳到 ${row.seq}（记录被删除或插入）`,
      })
    }
    const expected = chainMac(key, prev.mac, row)
    if (!equalBytes(Buffer.from(expected, 'hex'), Buffer.from(row.mac, 'hex'))) {
      problems.push({
        seq: row.seq,
        kind: 'mismatch',
        message: `第 ${row.seq} 条审计记录校验失败：内容被修改、记录被插入或顺序被调换（${row.action}，${row.at}）`,
      })
    }
    // Go on from what is stored, so each damaged entry is named on its own.
    prev.seq = row.seq
    prev.mac = row.mac
  }
  return problems
}

export type ChainHead = Readonly<{ count: number; hash: string }>

export function parseHead(text: string): ChainHead | undefined {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim())
  return m ? { count: Number(m[1]), hash: m[2] as string } : undefined
}

export const formatHead = (head: ChainHead): string => `${head.count}:${head.hash}`
