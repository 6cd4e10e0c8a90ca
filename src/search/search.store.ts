import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import type { DatabaseKind, Executor } from '../storage/database.ts'
import { chunkTokens, documentTokens, queryParts } from './tokenize.ts'
import type { QueryPart } from './tokenize.ts'

// One query language, two engines: FTS5 MATCH on SQLite, to_tsquery('simple') on PostgreSQL.
// Tokens are letters and digits only (tokenize.ts), so they need no escaping inside either syntax.
//
// Order by date stops early: on SQLite each row's rowid is a date key (publication second, item,
// chunk) that FTS5 walks backwards; on PostgreSQL an index on published_at. Order by relevance ranks
// the newest `rankedCandidates` matches (after the filters) only, so that a query matching most
// items (one character, a very common word) costs the same as a rare one (stack.md pitfall 9); the
// set of matches itself is always exact.
//
// On SQLite the ranking is BM25 computed here over those candidates' token strings, not FTS5's
// bm25(): that function computes each phrase's document frequency by running the phrase over the
// whole index first, which at 300,000 items cost 17–127 ms per query whatever the limit.

export const rankedCandidates = 2000

/** SQLite rowid: seconds since 1970 (32 bits), the item's low 16 bits, the chunk (8 bits). */
const rowKey = (publishedAt: string, itemId: number, chunk: number) =>
  BigInt(Math.floor(new Date(publishedAt).getTime() / 1000)) * 16_777_216n +
  BigInt((itemId & 0xffff) << 8) +
  BigInt(chunk & 0xff)

export async function indexItemText(
  trx: Executor,
  kind: DatabaseKind,
  itemId: number,
  publishedAt: string,
  text: string,
): Promise<void> {
  await unindexItem(trx, kind, itemId, publishedAt)
  const chunks = chunkTokens(documentTokens(text)).filter((c) => c.length)
  for (const [i, chunk] of chunks.entries()) {
    if (kind === 'sqlite') {
      await sql`insert into item_search (rowid, item_id, published_at, tokens) values (${rowKey(publishedAt, itemId, i)}, ${itemId}, ${publishedAt}, ${chunk.join(' ')})`.execute(
        trx,
      )
    } else {
      await trx
        .insertInto('item_search')
        .values({ item_id: itemId, published_at: publishedAt, tokens: chunk.join(' ') })
        .execute()
    }
  }
}

/** Removes an item's rows: on SQLite by their rowid range (item_id is not indexed in FTS5), on PostgreSQL by item. */
export async function unindexItem(
  trx: Executor,
  kind: DatabaseKind,
  itemId: number,
  publishedAt: string,
): Promise<void> {
  if (kind === 'sqlite') {
    await sql`delete from item_search where rowid between ${rowKey(publishedAt, itemId, 0)} and ${rowKey(publishedAt, itemId, 255)}`.execute(
      trx,
    )
  } else {
    await trx.deleteFrom('item_search').where('item_id', '=', itemId).execute()
  }
}

const fts5 = (parts: QueryPart[]) =>
  parts
    .map((p) =>
      p.kind === 'prefix' ? `"${p.token}"*` : p.kind === 'phrase' ? `"${p.tokens.join(' ')}"` : `"${p.token}"`,
    )
    .join(' AND ')
const tsquery = (parts: QueryPart[]) =>
  parts
    .map((p) =>
      p.kind === 'prefix'
        ? `'${p.token}':*`
        : p.kind === 'phrase'
          ? p.tokens.map((t) => `'${t}'`).join(' <-> ')
          : `'${p.token}'`,
    )
    .join(' & ')

type Candidate = { id: number; tokens: string }

const k1 = 1.2
const b = 0.75
const accented = /[\u00c0-\u024f\u1e00-\u1eff]/
const plain = (s: string) => (accented.test(s) ? s.normalize('NFD').replace(/\p{M}/gu, '') : s)
function tokenCount(tokens: string): number {
  if (tokens.length === 0) return 0
  let n = 1
  for (let at = tokens.indexOf(' '); at >= 0; at = tokens.indexOf(' ', at + 1)) n++
  return n
}

/** Occurrences of a query part in a space-separated token string (FTS5's unicode61 folds diacritics, so we do too). */
function occurrences(part: QueryPart, tokens: string): number {
  const hay = ` ${plain(tokens)} `
  const needle =
    part.kind === 'prefix'
      ? ` ${plain(part.token)}`
      : ` ${plain(part.kind === 'phrase' ? part.tokens.join(' ') : part.token)} `
  let n = 0
  // Step one character past each hit so that overlapping phrases (哈哈哈 for 哈哈) all count.
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) n++
  return n
}

