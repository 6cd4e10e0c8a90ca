import { readFileSync } from 'node:fs'
import { z } from 'zod'

// The security policy the 安全管理员 sets. The default is the 等保 level-3 profile
// (GB/T 22239-2019 §8.1.4.1; security-and-reliability.md AUTH-01..05, SESS-02); the 'asvs'
// profile drops composition rules and expiry (ASVS 5.0 6.2.5, 6.2.10).

export const securityPolicySchema = z.object({
  profile: z.enum(['dengbao', 'asvs']),
  minLength: z.number().int().min(8).max(64),
  minClasses: z.number().int().min(0).max(4),
  maxAgeDays: z.number().int().min(0).max(365),
  historyCount: z.number().int().min(0).max(24),
  lockoutThreshold: z.number().int().min(3).max(20),
  lockoutMinutes: z.number().int().min(1).max(1440),
  idleMinutes: z.number().int().min(5).max(120),
  adminIdleMinutes: z.number().int().min(5).max(60),
  absoluteHours: z.number().int().min(1).max(24),
  temporaryPasswordHours: z.number().int().min(1).max(168),
  totpForAdmins: z.boolean(),
  /** The 等保 profile switch of issue #2: TOTP for every staff account, business accounts included. */
  totpForAllStaff: z.boolean(),
  /** Why the policy is below the 等保 level-3 baseline, as the 安全管理员 recorded it; null when it is not. */
  deviationReason: z.string().max(500).nullable().default(null),
})
export type SecurityPolicy = z.infer<typeof securityPolicySchema>

export const defaultSecurityPolicy: SecurityPolicy = Object.freeze({
  profile: 'dengbao',
  minLength: 12,
  minClasses: 3,
  maxAgeDays: 90,
  historyCount: 5,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  idleMinutes: 30,
  adminIdleMinutes: 15,
  absoluteHours: 12,
  temporaryPasswordHours: 72,
  totpForAdmins: true,
  totpForAllStaff: false,
  deviationReason: null,
})

/**
 * Where a policy falls below the 等保 level-3 baseline (GB/T 22239-2019 §8.1.4.1 a/d: passwords of
 * at least 8 characters of three classes, changed periodically, old ones not reused; two factors for
 * the administrators), in Chinese; empty when it meets it (issue #14).
 */
export function baselineShortfalls(policy: SecurityPolicy): string[] {
  const dengbao = policy.profile === 'dengbao'
  return [
    ...(policy.minLength < 8 ? ['最短密码长度少于 8 个字符'] : []),
    ...(!dengbao ? ['采用 ASVS 模板，不强制字符类别和定期更换'] : []),
    ...(dengbao && policy.minClasses < 3 ? ['字符类别少于 3 类'] : []),
    ...(dengbao && policy.maxAgeDays === 0 ? ['密码不过期'] : []),
    ...(policy.historyCount < 1 ? ['不限制重复使用旧密码'] : []),
    ...(!policy.totpForAdmins ? ['三类管理员不要求动态验证码'] : []),
  ]
}

export const belowBaselineLabel = '低于等保三级基线'

// The most used passwords (AUTH-02), from a data file read once when this module loads: the top
// 10,000 of zxcvbn's frequency list (MIT) and this system's own words; the file says where from.
const commonPasswordFile = new URL('./common-passwords.txt', import.meta.url)
export const commonPasswords: ReadonlySet<string> = new Set(
  readFileSync(commonPasswordFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#')),
)
const systemWords = ['gongkai', 'zhengfu', 'admin', 'gov', 'xinxi', 'gongkai', '公开', '政府', '管理员']

export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length
}

/** Every reason the password is not acceptable, in Chinese; empty when it is. */
export function passwordProblems(policy: SecurityPolicy, password: string, context: readonly string[] = []): string[] {
  const problems: string[] = []
  const length = [...password].length
  if (length < policy.minLength) problems.push(`密码至少 ${policy.minLength} 个字符`)
  if (length > 256) problems.push('密码不得超过 256 个字符')
  if (policy.profile === 'dengbao' && characterClasses(password) < policy.minClasses) {
    problems.push(`密码须包含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类`)
  }
  const folded = password.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
  const stripped = folded.replace(/\d+$/, '')
  if (commonPasswords.has(folded) || commonPasswords.has(stripped)) problems.push('该密码过于常见，请换一个')
  const words = [...systemWords, ...context.map((c) => c.toLowerCase())].filter((w) => [...w].length >= 3)
  if (words.some((w) => folded.includes(w.replace(/[^\p{L}\p{N}]/gu, '')) && [...folded].length - [...w].length < 6)) {
    problems.push('密码不得以用户名、机关名称或系统名称为主体')
  }
  return problems
}
