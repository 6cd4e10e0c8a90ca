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
  row: Omit<ItemRow, 'id' | 'review_round' | 'source' | 'scheduled_at' | 'scheduled_by' | 'editors'>,
): Promise<number> {
  const r = await trx.insertInto('items').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

export async function updateItemRow(trx: Executor, id: number, changes: Partial<Omit<ItemRow, 'id'>>): Promise<void> {
  await trx.updateTable('items').set(changes).where('id', '=', id).execute()
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

/** Each column of an agency with its published count and last publication, for column health. */
export async function columnStats(db: Executor, agencyId: number) {
  const columns = await listColumns(db, agencyId)
  const rows = await db
    .selectFrom('items')
    .select((eb) => ['column_id', eb.fn.max('published_at').as('last'), eb.fn.countAll<number>().as('n')])
    .where('agency_id', '=', agencyId)
    .where('status', '=', 'published')
    .groupBy('column_id')
    .execute()
  const byColumn = new Map(rows.map((r) => [r.column_id, r]))
  return columns.map((c) => ({
    id: c.id,
    name: c.name,
    class: c.class,
    lastPublishedAt: (byColumn.get(c.id)?.last as string | null | undefined) ?? null,
    published: Number(byColumn.get(c.id)?.n ?? 0),
    hasChildren: columns.some((x) => x.parent_id === c.id),
  }))
}

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
  topic?: string | undefined
}

/** The catalogue: an agency's published items with their metadata, filtered, newest first. */
export async function listCatalogue(db: Executor, f: CatalogueFilter, limit = 50, offset = 0): Promise<ItemRow[]> {
  let q = db.selectFrom('items').selectAll().where('status', '=', 'published')
  if (f.agencyId) q = q.where('agency_id', '=', f.agencyId)
  if (f.columnId) q = q.where('column_id', '=', f.columnId)
  if (f.genre) q = q.where('genre', '=', f.genre)
  if (f.topic) q = q.where('topic', '=', f.topic)
  if (f.year) q = q.where('published_at', '>=', `${f.year}-01-01`).where('published_at', '<', `${f.year + 1}-01-01`)
  return q.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute()
}

/** Every item of an agency made on the platform and not withdrawn, newest first: what 条例 art. 26's time limit applies to. */
export async function listTimelinessItems(db: Executor, agencyId: number) {
  return db
    .selectFrom('items')
    .select(['id', 'title', 'formed_on', 'published_at', 'status', 'source'])
    .where('agency_id', '=', agencyId)
    .where('status', 'in', ['draft', 'in_review', 'approved', 'published'])
    .where('source', '=', 'platform')
    .orderBy('formed_on', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

/** The ids of published items, oldest first, as many as one sitemap holds. */
export async function listPublishedItemIds(db: Executor, limit = 45_000): Promise<number[]> {
  const rows = await db
    .selectFrom('items')
    .select('id')
    .where('status', '=', 'published')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}
