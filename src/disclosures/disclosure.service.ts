import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { findAgencyById } from '../agencies/agency.store.ts'
import { formatShanghai, isoNow } from '../clock.ts'
import type { Finding, KnownPerson } from '../confidentiality/scan-rules.ts'
import type { Deps } from '../deps.ts'
import { editedBy } from '../reviews/review.ts'
import { AppError } from '../errors.ts'
import { rescanItem, scanFindings, standingFindings } from './item-scan.ts'
import type { Executor } from '../storage/database.ts'
import { indexItemText, unindexItem } from '../search/search.store.ts'
import { formatIndexNumber, indexPrefix } from './column-tree.ts'
import { bodyText, sanitizeBody, shownBody, shownBodyKey } from './rich-text.ts'
import { readIndexFormat } from './index-format.ts'
import type { ItemInput } from './disclosure.ts'
import {
  dueItemsQuery,
  findAttachment,
  findColumn,
  findItem,
  insertItem,
  listChannels,
  nextSerial,
  saveShownBody,
  updateItemRow,
} from './disclosure.store.ts'
import { listUnits } from '../agencies/agency.store.ts'
import { assertHoldsRole } from '../accounts/authority.service.ts'
import { relatedItemIds } from '../portal/interpretations.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import { allowedType, cleanFileName, storeFile } from '../files/file-store.ts'
import { withoutImageMetadata } from '../files/image-metadata.ts'
import { checkPdf, isPdf } from '../files/pdf-limits.ts'
import { refuseMalware } from '../files/malware-scan.ts'
import type { ItemRow } from './disclosure.store.ts'

// The path of an item from draft to the public (条例 arts. 19–26; issue #4): review before
// publishing, the confidentiality scan that blocks by default, and withdrawal with a public notice.

type Staff = Actor & { id: number; agencyId: number }

const shanghaiYear = (d: Date) => Number(d.toLocaleString('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }))

const columnsOf = (input: ItemInput) => ({
  unit_id: input.unitId ?? null,
  primary_channel_id: input.primaryChannelId ?? null,
  title: input.title,
  doc_number: input.docNumber ?? null,
  written_on: input.writtenOn ?? null,
  formed_on: input.formedOn,
  topic: input.topic ?? null,
  genre: input.genre ?? null,
  keywords: input.keywords ?? null,
  summary: input.summary ?? null,
  body: sanitizeBody(input.body),
  doc_kind: input.docKind ?? null,
  validity: input.validity,
  effective_on: input.effectiveOn ?? null,
  repealed_on: input.repealedOn ?? null,
  lapsed_on: input.lapsedOn ?? null,
})

async function assertOwnColumn(trx: Executor, actor: Staff, columnId: number, input?: ItemInput) {
  const column = await findColumn(trx, columnId)
  if (!column || column.agency_id !== actor.agencyId)
    throw new AppError('invalid_input', '栏目不存在', { columnId: '请选择本机关的栏目' })
  if (input?.unitId && !(await listUnits(trx, actor.agencyId)).some((u) => u.id === input.unitId)) {
    throw new AppError('invalid_input', '报送单位不存在', { unitId: '请选择本机关的单位' })
  }
  if (
    input?.primaryChannelId &&
    !(await listChannels(trx, actor.agencyId)).some((c) => c.id === input.primaryChannelId)
  ) {
    throw new AppError('invalid_input', '发布渠道不存在', { primaryChannelId: '请选择本机关的渠道' })
  }
}

/** A new draft; its 索引号 is issued now and never changes (law-and-format.md §5.3). */
export async function createItem(deps: Deps, actor: Staff, input: ItemInput): Promise<number> {
  const id = await deps.db.transaction().execute(async (trx) => {
    await assertOwnColumn(trx, actor, input.columnId, input)
    const agency = await findAgencyById(trx, actor.agencyId)
    if (!agency) throw new AppError('not_found', '所属机关不存在')
    const now = deps.clock.now()
    const year = shanghaiYear(now)
    const format = await readIndexFormat(trx, agency.id)
    const month = Number(formatShanghai(now.toISOString()).slice(5, 7))
    const indexNumber = formatIndexNumber(
      indexPrefix(format, agency.creditCode),
      year,
      await nextSerial(trx, agency.id, year),
      format.period === 'month' ? month : undefined,
    )
    const id = await insertItem(trx, {
      agency_id: agency.id,
      column_id: input.columnId,
      index_number: indexNumber,
      ...columnsOf(input),
      status: 'draft',
      findings: null,
      cleared_findings: null,
      withdrawn_reason: null,
      created_by: actor.id,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      published_at: null,
      published_by: null,
    })
    await appendAudit(deps, trx, actor, {
      action: 'item.create',
      objectType: 'item',
      objectId: id,
      result: 'success',
      detail: { indexNumber, title: input.title },
    })
    return id
  })
  await rescanItem(deps, id)
  return id
}

export async function findOwnItem(deps: Deps, actor: Staff, id: number, db: Executor = deps.db): Promise<ItemRow> {
  const item = await findItem(db, id)
  if (!item || item.agency_id !== actor.agencyId) throw new AppError('not_found', '信息不存在')
  return item
}

/** Only a draft is edited; an item returned from review is a draft again (IN-06: an edit never keeps approvals). */
export async function updateItem(deps: Deps, actor: Staff, id: number, input: ItemInput): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const item = await findOwnItem(deps, actor, id, trx)
    if (item.status !== 'draft')
      throw new AppError('invalid_transition', '只有草稿可以修改；审核中或已发布的信息不能修改')
    await assertOwnColumn(trx, actor, input.columnId, input)
    await updateItemRow(trx, id, {
      column_id: input.columnId,
      ...columnsOf(input),
      ...editedBy(item, actor.id),
      updated_at: isoNow(deps.clock),
    })
    await appendAudit(deps, trx, actor, { action: 'item.update', objectType: 'item', objectId: id, result: 'success' })
  })
  await rescanItem(deps, id)
}

