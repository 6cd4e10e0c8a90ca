import { hash, verify } from '@node-rs/argon2'
import type { Actor } from '../audit/audit.ts'
import { appendAudit, recordAudit } from '../audit/audit.service.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readSecurityPolicy } from '../settings/security-policy.service.ts'
import { findAgencyById } from '../agencies/agency.store.ts'
import { insertPasswordHistory, recentPasswordHashes, updateUser } from './account.store.ts'
import type { UserRow } from './account.store.ts'
import { deleteSessionsOfUser } from './session.store.ts'
import { requireUserRow } from './login.service.ts'
import { passwordProblems } from './password-policy.ts'
import { maskAddress } from '../notify/mail.ts'
import { hmacSm3 } from '../security/crypto.ts'
import { base32Encode, matchTotp } from './totp.ts'

/**
 * Refuses a new password that breaks the policy or repeats one of the last ones kept (AUTH-02,
 * AUTH-03), in Chinese on the field `next`.
 */
export async function assertAcceptableNewPassword(deps: Deps, user: UserRow, next: string): Promise<void> {
  const policy = await readSecurityPolicy(deps.db)
  const agency = await findAgencyById(deps.db, user.agency_id)
  const problems = passwordProblems(policy, next, [user.username, user.display_name, agency?.name ?? ''])
  if (problems.length > 0) throw new AppError('invalid_input', problems.join('；'), { next: problems.join('；') })
  const previous = [
    user.password_hash,
    ...(await recentPasswordHashes(deps.db, user.id, Math.max(0, policy.historyCount - 1))),
  ]
  for (const old of previous.slice(0, Math.max(1, policy.historyCount))) {
    if (await verify(old, next).catch(() => false)) {
      throw new AppError('invalid_input', `新密码不得与最近 ${policy.historyCount} 次使用的密码相同`, {
        next: `新密码不得与最近 ${policy.historyCount} 次使用的密码相同`,
      })
    }
  }
}

/**
 * Changes one's own password: the current one must be given, the new one must meet the policy and
 * differ from the last ones kept (AUTH-03). Other sessions of the account end (SESS-03).
 */
export async function changeOwnPassword(
  deps: Deps,
  actor: Actor & { id: number },
  sessionId: string,
  current: string,
  next: string,
): Promise<void> {
  const user = await requireUserRow(deps, actor.id)
  if (!(await verify(user.password_hash, current).catch(() => false))) {
    await recordAudit(deps, actor, {
      action: 'account.password_change',
      objectType: 'user',
      objectId: user.id,
      result: 'failure',
      detail: { reason: 'bad_current' },
    })
    throw new AppError('invalid_input', '当前密码不正确', { current: '当前密码不正确' })
  }
  await assertAcceptableNewPassword(deps, user, next)
  const passwordHash = await hash(next)
  const now = deps.clock.now().toISOString()
  await deps.db.transaction().execute(async (trx) => {
    await insertPasswordHistory(trx, user.id, user.password_hash, now)
    await updateUser(trx, user.id, {
      password_hash: passwordHash,
      password_set_at: now,
      password_temporary: 0,
      temporary_expires_at: null,
    })
    await deleteSessionsOfUser(trx, user.id, sessionId)
    await appendAudit(deps, trx, actor, {
      action: 'account.password_change',
      objectType: 'user',
      objectId: user.id,
      result: 'success',
    })
  })
}

/**
 * The secret offered for enrolment, worked out rather than stored, so that showing the enrolment
 * page writes nothing (issue #14: a GET must not change state). It is an HMAC under the session key
 * of the account and its current password hash: unknowable without the key, stable while the page
 * is reloaded, and new after every password change. It is stored (encrypted) only when a code from
 * it is confirmed. A pending secret stored by an earlier version is still honoured.
 */
export async function pendingTotpSecret(deps: Deps, userId: number): Promise<string | undefined> {
  const user = await requireUserRow(deps, userId)
  if (user.totp_enabled) return undefined
  if (user.totp_secret) return deps.fields.decrypt(user.totp_secret, `users:${user.id}:totp_secret`)
  const derived = hmacSm3(deps.keys.session, `totp enrolment v1\n${user.id}\n${user.password_hash}`)
  return base32Encode(derived.subarray(0, 20))
}

export async function confirmTotpEnrolment(deps: Deps, actor: Actor & { id: number }, code: string): Promise<void> {
  const user = await requireUserRow(deps, actor.id)
  const secret = await pendingTotpSecret(deps, user.id)
  if (!secret) throw new AppError('invalid_transition', '已启用动态验证码')
  const step = matchTotp(secret, code.trim(), deps.clock.now(), null)
  if (step === undefined) {
    await recordAudit(deps, actor, {
      action: 'account.totp_enrol',
      objectType: 'user',
      objectId: user.id,
      result: 'failure',
    })
    throw new AppError('invalid_input', '验证码不正确，请核对手机上显示的 6 位数字', {
      code: '验证码不正确，请核对手机上显示的 6 位数字',
    })
  }
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, {
      totp_secret: deps.fields.encrypt(secret, `users:${user.id}:totp_secret`),
      totp_enabled: 1,
      totp_last_step: step,
    })
    await appendAudit(deps, trx, actor, {
      action: 'account.totp_enrol',
      objectType: 'user',
      objectId: user.id,
      result: 'success',
    })
  })
}

/**
 * Sets the account's own e-mail address, where password-reset links go (issue #14). Only the owner,
 * with the current password, can set it: an administrator who could change it could send a reset
 * link to himself.
 */
export async function setOwnEmail(
  deps: Deps,
  actor: Actor & { id: number },
  current: string,
  email: string,
): Promise<void> {
  const user = await requireUserRow(deps, actor.id)
  if (!(await verify(user.password_hash, current).catch(() => false))) {
    await recordAudit(deps, actor, {
      action: 'account.email',
      objectType: 'user',
      objectId: user.id,
      result: 'failure',
      detail: { reason: 'bad_current' },
    })
    throw new AppError('invalid_input', '当前密码不正确', { current: '当前密码不正确' })
  }
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { email_enc: deps.fields.encrypt(email, `users:${user.id}:email`) })
    await appendAudit(deps, trx, actor, {
      action: 'account.email',
      objectType: 'user',
      objectId: user.id,
      result: 'success',
    })
  })
}

/** The account's own e-mail address, masked (l***@example.cn), or undefined when none is registered. */
export async function ownEmailMasked(deps: Deps, userId: number): Promise<string | undefined> {
  const user = await requireUserRow(deps, userId)
  return user.email_enc ? maskAddress(deps.fields.decrypt(user.email_enc, `users:${user.id}:email`)) : undefined
}
