import { hash } from '@node-rs/argon2'
import { randomBytes } from 'node:crypto'
import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { maskAddress } from '../notify/mail.ts'
import { queueStaffMail } from '../notify/outbox.service.ts'
import { sm3Hex } from '../security/crypto.ts'
import { findUserById, insertPasswordHistory, rolesOfUser, updateUser } from './account.store.ts'
import { assertAcceptableNewPassword } from './credentials.service.ts'
import { actorOf } from './login.service.ts'
import {
  findPasswordReset,
  insertPasswordReset,
  retireUnusedResets,
  spendPasswordReset,
} from './password-reset.store.ts'
import { deleteSessionsOfUser } from './session.store.ts'

// A password reset in 三员分立 (issue #14; GB/T 22239-2019 §8.1.4.2 c). The 系统管理员 who asks for a
// reset never sees a password, nor the link: a one-time link goes through the mail outbox to the
// address the user registered (only the user can set it, with the current password). The link is
// single use and runs out after 30 minutes; only its SM3 hash is kept. The account's password is not
// changed by the request (the user, following the link, sets a password nobody else knows), so asking
// for a reset cannot lock anyone out either.
//
// Without mail (no SMTP_URL or PUBLIC_URL) or without a registered address, the console refuses and
// says what to do: the user registers an address, or, locked out, turns to the operator with shell
// access (`gongkai user passwd`), who is outside the three administrators and holds the keys anyway.

export const resetLinkMinutes = 30
const invalidLink = '重置链接无效、已使用或已过期。请联系系统管理员重新发送。'

/** The page a reset link opens: the platform's public address and the token. */
export const resetLink = (publicUrl: string, token: string) =>
  `${publicUrl.replace(/\/+$/, '')}/password-reset?token=${token}`

/**
 * A one-time link (reset, or an account's first password) goes only by mail: without it the console refuses, saying
 * what could not be sent and what to do instead, since no administrator may see or set another's password. Returns the
 * public address the link starts with.
 */
export function requireMailForLinks(deps: Deps, notSent: string, instead: string): string {
  if (deps.config.smtpUrl && deps.config.publicUrl) return deps.config.publicUrl
  throw new AppError(
    'invalid_transition',
    `未配置邮件服务（SMTP_URL、PUBLIC_URL），${notSent}。为保证三员分立，系统管理员不能查看或设定他人的密码；` +
      `请配置邮件服务，或${instead}。`,
  )
}

/**
 * Sends the user a one-time reset link by e-mail, through the outbox. Returns the address it goes to,
 * masked, for the administrator's page. Earlier links of the account stop working.
 */
export async function sendPasswordResetLink(deps: Deps, actor: Actor, userId: number): Promise<{ to: string }> {
  const publicUrl = requireMailForLinks(
    deps,
    '无法把重置链接发给本人',
    '由具有服务器权限的运维人员执行 gongkai user passwd <用户名>',
  )
  const token = randomBytes(32).toString('base64url')
  return deps.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, userId)
    if (!user) throw new AppError('not_found', '账号不存在')
    if (!user.email_enc) {
      throw new AppError(
        'invalid_transition',
        `账号 ${user.username} 尚未登记本人邮箱，无法发送重置链接。请本人登录后在“本人邮箱”页面登记；` +
          '已无法登录的，由具有服务器权限的运维人员执行 gongkai user passwd <用户名>。',
      )
    }
    const now = deps.clock.now()
    const expiresAt = new Date(now.getTime() + resetLinkMinutes * 60_000).toISOString()
    await retireUnusedResets(trx, user.id, now.toISOString())
    await insertPasswordReset(trx, {
      user_id: user.id,
      token_hash: sm3Hex(token),
      expires_at: expiresAt,
      used_at: null,
      created_by: actor.id,
      created_at: now.toISOString(),
    })
    const text = [
      `${user.display_name}，您好：`,
      '',
      `系统管理员为您的账号（用户名 ${user.username}）发起了密码重置。请在 ${resetLinkMinutes} 分钟内打开以下链接，自行设置新密码（链接只能使用一次）：`,
      '',
      resetLink(publicUrl, token),
      '',
      '如非本人要求，请忽略本邮件并告知安全管理员；您原来的密码仍然有效。',
      '本邮件由系统自动发送，请勿直接回复。',
    ].join('\n')
    await queueStaffMail(deps, trx, { userId: user.id, recipientEnc: user.email_enc, kind: 'password_reset', text })
    await appendAudit(deps, trx, actor, {
      action: 'account.password_reset_link',
      objectType: 'user',
      objectId: user.id,
      result: 'success',
      detail: { expiresAt },
    })
    return { to: maskAddress(deps.fields.decrypt(user.email_enc, `users:${user.id}:email`)) }
  })
}

/** The account a reset link is for, while it can still be used; looking writes nothing. */
export async function resetLinkAccount(deps: Deps, token: string): Promise<{ username: string } | undefined> {
  const reset = await usableReset(deps, token)
  const user = reset && (await findUserById(deps.db, reset.user_id))
  return user && !user.disabled ? { username: user.username } : undefined
}

async function usableReset(deps: Deps, token: string) {
  if (!/^[\w-]{20,100}$/.test(token)) return undefined
  const reset = await findPasswordReset(deps.db, sm3Hex(token))
  if (!reset || reset.used_at || new Date(reset.expires_at) <= deps.clock.now()) return undefined
  return reset
}

/**
 * The user sets a new password with the link: once, before it runs out. The password meets the policy
 * and differs from the last ones; every session of the account ends (SESS-03).
 */
export async function completePasswordReset(deps: Deps, token: string, next: string, ip: string): Promise<void> {
  const reset = await usableReset(deps, token)
  const user = reset && (await findUserById(deps.db, reset.user_id))
  if (!reset || !user || user.disabled) throw new AppError('invalid_transition', invalidLink)
  await assertAcceptableNewPassword(deps, user, next)
  const passwordHash = await hash(next)
  const roles = (await rolesOfUser(deps.db, user.id)).map((g) => g.role)
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now().toISOString()
    // Spent by one conditional update: of two submissions of one link, one sets the password.
    if (!(await spendPasswordReset(trx, reset.id, now))) throw new AppError('invalid_transition', invalidLink)
    await insertPasswordHistory(trx, user.id, user.password_hash, now)
    await updateUser(trx, user.id, {
      password_hash: passwordHash,
      password_set_at: now,
      password_temporary: 0,
      temporary_expires_at: null,
    })
    await deleteSessionsOfUser(trx, user.id)
    await appendAudit(deps, trx, actorOf(user, roles, ip), {
      action: 'account.password_reset_done',
      objectType: 'user',
      objectId: user.id,
      result: 'success',
    })
  })
}
