import { randomInt } from 'node:crypto'
import { z } from 'zod'
import type { RoleGrant } from './account.store.ts'
import { isAdminRole } from './roles.ts'
import type { Role } from './roles.ts'

export const usernameField = z
  .string({ error: '请填写用户名' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '用户名为 3–32 位小写字母、数字、点、下划线或连字符，以字母或数字开头')

export const displayNameField = z
  .string({ error: '请填写姓名' })
  .trim()
  .min(1, '请填写姓名')
  .max(30, '姓名不得超过 30 个字')
  .refine((v) => !/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(v), '姓名含有不允许的控制字符')

/** An account's own e-mail address, where one-time links to set a password go (issue #14). */
export const emailField = z
  .string({ error: '请填写电子邮箱' })
  .trim()
  .min(1, '请填写电子邮箱')
  .max(254, '电子邮箱过长')
  .pipe(z.email('电子邮箱格式不正确'))

/** The account as a signed-in request sees it. */
export type StaffUser = Readonly<{
  id: number
  username: string
  displayName: string
  agencyId: number
  roles: readonly Role[]
  reviewLevel: number | null
  /** The password is an initial/reset one, or older than the policy allows: change it before anything else. */
  mustChangePassword: boolean
  /** The policy requires TOTP for this account and it is not yet enrolled. */
  mustEnrolTotp: boolean
  totpEnabled: boolean
}>

export const isAdministrator = (roles: readonly Role[]) => roles.some(isAdminRole)

/**
 * Sessions of administrators and publishers time out sooner (SESS-02): they can change the most.
 */
export const hasShortIdle = (roles: readonly Role[]) => roles.some((r) => isAdminRole(r) || r === 'publisher')

export const reviewLevelOf = (grants: readonly RoleGrant[]) =>
  grants.find((g) => g.role === 'reviewer')?.reviewLevel ?? null

const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '#%+-=@^_']

/** A random initial password of 16 characters with all four classes, so it meets any policy (AUTH-06). */
export function generateTemporaryPassword(): string {
  const all = sets.join('')
  const chars = sets.map((s) => s[randomInt(s.length)] as string)
  while (chars.length < 16) chars.push(all[randomInt(all.length)] as string)
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[chars[i], chars[j]] = [chars[j] as string, chars[i] as string]
  }
  return chars.join('')
}
