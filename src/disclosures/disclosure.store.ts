import type { Selectable } from 'kysely'
import { sql } from 'kysely'
import type { ChannelTable, ColumnTable, Executor, ItemTable } from '../storage/database.ts'
import { standardColumns } from './column-tree.ts'
import type { ColumnDef } from './column-tree.ts'

export type ColumnRow = Selectable<ColumnTable>
export type ItemRow = Selectable<ItemTable>
export type ChannelRow = Selectable<ChannelTable>

/** A new agency's standard column tree and its portal channel. */
export async function seedColumns(trx: Executor, agencyId: number, at: string): Promise<void> {
  await insertColumnTree(trx, agencyId, standardColumns, null, at)
  // Every agency publishes on the portal; other channels are added by the agency.
  await trx
    .insertInto('channels')
    .values({ agency_id: agencyId, name: '门户网站', kind: 'portal', created_at: at })
    .execute()
}

async function insertColumnTree(
  trx: Executor,
  agencyId: number,
  tree: readonly ColumnDef[],
  parentId: number | null,
  at: string,
): Promise<void> {
  let sort = 0
  for (const col of tree) {
    sort += 10
    const row = await trx
      .insertInto('columns')
      .values({
        agency_id: agencyId,
        parent_id: parentId,
        name: col.name,
        class: col.class,
        article20_item: col.article20Item ?? null,
        sort,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (col.children) await insertColumnTree(trx, agencyId, col.children, row.id, at)
  }
}

export async function listChannels(db: Executor, agencyId: number): Promise<ChannelRow[]> {
  return db.selectFrom('channels').selectAll().where('agency_id', '=', agencyId).orderBy('id').execute()
}

export async function insertChannel(trx: Executor, row: Omit<ChannelRow, 'id'>): Promise<number> {
  const inserted = await trx.insertInto('channels').values(row).returning('id').executeTakeFirstOrThrow()
  return inserted.id
}

export async function listItemChannels(db: Executor, itemId: number) {
  return db
    .selectFrom('item_channels')
    .innerJoin('channels', 'channels.id', 'item_channels.channel_id')
    .select([
      'item_channels.channel_id',
      'item_channels.published_at',
      'item_channels.link',
      'channels.name',
      'channels.kind',
    ])
    .where('item_id', '=', itemId)
    .orderBy('item_channels.published_at')
    .execute()
}

export async function listColumns(db: Executor, agencyId: number): Promise<ColumnRow[]> {
  return db
    .selectFrom('columns')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .orderBy('parent_id', 'asc')
    .orderBy('sort')
    .execute()
}

export async function insertColumn(trx: Executor, row: Omit<ColumnRow, 'id'>): Promise<number> {
  const inserted = await trx.insertInto('columns').values(row).returning('id').executeTakeFirstOrThrow()
  return inserted.id
}

export async function renameColumnRow(trx: Executor, id: number, name: string): Promise<void> {
  await trx.updateTable('columns').set({ name }).where('id', '=', id).execute()
}

export async function findColumn(db: Executor, id: number): Promise<ColumnRow | undefined> {
  return db.selectFrom('columns').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The next serial of an agency-year, taken under the write lock so that no two items share one. */
export async function nextSerial(trx: Executor, agencyId: number, year: number): Promise<number> {
  await trx
    .insertInto('index_serials')
    .values({ agency_id: agencyId, year, last: 0 })
    .onConflict((oc) => oc.columns(['agency_id', 'year']).doNothing())
    .execute()
  const row = await trx
    .updateTable('index_serials')
    .set({ last: sql`last + 1` })
    .where('agency_id', '=', agencyId)
    .where('year', '=', year)
    .returning('last')
    .executeTakeFirstOrThrow()
  return row.last
}

export async function insertItem(
  trx: Executor,
  row: Omit<
    ItemRow,
    'id' | 'review_round' | 'source' | 'scheduled_at' | 'scheduled_by' | 'editors' | 'shown_body' | 'shown_body_key'
  >,
): Promise<number> {
  const r = await trx.insertInto('items').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

export async function updateItemRow(trx: Executor, id: number, changes: Partial<Omit<ItemRow, 'id'>>): Promise<void> {
  await trx.updateTable('items').set(changes).where('id', '=', id).execute()
}

/** Keeps the page body made from the item's body (rich-text.ts shownBodyKey); its other columns are left as they are. */
export async function saveShownBody(db: Executor, id: number, html: string, key: string): Promise<void> {
  await db.updateTable('items').set({ shown_body: html, shown_body_key: key }).where('id', '=', id).execute()
}

export async function findItem(db: Executor, id: number): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst()
}

/** What narrows the agency's list of items: words of the title, 索引号 or 文号; the columns; the status. */
export type AgencyItemFilter = {
  text?: string | undefined
  columnIds?: readonly number[] | undefined
  status?: string | undefined
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

function agencyItemsQuery(db: Executor, agencyId: number, f: AgencyItemFilter) {
  let q = db.selectFrom('items').where('agency_id', '=', agencyId)
  if (f.text) {
    // Case-insensitive on both engines (PostgreSQL's like is not): 索引号 and 文号 may hold Latin letters.
    const like = `%${escapeLike(f.text.toUpperCase())}%`
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`upper(title) like ${like} escape '\\'`,
        sql<boolean>`upper(index_number) like ${like} escape '\\'`,
        sql<boolean>`upper(doc_number) like ${like} escape '\\'`,
      ]),
    )
  }
  if (f.columnIds) q = q.where('column_id', 'in', [...f.columnIds])
  if (f.status) q = q.where('status', '=', f.status)
  return q
}

/** One page of the agency's items, last changed first. */
export async function listItemsOfAgency(
  db: Executor,
  agencyId: number,
  f: AgencyItemFilter = {},
  page: { limit: number; offset: number } = { limit: 50, offset: 0 },
): Promise<ItemRow[]> {
  return agencyItemsQuery(db, agencyId, f)
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

/** How many of the agency's items match the filter. */
export async function countItemsOfAgency(db: Executor, agencyId: number, f: AgencyItemFilter = {}): Promise<number> {
  const row = await agencyItemsQuery(db, agencyId, f)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Public items of a column (published, or withdrawn with its notice), newest first. */
export async function listPublicItems(db: Executor, columnId: number, limit = 50): Promise<ItemRow[]> {
  // The newest of each status read from the (column_id, status, published_at) index alone and merged,
  // then only those rows fetched: `status in (…) order by published_at` cannot be read from that index
  // in order, and PostgreSQL answered it with a parallel scan and sort of the whole table (~500 ms at
  // 300,000 items; issue #15).
  const newest = (status: 'published' | 'withdrawn') =>
    db
      .selectFrom('items')
      .select(['id', 'published_at'])
      .where('column_id', '=', columnId)
      .where('status', '=', status)
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
  const shown = db
    .selectFrom(
      db
        .selectFrom(newest('published').as('p'))
        .selectAll()
        .unionAll(db.selectFrom(newest('withdrawn').as('w')).selectAll())
        .as('u'),
    )
    .select('u.id')
    .orderBy('u.published_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(limit)
  return db
    .selectFrom('items')
    .selectAll()
    .where('id', 'in', shown)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

/** A place in the catalogue's order (published_at, then id, both descending): where a page starts or ends. */
export type CatalogueKey = { published_at: string; id: number }

/**
 * Items after `key` in the catalogue's order ('older'), or before it ('newer'). A row-value comparison, so that both
 * engines seek in the (…, published_at, id) index instead of filtering.
 */
const newerThan = (key: { published_at: string | null; id: number }, side: 'older' | 'newer') =>
  side === 'older'
    ? sql<boolean>`(published_at, id) < (${key.published_at}, ${key.id})`
    : sql<boolean>`(published_at, id) > (${key.published_at}, ${key.id})`

/** Gives the event loop back for a turn, between the slices of a long piece of work. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Each column of an agency with its published count and last publication, for column health. Per column: the last
 * date is one seek in (column_id, status, published_at, id); the count hops through that index `countStep` entries at
 * a time and gives the event loop back between hops and columns, so a column of a million items never holds it
 * (issue #15).
 */
export async function columnStats(db: Executor, agencyId: number, countStep = 10_000) {
  const columns = await listColumns(db, agencyId)
  const stats = []
  for (const c of columns) {
    await yieldToEventLoop()
    const last = await db
      .selectFrom('items')
      .select(['published_at', 'id'])
      .where('column_id', '=', c.id)
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    stats.push({
      id: c.id,
      name: c.name,
      class: c.class,
      lastPublishedAt: last?.published_at ?? null,
      published: last ? await countPublishedInColumn(db, c.id, countStep) : 0,
      hasChildren: columns.some((x) => x.parent_id === c.id),
    })
  }
  return stats
}

/** How many published items a column holds, counted `step` index entries at a time, yielding between steps. */
async function countPublishedInColumn(db: Executor, columnId: number, step: number): Promise<number> {
  let n = 0
  let after: CatalogueKey | undefined
  for (;;) {
    // The key `step` entries on: when there is one, exactly `step` entries lie before it.
    const hop = await columnHopQuery(db, columnId, step, after).executeTakeFirst()
    if (!hop?.published_at) {
      const rest = publishedInColumn(db, columnId, after).select((eb) => eb.fn.countAll<number | string>().as('n'))
      return n + Number((await rest.executeTakeFirstOrThrow()).n)
    }
    n += step
    after = { published_at: hop.published_at, id: hop.id }
    await yieldToEventLoop()
  }
}

const publishedInColumn = (db: Executor, columnId: number, after: CatalogueKey | undefined) => {
  const q = db.selectFrom('items').where('column_id', '=', columnId).where('status', '=', 'published')
  return after ? q.where(newerThan(after, 'older')) : q
}

/** The key `step` published entries of a column after `after`: one hop of the column's count. */
export const columnHopQuery = (db: Executor, columnId: number, step: number, after?: CatalogueKey) =>
  publishedInColumn(db, columnId, after)
    .select(['published_at', 'id'])
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .offset(step - 1)
    .limit(1)

/** Approved items whose scheduled time has come, with who scheduled them, in the order they came due. */
export const dueItemsQuery = (db: Executor, now: string) =>
  db
    .selectFrom('items')
    .innerJoin('users', 'users.id', 'items.scheduled_by')
    .select(['items.id', 'items.agency_id', 'items.scheduled_by', 'users.display_name', 'users.username'])
    .where('items.status', '=', 'approved')
    .where('items.scheduled_at', '<=', now)
    .orderBy('items.scheduled_at')

export async function listAttachments(db: Executor, itemId: number) {
  return db.selectFrom('attachments').selectAll().where('item_id', '=', itemId).orderBy('id').execute()
}

export async function findAttachment(db: Executor, itemId: number, id: number) {
  return db.selectFrom('attachments').selectAll().where('item_id', '=', itemId).where('id', '=', id).executeTakeFirst()
}

export type CatalogueFilter = {
  agencyId?: number | undefined
  columnId?: number | undefined
  genre?: string | undefined
  year?: number | undefined
}

/**
 * Published items under a catalogue filter. Every combination the portal offers has an index that starts with its
 * equalities and ends with (published_at, id): agency or column, with or without genre.
 */
function catalogueEqualities(db: Executor, f: CatalogueFilter) {
  let q = db.selectFrom('items').where('status', '=', 'published')
  if (f.columnId) q = q.where('column_id', '=', f.columnId)
  if (f.agencyId) q = q.where('agency_id', '=', f.agencyId)
  if (f.genre) q = q.where('genre', '=', f.genre)
  return q
}

/** Published items under a catalogue filter, the year as a range of published_at. */
export function catalogueQuery(db: Executor, f: CatalogueFilter) {
  const q = catalogueEqualities(db, f)
  return f.year ? q.where('published_at', '>=', `${f.year}-01-01`).where('published_at', '<', `${f.year + 1}-01-01`) : q
}

export type CataloguePosition = { after?: CatalogueKey | undefined; before?: CatalogueKey | undefined }

/**
 * The query of a catalogue page (see listCatalogue); `before` reads upwards, oldest of the page first. The year and
 * the key bound published_at once from each side at most: the key replaces the year's bound on its side when it lies
 * inside the year. (SQLite without statistics takes three range terms on published_at for a narrow range and walks
 * the status-only index past every other filter.)
 */
export function cataloguePageQuery(db: Executor, f: CatalogueFilter, limit: number, from: CataloguePosition = {}) {
  let q = catalogueEqualities(db, f).selectAll()
  const start = f.year ? `${f.year}-01-01` : undefined
  const end = f.year ? `${f.year + 1}-01-01` : undefined
  const after = from.before ? undefined : from.after
  const before = from.before
  if (after && (!end || after.published_at < end)) q = q.where(newerThan(after, 'older'))
  else if (end) q = q.where('published_at', '<', end)
  if (before && (!start || before.published_at >= start)) q = q.where(newerThan(before, 'newer'))
  else if (start) q = q.where('published_at', '>=', start)
  if (before) return q.orderBy('published_at', 'asc').orderBy('id', 'asc').limit(limit)
  return q.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit)
}

/**
 * A page of the catalogue, newest first: the first `limit` items, or those just after `from.after` (older), or just
 * before `from.before` (newer; returned newest first too). Keyset paging: page 500 costs what page 1 costs.
 */
export async function listCatalogue(
  db: Executor,
  f: CatalogueFilter,
  limit = 50,
  from: CataloguePosition = {},
): Promise<ItemRow[]> {
  const rows = await cataloguePageQuery(db, f, limit, from).execute()
  return from.before ? rows.reverse() : rows
}

/**
 * Items of an agency made on the platform and not withdrawn — what 条例 art. 26's time limit applies to — by id, the
 * first `limit` after `after`: a slice of them (an agency of 500,000 items read at once held the server for seconds).
 * The primary key is walked: `+agency_id` keeps SQLite from items_agency_published, which with bound values it took and
 * then sorted the agency's every remaining item for each slice (fresh-eyes review).
 */
export async function listTimelinessItems(db: Executor, agencyId: number, after: number, limit: number) {
  return db
    .selectFrom('items')
    .select(['id', 'title', 'formed_on', 'published_at', 'status', 'source'])
    .where('id', '>', after)
    .where(sql<number>`+agency_id`, '=', agencyId)
    .where('status', 'in', ['draft', 'in_review', 'approved', 'published'])
    .where('source', '=', 'platform')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** The ids of published items in (from, to], ascending, at most `limit`: one slice of a sitemap. */
export async function listPublishedItemIds(db: Executor, from: number, to: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('items')
    .select('id')
    .where('status', '=', 'published')
    .where('id', '>', from)
    .where('id', '<=', to)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** The smallest id of a published item above `from`, if any: how the sitemap index skips empty id ranges. */
export async function nextPublishedItemId(db: Executor, from: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('items')
    .select('id')
    .where('status', '=', 'published')
    .where('id', '>', from)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  return row?.id
}
