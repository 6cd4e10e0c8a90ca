import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { findAgencyById, listAgencies } from '../agencies/agency.store.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import { readReviewConfig } from '../reviews/review.service.ts'
import type { ReviewConfig } from '../reviews/review.ts'
import { writeSetting } from '../settings/settings.store.ts'
import type { IndexFormat } from './column-tree.ts'
import { listColumns } from './disclosure.store.ts'
import type { ColumnRow } from './disclosure.store.ts'
import { readGuide } from './guide.ts'
import type { Guide } from './guide.ts'
import { readIndexFormat } from './index-format.ts'

// The office head's settings of proactive disclosure: the 指南's contact data, the review levels and
// the index-number format. The guide and the index format show on the portal, so saving them marks
// the public content changed in the same transaction.

export const guideSettingsOf = (deps: Deps, agencyId: number): Promise<Guide | undefined> =>
  readGuide(deps.db, agencyId)

export const reviewLevelsOf = (deps: Deps, agencyId: number): Promise<ReviewConfig> =>
  readReviewConfig(deps.db, agencyId)

export const indexFormatOf = (deps: Deps, agencyId: number): Promise<IndexFormat> => readIndexFormat(deps.db, agencyId)

/** Saves an agency's guide settings with their audit entry; the portal's guide page changes with them. */
export async function saveGuideSettings(deps: Deps, actor: StaffActor, guide: Guide): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await writeSetting(trx, `guide:${actor.agencyId}`, JSON.stringify(guide), actor.id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'guide.update',
      objectType: 'agency',
      objectId: actor.agencyId,
      result: 'success',
    })
    await publicContentChanged(trx)
  })
}

/** Saves an agency's index-number format with its audit entry; only numbers generated later change. */
export async function saveIndexFormat(deps: Deps, actor: StaffActor, format: IndexFormat): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await writeSetting(trx, `index_format:${actor.agencyId}`, JSON.stringify(format), actor.id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'index_format.update',
      objectType: 'agency',
      objectId: actor.agencyId,
      result: 'success',
      detail: format,
    })
    await publicContentChanged(trx)
  })
}

export type PublicGuide = {
  agencyId: number
  agencyName: string
  /** The agency's kind, which decides its 行政复议机关 (行政复议法 art. 24). */
  agencyKind: string
  /** The region's 政府信息公开工作主管部门 (条例 art. 3), where complaints may go (art. 47). */
  supervisingName: string | undefined
  guide: Guide | undefined
  topColumns: ColumnRow[]
}

/** What the portal's guide page of an agency is generated from. */
export async function publicGuideOf(deps: Deps, agencyId: number): Promise<PublicGuide> {
  const agency = await findAgencyById(deps.db, agencyId)
  if (!agency) throw new AppError('not_found', '机关不存在')
  const guide = await readGuide(deps.db, agencyId)
  const topColumns = (await listColumns(deps.db, agencyId)).filter((c) => c.parent_id === null)
  const supervising = (await listAgencies(deps.db)).find((a) => a.isSupervising)
  return {
    agencyId,
    agencyName: agency.name,
    agencyKind: agency.kind,
    supervisingName: supervising?.name,
    guide,
    topColumns,
  }
}
