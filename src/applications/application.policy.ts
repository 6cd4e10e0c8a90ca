import type { Actor } from '../audit/audit.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import type { ApplicationRow, Executor } from '../storage/database.ts'
import { isOwnApplication } from './application.ts'
import { findApplicationById } from './application.store.ts'

// Who may reach an application: staff reach their own agency's only (AC-03). Another agency's
// application answers "not found", so that its existence is not told either.

/** An application of the actor's own agency, or not found (never another agency's, AC-03). */
export async function findOwnApplication(
  deps: Deps,
  actor: Actor,
  id: number,
  db: Executor = deps.db,
): Promise<ApplicationRow> {
  const application = await findApplicationById(db, id)
  if (!application || !isOwnApplication(actor, application)) throw new AppError('not_found', '申请不存在')
  return application
}