export { cleanFileName }

/** Attaches a file to a draft: allowed types only, checked by name and content; stored outside the web root. */
export async function addAttachment(
  deps: Deps,
  actor: Staff,
  itemId: number,
  rawName: string,
  bytes: Buffer,
): Promise<number> {
  const fileName = cleanFileName(rawName)
  const type = allowedType(fileName, bytes)
  if (!type)
    throw new AppError('invalid_input', '附件仅支持 PDF、DOCX、XLSX、JPG、PNG，且文件内容须与扩展名一致', {
      file: '附件类型不允许或内容与扩展名不符',
    })
  // A PDF the scan could never read (encrypted, or past a parse limit) is refused before it is stored (issue #14).
  if (isPdf(bytes)) checkPdf(bytes, deps.config.parseLimits, 'head')
  const item = await findOwnItem(deps, actor, itemId)
  if (item.status !== 'draft') throw new AppError('invalid_transition', '只有草稿可以添加附件')
  await refuseMalware(deps, actor, 'item', itemId, fileName, bytes)
  // Published images lose their metadata (EXIF GPS, camera, names) before they are stored (FILE-05).
  const stored = storeFile(deps.config.dataDir, withoutImageMetadata(type, bytes), deps.clock.now())
  const attachmentId = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('attachments')
      .values({
        item_id: itemId,
        agency_id: item.agency_id,
        file_name: fileName,
        content_type: type,
        size: stored.size,
        sha256: stored.sha256,
        storage_key: stored.key,
        created_at: isoNow(deps.clock),
        created_by: actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (item.created_by !== actor.id) await updateItemRow(trx, itemId, editedBy(item, actor.id))
    await appendAudit(deps, trx, actor, {
      action: 'item.attach',
      objectType: 'item',
      objectId: itemId,
      result: 'success',
      detail: { file: fileName, size: stored.size, sha256: stored.sha256 },
    })
    return row.id
  })
  await rescanItem(deps, itemId)
  return attachmentId
}

