import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { heldRoles } from '../accounts/authority.service.ts'
import { knownApplicants } from '../applications/applicant.service.ts'
import { isoNow } from '../clock.ts'
import { auditedFindings, clearanceOf, findingsOf, standingFindings } from '../confidentiality/clearance.ts'
import { scanItem } from '../confidentiality/scan.ts'
import { findingLabels } from '../confidentiality/scan-rules.ts'
import type { Finding } from '../confidentiality/scan-rules.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readReviewConfig, recordOutOfTurnReturn, signaturesOf } from '../reviews/review.service.ts'
import { clearerProblem, nextLevel } from '../reviews/review.ts'
import type { Executor } from '../storage/database.ts'
import { reportTitle } from './render/report-html.tsx'
import { sectionTitles } from './report-format.ts'
import { findReportById, updateReportRow } from './report.store.ts'
import type { StoredReport } from './report.store.ts'

// An annual report passes the same confidentiality and privacy scan as an item before it is public (保密审查, 条例
// art. 17; 个人信息保护法 art. 28; issue #14: a narrative with 机密★, an applicant's ID and phone passed three reviews
// and was published in every format). The same rules hold: the scan runs on every save of the narrative and at
// submission; the 保密审查 level is not signed while a finding stands; publishing scans again and is refused while one
// stands; the reviewer who holds the 保密审查 level clears personal-data findings with a reason; a secret marking is
// never cleared — the report is returned to its drafter and the office head is told through the audit log.

type Staff = Actor & { id: number; agencyId: number }

async function ownReport(db: Executor, actor: Staff, id: number): Promise<StoredReport> {
  const stored = await findReportById(db, id)
  if (!stored || stored.agency_id !== actor.agencyId) throw new AppError('not_found', '年度报告不存在')
  return stored
}

