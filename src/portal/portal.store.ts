import { sql } from 'kysely'
import { catalogueQuery } from '../disclosures/disclosure.store.ts'
import type { CatalogueFilter, ItemRow } from '../disclosures/disclosure.store.ts'
import type { Executor } from '../storage/database.ts'

// The portal's own reads over published items: counts for the catalogue, look-ups by number, the
// latest items of a set of columns and the 政策解读 relation. Published items only, always.

/** The most the catalogue counts exactly; past it the portal says “more than” (as search does). */
export const catalogueCountCap = 10_000

/**
 * How many published items a catalogue filter finds, counted up to `cap` (the catalogue shows the total above its
 * pages): at most `cap` index entries are read, where an exact count of a million would hold the server (issue #15).
 */
export async function countCatalogue(db: Executor, f: CatalogueFilter, cap = catalogueCountCap): Promise<number> {
  const row = await db
    .selectFrom(
      catalogueQuery(db, f)
        .select(sql<number>`1`.as('one'))
        .limit(cap)
        .as('found'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Published items whose 索引号 or 文号 is exactly one of the given spellings. */
export async function findPublishedByNumber(db: Executor, spellings: readonly string[]): Promise<ItemRow[]> {
  if (spellings.length === 0) return []
  return db
    .selectFrom('items')
    .selectAll()
    .where('status', '=', 'published')
    .where((eb) => eb.or([eb('index_number', 'in', spellings), eb('doc_number', 'in', spellings)]))
    .orderBy('published_at', 'desc')
    .limit(20)
    .execute()
}

/** The newest published items of the columns given, at most `limit`, with their column. */
export async function latestInColumns(db: Executor, columnIds: readonly number[], limit: number): Promise<ItemRow[]> {
  if (columnIds.length === 0) return []
  return db
    .selectFrom('items')
    .selectAll()
    .where('status', '=', 'published')
    .where('column_id', 'in', columnIds)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** The ids of every agency's columns of a class (e.g. each agency's 政府信息公开制度 column). */
export async function columnsOfClass(db: Executor, columnClass: string) {
  return db
    .selectFrom('columns')
    .select(['id', 'agency_id', 'name'])
    .where('class', '=', columnClass)
    .orderBy('agency_id')
    .execute()
}

/** The ids of the columns of statutory item n of 条例 art. 20, across the region. */
export async function columnsOfArticle20Item(db: Executor, n: number): Promise<number[]> {
  const rows = await db.selectFrom('columns').select('id').where('article20_item', '=', n).execute()
  return rows.map((r) => r.id)
}

/** Every published item of the columns given (the region's 解读, read once per site generation). */
export async function publishedItemsIn(db: Executor, columnIds: readonly number[]): Promise<ItemRow[]> {
  if (columnIds.length === 0) return []
  return db
    .selectFrom('items')
    .selectAll()
    .where('status', '=', 'published')
    .where('column_id', 'in', columnIds)
    .execute()
}

/** Which of the items given are published in one of the columns given, in chunks of 500 ids. */
export async function publishedItemsOf(
  db: Executor,
  ids: readonly number[],
  columnIds: readonly number[],
): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < ids.length && columnIds.length > 0; i += 500) {
    const rows = await db
      .selectFrom('items')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', '=', 'published')
      .where('column_id', 'in', columnIds)
      .execute()
    out.push(...rows.map((r) => r.id))
  }
  return out
}

/** Published items, outside the columns given, whose 文号 or title is one of those named. */
export async function itemsNamed(
  db: Executor,
  docNumbers: readonly string[],
  titles: readonly string[],
  exceptColumns: readonly number[],
): Promise<ItemRow[]> {
  if (docNumbers.length === 0 && titles.length === 0) return []
  return itemsNamedQuery(db, docNumbers, titles, exceptColumns).execute()
}

/** itemsNamed's query: found through the indexes on 文号 and title (items_doc_number, items_title). */
export function itemsNamedQuery(
  db: Executor,
  docNumbers: readonly string[],
  titles: readonly string[],
  exceptColumns: readonly number[],
) {
  let q = db.selectFrom('items').selectAll().where('status', '=', 'published')
  if (exceptColumns.length) q = q.where('column_id', 'not in', exceptColumns)
  return q
    .where((eb) =>
      eb.or([
        ...(docNumbers.length ? [eb('doc_number', 'in', docNumbers)] : []),
        ...(titles.length ? [eb('title', 'in', titles)] : []),
      ]),
    )
    .orderBy('published_at', 'desc')
    .limit(10)
}

/** The columns of the region that hold interpretations: 政策解读, or any column named for 解读. */
export async function interpretationColumnIds(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('columns').select('id').where('name', 'like', '%解读%').execute()
  return rows.map((r) => r.id)
}
