// Review before publishing (先审后发): the rules, with no I/O. An object (an item, an annual report)
// passes its agency's review levels in order, each signed by a different reviewer of that level,
// none of them its author; a return sends it back to its author and starts a new round.

export const reviewChecks = ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'] as const
export type ReviewCheck = (typeof reviewChecks)[number]
export const reviewCheckLabels: Record<ReviewCheck, string> = {
  political: '政治关',
  legal: '法律关',
  confidentiality: '保密关',
  wording: '文字关',
  opinionRisk: '舆情风险评估',
}

export type ReviewConfig = Readonly<{
  /** The names of the levels, first to last. */
  levels: readonly string[]
  /** The level (1-based) that holds the confidentiality review (保密审查). */
  confidentialityLevel: number
}>

/** Three levels, the confidentiality review at the last (issue #4's default). */
export const defaultReviewConfig: ReviewConfig = Object.freeze({
  levels: ['初审', '复审', '终审'],
  confidentialityLevel: 3,
})

export type Signature = Readonly<{ level: number; reviewerId: number; decision: 'approved' | 'returned' }>

/** The level waiting for a signature in this round, or 'complete' when every level approved. */
export function nextLevel(config: ReviewConfig, round: readonly Signature[]): number | 'complete' {
  const approved = new Set(round.filter((s) => s.decision === 'approved').map((s) => s.level))
  for (let level = 1; level <= config.levels.length; level++) if (!approved.has(level)) return level
  return 'complete'
}

/** Editors as stored on the row (a JSON array of user ids), with one more added. */
export function withEditor(stored: string | null, userId: number): string {
  const ids = editorsOf(stored)
  return JSON.stringify(ids.includes(userId) ? ids : [...ids, userId])
}
export const editorsOf = (stored: string | null): number[] => (stored ? (JSON.parse(stored) as number[]) : [])

/** The change to a row's editors when this user changes its content (none when the user is its drafter). */
export function editedBy(row: { created_by: number | null; editors: string | null }, userId: number) {
  return row.created_by === userId ? {} : { editors: withEditor(row.editors, userId) }
}

/** Why a reviewer of this level may not clear scan findings (only the 保密审查 level may), or undefined. */
export function clearerProblem(config: ReviewConfig, reviewerLevel: number | null): string | undefined {
  if (reviewerLevel === config.confidentialityLevel) return undefined
  return `只有${config.levels[config.confidentialityLevel - 1]}（保密审查）审核人可以解除保密审查发现`
}

/** Why this person may not sign the waiting level, or undefined when they may. */
export function signingProblem(input: {
  config: ReviewConfig
  round: readonly Signature[]
  reviewerId: number
  reviewerLevel: number | null
  authorId: number | null
  /** Everyone who changed the content after the drafter (issue #14: no edit-then-approve). */
  editorIds?: readonly number[] | undefined
}): string | undefined {
  const level = nextLevel(input.config, input.round)
  if (level === 'complete') return '各级审核已完成'
  if (input.reviewerLevel !== level)
    return `当前待${input.config.levels[level - 1]}（第 ${level} 级），您的审核级别不符`
  if (input.authorId === input.reviewerId) return '起草人不能审核自己起草的内容'
  if (input.editorIds?.includes(input.reviewerId)) return '修改过该内容的人不能审核它（起草、修改与审核须由不同的人）'
  if (input.round.some((s) => s.reviewerId === input.reviewerId)) return '同一人不能在同一轮审核中签署两个级别'
  return undefined
}

/** An approval confirms every check; the confidentiality check belongs to its configured level. */
export function missingChecks(config: ReviewConfig, level: number, confirmed: readonly ReviewCheck[]): ReviewCheck[] {
  const required = reviewChecks.filter((c) => c !== 'confidentiality' || level === config.confidentialityLevel)
  return required.filter((c) => !confirmed.includes(c))
}
