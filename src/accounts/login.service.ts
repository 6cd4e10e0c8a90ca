import { hash, verify } from '@node-rs/argon2'
import { randomBytes } from 'node:crypto'
import type { Actor } from '../audit/audit.ts'
import { appendAudit, recordAudit } from '../audit/audit.service.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { sm3Hex } from '../security/crypto.ts'
import { readSecurityPolicy } from '../settings/security-policy.service.ts'
import type { SecurityPolicy } from './password-policy.ts'
import { hasShortIdle, isAdministrator, reviewLevelOf } from './account.ts'
import type { StaffUser } from './account.ts'
import { findUserById, findUserByUsername, rolesOfUser, updateUser } from './account.store.ts'
import type { UserRow } from './account.store.ts'
import { deleteSession, deleteSessionsOfUser, findSession, insertSession, touchSession } from './session.store.ts'
import { matchTotp } from './totp.ts'

// Login in two steps when TOTP is on: the password opens a session in stage 'totp' that can do
// nothing but give the code; the code replaces it with a fresh 'full' session (SESS-01 rotation).

export type Client = Readonly<{ ip: string; userAgent: string }>
export type LoginOutcome = { ok: true; token: string; stage: 'totp' | 'full' } | { ok: false; message: string }

// The same words for an unknown user, a wrong password and a locked account, so that a stranger
// cannot learn which accounts exist or are locked (issue #14); they say that failures lock.
const genericFailure = '用户名或密码错误。连续多次失败后账号将暂时锁定，请稍后再试或联系安全管理员'
// Compared against when the user does not exist, so that timing does not reveal which usernames exist.
const decoyHash = hash('decoy-password-for-timing')

export const sessionIdOf = (token: string) => sm3Hex(token)
const newToken = () => randomBytes(32).toString('base64url')

export const actorOf = (
  user: Pick<UserRow, 'id' | 'display_name' | 'username' | 'agency_id'>,
  roles: readonly string[],
  ip: string,
): Actor => ({
  id: user.id,
  name: `${user.display_name}（${user.username}）`,
  roles,
  agencyId: user.agency_id,
  ip,
})

const anonymous = (username: string, ip: string): Actor => ({
  id: null,
  name: `未登录（${username.slice(0, 40)}）`,
  roles: [],
  agencyId: null,
  ip,
})

export async function login(deps: Deps, username: string, password: string, client: Client): Promise<LoginOutcome> {
  const user = await findUserByUsername(deps.db, username)
  if (!user) {
    await verify(await decoyHash, password).catch(() => false)
    await recordAudit(deps, anonymous(username, client.ip), {
      action: 'login',
      objectType: 'user',
      objectId: username,
      result: 'failure',
      detail: { reason: 'unknown_user' },
    })
    return { ok: false, message: genericFailure }
  }
  const roles = (await rolesOfUser(deps.db, user.id)).map((g) => g.role)
  const actor = actorOf(user, roles, client.ip)
  const policy = await readSecurityPolicy(deps.db)
  const now = deps.clock.now()
  const fail = async (reason: string, message = genericFailure) => {
    await recordAudit(deps, actor, {
      action: 'login',
      objectType: 'user',
      objectId: user.id,
      result: 'failure',
      detail: { reason },
    })
    return { ok: false as const, message }
  }
  if (user.locked_until && new Date(user.locked_until) > now) {
    // Answered like an unknown user, in the same time: nothing tells that the account exists.
    await verify(await decoyHash, password).catch(() => false)
    return fail('locked')
  }
  if (!(await verify(user.password_hash, password).catch(() => false))) {
    return registerFailure(deps, user, actor, policy, 'bad_password')
  }
  if (user.disabled) return fail('disabled')
  if (user.password_temporary && user.temporary_expires_at && new Date(user.temporary_expires_at) <= now) {
    return fail('temporary_password_expired', '初始密码已过期，请联系系统管理员重新设置')
  }
  const stage = user.totp_enabled ? 'totp' : 'full'
  const token = newToken()
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, {
      failed_logins: 0,
      locked_until: null,
      ...(stage === 'full' ? { last_login_at: now.toISOString() } : {}),
    })
    // One session at a time for the administrators (SESS-06).
    if (stage === 'full' && isAdministrator(roles)) await deleteSessionsOfUser(trx, user.id)
    await insertSession(trx, {
      id: sessionIdOf(token),
      user_id: user.id,
      stage,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      ip: client.ip,
      user_agent: client.userAgent.slice(0, 200),
    })
    await appendAudit(deps, trx, actor, {
      action: stage === 'full' ? 'login' : 'login.password_ok',
      objectType: 'user',
      objectId: user.id,
      result: 'success',
    })
  })
  return { ok: true, token, stage }
}

