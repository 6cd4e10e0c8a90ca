import type { Executor } from '../storage/database.ts'

// The 工作台's reads: short lists of what waits for someone, across the modules' tables (read only; every change
// still goes through its module's use cases).

export type ItemTodo = {
  id: number
  title: string
  status: string
  created_by: number | null
  editors: string | null
  review_round: number
  findings: string | null
  scheduled_at: string | null
}

/** The agency's items that are not yet public or withdrawn, newest first. */
export async function listUnpublishedItems(db: Executor, agencyId: number): Promise<ItemTodo[]> {
  return db
    .selectFrom('items')
    .select(['id', 'title', 'status', 'created_by', 'editors', 'review_round', 'findings', 'scheduled_at'])
    .where('agency_id', '=', agencyId)
    .where('status', 'in', ['draft', 'in_review', 'approved', 'quarantined'])
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

export type SignatureTodo = { object_id: number; round: number; level: number; decision: string }

/** The item review signatures of the agency, for the rounds in progress. */
export async function listItemSignatures(db: Executor, agencyId: number): Promise<SignatureTodo[]> {
  return db
    .selectFrom('reviews')
    .select(['object_id', 'round', 'level', 'decision'])
    .where('agency_id', '=', agencyId)
    .where('object_type', '=', 'item')
    .execute()
}

export type ApplicationTodo = {
  id: number
  number: string
  status: string | null
  handler_id: number | null
  due_on: string | null
  due_provisional: number
  paused_since: string | null
  received_on: string
}

/** The agency's open applications (办理中 or 等待补正), earliest due first. */
export async function listOpenApplicationsOf(db: Executor, agencyId: number): Promise<ApplicationTodo[]> {
  return db
    .selectFrom('applications')
    .select(['id', 'number', 'status', 'handler_id', 'due_on', 'due_provisional', 'paused_since', 'received_on'])
    .where('agency_id', '=', agencyId)
    .where('status', 'in', ['open', 'correction'])
    .orderBy('due_on')
    .orderBy('id')
    .execute()
}
