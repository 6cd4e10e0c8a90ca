import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import type { DatabaseKind, Executor } from '../storage/database.ts'
import { postgresSearch } from './search.postgres.ts'
import { sqliteSearch } from './search.sqlite.ts'
import type { FewMatches, IndexedChunk, SearchEngine, SearchHit } from './search-engine.ts'
import { addRanked, nothingMatches, removeRanked, walkLists } from './ranking.ts'
import type { NewDocument } from './ranking.ts'
import { fullScoringGate } from './full-scoring.ts'
import { chunkTokens, documentTokens, queryParts } from './tokenize.ts'

// One query language, two engines: FTS5 MATCH on SQLite (search.sqlite.ts), to_tsquery('simple') on
// PostgreSQL (search.postgres.ts). Tokens are letters and digits only (tokenize.ts), so they need no
// escaping inside either syntax.
//
// Order by date stops early on both engines. Order by relevance is exact BM25 over every match (as
// FTS5's bm25() over this index): the impact lists give the best without scoring every match
// (ranking.ts); when they cannot prove it, the engine scores every match. The set of matches is
// always exact.

export type { SearchHit } from './search-engine.ts'

const engines: Record<DatabaseKind, SearchEngine> = { sqlite: sqliteSearch, postgres: postgresSearch }

export async function indexItemText(
  trx: Executor,
  kind: DatabaseKind,
  itemId: number,
  publishedAt: string,
  text: string,
): Promise<void> {
  await indexItemsText(trx, kind, [{ itemId, publishedAt, text }])
}

/**
 * Indexes many items at once (an import's batch): each one's earlier rows removed, its chunks inserted, and all of
 * their documents added to the relevance lists together (ranking.ts addRanked), which costs far less than one by one.
 */
export async function indexItemsText(
  trx: Executor,
  kind: DatabaseKind,
  items: readonly { itemId: number; publishedAt: string; text: string }[],
): Promise<void> {
  const engine = engines[kind]
  const documents: NewDocument[] = []
  // An item given twice is indexed once, as last given.
  const last = [...new Map(items.map((item) => [item.itemId, item])).values()]
  // Rows already there (an item indexed again) are removed first; new items, most of an import, skip that.
  const indexed = await engine.indexedAmong(trx, last)
  const rows: IndexedChunk[] = []
  for (const { itemId, publishedAt, text } of last) {
    if (indexed.has(itemId)) await unindexItem(trx, kind, itemId, publishedAt)
    const chunks = chunkTokens(documentTokens(text)).filter((c) => c.length)
    for (const [i, chunk] of chunks.entries()) {
      rows.push({ itemId, publishedAt, chunk: i, tokens: chunk.join(' ') })
      documents.push({ itemId, chunk: i, tokens: chunk })
    }
  }
  await engine.insertChunks(trx, rows)
  await addRanked(trx, kind, documents)
}

/** Removes an item's rows from the index. */
export async function unindexItem(
  trx: Executor,
  kind: DatabaseKind,
  itemId: number,
  publishedAt: string,
): Promise<void> {
  const engine = engines[kind]
  const chunks = await engine.chunksOf(trx, itemId, publishedAt)
  for (const [i, tokens] of chunks.entries()) await removeRanked(trx, kind, itemId, i, tokens ? tokens.split(' ') : [])
  await engine.unindexItem(trx, itemId, publishedAt)
}

export type SearchFilter = Readonly<{
  agencyId?: number | undefined
  columnId?: number | undefined
  year?: number | undefined
  genre?: string | undefined
}>

/** The filters as one condition over `items i`: published items only, then each filter given. */
function itemConditions(filter: SearchFilter): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`i.status = 'published'`]
  if (filter.agencyId) conditions.push(sql`i.agency_id = ${filter.agencyId}`)
  if (filter.columnId) conditions.push(sql`i.column_id = ${filter.columnId}`)
  if (filter.genre) conditions.push(sql`i.genre = ${filter.genre}`)
  if (filter.year) {
    const from = `${filter.year}-01-01`
    const to = `${filter.year + 1}-01-01`
    conditions.push(sql`i.published_at >= ${from} and i.published_at < ${to}`)
  }
  return sql.join(conditions, sql` and `)
}