/** Every finding of the scan on the report's text as it stands: its title and its narrative sections. */
async function scanReport(deps: Deps, db: Executor, stored: StoredReport): Promise<Finding[]> {
  const sections = stored.report.sections
  const texts = { [sectionTitles.overview]: sections.overview, [sectionTitles.problems]: sections.problems }
  return scanItem(
    {
      title: reportTitle(stored.report),
      bodyHtml: '',
      metadata: Object.fromEntries(
        Object.entries({ ...texts, [sectionTitles.other]: sections.other }).filter(
          (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
        ),
      ),
      attachments: [],
    },
    await knownApplicants(deps, db, stored.agency_id),
  )
}

/** Scans the report as it stands and records its standing findings on it (none: cleared). */
export async function rescanReport(deps: Deps, id: number): Promise<Finding[]> {
  const stored = await findReportById(deps.db, id)
  if (!stored) return []
  const standing = standingFindings(stored, await scanReport(deps, deps.db, stored))
  await updateReportRow(deps.db, id, { findings: standing.length ? JSON.stringify(standing) : null })
  return standing
}

const listed = (findings: readonly Finding[]) => findings.map((f) => `${findingLabels[f.kind]}：${f.masked}`).join('；')

/**
 * The 保密审查 level of a report is not signed while a finding stands (as for items, item-review.service.ts): the
 * scan runs afresh, so applicants recorded since the last save count.
 */
export async function refuseStandingReportFindings(deps: Deps, actor: Staff, id: number): Promise<void> {
  const stored = await ownReport(deps.db, actor, id)
  if (stored.status !== 'in_review') return
  const config = await readReviewConfig(deps.db, stored.agency_id)
  const round = (await signaturesOf(deps.db, 'annual_report', id)).filter((s) => s.round === stored.review_round)
  if (nextLevel(config, round) !== config.confidentialityLevel) return
  const standing = await rescanReport(deps, id)
  if (standing.length === 0) return
  const message = `保密审查发现 ${standing.length} 处内容尚未处理（${listed(standing)}）：请写明理由解除，或退回起草人修改后再审`
  throw new AppError('invalid_input', message, { checks: message })
}

/**
 * At publishing: the scan runs again on the report as it stands; any standing finding refuses publication, is kept on
 * the report and audited (a secret marking as 'report.quarantine', for the office head).
 */
export async function refuseUnscannedPublication(deps: Deps, actor: Staff, stored: StoredReport): Promise<void> {
  const standing = await rescanReport(deps, stored.id)
  if (standing.length === 0) return
  const secret = standing.some((f) => !f.clearable)
  await deps.db.transaction().execute((trx) =>
    appendAudit(deps, trx, actor, {
      action: secret ? 'report.quarantine' : 'report.scan_block',
      objectType: 'annual_report',
      objectId: stored.id,
      result: 'denied',
      detail: { findings: auditedFindings(standing) },
    }),
  )
  const message = secret
    ? `报告含密级标志，不能发布（${listed(standing)}）：请退回起草人修改；已记入审计日志，报公开办负责人处理`
    : `保密审查发现 ${standing.length} 处内容，报告未发布（${listed(standing)}）：请由保密审查人员写明理由解除，或退回起草人修改`
  throw new AppError('invalid_transition', message, { scan: message })
}

/** The reviewer who holds the 保密审查 level clears a report's personal-data findings with a reason (audited). */
export async function clearReportFindings(
  deps: Deps,
  actor: Staff,
  reviewerLevel: number | null,
  id: number,
  reason: string,
): Promise<void> {
  if (!reason.trim()) throw new AppError('invalid_input', '解除须写明理由', { reason: '解除须写明理由' })
  await deps.db.transaction().execute(async (trx) => {
    const stored = await ownReport(trx, actor, id)
    const config = await readReviewConfig(trx, stored.agency_id)
    const notClearer = clearerProblem(config, reviewerLevel)
    if (notClearer) throw new AppError('forbidden', notClearer)
    if (stored.status !== 'in_review' && stored.status !== 'approved')
      throw new AppError('invalid_transition', '只有审核中或待发布的报告可以解除保密审查发现；草稿请直接修改')
    const cleared = clearanceOf(stored, actor.id, reason, isoNow(deps.clock))
    if (!cleared.ok) throw new AppError(cleared.code, cleared.problem)
    await updateReportRow(trx, id, {
      cleared_findings: JSON.stringify(cleared.clearance),
      findings: null,
      updated_at: cleared.clearance.at,
    })
    await appendAudit(deps, trx, actor, {
      action: 'report.findings_clear',
      objectType: 'annual_report',
      objectId: id,
      result: 'success',
      detail: { reason: cleared.clearance.reason, findings: auditedFindings(cleared.findings) },
    })
  })
}

/**
 * An approved report that may not be published as it stands (a secret marking, a finding that should be fixed
 * rather than cleared) goes back to its drafter with a reason: the office head or the 保密审查 reviewer returns it;
 * the return is kept with the round's signatures (审核流程外退回) and the next submission starts a new round.
 */
export async function returnApprovedReport(deps: Deps, actor: Staff, id: number, reason: string): Promise<void> {
  if (!reason.trim()) throw new AppError('invalid_input', '退回须写明理由', { returnReason: '退回须写明理由' })
  await deps.db.transaction().execute(async (trx) => {
    const stored = await ownReport(trx, actor, id)
    if (stored.status !== 'approved') throw new AppError('invalid_transition', '只有审核通过、待发布的报告可以退回')
    const config = await readReviewConfig(trx, stored.agency_id)
    const held = await heldRoles(trx, actor)
    const may =
      held.roles.includes('office_head') ||
      (held.roles.includes('reviewer') && held.reviewLevel === config.confidentialityLevel)
    if (!may) throw new AppError('forbidden', '待发布的报告只能由公开办负责人或保密审查人员退回')
    await recordOutOfTurnReturn(
      deps,
      trx,
      actor,
      { objectType: 'annual_report', objectId: id, agencyId: stored.agency_id, round: stored.review_round },
      reason,
    )
    await updateReportRow(trx, id, { status: 'draft', updated_at: isoNow(deps.clock) })
    await appendAudit(deps, trx, actor, {
      action: 'report.return',
      objectType: 'annual_report',
      objectId: id,
      result: 'success',
      detail: { round: stored.review_round, reason: reason.trim() },
    })
  })
}

export { findingsOf as reportFindingsOf }
