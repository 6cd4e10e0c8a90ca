import type { Executor } from '../storage/database.ts'

// Queries about decisions the office head looks back on.

export type FlaggedDecision = {
  applicationId: number
  number: string
  decidedOn: string
  actorName: string
}

/**
 * The agency's DENY_THIRD_PARTY decisions made without a recorded third-party consultation and
 * confirmed as such (条例第十五条、第三十二条), newest first. The flag is in the decision's timeline
 * step, written by JSON.stringify, so the same text matches on SQLite and PostgreSQL.
 */
export async function listUnconsultedThirdPartyRefusals(db: Executor, agencyId: number): Promise<FlaggedDecision[]> {
  const rows = await db
    .selectFrom('application_events as e')
    .innerJoin('applications as a', 'a.id', 'e.application_id')
    .select(['a.id as applicationId', 'a.number as number', 'e.on_date as decidedOn', 'e.actor_name as actorName'])
    .where('a.agency_id', '=', agencyId)
    .where('e.kind', '=', 'decided')
    .where('e.detail', 'like', '%"thirdPartyUnconsulted":true%')
    .orderBy('e.on_date', 'desc')
    .orderBy('e.id', 'desc')
    .execute()
  return rows
}
