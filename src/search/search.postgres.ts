import { sql } from 'kysely'
import { scoreExactly } from './rank.ts'
import type { Candidate } from './rank.ts'
import type { SearchEngine, SearchHit } from './search-engine.ts'
import type { QueryPart } from './tokenize.ts'

// Search on PostgreSQL: a tsvector column (the 'simple' configuration) with a GIN index, an index on
// item_id for removal and one on published_at so that newest-first stops early. Relevance comes from
// the impact lists (ranking.ts); when they cannot prove the best, every match is scored by BM25 as
// FTS5's bm25() scores it (rank.ts), so that both engines give the same order.

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
  async insertChunk(trx, itemId, publishedAt, chunk, tokens) {
    await sql`insert into item_search (item_id, published_at, tokens, chunk)
      values (${itemId}, ${publishedAt}, ${tokens}, ${chunk})`.execute(trx)
  },

  async chunksOf(db, itemId) {
    const rows = await sql<{ tokens: string }>`select tokens from item_search where item_id = ${itemId}
      order by chunk`.execute(db)
    return rows.rows.map((r) => r.tokens)
  },

  async unindexItem(trx, itemId) {
    await trx.deleteFrom('item_search').where('item_id', '=', itemId).execute()
  },

  async tokensOf(db, docs) {
    const found = new Map<number, string>()
    if (docs.length === 0) return found
    const wanted = new Set(docs)
    const items = [...new Set(docs.map((d) => Math.floor(d / 256)))]
    const rows = await sql<{ item_id: number; chunk: number; tokens: string }>`select item_id, chunk, tokens
      from item_search where item_id in (${sql.join(items)})`.execute(db)
    for (const r of rows.rows) {
      const doc = Number(r.item_id) * 256 + Number(r.chunk)
      if (wanted.has(doc)) found.set(doc, r.tokens)
    }
    return found
  },

  async newest(db, { parts, where }, take) {
    const result = await sql<SearchHit>`
      select s.item_id as id, 0 as rank from item_search s join items i on i.id = s.item_id
      where s.tsv @@ to_tsquery('simple', ${tsquery(parts)}) and ${where}
      order by s.published_at desc, s.item_id desc limit ${take}`.execute(db)
    return result.rows
  },

  async scoredAll(db, { parts, where }, take) {
    const matches = await sql<Candidate>`select s.item_id as id, s.tokens from item_search s
      join items i on i.id = s.item_id where s.tsv @@ to_tsquery('simple', ${tsquery(parts)}) and ${where}`.execute(db)
    // The index's counts; before the lists were first built (search_stats.rebuild) they are counted afresh.
    const kept = await db.selectFrom('search_stats').select(['docs', 'tokens', 'rebuild']).executeTakeFirstOrThrow()
    const stats =
      Number(kept.rebuild) === 0
        ? kept
        : (
            await sql<{ docs: string; tokens: string | null }>`select count(*) as docs,
              sum(case when tokens = '' then 0 else length(tokens) - length(replace(tokens, ' ', '')) + 1 end) as tokens
              from item_search`.execute(db)
          ).rows[0]!
    const matching: number[] = []
    for (const p of parts) {
      const n = await sql<{ n: string }>`select count(*) as n from item_search
        where tsv @@ to_tsquery('simple', ${tsquery([p])})`.execute(db)
      matching.push(Number(n.rows[0]?.n ?? 0))
    }
    const docs = Number(stats.docs)
    const hits = scoreExactly(
      parts,
      matches.rows.map((r) => ({ id: Number(r.id), tokens: r.tokens })),
      { docs, average: docs ? Number(stats.tokens ?? 0) / docs : 1, matching },
    )
    return hits.slice(0, take)
  },

  async count(db, { parts, where }, cap) {
    const result = await sql<{ n: string }>`
      select count(*) as n from (select distinct s.item_id from item_search s join items i on i.id = s.item_id
      where s.tsv @@ to_tsquery('simple', ${tsquery(parts)}) and ${where} limit ${cap}) c`.execute(db)
    return Number(result.rows[0]?.n ?? 0)
  },
}
