import { sql } from 'kysely'
import { rankCandidates } from './rank.ts'
import type { Candidate } from './rank.ts'
import type { SearchEngine, SearchHit } from './search-engine.ts'
import type { QueryPart } from './tokenize.ts'

// Search on SQLite: an FTS5 table whose rowid is a date key (publication second, then a sequence), so
// that newest-first walks the index backwards and stops early. Ranking is BM25 computed in rank.ts
// over the newest candidates' token strings, not FTS5's bm25(): that function computes each
// phrase's document frequency by running the phrase over the whole index first, which at 300,000
// items cost 17–127 ms per query whatever the limit.

/**
 * SQLite rowid: the publication second (from bit 24 up) and a sequence within that second (24 bits):
 * an item's chunks take consecutive keys after the highest key already used in its second, so two
 * items never share a key however their ids relate (an earlier key built from the id's low 16 bits
 * let the newer of two items published in one second delete the older from the index). 16,777,216
 * chunks fit in one second; an import that puts every item at 09:00 of its day uses a few hundred.
 */
const slots = 16_777_216n
const secondOf = (publishedAt: string) => BigInt(Math.floor(new Date(publishedAt).getTime() / 1000))
const firstKey = (publishedAt: string) => secondOf(publishedAt) * slots
const lastKey = (publishedAt: string) => firstKey(publishedAt) + slots - 1n

/** The FTS5 MATCH expression: every part, each a quoted string (tokens are letters and digits only). */
const fts5 = (parts: readonly QueryPart[]) =>
  parts
    .map((p) =>
      p.kind === 'prefix' ? `"${p.token}"*` : p.kind === 'phrase' ? `"${p.tokens.join(' ')}"` : `"${p.token}"`,
    )
    .join(' AND ')

export const sqliteSearch: SearchEngine = {
  // The key is computed inside SQLite: keys pass 2^53, past what a JavaScript number holds exactly.
  async insertChunk(trx, itemId, publishedAt, _chunk, tokens) {
    const first = firstKey(publishedAt)
    const last = lastKey(publishedAt)
    const done = await sql`insert into item_search (rowid, item_id, published_at, tokens)
      select k, ${itemId}, ${publishedAt}, ${tokens} from (select coalesce(max(rowid) + 1, ${first}) as k
      from item_search where rowid between ${first} and ${last}) where k <= ${last}`.execute(trx)
    if (Number(done.numAffectedRows ?? 0) !== 1)
      throw new Error(`search index: no key left in the second of ${publishedAt}`)
  },

  // Among the keys of the item's publication second (item_id is not indexed in FTS5).
  async unindexItem(trx, itemId, publishedAt) {
    await sql`delete from item_search where rowid in (select rowid from item_search
      where rowid between ${firstKey(publishedAt)} and ${lastKey(publishedAt)} and item_id = ${itemId})`.execute(trx)
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
