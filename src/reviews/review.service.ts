import { z } from 'zod'
import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readSetting } from '../settings/settings.store.ts'
import type { Executor } from '../storage/database.ts'
import { defaultReviewConfig, missingChecks, nextLevel, reviewCheckLabels, signingProblem } from './review.ts'
import type { ReviewCheck, ReviewConfig, Signature } from './review.ts'

const configSchema = z.object({
  levels: z.array(z.string().min(1)).min(1).max(5),
  confidentialityLevel: z.number().int().min(1),
})

/** The agency's review levels (a setting per agency; issue #4 gives it a page), else three. */
export async function readReviewConfig(db: Executor, agencyId: number): Promise<ReviewConfig> {
  const stored = await readSetting(db, `review_config:${agencyId}`)
  const parsed = stored ? configSchema.safeParse(JSON.parse(stored)) : undefined
  if (!parsed?.success || parsed.data.confidentialityLevel > parsed.data.levels.length) return defaultReviewConfig
  return parsed.data
}

export type Reviewed = Readonly<{
  objectType: string
  objectId: number
  agencyId: number
  authorId: number | null
  editorIds?: readonly number[] | undefined
  round: number
}>
export type SignatureRow = Signature & {
  reviewerName: string
  at: string
  reason: string | null
  round: number
  checks: ReviewCheck[]
}

export async function signaturesOf(db: Executor, objectType: string, objectId: number): Promise<SignatureRow[]> {
  const rows = await db
    .selectFrom('reviews')
    .innerJoin('users', 'users.id', 'reviews.reviewer_id')
    .select([
      'reviews.level',
      'reviews.reviewer_id',
      'reviews.decision',
      'reviews.at',
      'reviews.reason',
      'reviews.round',
      'reviews.checks',
      'users.display_name',
    ])
    .where('object_type', '=', objectType)
    .where('object_id', '=', objectId)
    .orderBy('reviews.id')
    .execute()
  return rows.map((r) => ({
    level: r.level,
    reviewerId: r.reviewer_id,
    decision: r.decision as Signature['decision'],
    at: r.at,
    reason: r.reason,
    round: r.round,
    checks: JSON.parse(r.checks) as ReviewCheck[],
    reviewerName: r.display_name,
  }))
}

export type Decision = { decision: 'approved' | 'returned'; checks: readonly ReviewCheck[]; reason: string | null }

/**
 * Signs the waiting level of an object inside the caller's transaction. Returns where the object
 * stands after it: returned to its author, at the next level, or through every level.
 */
export async function signReview(
  deps: Deps,
  trx: Executor,
  actor: Actor & { id: number },
  reviewerLevel: number | null,
  object: Reviewed,
  d: Decision,
): Promise<'returned' | 'complete' | number> {
  const config = await readReviewConfig(trx, object.agencyId)
  const round = (await signaturesOf(trx, object.objectType, object.objectId)).filter((s) => s.round === object.round)
  const problem = signingProblem({
    config,
    round,
    reviewerId: actor.id,
    reviewerLevel,
    authorId: object.authorId,
    editorIds: object.editorIds,
  })
  if (problem) throw new AppError('forbidden', problem)
  const level = nextLevel(config, round) as number
  if (d.decision === 'approved') {
    const missing = missingChecks(config, level, d.checks)
    if (missing.length)
      throw new AppError('invalid_input', `请确认：${missing.map((c) => reviewCheckLabels[c]).join('、')}`, {
        checks: `请确认：${missing.map((c) => reviewCheckLabels[c]).join('、')}`,
      })
  } else if (!d.reason?.trim()) {
    throw new AppError('invalid_input', '退回须写明理由', { reason: '退回须写明理由' })
  }
  await trx
    .insertInto('reviews')
    .values({
      agency_id: object.agencyId,
      object_type: object.objectType,
      object_id: object.objectId,
      round: object.round,
      level,
      reviewer_id: actor.id,
      decision: d.decision,
      checks: JSON.stringify(d.checks),
      reason: d.reason?.trim() || null,
      at: isoNow(deps.clock),
    })
    .execute()
  await appendAudit(deps, trx, actor, {
    action: d.decision === 'approved' ? 'review.approve' : 'review.return',
    objectType: object.objectType,
    objectId: object.objectId,
    result: 'success',
    detail: { round: object.round, level, checks: d.checks, reason: d.reason ?? undefined },
  })
  if (d.decision === 'returned') return 'returned'
  const after = nextLevel(config, [...round, { level, reviewerId: actor.id, decision: 'approved' }])
  return after
}

