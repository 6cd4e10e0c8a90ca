import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { heldRoles } from '../accounts/authority.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import {
  readReviewConfig,
  recordOutOfTurnReturn,
  signaturesOf,
  signSubject,
  submitSubject,
} from '../reviews/review.service.ts'
import type { Decision } from '../reviews/review.service.ts'
import type { ReviewConfig } from '../reviews/review.ts'
import { clearerProblem, editorsOf, nextLevel } from '../reviews/review.ts'
import type { Executor } from '../storage/database.ts'
import { findOwnItem } from './disclosure.service.ts'
import { updateItemRow } from './disclosure.store.ts'
import type { ItemRow } from './disclosure.store.ts'
import { rescanItem } from './item-scan.ts'
import { auditedFindings, clearanceOf } from '../confidentiality/clearance.ts'

// An item's way through review (先审后发, 条例 art. 17): submission, the levels' signatures, the 保密审查 level that
// is not signed while a finding of the scan stands, clearing findings with a reason, and the return for revision
// (退回修改) that any reviewer — or, after approval, the publisher or the office head — may make with a reason. A
// returned item is a draft again; its next submission starts a new round and earlier rounds stay in the history.

type Staff = Actor & { id: number; agencyId: number }

/** The review path of an item, for the shared review steps (reviews module). */
const itemSubject = (deps: Deps, trx: Executor, item: ItemRow) => ({
  objectType: 'item',
  auditPrefix: 'item' as const,
  noun: '信息',
  id: item.id,
  status: item.status,
  round: item.review_round,
  agencyId: item.agency_id,
  authorId: item.created_by,
  editorIds: editorsOf(item.editors),
  update: (changes: { status: string; review_round?: number }) =>
    updateItemRow(trx, item.id, { ...changes, updated_at: isoNow(deps.clock) }),
})

/** Submits a draft for review; the scan runs first, so every reviewer sees its findings (item-scan.ts). */
export async function submitItem(deps: Deps, actor: Staff, id: number): Promise<void> {
  await findOwnItem(deps, actor, id)
  await rescanItem(deps, id)
  await deps.db
    .transaction()
    .execute(async (trx) =>
      submitSubject(deps, trx, actor, itemSubject(deps, trx, await findOwnItem(deps, actor, id, trx))),
    )
}

export async function reviewItem(
  deps: Deps,
  actor: Staff,
  reviewerLevel: number | null,
  id: number,
  decision: Decision,
): Promise<void> {
  if (decision.decision === 'approved') await refuseStandingFindings(deps, actor, id)
  await deps.db
    .transaction()
    .execute(async (trx) =>
      signSubject(
        deps,
        trx,
        actor,
        reviewerLevel,
        itemSubject(deps, trx, await findOwnItem(deps, actor, id, trx)),
        decision,
      ),
    )
}

/**
 * The 保密审查 level (保密关, 条例 art. 17) is not signed while a finding of the scan stands: the reviewer clears it with
 * a reason or returns the item for revision. The scan runs afresh, so applicants recorded since the last save count.
 */
async function refuseStandingFindings(deps: Deps, actor: Staff, id: number): Promise<void> {
  const item = await findOwnItem(deps, actor, id)
  if (item.status !== 'in_review') return
  const config = await readReviewConfig(deps.db, item.agency_id)
  const round = (await signaturesOf(deps.db, 'item', id)).filter((s) => s.round === item.review_round)
  if (nextLevel(config, round) !== config.confidentialityLevel) return
  const standing = await rescanItem(deps, id)
  if (standing.length === 0) return
  const message = `保密审查发现 ${standing.length} 处内容尚未处理：请写明理由解除，或退回起草人修改后再审`
  throw new AppError('invalid_input', message, { checks: message })
}

/**
 * The reviewer who holds the confidentiality level clears personal-data and restriction-mark
 * findings with a reason (audited). A secret marking cannot be cleared here.
 */
