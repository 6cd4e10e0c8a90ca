import { expect, test } from 'vitest'
import { defaultReviewConfig, missingChecks, nextLevel, signingProblem } from './review.ts'

const config = defaultReviewConfig

test('levels are signed in order, and the round is complete when all three approved', () => {
  expect(nextLevel(config, [])).toBe(1)
  expect(nextLevel(config, [{ level: 1, reviewerId: 5, decision: 'approved' }])).toBe(2)
  expect(
    nextLevel(
      config,
      [1, 2, 3].map((level) => ({ level, reviewerId: level, decision: 'approved' as const })),
    ),
  ).toBe('complete')
})

test('the author cannot review, nor one person sign two levels, nor anyone sign another level than theirs', () => {
  expect(signingProblem({ config, round: [], reviewerId: 7, reviewerLevel: 1, authorId: 7 })).toMatch(/起草人/)
  expect(signingProblem({ config, round: [], reviewerId: 8, reviewerLevel: 2, authorId: 7 })).toMatch(/级别不符/)
  const round = [{ level: 1, reviewerId: 8, decision: 'approved' as const }]
  expect(signingProblem({ config, round, reviewerId: 8, reviewerLevel: 2, authorId: 7 })).toMatch(/两个级别/)
  expect(signingProblem({ config, round, reviewerId: 9, reviewerLevel: 2, authorId: 7 })).toBeUndefined()
})

test('an approval confirms the four checks and the risk assessment; 保密关 only at its level', () => {
  expect(missingChecks(config, 1, ['political', 'legal', 'wording', 'opinionRisk'])).toEqual([])
  expect(missingChecks(config, 3, ['political', 'legal', 'wording', 'opinionRisk'])).toEqual(['confidentiality'])
  expect(missingChecks(config, 2, ['political'])).toEqual(['legal', 'wording', 'opinionRisk'])
})