/** What a review section shows one user: the levels, the signatures, and whether this user may sign now. */
export async function reviewViewFor(
  db: Executor,
  object: Reviewed,
  user: { id: number; roles: readonly string[]; reviewLevel: number | null },
): Promise<{
  config: ReviewConfig
  signatures: SignatureRow[]
  waitingLevel: number | 'complete'
  mayReview: boolean
  requiredChecks: ReviewCheck[]
}> {
  const config = await readReviewConfig(db, object.agencyId)
  const signatures = await signaturesOf(db, object.objectType, object.objectId)
  const round = signatures.filter((x) => x.round === object.round)
  const waitingLevel = nextLevel(config, round)
  return {
    config,
    signatures,
    waitingLevel,
    mayReview:
      user.roles.includes('reviewer') &&
      !signingProblem({
        config,
        round,
        reviewerId: user.id,
        reviewerLevel: user.reviewLevel,
        authorId: object.authorId,
        editorIds: object.editorIds,
      }),
    requiredChecks: typeof waitingLevel === 'number' ? missingChecks(config, waitingLevel, []) : [],
  }
}

/** What the review path needs of a reviewed object (an item, an annual report). */
export type ReviewSubject = Readonly<{
  objectType: string
  /** The audit prefix and the noun staff read: ('item', '信息'), ('report', '报告'). */
  auditPrefix: 'item' | 'report'
  noun: string
  id: number
  status: string
  round: number
  agencyId: number
  authorId: number | null
  editorIds?: readonly number[] | undefined
  /** Writes the object's new status (and round) in the caller's transaction. */
  update: (changes: { status: string; review_round?: number }) => Promise<void>
}>

/** The author hands a draft to the first level; a new round of signatures begins. */
export async function submitSubject(
  deps: Deps,
  trx: Executor,
  actor: Actor & { id: number },
  s: ReviewSubject,
): Promise<void> {
  if (s.status !== 'draft') throw new AppError('invalid_transition', '只有草稿可以提交审核')
  await s.update({ status: 'in_review', review_round: s.round + 1 })
  await appendAudit(deps, trx, actor, {
    action: `${s.auditPrefix}.submit`,
    objectType: s.objectType,
    objectId: s.id,
    result: 'success',
    detail: { round: s.round + 1 },
  })
}

/** A reviewer signs the waiting level: through every level the object is approved; returned, it is a draft again. */
export async function signSubject(
  deps: Deps,
  trx: Executor,
  actor: Actor & { id: number },
  reviewerLevel: number | null,
  s: ReviewSubject,
  decision: Decision,
): Promise<void> {
  if (s.status !== 'in_review') throw new AppError('invalid_transition', `该${s.noun}不在审核中`)
  const after = await signReview(
    deps,
    trx,
    actor,
    reviewerLevel,
    {
      objectType: s.objectType,
      objectId: s.id,
      agencyId: s.agencyId,
      authorId: s.authorId,
      editorIds: s.editorIds,
      round: s.round,
    },
    decision,
  )
  if (after === 'returned') await s.update({ status: 'draft' })
  if (after === 'complete') await s.update({ status: 'approved' })
}

/**
 * A return for revision made outside the waiting level's signature — by another reviewer while in review, or by the
 * publisher or office head after approval. It is kept with the round's signatures at level 0 ("审核流程外退回"); a
 * return ends its round, so a round holds at most one.
 */
export async function recordOutOfTurnReturn(
  deps: Deps,
  trx: Executor,
  actor: Actor & { id: number },
  object: Omit<Reviewed, 'authorId'>,
  reason: string,
): Promise<void> {
  await trx
    .insertInto('reviews')
    .values({
      agency_id: object.agencyId,
      object_type: object.objectType,
      object_id: object.objectId,
      round: object.round,
      level: 0,
      reviewer_id: actor.id,
      decision: 'returned',
      checks: '[]',
      reason: reason.trim(),
      at: isoNow(deps.clock),
    })
    .execute()
}