export async function clearFindings(
  deps: Deps,
  actor: Staff,
  reviewerLevel: number | null,
  id: number,
  reason: string,
): Promise<void> {
  if (!reason.trim()) throw new AppError('invalid_input', '解除须写明理由', { reason: '解除须写明理由' })
  await deps.db.transaction().execute(async (trx) => {
    const item = await findOwnItem(deps, actor, id, trx)
    const config = await readReviewConfig(trx, item.agency_id)
    const notClearer = clearerProblem(config, reviewerLevel)
    if (notClearer) throw new AppError('forbidden', notClearer)
    if (item.status !== 'in_review' && item.status !== 'approved')
      throw new AppError('invalid_transition', '只有审核中或待发布的信息可以解除保密审查发现；草稿请直接修改')
    const cleared = clearanceOf(item, actor.id, reason, isoNow(deps.clock))
    if (!cleared.ok) throw new AppError(cleared.code, cleared.problem)
    const { clearance, findings } = cleared
    await updateItemRow(trx, id, {
      cleared_findings: JSON.stringify(clearance),
      findings: null,
      updated_at: clearance.at,
    })
    await appendAudit(deps, trx, actor, {
      action: 'item.findings_clear',
      objectType: 'item',
      objectId: id,
      result: 'success',
      detail: { reason: clearance.reason, findings: auditedFindings(findings) },
    })
  })
}

const returnable = { in_review: true, approved: true, quarantined: true }

/** Why this user may not return the item for revision now, or undefined when they may (see returnItem). */
export function returnProblem(
  item: Pick<ItemRow, 'status' | 'created_by'>,
  user: { id: number; roles: readonly string[]; reviewLevel: number | null },
  config: ReviewConfig,
): string | undefined {
  if (!(item.status in returnable)) return '只有审核中、待发布或已隔离的信息可以退回修改'
  if (item.created_by === user.id) return '起草人不能退回自己起草的信息'
  const has = (role: string) => user.roles.includes(role)
  if (item.status === 'in_review')
    return has('reviewer') && user.reviewLevel ? undefined : '只有本机关的审核人可以退回审核中的信息'
  if (item.status === 'approved')
    return has('publisher') || has('reviewer') || has('office_head')
      ? undefined
      : '只有发布人、审核人或公开办负责人可以退回待发布的信息'
  return has('office_head') || (has('reviewer') && user.reviewLevel === config.confidentialityLevel)
    ? undefined
    : '含密级标志的信息只能由公开办负责人或保密审查人员退回起草人处理'
}

/**
 * Returns an item to its drafter for revision (退回修改), with a reason shown on the item's page and audited. While
 * in review any reviewer of the agency may return it, not only the waiting level's; once approved (including an item
 * the scan blocked at publishing) the publisher, a reviewer or the office head may; a quarantined item (密级标志)
 * only the office head or the 保密审查 reviewer. The findings stay on the item for the drafter to fix.
 */
export async function returnItem(deps: Deps, actor: Staff, id: number, reason: string): Promise<void> {
  if (!reason.trim()) throw new AppError('invalid_input', '退回须写明理由', { reason: '退回须写明理由' })
  await deps.db.transaction().execute(async (trx) => {
    const item = await findOwnItem(deps, actor, id, trx)
    const config = await readReviewConfig(trx, item.agency_id)
    // The roles come from the stored grants, not from the session (authority.service.ts).
    const problem = returnProblem(item, { id: actor.id, ...(await heldRoles(trx, actor)) }, config)
    if (problem) throw new AppError(item.status in returnable ? 'forbidden' : 'invalid_transition', problem)
    await recordOutOfTurnReturn(
      deps,
      trx,
      actor,
      { objectType: 'item', objectId: id, agencyId: item.agency_id, round: item.review_round },
      reason,
    )
    // An imported item the scan held loses its original date once returned: edited text is new content, published
    // at the server's time after review (never back-dated).
    await updateItemRow(trx, id, {
      status: 'draft',
      scheduled_at: null,
      scheduled_by: null,
      published_at: null,
      updated_at: isoNow(deps.clock),
    })
    await appendAudit(deps, trx, actor, {
      action: 'item.return',
      objectType: 'item',
      objectId: id,
      result: 'success',
      detail: { from: item.status, round: item.review_round, reason: reason.trim() },
    })
  })
}