/**
 * A wrong password or code counts toward the lockout (AUTH-04); the message never says which factor
 * failed. The count moves in the database in one statement, so failures sent to several processes at
 * once all count (issue #14). A lockout refuses new logins only: it does not end the owner's other
 * sessions, which a stranger guessing passwords could otherwise end at will.
 */
async function registerFailure(
  deps: Deps,
  user: UserRow,
  actor: Actor,
  policy: SecurityPolicy,
  reason: string,
): Promise<LoginOutcome> {
  const now = deps.clock.now()
  const locks = await deps.db.transaction().execute(async (trx) => {
    const counted = await trx
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', user.id)
      .returning('failed_logins')
      .executeTakeFirstOrThrow()
    const failures = Number(counted.failed_logins)
    const locking = failures >= policy.lockoutThreshold
    if (locking)
      await updateUser(trx, user.id, {
        failed_logins: 0,
        locked_until: new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString(),
      })
    await appendAudit(deps, trx, actor, {
      action: 'login',
      objectType: 'user',
      objectId: user.id,
      result: 'failure',
      detail: { reason, failures },
    })
    if (locking) {
      await appendAudit(deps, trx, actor, {
        action: 'account.lock',
        objectType: 'user',
        objectId: user.id,
        result: 'success',
        detail: { minutes: policy.lockoutMinutes },
      })
    }
    return locking
  })
  if (reason !== 'bad_totp') return { ok: false, message: genericFailure }
  // The code is asked of someone who gave the right password: telling them of the lock reveals nothing.
  return {
    ok: false,
    message: locks ? `登录失败次数过多，账号已锁定 ${policy.lockoutMinutes} 分钟` : '动态验证码不正确或已使用',
  }
}

export type SessionView =
  | { state: 'none' }
  | { state: 'expired' }
  | { state: 'totp'; userId: number; sessionId: string }
  | { state: 'full'; user: StaffUser; sessionId: string }

/**
 * Resolves a cookie to its session, ending it when idle or past its absolute lifetime (SESS-02),
 * or when the account was disabled meanwhile.
 */
export async function resolveSession(deps: Deps, token: string | undefined, ip: string): Promise<SessionView> {
  if (!token || token.length > 100) return { state: 'none' }
  const id = sessionIdOf(token)
  const session = await findSession(deps.db, id)
  if (!session) return { state: 'none' }
  const user = await findUserById(deps.db, session.user_id)
  const now = deps.clock.now()
  if (!user || user.disabled) {
    await deleteSession(deps.db, id)
    return { state: 'expired' }
  }
  const grants = await rolesOfUser(deps.db, user.id)
  const roles = grants.map((g) => g.role)
  const policy = await readSecurityPolicy(deps.db)
  const idleMinutes = hasShortIdle(roles) ? Math.min(policy.adminIdleMinutes, policy.idleMinutes) : policy.idleMinutes
  const idleFor = now.getTime() - new Date(session.last_seen_at).getTime()
  const age = now.getTime() - new Date(session.created_at).getTime()
  if (idleFor > idleMinutes * 60_000 || age > policy.absoluteHours * 3_600_000) {
    await deps.db.transaction().execute(async (trx) => {
      await deleteSession(trx, id)
      await appendAudit(deps, trx, actorOf(user, roles, ip), {
        action: 'session.timeout',
        objectType: 'session',
        objectId: user.id,
        result: 'success',
        detail: { idleMinutes: Math.floor(idleFor / 60_000) },
      })
    })
    return { state: 'expired' }
  }
  // Writing on every request would make every page a write; a minute's precision is enough.
  if (idleFor >= 60_000) await touchSession(deps.db, id, now.toISOString())
  if (session.stage === 'totp') return { state: 'totp', userId: user.id, sessionId: id }
  return { state: 'full', user: staffUserOf(user, grants, policy, now), sessionId: id }
}

