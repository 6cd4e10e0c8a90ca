import type { Actor } from '../audit/audit.ts'
import { AppError } from '../errors.ts'
import type { Executor } from '../storage/database.ts'
import { findUserById, rolesOfUser } from './account.store.ts'
import { roleLabels } from './roles.ts'
import type { Role } from './roles.ts'

/**
 * Refuses a use case to anyone who does not now hold one of the roles it needs. The route table
 * checks the role of the signed-in session; a use case checks again from the stored grants, so a
 * caller that is not a route (the scheduler, the CLI, a future API) cannot skip the rule, and a
 * role withdrawn since is honoured.
 */
export async function assertHoldsRole(db: Executor, actor: Actor, roles: readonly Role[], action: string) {
  const user = actor.id === null ? undefined : await findUserById(db, actor.id)
  const grants = user && !user.disabled ? await rolesOfUser(db, user.id) : []
  if (!grants.some((g) => roles.includes(g.role))) {
    const needed = roles.map((r) => roleLabels[r]).join('或')
    throw new AppError('forbidden', `只有${needed}可以${action}。`)
  }
}

/** The roles and review level the actor holds now, from the stored grants (none when disabled or not a user). */
export async function heldRoles(db: Executor, actor: Actor): Promise<{ roles: Role[]; reviewLevel: number | null }> {
  const user = actor.id === null ? undefined : await findUserById(db, actor.id)
  const grants = user && !user.disabled ? await rolesOfUser(db, user.id) : []
  return {
    roles: grants.map((g) => g.role),
    reviewLevel: grants.find((g) => g.role === 'reviewer')?.reviewLevel ?? null,
  }
}
