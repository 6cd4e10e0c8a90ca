import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import type { DatabaseKind, Executor } from '../storage/database.ts'
import { chunkTokens, documentTokens, queryParts } from './tokenize.ts'
import type { QueryPart } from './tokenize.ts'

// One query language, two engines: FTS5 MATCH on SQLite, to_tsquery('simple') on PostgreSQL.
// Tokens are letters and digits only (tokenize.ts), so they need no escaping inside either syntax.

export async function indexItemText(trx: Executor, itemId: number, text: string): Promise<void> {
  await trx.deleteFrom('item_search').where('item_id', '=', itemId).execute()
  const chunks = chunkTokens(documentTokens(text))
  for (const chunk of chunks) if (chunk.length) await trx.insertInto('item_search').values({ item_id: itemId, tokens: chunk.join(' ') }).execute()
}

export async function unindexItem(trx: Executor, itemId: number): Promise<void> {
  await trx.deleteFrom('item_search').where('item_id', '=', itemId).execute()
}

const fts5 = (parts: QueryPart[]) => parts.map((p) => (p.kind === 'prefix' ? `"${p.token}"*` : p.kind === 'phrase' ? `"${p.tokens.join(' ')}"` : `"${p.token}"`)).join(' AND ')
const tsquery = (parts: QueryPart[]) => parts.map((p) => (p.kind === 'prefix' ? `'${p.token}':*` : p.kind === 'phrase' ? p.tokens.map((t) => `'${t}'`).join(' <-> ') : `'${p.token}'`)).join(' & ')

export type SearchFilter = Readonly<{ agencyId?: number | undefined; columnId?: number | undefined; year?: number | undefined }>
export type SearchHit = { id: number; rank: number }

/** Published items matching every part of the query, best first or newest first. */
export async function searchItems(db: Executor, kind: DatabaseKind, query: string, filter: SearchFilter, order: 'relevance' | 'date', limit = 20, offset = 0): Promise<SearchHit[]> {
  const parts = queryParts(query)
  if (parts.length === 0) return []
  const conditions: RawBuilder<unknown>[] = [sql`i.status = 'published'`]
  if (filter.agencyId) conditions.push(sql`i.agency_id = ${filter.agencyId}`)
  if (filter.columnId) conditions.push(sql`i.column_id = ${filter.columnId}`)
  if (filter.year) conditions.push(sql`i.published_at >= ${`${filter.year}-01-01`} and i.published_at < ${`${filter.year + 1}-01-01`}`)
  const where = sql.join(conditions, sql` and `)
  // bm25 cannot stand inside an aggregate: the matches are ranked first, then grouped per item (an item's chunks).
  const rows = kind === 'sqlite'
    ? await sql<{ id: number; rank: number }>`with m as materialized (select item_id as id, bm25(item_search) as rank from item_search where item_search match ${fts5(parts)})
        select m.id as id, min(m.rank) as rank from m join items i on i.id = m.id where ${where} group by m.id
        order by ${order === 'date' ? sql`max(i.published_at) desc, m.id desc` : sql`min(m.rank) asc, m.id desc`} limit ${limit} offset ${offset}`.execute(db)
    : await sql<{ id: number; rank: number }>`select s.item_id as id, max(ts_rank(s.tsv, to_tsquery('simple', ${tsquery(parts)}))) as rank from item_search s join items i on i.id = s.item_id
        where s.tsv @@ to_tsquery('simple', ${tsquery(parts)}) and ${where} group by s.item_id
        order by ${order === 'date' ? sql`max(i.published_at) desc, s.item_id desc` : sql`max(ts_rank(s.tsv, to_tsquery('simple', ${tsquery(parts)}))) desc, s.item_id desc`} limit ${limit} offset ${offset}`.execute(db)
  return rows.rows.map((r) => ({ id: Number(r.id), rank: Number(r.rank) }))
}
