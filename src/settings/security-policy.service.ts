import { AppError } from '../errors.ts'
import {
  baselineShortfalls,
  belowBaselineLabel,
  defaultSecurityPolicy,
  securityPolicySchema,
} from '../accounts/password-policy.ts'
import type { SecurityPolicy } from '../accounts/password-policy.ts'
import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import type { Executor } from '../storage/database.ts'
import { readSetting, writeSetting } from './settings.store.ts'

const key = 'security_policy'

/**
 * The policy in force: the stored one over the defaults (a stored value that no longer parses falls back to the
 * default, never to something weaker).
 */
export async function readSecurityPolicy(db: Executor): Promise<SecurityPolicy> {
  const stored = await readSetting(db, key)
  if (!stored) return defaultSecurityPolicy
  const parsed = securityPolicySchema.safeParse({ ...defaultSecurityPolicy, ...JSON.parse(stored) })
  return parsed.success ? parsed.data : defaultSecurityPolicy
}

export const securityPolicyOf = (deps: Deps): Promise<SecurityPolicy> => readSecurityPolicy(deps.db)

/** The policy in force and, when it is below the 等保 level-3 baseline, where and why (issue #14). */
export async function securityPolicyStanding(deps: Deps) {
  const policy = await readSecurityPolicy(deps.db)
  return { policy, shortfalls: baselineShortfalls(policy), reason: policy.deviationReason }
}

/**
 * Saves the policy. One below the 等保 level-3 baseline needs a reason, kept with it and in the audit
 * log (issue #14); one that meets the baseline keeps none.
 */
export async function updateSecurityPolicy(deps: Deps, actor: Actor, input: SecurityPolicy): Promise<void> {
  const shortfalls = baselineShortfalls(input)
  const reason = input.deviationReason?.trim() || null
  if (shortfalls.length > 0 && !reason) {
    const message = `该策略${belowBaselineLabel}（${shortfalls.join('；')}），须填写偏离理由`
    throw new AppError('invalid_input', message, { deviationReason: message })
  }
  const policy = { ...input, deviationReason: shortfalls.length > 0 ? reason : null }
  await deps.db.transaction().execute(async (trx) => {
    const before = await readSecurityPolicy(trx)
    await writeSetting(trx, key, JSON.stringify(policy), actor.id, isoNow(deps.clock))
    const changed = Object.fromEntries(
      Object.entries(policy)
        .filter(([k, v]) => before[k as keyof SecurityPolicy] !== v)
        .map(([k, v]) => [k, { from: before[k as keyof SecurityPolicy], to: v }]),
    )
    await appendAudit(deps, trx, actor, {
      action: 'security_policy.update',
      objectType: 'setting',
      objectId: key,
      result: 'success',
      detail: shortfalls.length > 0 ? { ...changed, belowBaseline: shortfalls, reason } : changed,
    })
  })
}