export async function removeAttachment(deps: Deps, actor: Staff, itemId: number, attachmentId: number): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const item = await findOwnItem(deps, actor, itemId, trx)
    if (item.status !== 'draft') throw new AppError('invalid_transition', '只有草稿可以删除附件')
    const row = await findAttachment(trx, itemId, attachmentId)
    if (!row) throw new AppError('not_found', '附件不存在')
    await trx.deleteFrom('attachments').where('id', '=', attachmentId).execute()
    if (item.created_by !== actor.id) await updateItemRow(trx, itemId, editedBy(item, actor.id))
    await appendAudit(deps, trx, actor, {
      action: 'item.detach',
      objectType: 'item',
      objectId: itemId,
      result: 'success',
      detail: { file: row.file_name },
    })
  })
  await rescanItem(deps, itemId)
}

export type PublishOutcome = { published: true } | { published: false; findings: Finding[]; quarantined: boolean }

/**
 * Publishes an approved item at the server's time (never typed in, never back-dated). The scan runs
 * first and blocks by default; a secret marking quarantines the item and is reported to the office
 * head through the audit log.
 */
export async function publishItem(
  deps: Deps,
  actor: Staff,
  id: number,
  known?: readonly KnownPerson[],
): Promise<PublishOutcome> {
  // 先审后发: publishing is the publisher's act (条例 art. 17 puts review before release), whoever calls.
  await assertHoldsRole(deps.db, actor, ['publisher'], '发布信息')
  const item = await findOwnItem(deps, actor, id)
  if (item.status !== 'approved') throw new AppError('invalid_transition', '信息须经各级审核通过后才能发布（先审后发）')
  const standing = standingFindings(item, await scanFindings(deps, deps.db, item, known))
  return deps.db.transaction().execute(async (trx) => {
    const now = isoNow(deps.clock)
    if (standing.length > 0) {
      const findings = standing
      const quarantined = findings.some((f) => !f.clearable)
      await updateItemRow(trx, id, {
        findings: JSON.stringify(findings),
        status: quarantined ? 'quarantined' : item.status,
        updated_at: now,
      })
      await appendAudit(deps, trx, actor, {
        action: quarantined ? 'item.quarantine' : 'item.scan_block',
        objectType: 'item',
        objectId: id,
        result: 'denied',
        detail: { findings: findings.map((f) => ({ kind: f.kind, surface: f.surface, masked: f.masked })) },
      })
      return { published: false as const, findings, quarantined }
    }
    // Publication on the portal is automatic and recorded like any channel's; the portal is the
    // primary channel unless the item names another.
    const portal = (await listChannels(trx, item.agency_id)).find((c) => c.kind === 'portal')
    // An item imported from an old site that the scan held (item-import.ts) keeps the date it was first published
    // there, on the channel it came from, once cleared; anything else is published at the server's time.
    const imported = item.source === 'imported' && item.published_at !== null
    const when = imported ? item.published_at! : now
    const channelId = imported ? (item.primary_channel_id ?? portal?.id) : portal?.id
    // Only one publication wins, whichever process or scheduler gets there first.
    const moved = await trx
      .updateTable('items')
      .set({
        status: 'published',
        findings: null,
        published_at: when,
        published_by: actor.id,
        updated_at: now,
        scheduled_at: null,
        primary_channel_id: item.primary_channel_id ?? portal?.id ?? null,
      })
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .executeTakeFirst()
    if (Number(moved.numUpdatedRows) !== 1) throw new AppError('invalid_transition', '该信息已发布或状态已变化')
    if (channelId !== undefined)
      await trx
        .insertInto('item_channels')
        .values({
          item_id: id,
          channel_id: channelId,
          published_at: when,
          link: null,
          recorded_by: actor.id,
          recorded_at: now,
        })
        .execute()
    await indexItemText(trx, deps.kind, id, when, searchableText(item))
    // The page's body is made now, not by the first visitor's request (a write on a public GET; issue #15).
    await saveShownBody(trx, id, shownBody(item.body), shownBodyKey(item.body))
    // Its page, and the pages on the other side of its 政策解读 relation, which now list it.
    await publicContentChanged(trx, { itemPages: () => withRelated(deps, trx, item) })
    await appendAudit(deps, trx, actor, {
      action: 'item.publish',
      objectType: 'item',
      objectId: id,
      result: 'success',
      detail: { indexNumber: item.index_number },
    })
    return { published: true as const }
  })
}