const isFiltered = (filter: SearchFilter) => Boolean(filter.agencyId || filter.columnId || filter.genre || filter.year)

/** The most matching rows a phrase may have to be scored before the walk, and after it (see searchItems). */
const fewBeforeWalk = 96
const fewAfterWalk = 512

/** Published items matching every part of the query, best first or newest first. */
export async function searchItems(
  db: Executor,
  kind: DatabaseKind,
  query: string,
  filter: SearchFilter,
  order: 'relevance' | 'date',
  limit = 20,
  offset = 0,
): Promise<SearchHit[]> {
  const parts = queryParts(query)
  if (parts.length === 0) return []
  const search = { parts, where: itemConditions(filter), filtered: isFiltered(filter) }
  const engine = engines[kind]
  if (await nothingMatches(db, kind, parts)) return []
  const gate = fullScoringGate(db)
  if (order === 'relevance' && parts.length === 1) {
    const part = parts[0]!
    // A phrase of several bigrams may be rare though each bigram is common. Where the engine can count a few matches
    // cheaply, a phrase with very few is scored at once, before the walk reads a hundred documents that do not hold it
    // (SQLite at 300,000 items: 5–8 ms warm, 50–90 ms cold, and then scoring anyway); with a few hundred the walk
    // goes first (it answers most common phrases) and the rows found are scored if it cannot prove the best. One
    // token's walk answers at once; where it cannot (a deep page, a filter), its rows are scored if they are few. Else
    // the engine scores every match (issue #15). The lookup is bounded (it stops past its few rows; a rare phrase of
    // common bigrams costs one pass over their postings, half of what bm25() costs) and so is scoring a handful of rows;
    // scoring hundreds takes its turn at the gate, as scoring every match does.
    const few = (most: number) => engine.fewMatches?.(db, search, most)
    const scored = (found: FewMatches) =>
      gate && found.rows > fewBeforeWalk ? gate.run(() => found.scored()) : found.scored()
    const phrase = part.kind === 'phrase' && part.tokens.length > 2
    const found = phrase ? await few(fewAfterWalk) : undefined
    if (found && found.rows <= fewBeforeWalk) return (await scored(found)).slice(offset, offset + limit)
    const best = await walkLists(db, kind, part, search.where, limit + offset, (docs) =>
      engine.occurrencesIn(db, docs, part),
    )
    if (best) return best.slice(offset, offset + limit)
    const rare = found ?? (phrase ? undefined : await few(fewAfterWalk))
    if (rare) return (await scored(rare)).slice(offset, offset + limit)
  }
  // An item with several chunks can match more than once (a row each): take a margin and keep its first row. A very
  // long item (more matching chunks than the margin: a 600,000-character budget text) would leave the page short, so
  // while rows were left out and the page is not full, the margin grows.
  for (let take = (limit + offset) * 2 + 10; ; take *= 4) {
    const rows =
      order === 'date'
        ? await engine.newest(db, search, take)
        : gate
          ? await gate.run(() => engine.scoredAll(db, search, take))
          : await engine.scoredAll(db, search, take)
    const seen = new Set<number>()
    const hits: SearchHit[] = []
    for (const r of rows) {
      const id = Number(r.id)
      if (seen.has(id)) continue
      seen.add(id)
      hits.push({ id, rank: Number(r.rank) })
    }
    if (hits.length >= limit + offset || rows.length < take) return hits.slice(offset, offset + limit)
  }
}

/** The most a search counts exactly; past it the portal says “more than”. */
export const countCap = 10_000

/** How many published items match every part of the query, counted up to `cap`. */
export async function countSearchItems(
  db: Executor,
  kind: DatabaseKind,
  query: string,
  filter: SearchFilter,
  cap = countCap,
): Promise<number> {
  const parts = queryParts(query)
  if (parts.length === 0 || (await nothingMatches(db, kind, parts))) return 0
  return engines[kind].count(db, { parts, where: itemConditions(filter), filtered: isFiltered(filter) }, cap)
}
