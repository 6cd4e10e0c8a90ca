import type { DatabaseKind, Executor, UserTable } from '../storage/database.ts'
import type { Selectable, Updateable } from 'kysely'
import type { Role } from './roles.ts'

export type UserRow = Selectable<UserTable>
export type RoleGrant = { role: Role; reviewLevel: number | null }

export async function findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst()
}

export async function insertUser(
  db: Executor,
  user: Pick<
    UserRow,
    | 'agency_id'
    | 'username'
    | 'display_name'
    | 'password_hash'
    | 'password_set_at'
    | 'temporary_expires_at'
    | 'created_at'
  >,
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ ...user, username: user.username.toLowerCase(), password_temporary: 1 })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateUser(db: Executor, id: number, changes: Updateable<UserTable>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute()
}

export async function listUsers(db: Executor, agencyId?: number): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll()
  if (agencyId !== undefined) q = q.where('agency_id', '=', agencyId)
  return q.orderBy('agency_id').orderBy('username').execute()
}

export async function rolesOfUser(db: Executor, userId: number): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('user_roles')
    .select(['role', 'review_level'])
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute()
  return rows.map((r) => ({ role: r.role as Role, reviewLevel: r.review_level }))
}

export async function rolesByUser(db: Executor): Promise<Map<number, RoleGrant[]>> {
  const rows = await db.selectFrom('user_roles').select(['user_id', 'role', 'review_level']).orderBy('role').execute()
  const map = new Map<number, RoleGrant[]>()
  for (const r of rows)
    map.set(r.user_id, [...(map.get(r.user_id) ?? []), { role: r.role as Role, reviewLevel: r.review_level }])
  return map
}

export async function replaceRoles(
  db: Executor,
  userId: number,
  grants: readonly RoleGrant[],
  by: number | null,
  at: string,
): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute()
  if (grants.length === 0) return
  await db
    .insertInto('user_roles')
    .values(
      grants.map((g) => ({
        user_id: userId,
        role: g.role,
        review_level: g.reviewLevel,
        granted_at: at,
        granted_by: by,
      })),
    )
    .execute()
}

export async function countActiveUsersWithRole(db: Executor, role: Role): Promise<number> {
  const row = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_roles.role', '=', role)
    .where('users.disabled', '=', 0)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * The active holders of a role, locked until the transaction ends (PostgreSQL; SQLite has one writer):
 * two administrators disabling the last two holders at once cannot both see one more left.
 */
export async function lockActiveUsersWithRole(db: Executor, role: Role, kind: DatabaseKind): Promise<number> {
  let q = db
    .selectFrom('users')
    .select('users.id')
    .where('users.disabled', '=', 0)
    .where('users.id', 'in', db.selectFrom('user_roles').select('user_id').where('role', '=', role))
  if (kind === 'postgres') q = q.forUpdate()
  return (await q.execute()).length
}

export async function insertPasswordHistory(db: Executor, userId: number, hash: string, at: string): Promise<void> {
  await db.insertInto('password_history').values({ user_id: userId, password_hash: hash, created_at: at }).execute()
}

export async function recentPasswordHashes(db: Executor, userId: number, count: number): Promise<string[]> {
  if (count <= 0) return []
  const rows = await db
    .selectFrom('password_history')
    .select('password_hash')
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(count)
    .execute()
  return rows.map((r) => r.password_hash)
}