/**
 * Records that a published item also went out on another channel (a WeChat account, the credit site …): when, where, by
 * whom.
 */
export async function recordChannelPublication(
  deps: Deps,
  actor: Staff,
  id: number,
  channelId: number,
  publishedOn: string,
  link: string | null,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const item = await findOwnItem(deps, actor, id, trx)
    if (item.status !== 'published') throw new AppError('invalid_transition', '信息发布后才能登记其他渠道的发布情况')
    const channel = (await listChannels(trx, item.agency_id)).find((c) => c.id === channelId)
    if (!channel || channel.kind === 'portal')
      throw new AppError('invalid_input', '请选择门户网站以外的渠道', { channelId: '请选择门户网站以外的渠道' })
    const now = deps.clock.now()
    if (
      new Date(`${publishedOn}T00:00:00+08:00`) > now ||
      publishedOn < formatShanghai(item.published_at!).slice(0, 10)
    ) {
      throw new AppError('invalid_input', '发布日期应在门户网站发布之后、今天及以前', {
        publishedOn: '发布日期应在门户网站发布之后、今天及以前',
      })
    }
    await trx.deleteFrom('item_channels').where('item_id', '=', id).where('channel_id', '=', channelId).execute()
    await trx
      .insertInto('item_channels')
      .values({
        item_id: id,
        channel_id: channelId,
        published_at: new Date(`${publishedOn}T00:00:00+08:00`).toISOString(),
        link,
        recorded_by: actor.id,
        recorded_at: now.toISOString(),
      })
      .execute()
    await appendAudit(deps, trx, actor, {
      action: 'item.channel',
      objectType: 'item',
      objectId: id,
      result: 'success',
      detail: { channel: channel.name, publishedOn, link },
    })
  })
}

/**
 * A published document is repealed or lapses: it stays published, marked so (issue #4), and the
 * annual report's 二(一) counts it from that date. A metadata change, audited, not a new review.
 */
export async function changeValidity(
  deps: Deps,
  actor: Staff,
  id: number,
  validity: 'repealed' | 'lapsed',
  on: string,
): Promise<void> {
  await assertHoldsRole(deps.db, actor, ['publisher', 'office_head'], '标注信息废止或失效')
  await deps.db.transaction().execute(async (trx) => {
    const item = await findOwnItem(deps, actor, id, trx)
    if (item.status !== 'published') throw new AppError('invalid_transition', '只有已发布的信息可以标注废止或失效')
    if (on < (item.written_on ?? item.formed_on))
      throw new AppError('invalid_input', '废止或失效日期不能早于成文日期', { on: '废止或失效日期不能早于成文日期' })
    await updateItemRow(
      trx,
      id,
      validity === 'repealed'
        ? { validity, repealed_on: on, updated_at: isoNow(deps.clock) }
        : { validity, lapsed_on: on, updated_at: isoNow(deps.clock) },
    )
    // Only its own page shows its validity.
    await publicContentChanged(trx, { itemPages: async () => [id] })
    await appendAudit(deps, trx, actor, {
      action: 'item.validity',
      objectType: 'item',
      objectId: id,
      result: 'success',
      detail: { validity, on },
    })
  })
}

/** Schedules an approved item to be published at a later time (the server publishes it then, at its own time). */
export async function schedulePublication(deps: Deps, actor: Staff, id: number, at: string | null): Promise<void> {
  await assertHoldsRole(deps.db, actor, ['publisher'], '设置定时发布')
  await deps.db.transaction().execute(async (trx) => {
    const item = await findOwnItem(deps, actor, id, trx)
    if (item.status !== 'approved') throw new AppError('invalid_transition', '只有审核通过的信息可以定时发布')
    if (at !== null && new Date(at) <= deps.clock.now())
      throw new AppError('invalid_input', '定时发布的时间应晚于现在', { at: '定时发布的时间应晚于现在' })
    await updateItemRow(trx, id, {
      scheduled_at: at,
      scheduled_by: at ? actor.id : null,
      updated_at: isoNow(deps.clock),
    })
    await appendAudit(deps, trx, actor, {
      action: at ? 'item.schedule' : 'item.unschedule',
      objectType: 'item',
      objectId: id,
      result: 'success',
      detail: { at },
    })
  })
}

