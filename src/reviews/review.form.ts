import { z } from 'zod'
import { reviewChecks } from './review.ts'

/** The signing form of a review level: the decision, the checks confirmed, a reason for a return. */
export const reviewForm = z.object({
  decision: z.enum(['approved', 'returned'], { error: '请选择审核通过或退回' }),
  checks: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(reviewChecks))),
  reason: z
    .string()
    .max(1000)
    .optional()
    .transform((v) => v?.trim() || null),
})
