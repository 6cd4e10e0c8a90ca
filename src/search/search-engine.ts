import type { RawBuilder } from 'kysely'
import type { Executor } from '../storage/database.ts'
import type { QueryPart } from './tokenize.ts'

// What search.store.ts needs from a database engine's full-text index: search.sqlite.ts (FTS5) and
// search.postgres.ts (tsvector) each implement it, with the same results (test/search.test.ts).

export type SearchHit = { id: number; rank: number }

/** A query's few matching rows (SearchEngine.fewMatches): how many, and their scores when asked. */
export type FewMatches = Readonly<{ rows: number; scored(): Promise<SearchHit[]> }>

export type IndexedChunk = Readonly<{ itemId: number; publishedAt: string; chunk: number; tokens: string }>

/** One search: the query's parts and the filters on items, as a condition over `items i`. */
export type SearchQuery = Readonly<{
  parts: readonly QueryPart[]
  where: RawBuilder<unknown>
  /** Whether `where` holds a filter besides “published” (agency, column, year, genre). */
  filtered: boolean
}>

export type SearchEngine = Readonly<{
  /**
   * Stores chunks of items' tokens (each a space-separated string, the `chunk`-th of its item), in the order given:
   * an item's chunks in chunk order.
   */
  insertChunks(trx: Executor, chunks: readonly IndexedChunk[]): Promise<void>
  /** An item's chunks' token strings, in chunk order. */
  chunksOf(db: Executor, itemId: number, publishedAt: string): Promise<string[]>
  /** Which of these items have rows in the index (found where chunksOf finds them). */
  indexedAmong(db: Executor, items: readonly { itemId: number; publishedAt: string }[]): Promise<Set<number>>
  /** Removes all of an item's chunks. */
  unindexItem(trx: Executor, itemId: number, publishedAt: string): Promise<void>
  /**
   * How often a query part occurs in each document (item × 256 + chunk), counted as rank.ts occurrences() counts it;
   * a document not indexed is absent.
   */
  occurrencesIn(db: Executor, docs: readonly number[], part: QueryPart): Promise<Map<number, number>>
  /** Matching rows, newest first; an item with several matching chunks may come more than once. */
  newest(db: Executor, query: SearchQuery, take: number): Promise<SearchHit[]>
  /**
   * A one-part query's matching rows, when there are at most `most` (undefined when there are more: it stops looking
   * past them, or the engine has no cheaper way than `scoredAll`), with a way to score them all: best first, every item.
   */
  fewMatches?(db: Executor, query: SearchQuery, most: number): Promise<FewMatches | undefined>
  /** Every match scored by BM25 as FTS5's bm25() scores it, best first, the first `take` items. */
  scoredAll(db: Executor, query: SearchQuery, take: number): Promise<SearchHit[]>
  /** How many items match, counted up to `cap` (a count past it is only known to be more). */
  count(db: Executor, query: SearchQuery, cap: number): Promise<number>
}>
