import { sql } from 'kysely'
import type { SearchEngine, SearchHit } from './search-engine.ts'
import type { QueryPart } from './tokenize.ts'

// Search on PostgreSQL: a tsvector column (the 'simple' configuration) with a GIN index, an index on
// item_id for removal and one on published_at so that newest-first stops early; ranked by ts_rank.

/** The to_tsquery text: every part, each quoted (tokens are letters and digits only). */
const tsquery = (parts: readonly QueryPart[]) =>
  parts
    .map((p) =>
      p.kind === 'prefix'
        ? `'${p.token}':*`
        : p.kind === 'phrase'
          ? p.tokens.map((t) => `'${t}'`).join(' <-> ')
          : `'${p.token}'`,
    )
    .join(' & ')

export const postgresSearch: SearchEngine = {
  async insertChunk(trx, itemId, publishedAt, _chunk, tokens) {
    await trx.insertInto('item_search').values({ item_id: itemId, published_at: publishedAt, tokens }).execute()
  },

  async unindexItem(trx, itemId) {
    await trx.deleteFrom('item_search').where('item_id', '=', itemId).execute()
  },

  async newest(db, { parts, where }, take) {
    const result = await sql<SearchHit>`
      select s.item_id as id, 0 as rank from item_search s join items i on i.id = s.item_id
      where s.tsv @@ to_tsquery('simple', ${tsquery(parts)}) and ${where}
      order by s.published_at desc, s.item_id desc limit ${take}`.execute(db)
    return result.rows
  },

  async bestRanked(db, { parts, where }, candidates, take) {
    const q = tsquery(parts)
    const result = await sql<SearchHit>`
      with c as (
        select s.item_id, s.tsv from item_search s join items i on i.id = s.item_id
        where s.tsv @@ to_tsquery('simple', ${q}) and ${where} order by s.published_at desc limit ${candidates}
      )
      select item_id as id, ts_rank(tsv, to_tsquery('simple', ${q})) as rank from c
      order by rank desc, item_id desc limit ${take}`.execute(db)
    return result.rows
  },

  async count(db, { parts, where }, cap) {
    const result = await sql<{ n: string }>`
      select count(*) as n from (select distinct s.item_id from item_search s join items i on i.id = s.item_id
      where s.tsv @@ to_tsquery('simple', ${tsquery(parts)}) and ${where} limit ${cap}) c`.execute(db)
    return Number(result.rows[0]?.n ?? 0)
  },
}
