import { hash } from '@node-rs/argon2'
import { findAgencyById, listAgencies } from '../agencies/agency.store.ts'
import type { Agency } from '../agencies/agency.ts'
import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { formatShanghai, isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { pageOf } from '../paging.ts'
import { readSecurityPolicy } from '../settings/security-policy.service.ts'
import type { Executor } from '../storage/database.ts'
import { generateTemporaryPassword } from './account.ts'
import {
  countActiveUsersWithRole,
  findUserById,
  findUserByUsername,
  insertPasswordHistory,
  insertUser,
  listUsers,
  lockActiveUsersWithRole,
  replaceRoles,
  rolesByUser,
  rolesOfUser,
  updateUser,
} from './account.store.ts'
import type { RoleGrant, UserRow } from './account.store.ts'
import { deleteSessionsOfUser } from './session.store.ts'
import { maxReviewLevel, roleLabels, roleSetProblem } from './roles.ts'
import type { Role } from './roles.ts'

export type NewAccount = Readonly<{
  agencyId: number
  username: string
  displayName: string
  roles?: readonly RoleGrant[]
}>

/** Who may hand out roles while creating an account. */
export type GrantAuthority = 'operator' | 'bootstrap' | 'none'

function checkGrants(grants: readonly RoleGrant[]): void {
  const problem = roleSetProblem(grants.map((g) => g.role))
  if (problem) throw new AppError('invalid_input', problem, { roles: problem })
  // A role is held once (one row per user and role): a form that names it twice is refused, not a 500.
  const roles = grants.map((g) => g.role)
  if (new Set(roles).size !== roles.length) {
    const message = '同一角色只能授予一次，请检查所选角色'
    throw new AppError('invalid_input', message, { roles: message })
  }
  for (const g of grants) {
    if (g.role === 'reviewer' && (g.reviewLevel === null || g.reviewLevel < 1 || g.reviewLevel > maxReviewLevel)) {
      throw new AppError('invalid_input', `审核人须指定 1–${maxReviewLevel} 级审核级别`, {
        reviewLevel: `请选择 1–${maxReviewLevel} 级`,
      })
    }
  }
}

/**
 * Creates an account with a random initial password that must be changed at first login and
 * expires unused (AUTH-06). Returns the password once; it is never stored or logged in clear. For the
 * operator with shell access and the first-run setup only: the console sends a one-time link instead
 * (account-setup.service.ts, issue #14).
 */
export async function createAccount(
  deps: Deps,
  actor: Actor,
  input: NewAccount,
  authority: GrantAuthority,
  trxIn?: Executor,
): Promise<{ id: number; temporaryPassword: string }> {
  checkGrants(input.roles ?? [])
  const temporaryPassword = generateTemporaryPassword()
  const passwordHash = await hash(temporaryPassword)
  const run = async (trx: Executor) => {
    const policy = await readSecurityPolicy(trx)
    const expiresAt = new Date(deps.clock.now().getTime() + policy.temporaryPasswordHours * 3_600_000).toISOString()
    return insertAccount(deps, trx, actor, input, authority, { passwordHash, expiresAt })
  }
  const id = trxIn ? await run(trxIn) : await deps.db.transaction().execute(run)
  return { id, temporaryPassword }
}

/** The account's first secret: the hash of its initial password, and when that stops working. */
export type InitialSecret = { passwordHash: string; expiresAt: string }

/**
 * Inserts a new account with its roles and records it in the audit log, inside the caller's
 * transaction; `detail` adds to the audit entry (how the first password is set).
 */
export async function insertAccount(
  deps: Deps,
  trx: Executor,
  actor: Actor,
  input: NewAccount,
  authority: GrantAuthority,
  secret: InitialSecret,
  detail: Record<string, string> = {},
): Promise<number> {
  const grants = input.roles ?? []
  checkGrants(grants)
  if (!(await findAgencyById(trx, input.agencyId)))
    throw new AppError('invalid_input', '所属机关不存在', { agencyId: '请选择已登记的机关' })
  if (await findUserByUsername(trx, input.username)) {
    throw new AppError('conflict', '用户名已被使用', { username: '该用户名已被使用，请换一个' })
  }
  if (grants.length > 0) await assertMayGrantOnCreate(trx, authority, grants)
  const now = deps.clock.now().toISOString()
  const id = await insertUser(trx, {
    agency_id: input.agencyId,
    username: input.username,
    display_name: input.displayName,
    password_hash: secret.passwordHash,
    password_set_at: now,
    temporary_expires_at: secret.expiresAt,
    created_at: now,
  })
  if (grants.length > 0) await replaceRoles(trx, id, grants, actor.id, now)
  await appendAudit(deps, trx, actor, {
    action: 'account.create',
    objectType: 'user',
    objectId: id,
    result: 'success',
    detail: { username: input.username, agencyId: input.agencyId, roles: grants.map((g) => g.role), ...detail },
  })
  return id
}

/**
 * Roles on creation: an operator with shell access may give any role; the 系统管理员 may create the
 * first 安全管理员 and 审计管理员, and only until a 安全管理员 exists (issue #2).
 */
async function assertMayGrantOnCreate(
  trx: Executor,
  authority: GrantAuthority,
  grants: readonly RoleGrant[],
): Promise<void> {
  if (authority === 'operator') return
  const bootstrapRoles: Role[] = ['secadmin', 'auditadmin']
  const allowed =
    authority === 'bootstrap' &&
    grants.length === 1 &&
    bootstrapRoles.includes(grants[0]!.role) &&
    (await countActiveUsersWithRole(trx, 'secadmin')) === 0 &&
    (grants[0]!.role === 'secadmin' || (await countActiveUsersWithRole(trx, 'auditadmin')) === 0)
  if (!allowed)
    throw new AppError(
      'forbidden',
      '角色由安全管理员分配；系统管理员仅可在安全管理员设立前创建首个安全管理员和审计管理员',
    )
}

/** Whether the 系统管理员 may still create the first 安全管理员 or 审计管理员. */
export async function bootstrapRolesOpen(deps: Deps): Promise<{ secadmin: boolean; auditadmin: boolean }> {
  const noSec = (await countActiveUsersWithRole(deps.db, 'secadmin')) === 0
  return { secadmin: noSec, auditadmin: noSec && (await countActiveUsersWithRole(deps.db, 'auditadmin')) === 0 }
}

async function findOrThrow(trx: Executor, userId: number) {
  const user = await findUserById(trx, userId)
  if (!user) throw new AppError('not_found', '账号不存在')
  return user
}

/** The 安全管理员 assigns roles (issue #2). An account cannot change its own roles. */
export async function assignRoles(
  deps: Deps,
  actor: Actor,
  userId: number,
  grants: readonly RoleGrant[],
): Promise<void> {
  checkGrants(grants)
  if (actor.id === userId) throw new AppError('forbidden', '不能修改本人的角色')
  await deps.db.transaction().execute(async (trx) => {
    const before = await rolesOfUser(trx, userId)
    const user = await findOrThrow(trx, userId)
    for (const role of before.map((g) => g.role).filter((r) => !grants.some((g) => g.role === r))) {
      if (!user.disabled) await assertNotLastOfRole(deps, trx, role, '撤销其角色')
    }
    await replaceRoles(trx, userId, grants, actor.id, isoNow(deps.clock))
    // New powers take effect at the next login: end the account's sessions.
    await deleteSessionsOfUser(trx, userId)
    await appendAudit(deps, trx, actor, {
      action: 'account.roles',
      objectType: 'user',
      objectId: userId,
      result: 'success',
      detail: { from: before.map((g) => label(g)), to: grants.map((g) => label(g)) },
    })
  })
}

const label = (g: RoleGrant) => (g.reviewLevel ? `${roleLabels[g.role]}(${g.reviewLevel}级)` : roleLabels[g.role])

/**
 * 三员分立 (GB/T 22239-2019 §8.1.4.2 c, §8.1.5): the last active 安全管理员 or 审计管理员 cannot be
 * disabled or lose the role, or nobody could assign roles again, or nobody could read the audit log
 * (issue #14).
 */
async function assertNotLastOfRole(deps: Deps, trx: Executor, role: Role, what: '停用' | '撤销其角色'): Promise<void> {
  if (role !== 'secadmin' && role !== 'auditadmin') return
  if ((await lockActiveUsersWithRole(trx, role, deps.kind)) <= 1) {
    const rest = role === 'secadmin' ? '否则无人能够分配角色' : '否则无人能够查阅审计记录'
    throw new AppError(
      'invalid_transition',
      `这是唯一在用的${roleLabels[role]}，不能${what}（三员分立，${rest}）。请先为另一账号授予${roleLabels[role]}角色。`,
    )
  }
}

/** Disabling ends the account's sessions at once (SESS-03). */
export async function setAccountDisabled(deps: Deps, actor: Actor, userId: number, disabled: boolean): Promise<void> {
  if (actor.id === userId) throw new AppError('forbidden', '不能停用本人账号')
  await deps.db.transaction().execute(async (trx) => {
    const user = await findOrThrow(trx, userId)
    if (disabled && !user.disabled) {
      for (const g of await rolesOfUser(trx, userId)) await assertNotLastOfRole(deps, trx, g.role, '停用')
    }
    await updateUser(trx, userId, { disabled: disabled ? 1 : 0 })
    if (disabled) await deleteSessionsOfUser(trx, userId)
    await appendAudit(deps, trx, actor, {
      action: disabled ? 'account.disable' : 'account.enable',
      objectType: 'user',
      objectId: userId,
      result: 'success',
    })
  })
}

/**
 * A new random initial password; the old one stops working and every session ends. For the operator
 * on the server only (`gongkai user passwd`): the console's reset sends the user a one-time link and
 * shows the 系统管理员 no password (password-reset.service.ts, issue #14).
 */
export async function resetPassword(deps: Deps, actor: Actor, userId: number): Promise<string> {
  const temporaryPassword = generateTemporaryPassword()
  const passwordHash = await hash(temporaryPassword)
  await deps.db.transaction().execute(async (trx) => {
    const user = await findOrThrow(trx, userId)
    const policy = await readSecurityPolicy(trx)
    const now = deps.clock.now()
    await updateUser(trx, userId, {
      password_hash: passwordHash,
      password_set_at: now.toISOString(),
      password_temporary: 1,
      temporary_expires_at: new Date(now.getTime() + policy.temporaryPasswordHours * 3_600_000).toISOString(),
    })
    await insertPasswordHistory(trx, userId, user.password_hash, now.toISOString())
    await deleteSessionsOfUser(trx, userId)
    await appendAudit(deps, trx, actor, {
      action: 'account.password_reset',
      objectType: 'user',
      objectId: userId,
      result: 'success',
    })
  })
  return temporaryPassword
}

export async function unlockAccount(deps: Deps, actor: Actor, userId: number): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await findOrThrow(trx, userId)
    await updateUser(trx, userId, { locked_until: null, failed_logins: 0 })
    await appendAudit(deps, trx, actor, {
      action: 'account.unlock',
      objectType: 'user',
      objectId: userId,
      result: 'success',
    })
  })
}

