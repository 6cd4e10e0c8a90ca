import { listUnits } from '../agencies/agency.store.ts'
import type { StaffUser } from '../accounts/account.ts'
import type { StaffActor } from '../audit/audit.ts'
import { historyOf } from '../audit/audit.service.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { clampPage, offsetOf, pageSize } from '../paging.ts'
import { reviewViewFor } from '../reviews/review.service.ts'
import { editorsOf } from '../reviews/review.ts'
import { findOwnItem } from './disclosure.service.ts'
import {
  countItemsOfAgency,
  findAttachment,
  listAttachments,
  listChannels,
  listColumns,
  listItemChannels,
  listItemsOfAgency,
} from './disclosure.store.ts'
import { publicationTimeliness } from './timeliness.ts'

// What the console's item pages read: the agency's list, the choices an item form offers, and one
// item with everything its page shows (review, channels, attachments, history, time limit).

/** What the list of items is filtered by: words of the title, 索引号 or 文号; a column (with its sub-columns); a status. */
export type ItemListQuery = { text?: string | undefined; columnId?: number | undefined; status?: string | undefined }

/** One page of the agency's items, filtered, with the total and the agency's columns. */
export async function itemsOfAgency(deps: Deps, agencyId: number, query: ItemListQuery = {}, page = 1) {
  const columns = await listColumns(deps.db, agencyId)
  const under = (id: number): number[] => [id, ...columns.filter((c) => c.parent_id === id).flatMap((c) => under(c.id))]
  // A column of another agency matches nothing rather than being ignored.
  const columnIds = query.columnId
    ? columns.some((c) => c.id === query.columnId)
      ? under(query.columnId)
      : [0]
    : undefined
  const filter = { text: query.text, status: query.status, columnIds }
  const total = await countItemsOfAgency(deps.db, agencyId, filter)
  const p = clampPage(page, total)
  const items = await listItemsOfAgency(deps.db, agencyId, filter, { limit: pageSize, offset: offsetOf(p) })
  return { items, total, page: p, columns, columnNames: new Map(columns.map((c) => [c.id, c.name])) }
}

/** The columns, units and channels an item of the agency may be filed under. */
export async function itemChoicesOf(deps: Deps, agencyId: number) {
  return {
    columns: await listColumns(deps.db, agencyId),
    units: await listUnits(deps.db, agencyId),
    channels: await listChannels(deps.db, agencyId),
  }
}

/** One item of the actor's agency with everything its page shows to `user`. */
export async function itemPageOf(deps: Deps, actor: StaffActor, user: StaffUser, id: number) {
  const item = await findOwnItem(deps, actor, id)
  const timeliness = publicationTimeliness(
    await loadCalendar(deps.db),
    item.formed_on,
    item.published_at,
    deps.clock.now(),
  )
  const subject = {
    objectType: 'item',
    objectId: id,
    agencyId: item.agency_id,
    authorId: item.created_by,
    editorIds: editorsOf(item.editors),
    round: item.review_round,
  }
  const review = await reviewViewFor(deps.db, subject, user)
  return {
    item,
    review,
    ...(await itemChoicesOf(deps, item.agency_id)),
    history: await historyOf(deps, 'item', id),
    publications: await listItemChannels(deps.db, id),
    timeliness: item.source === 'platform' ? timeliness : undefined,
    attachments: await listAttachments(deps.db, id),
  }
}

/** An attachment of an item of the actor's agency, whatever the item's status. */
export async function ownAttachmentOf(deps: Deps, actor: StaffActor, id: number, attachmentId: number) {
  await findOwnItem(deps, actor, id)
  const row = await findAttachment(deps.db, id, attachmentId)
  if (!row) throw new AppError('not_found', '附件不存在')
  return row
}
