import { sql } from 'kysely'
import { rankCandidates } from './rank.ts'
import type { Candidate } from './rank.ts'
import type { SearchEngine, SearchHit } from './search-engine.ts'
import type { QueryPart } from './tokenize.ts'

// Search on SQLite: an FTS5 table whose rowid is a date key (publication second, item, chunk), so
// that newest-first walks the index backwards and stops early. Ranking is BM25 computed in rank.ts
// over the newest candidates' token strings, not FTS5's bm25(): that function computes each
// phrase's document frequency by running the phrase over the whole index first, which at 300,000
// items cost 17–127 ms per query whatever the limit.

/** SQLite rowid: seconds since 1970 (32 bits), the item's low 16 bits, the chunk (8 bits). */
const rowKey = (publishedAt: string, itemId: number, chunk: number) =>
  BigInt(Math.floor(new Date(publishedAt).getTime() / 1000)) * 16_777_216n +
  BigInt((itemId & 0xffff) << 8) +
  BigInt(chunk & 0xff)

/** The FTS5 MATCH expression: every part, each a quoted string (tokens are letters and digits only). */
const fts5 = (parts: readonly QueryPart[]) =>
  parts
    .map((p) =>
      p.kind === 'prefix' ? `"${p.token}"*` : p.kind === 'phrase' ? `"${p.tokens.join(' ')}"` : `"${p.token}"`,
    )
    .join(' AND ')

export const sqliteSearch: SearchEngine = {
  async insertChunk(trx, itemId, publishedAt, chunk, tokens) {
    const rowid = rowKey(publishedAt, itemId, chunk)
    await sql`insert into item_search (rowid, item_id, published_at, tokens)
      values (${rowid}, ${itemId}, ${publishedAt}, ${tokens})`.execute(trx)
  },

  // By the item's rowid range: item_id is not indexed in FTS5.
  async unindexItem(trx, itemId, publishedAt) {
    const first = rowKey(publishedAt, itemId, 0)
    const last = rowKey(publishedAt, itemId, 255)
    await sql`delete from item_search where rowid between ${first} and ${last}`.execute(trx)
  },

  async newest(db, { parts, where }, take) {
    const result = await sql<SearchHit>`
      select s.item_id as id, 0 as rank from item_search s join items i on i.id = s.item_id
      where item_search match ${fts5(parts)} and ${where} order by s.rowid desc limit ${take}`.execute(db)
    return result.rows
  },

  async bestRanked(db, { parts, where }, candidates) {
    const result = await sql<Candidate>`
      select s.item_id as id, s.tokens as tokens from item_search s join items i on i.id = s.item_id
      where item_search match ${fts5(parts)} and ${where} order by s.rowid desc limit ${candidates}`.execute(db)
    return rankCandidates(parts, result.rows)
  },

  async count(db, { parts, where }, cap) {
    const result = await sql<{ n: number }>`
      select count(*) as n from (select distinct s.item_id from item_search s join items i on i.id = s.item_id
      where item_search match ${fts5(parts)} and ${where} limit ${cap})`.execute(db)
    return Number(result.rows[0]?.n ?? 0)
  },
}