/** Ends every session of one account (SESS-03: an administrator can end a user's sessions). */
export async function endSessions(deps: Deps, actor: Actor, userId: number): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    await findOrThrow(trx, userId)
    const n = await deleteSessionsOfUser(trx, userId)
    await appendAudit(deps, trx, actor, {
      action: 'session.end_all',
      objectType: 'user',
      objectId: userId,
      result: 'success',
      detail: { sessions: n },
    })
    return n
  })
}

export type AccountListing = {
  /** One page of the accounts (50), with the number the filtered list holds. */
  users: UserRow[]
  total: number
  page: number
  roles: Map<number, RoleGrant[]>
  agencies: Agency[]
  bootstrap: { secadmin: boolean; auditadmin: boolean }
  /** Whether e-mail is configured, without which the console cannot create accounts (issue #14). */
  mailReady: boolean
}

/** What narrows the list of accounts: words of the user name or name, the agency. */
export type AccountFilter = { text?: string | undefined; agencyId?: number | undefined }

/** One page of the accounts with their roles and agency, and which administrator roles may still be created directly. */
export async function accountListing(deps: Deps, filter: AccountFilter = {}, page = 1): Promise<AccountListing> {
  const text = filter.text?.toLowerCase()
  const users = (await listUsers(deps.db, filter.agencyId)).filter(
    (u) => !text || u.username.toLowerCase().includes(text) || u.display_name.toLowerCase().includes(text),
  )
  const paged = pageOf(users, page)
  return {
    users: paged.rows,
    total: paged.total,
    page: paged.page,
    roles: await rolesByUser(deps.db),
    agencies: await listAgencies(deps.db),
    bootstrap: await bootstrapRolesOpen(deps),
    mailReady: !!deps.config.smtpUrl && !!deps.config.publicUrl,
  }
}