function staffUserOf(
  user: UserRow,
  grants: Awaited<ReturnType<typeof rolesOfUser>>,
  policy: SecurityPolicy,
  now: Date,
): StaffUser {
  const roles = grants.map((g) => g.role)
  const expired =
    policy.profile === 'dengbao' &&
    policy.maxAgeDays > 0 &&
    now.getTime() - new Date(user.password_set_at).getTime() > policy.maxAgeDays * 86_400_000
  const totpRequired = policy.totpForAllStaff || (policy.totpForAdmins && isAdministrator(roles))
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    agencyId: user.agency_id,
    roles,
    reviewLevel: reviewLevelOf(grants),
    mustChangePassword: user.password_temporary === 1 || expired,
    mustEnrolTotp: totpRequired && user.totp_enabled === 0,
    totpEnabled: user.totp_enabled === 1,
  }
}

/** The second step of login: a valid, unused code turns the 'totp' session into a new full one. */
export async function completeTotpLogin(
  deps: Deps,
  token: string,
  code: string,
  client: Client,
): Promise<LoginOutcome> {
  const id = sessionIdOf(token)
  const session = await findSession(deps.db, id)
  if (!session || session.stage !== 'totp') return { ok: false, message: '登录已失效，请重新输入用户名和密码' }
  const user = await findUserById(deps.db, session.user_id)
  if (!user || !user.totp_secret) return { ok: false, message: '登录已失效，请重新输入用户名和密码' }
  const roles = (await rolesOfUser(deps.db, user.id)).map((g) => g.role)
  const actor = actorOf(user, roles, client.ip)
  // An account locked after its password was accepted (failed logins elsewhere, failed codes here, or
  // the 安全管理员) finishes no login while the lock lasts (AUTH-04; GB/T 22239-2019 §8.1.4.1 b), and is
  // answered in the password step's words, which do not say that the account exists (issue #14).
  if (lockedAt(user, deps.clock.now())) return refuseLocked(deps, actor, user.id)
  const secret = deps.fields.decrypt(user.totp_secret, `users:${user.id}:totp_secret`)
  const step = matchTotp(secret, code.trim(), deps.clock.now(), user.totp_last_step)
  if (step === undefined) {
    const outcome = await registerFailure(deps, user, actor, await readSecurityPolicy(deps.db), 'bad_totp')
    return outcome
  }
  const fresh = newToken()
  const now = deps.clock.now().toISOString()
  // The time step is spent by one conditional update: of submissions racing with the same code (on
  // this process or another), exactly one moves the step forward; the others find it spent (issue #14).
  const spent = await deps.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('users')
      .set({ totp_last_step: step, failed_logins: 0, last_login_at: now })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      // A lock set since the check above (ISO-8601 UTC text compares in time order) also refuses.
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .executeTakeFirst()
    if (Number(moved.numUpdatedRows) !== 1) return true
    await deleteSession(trx, id)
    if (isAdministrator(roles)) await deleteSessionsOfUser(trx, user.id)
    await insertSession(trx, {
      id: sessionIdOf(fresh),
      user_id: user.id,
      stage: 'full',
      created_at: now,
      last_seen_at: now,
      ip: client.ip,
      user_agent: client.userAgent.slice(0, 200),
    })
    await appendAudit(deps, trx, actor, {
      action: 'login',
      objectType: 'user',
      objectId: user.id,
      result: 'success',
      detail: { factor: 'totp' },
    })
    return false
  })
  if (spent) {
    const latest = await findUserById(deps.db, user.id)
    if (latest && lockedAt(latest, deps.clock.now())) return refuseLocked(deps, actor, user.id)
    return registerFailure(deps, user, actor, await readSecurityPolicy(deps.db), 'bad_totp')
  }
  return { ok: true, token: fresh, stage: 'full' }
}

const lockedAt = (user: Pick<UserRow, 'locked_until'>, now: Date) =>
  user.locked_until !== null && new Date(user.locked_until) > now

async function refuseLocked(deps: Deps, actor: Actor, userId: number): Promise<LoginOutcome> {
  await recordAudit(deps, actor, {
    action: 'login',
    objectType: 'user',
    objectId: userId,
    result: 'failure',
    detail: { reason: 'locked', factor: 'totp' },
  })
  return { ok: false, message: genericFailure }
}

/** Ends the session on the server, so the old cookie no longer works (SESS-03). */
export async function logout(deps: Deps, sessionId: string, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, sessionId)
    await appendAudit(deps, trx, actor, {
      action: 'logout',
      objectType: 'session',
      objectId: actor.id ?? '',
      result: 'success',
    })
  })
}

export async function requireUserRow(deps: Deps, id: number): Promise<UserRow> {
  const user = await findUserById(deps.db, id)
  if (!user) throw new AppError('not_found', '账号不存在')
  return user
}
