import type { StaffUser } from '../accounts/account.ts'
import type { StaffActor } from '../audit/audit.ts'
import type { Deps } from '../deps.ts'
import { countPublications } from '../disclosures/counts.ts'
import type { Counts } from '../disclosures/counts.ts'
import { reviewViewFor } from '../reviews/review.service.ts'
import { editorsOf } from '../reviews/review.ts'
import type { CheckResult } from './report-checks.ts'
import { checkStored, findOwnReport } from './report.service.ts'
import type { StoredReport } from './report.store.ts'

// What the console's report page reads: the report of the actor's agency, its check, its review
// section as `user` sees it, and the year's publication counts the narrative quotes.

export type ReportPageData = {
  stored: StoredReport
  check: CheckResult
  review: Awaited<ReturnType<typeof reviewViewFor>>
  counts: Counts
}

export async function reportPageOf(
  deps: Deps,
  actor: StaffActor,
  user: StaffUser,
  id: number,
): Promise<ReportPageData> {
  const stored = await findOwnReport(deps, actor, id)
  const check = await checkStored(deps, stored)
  const subject = {
    objectType: 'annual_report',
    objectId: stored.id,
    agencyId: stored.agency_id,
    authorId: stored.created_by,
    editorIds: editorsOf(stored.editors),
    round: stored.review_round,
  }
  const review = await reviewViewFor(deps.db, subject, user)
  const counts = await countPublications(deps.db, stored.agency_id, `${stored.year}-01-01`, `${stored.year}-12-31`)
  return { stored, check, review, counts }
}