export async function usernameOf(deps: Deps, userId: number): Promise<string | undefined> {
  return (await listUsers(deps.db)).find((u) => u.id === userId)?.username
}

export type SecurityAccount = {
  id: number
  username: string
  name: string
  agency: string
  grants: RoleGrant[]
  /** When a lockout ends, in Shanghai time, while it lasts. */
  locked: string | null
  disabled: boolean
}

/** Every account as the security administrator sees it: roles, agency, lockout and whether disabled. */
/** One page (50) of the accounts as the security administrator sees them, found by user name, name or agency. */
export async function securityAccountsPage(deps: Deps, text: string | undefined, page = 1) {
  const words = text?.toLowerCase()
  const rows = (await securityAccountsOf(deps)).filter(
    (r) => !words || [r.username, r.name, r.agency].some((v) => v.toLowerCase().includes(words)),
  )
  return pageOf(rows, page)
}

export async function securityAccountsOf(deps: Deps): Promise<SecurityAccount[]> {
  const agencies = new Map((await listAgencies(deps.db)).map((a) => [a.id, a.name]))
  const grants = await rolesByUser(deps.db)
  const now = deps.clock.now()
  return (await listUsers(deps.db)).map((u) => ({
    id: u.id,
    username: u.username,
    name: u.display_name,
    agency: agencies.get(u.agency_id) ?? '',
    grants: grants.get(u.id) ?? [],
    locked: u.locked_until && new Date(u.locked_until) > now ? formatShanghai(u.locked_until) : null,
    disabled: u.disabled === 1,
  }))
}