/** Publishes every approved item whose scheduled time has come, as the publisher who scheduled it. */
export async function publishDueItems(deps: Deps): Promise<number> {
  // One seek in items_due (status, scheduled_at): the round every 30 s no longer reads the whole table (issue #15).
  const due = await dueItemsQuery(deps.db, isoNow(deps.clock)).execute()
  let published = 0
  for (const d of due) {
    // Each publication is a few synchronous statements on SQLite: the event loop is given back between items, so a
    // round of many due items never holds the server (issue #15).
    await new Promise<void>((resolve) => setImmediate(resolve))
    const actor = {
      id: d.scheduled_by!,
      name: `${d.display_name}（${d.username}，定时发布）`,
      roles: ['publisher'],
      agencyId: d.agency_id,
      ip: 'scheduler',
    }
    try {
      const outcome = await publishItem(deps, actor, d.id)
      if (outcome.published) published++
    } catch (e) {
      if (!(e instanceof AppError)) throw e // another process published it first, or it changed meanwhile
    }
  }
  return published
}

/** An item and the items whose pages show it as their 解读 or as the policy they interpret. */
async function withRelated(deps: Deps, db: Executor, item: ItemRow): Promise<number[] | 'all'> {
  const related = await relatedItemIds(db, deps.kind, item)
  return related === 'all' ? 'all' : [item.id, ...related]
}

/** Withdrawal needs a reason; the item's page then carries a public notice of the change instead of the content. */
export async function withdrawItem(deps: Deps, actor: Staff, id: number, reason: string): Promise<void> {
  if (!reason.trim()) throw new AppError('invalid_input', '撤回须写明理由', { reason: '撤回须写明理由' })
  await assertHoldsRole(deps.db, actor, ['publisher', 'office_head'], '撤回信息')
  await deps.db.transaction().execute(async (trx) => {
    const item = await findOwnItem(deps, actor, id, trx)
    if (item.status !== 'published') throw new AppError('invalid_transition', '只有已发布的信息可以撤回')
    await updateItemRow(trx, id, {
      status: 'withdrawn',
      withdrawn_reason: reason.trim(),
      updated_at: isoNow(deps.clock),
    })
    if (item.published_at) await unindexItem(trx, deps.kind, id, item.published_at)
    // Its page, and the pages on the other side of its 政策解读 relation, which no longer list it.
    await publicContentChanged(trx, { itemPages: () => withRelated(deps, trx, item) })
    await appendAudit(deps, trx, actor, {
      action: 'item.withdraw',
      objectType: 'item',
      objectId: id,
      result: 'success',
      detail: { reason: reason.trim() },
    })
  })
}

/** What search finds an item by: its title, number, keywords, summary and body. */
export const searchableText = (item: Pick<ItemRow, 'title' | 'doc_number' | 'keywords' | 'summary' | 'body'>) =>
  [item.title, item.doc_number, item.keywords, item.summary, bodyText(item.body)].filter(Boolean).join('\n')

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * Indexes again the published items listed in search_repair (those a migration found missing from the search index)
 * and empties the list; returns how many. Run at the server's start: the list is empty but after such a migration.
 */
export async function repairSearchIndex(deps: Deps): Promise<number> {
  const listed = await deps.db.selectFrom('search_repair').select('item_id').execute()
  let repaired = 0
  for (const { item_id } of listed)
    await deps.db.transaction().execute(async (trx) => {
      const item = await trx.selectFrom('items').selectAll().where('id', '=', item_id).executeTakeFirst()
      if (item?.status === 'published' && item.published_at) {
        await indexItemText(trx, deps.kind, item.id, item.published_at, searchableText(item))
        repaired++
      }
      await trx.deleteFrom('search_repair').where('item_id', '=', item_id).execute()
    })
  return repaired
}