/**
 * Okapi BM25 (k1 1.2, b 0.75, as FTS5) over the candidates. Every candidate holds every part, so
 * document frequency cannot tell the parts apart; each part is weighed instead by how rarely it
 * occurs among the candidates, so that the commoner part of a two-part query weighs less. Ties keep
 * the newer item first.
 */
export function rankCandidates(parts: QueryPart[], rows: Candidate[]): { id: number; rank: number }[] {
  if (rows.length === 0) return []
  const lengths = rows.map((r) => tokenCount(r.tokens))
  const average = lengths.reduce((a, x) => a + x, 0) / rows.length || 1
  const counts = rows.map((r) => parts.map((p) => occurrences(p, r.tokens)))
  const totals = parts.map((_, k) => counts.reduce((a, c) => a + c[k]!, 0))
  const most = Math.max(...totals, 1)
  const weights = totals.map((t) => Math.log(1 + (most + 0.5) / (t + 0.5)))
  const scored = rows.map((r, i) => {
    const norm = k1 * (1 - b + (b * lengths[i]!) / average)
    const score = counts[i]!.reduce((a, tf, k) => a + (weights[k]! * tf * (k1 + 1)) / (tf + norm), 0)
    return { id: r.id, rank: score, order: i }
  })
  scored.sort((x, y) => y.rank - x.rank || x.order - y.order)
  return scored.map(({ id, rank }) => ({ id, rank }))
}

export type SearchFilter = Readonly<{
  agencyId?: number | undefined
  columnId?: number | undefined
  year?: number | undefined
  genre?: string | undefined
}>
export type SearchHit = { id: number; rank: number }

/** Published items matching every part of the query, best first or newest first. */
export async function searchItems(
  db: Executor,
  kind: DatabaseKind,
  query: string,
  filter: SearchFilter,
  order: 'relevance' | 'date',
  limit = 20,
  offset = 0,
  candidates = rankedCandidates,
): Promise<SearchHit[]> {
  const parts = queryParts(query)
  if (parts.length === 0) return []
  const conditions: RawBuilder<unknown>[] = [sql`i.status = 'published'`]
  if (filter.agencyId) conditions.push(sql`i.agency_id = ${filter.agencyId}`)
  if (filter.columnId) conditions.push(sql`i.column_id = ${filter.columnId}`)
  if (filter.genre) conditions.push(sql`i.genre = ${filter.genre}`)
  if (filter.year)
    conditions.push(sql`i.published_at >= ${`${filter.year}-01-01`} and i.published_at < ${`${filter.year + 1}-01-01`}`)
  const where = sql.join(conditions, sql` and `)
  // An item with several chunks can match more than once: take a margin and keep its first row.
  const take = (limit + offset) * 2 + 10
  let rows: { id: number; rank: number }[]
  if (kind === 'sqlite') {
    const m = fts5(parts)
    rows =
      order === 'date'
        ? (
            await sql<{
              id: number
              rank: number
            }>`select s.item_id as id, 0 as rank from item_search s join items i on i.id = s.item_id
          where item_search match ${m} and ${where} order by s.rowid desc limit ${take}`.execute(db)
          ).rows
        : rankCandidates(
            parts,
            (
              await sql<Candidate>`select s.item_id as id, s.tokens as tokens from item_search s join items i on i.id = s.item_id
          where item_search match ${m} and ${where} order by s.rowid desc limit ${candidates}`.execute(db)
            ).rows,
          )
  } else {
    const q = tsquery(parts)
    rows =
      order === 'date'
        ? (
            await sql<{
              id: number
              rank: number
            }>`select s.item_id as id, 0 as rank from item_search s join items i on i.id = s.item_id
          where s.tsv @@ to_tsquery('simple', ${q}) and ${where} order by s.published_at desc, s.item_id desc limit ${take}`.execute(
              db,
            )
          ).rows
        : (
            await sql<{
              id: number
              rank: number
            }>`with c as (select s.item_id, s.tsv from item_search s join items i on i.id = s.item_id
            where s.tsv @@ to_tsquery('simple', ${q}) and ${where} order by s.published_at desc limit ${candidates})
          select item_id as id, ts_rank(tsv, to_tsquery('simple', ${q})) as rank from c order by rank desc, item_id desc limit ${take}`.execute(
              db,
            )
          ).rows
  }
  const seen = new Set<number>()
  const hits: SearchHit[] = []
  for (const r of rows) {
    const id = Number(r.id)
    if (seen.has(id)) continue
    seen.add(id)
    hits.push({ id, rank: Number(r.rank) })
  }
  return hits.slice(offset, offset + limit)
}
