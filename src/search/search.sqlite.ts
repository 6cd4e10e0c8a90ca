import { sql } from 'kysely'
import { readRows } from '../storage/sqlite-reader.ts'
import type { SearchEngine, SearchHit } from './search-engine.ts'
import type { QueryPart } from './tokenize.ts'

// Search on SQLite: an FTS5 table whose rowid is a date key (publication second, then a sequence), so
// that newest-first walks the index backwards and stops early. Relevance comes from the impact lists
// (ranking.ts); FTS5's bm25() scores every match when they cannot prove the best (it runs each phrase
// over the whole index first: 17–127 ms per query at 300,000 items whatever the limit), on a thread of its own.

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

  async chunksOf(db, itemId, publishedAt) {
    const rows = await sql<{ tokens: string }>`select tokens from item_search
      where rowid between ${firstKey(publishedAt)} and ${lastKey(publishedAt)} and item_id = ${itemId} order by rowid`.execute(
      db,
    )
    return rows.rows.map((r) => r.tokens)
  },

  // Among the keys of the item's publication second (item_id is not indexed in FTS5).
  async unindexItem(trx, itemId, publishedAt) {
    await sql`delete from item_search where rowid in (select rowid from item_search
      where rowid between ${firstKey(publishedAt)} and ${lastKey(publishedAt)} and item_id = ${itemId})`.execute(trx)
  },

  // Each item's chunks by the key range of its publication second, which FTS5 seeks to (a join computing the range
  // per row would make it scan the whole index).
  async tokensOf(db, docs) {
    const items = [...new Set(docs.map((d) => Math.floor(d / 256)))]
    const found = new Map<number, string>()
    if (items.length === 0) return found
    const dated = await db.selectFrom('items').select(['id', 'published_at']).where('id', 'in', items).execute()
    for (const item of dated) {
      if (!item.published_at) continue
      for (const [chunk, tokens] of (await sqliteSearch.chunksOf(db, item.id, item.published_at)).entries())
        found.set(item.id * 256 + chunk, tokens)
    }
    return found
  },

  async newest(db, { parts, where }, take) {
    const result = await sql<SearchHit>`
      select s.item_id as id, 0 as rank from item_search s join items i on i.id = s.item_id
      where item_search match ${fts5(parts)} and ${where} order by s.rowid desc limit ${take}`.execute(db)
    return result.rows
  },

  // Both read every match: on the reader's thread (storage/sqlite-reader.ts), so that the server goes on meanwhile.
  async scoredAll(db, { parts, where }, take) {
    return readRows(
      db,
      sql<SearchHit>`
      select s.item_id as id, -bm25(item_search) as rank from item_search s join items i on i.id = s.item_id
      where item_search match ${fts5(parts)} and ${where} order by bm25(item_search), s.item_id desc limit ${take}`,
    )
  },

  async count(db, { parts, where }, cap) {
    const rows = await readRows(
      db,
      sql<{ n: number }>`
      select count(*) as n from (select distinct s.item_id from item_search s join items i on i.id = s.item_id
      where item_search match ${fts5(parts)} and ${where} limit ${cap})`,
    )
    return Number(rows[0]?.n ?? 0)
  },
}
