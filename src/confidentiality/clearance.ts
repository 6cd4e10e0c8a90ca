import type { Finding } from './scan-rules.ts'

// Clearing findings of the confidentiality and privacy scan (保密审查, 条例 art. 17), the same for an item and an annual
// report: the reviewer who holds the 保密审查 level clears personal-data and restriction-mark findings with a reason; a
// secret marking (密级标志) is never cleared in the system. A cleared finding stays cleared only while the same text
// stands in the same place (its fingerprint).

export type Clearance = { fingerprints: string[]; reason: string; by: number; at: string }
export const fingerprint = (f: Finding) => `${f.kind}|${f.surface}|${f.offset}|${f.masked}`

/** A row that carries scan findings: the standing ones and those cleared (both JSON, as stored). */
export type ScannedRow = { findings: string | null; cleared_findings: string | null }

export const findingsOf = (row: ScannedRow): Finding[] => (row.findings ? (JSON.parse(row.findings) as Finding[]) : [])

/** The findings the 保密审查 reviewer has not cleared. */
export function standingFindings(row: ScannedRow, findings: readonly Finding[]): Finding[] {
  const cleared = new Set(row.cleared_findings ? (JSON.parse(row.cleared_findings) as Clearance).fingerprints : [])
  return findings.filter((f) => !f.clearable || !cleared.has(fingerprint(f)))
}

/**
 * The clearance of a row's standing findings by this reviewer, or the Chinese reason it cannot be given. Findings
 * cleared earlier stay cleared (while their text stands): a later clearance adds to them.
 */
export function clearanceOf(
  row: ScannedRow,
  by: number,
  reason: string,
  at: string,
):
  | { ok: true; clearance: Clearance; findings: Finding[] }
  | { ok: false; problem: string; code: 'forbidden' | 'invalid_transition' } {
  const findings = findingsOf(row)
  if (findings.length === 0) return { ok: false, problem: '没有待解除的发现', code: 'invalid_transition' }
  if (findings.some((f) => !f.clearable))
    return { ok: false, problem: '含密级标志的内容不能在系统中解除，请报公开办负责人处理', code: 'forbidden' }
  const before = row.cleared_findings ? (JSON.parse(row.cleared_findings) as Clearance).fingerprints : []
  return {
    ok: true,
    findings,
    clearance: { fingerprints: [...new Set([...before, ...findings.map(fingerprint)])], reason: reason.trim(), by, at },
  }
}

/** The findings as the audit log keeps them (masked; never the personal data itself). */
export const auditedFindings = (findings: readonly Finding[]) =>
  findings.map((f) => ({ kind: f.kind, surface: f.surface, masked: f.masked }))
