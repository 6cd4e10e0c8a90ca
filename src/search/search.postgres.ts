import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import { indexCounts } from './ranking.ts'
import { b, countableNeedle, k1, occurrences, scoreExactly } from './rank.ts'
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

/**
 * BM25 as rank.ts scoreExactly computes it, in SQL, for queries whose parts are Han phrases, Han prefixes and words of
 * digits; undefined for other queries (a Latin word: FTS5 folds its accents, which SQL here does not, and rank.ts
 * does). A part's count is the count rank.ts occurrences() makes: the occurrences of its tokens at token boundaries,
 * overlapping ones included. Han tokens are at most two characters, so ` t1 … tn` (a space before each) can only match
 * whole tokens, and where the phrase cannot overlap itself, counting it with replace() is exact; otherwise (and for
 * words, which may repeat side by side) a lookahead counts every position.
 *
 * The result scores the rows of `matches` (id, and `t`: a space and the document's tokens), best item first. Each
 * stage is fenced (offset 0) so that PostgreSQL computes it once per row: written as one expression over
 * `s.tokens`, every mention of the column decompressed the stored tokens again and every count was made twice (a
 * deep page of a common phrase at 380,000 items: 88 s; the document's tokens read once, each count made once, in
 * bytes rather than characters: about a third of that).
 */
function scoreInDatabase(
  parts: readonly QueryPart[],
  index: { docs: number; average: number; matching: readonly number[] },
  matches: RawBuilder<unknown>,
  take: number,
): RawBuilder<SearchHit> | undefined {
  const han = /^\p{Script=Han}+$/u
  const digits = /^[0-9]+$/
  const usable = parts.every((p) =>
    p.kind === 'word' ? digits.test(p.token) : (p.kind === 'prefix' ? [p.token] : p.tokens).every((t) => han.test(t)),
  )
  if (!usable) return undefined
  const float = (x: number) => sql`${x}::double precision`
  // `t` holds a space before each token: its spaces are the document's length (1 for an empty one, as rank.ts has it).
  const counts = parts.map((p, k) => {
    // A prefix, or a phrase replace() counts exactly (rank.ts countableNeedle); others by a zero-width regexp match.
    const needle = p.kind === 'prefix' ? ` ${p.token}` : countableNeedle(p)
    const column = sql.id(`tf${k}`)
    if (needle !== undefined)
      return sql`(octet_length(d.t) - octet_length(replace(d.t, ${needle}::text, ''))) / ${Buffer.byteLength(needle)}::integer as ${column}`
    const word = p.kind === 'word' ? p.token : p.kind === 'phrase' ? p.tokens.join(' ') : p.token
    // regexp_matches, not regexp_count (PostgreSQL 15 and later only): a zero-width match at every position.
    return sql`(select count(*) from regexp_matches(d.t || ' ', ${`(?= ${word} )`}::text, 'g')) as ${column}`
  })
  const norm = sql`(${float(k1)} * (1 - ${float(b)} + ${float(b)} * f.dl / ${float(index.average || 1)}))`
  const terms = parts.map((_, k) => {
    const n = index.matching[k] ?? 0
    const v = Math.log((index.docs - n + 0.5) / (n + 0.5))
    const idf = parts.length === 1 ? 1 : v > 0 ? v : 1e-6
    const tf = sql.ref(`f.tf${k}`)
    return sql`(${float(idf)} * ${tf} * ${float(k1 + 1)} / (${tf} + ${norm}))`
  })
  return sql<SearchHit>`select id, max(score) as rank from (select f.id, ${sql.join(terms, sql` + `)} as score
    from (select d.id, (octet_length(d.t) - octet_length(replace(d.t, ' ', '')))::double precision as dl,
      ${sql.join(counts)} from (${matches} offset 0) d offset 0) f) scored
    group by id order by rank desc, id desc limit ${take}`
}

export const postgresSearch: SearchEngine = {
  // A batch in one statement (an import's 500 items are ~550 chunks: a round trip each was most of indexing's time).
  async insertChunks(trx, chunks) {
    for (let at = 0; at < chunks.length; at += 1_000) {
      const rows = chunks.slice(at, at + 1_000).map((c) => [c.itemId, c.publishedAt, c.tokens, c.chunk])
      await sql`insert into item_search (item_id, published_at, tokens, chunk) select (v ->> 0)::integer,
        v ->> 1, v ->> 2, (v ->> 3)::integer from json_array_elements(${JSON.stringify(rows)}::json) v`.execute(trx)
    }
  },

  async indexedAmong(db, items) {
    if (items.length === 0) return new Set()
    const rows = await sql<{ item_id: number }>`select distinct item_id from item_search
      where item_id in (${sql.join(items.map((i) => i.itemId))})`.execute(db)
    return new Set(rows.rows.map((r) => Number(r.item_id)))
  },

  async chunksOf(db, itemId) {
    const rows = await sql<{ tokens: string }>`select tokens from item_search where item_id = ${itemId}
      order by chunk`.execute(db)
    return rows.rows.map((r) => r.tokens)
  },

  async unindexItem(trx, itemId) {
    await trx.deleteFrom('item_search').where('item_id', '=', itemId).execute()
  },

  // Counted in SQL where replace() counts exactly (a phrase that cannot overlap itself): the documents' token strings
  // stay in the database.
  async occurrencesIn(db, docs, part) {
    const found = new Map<number, number>()
    if (docs.length === 0) return found
    const wanted = new Set(docs)
    const items = [...new Set(docs.map((d) => Math.floor(d / 256)))]
    const needle = countableNeedle(part)
    const count = needle
      ? sql`(length(' ' || tokens) - length(replace(' ' || tokens, ${needle}::text, ''))) / ${[...needle].length}::integer`
      : sql`null::integer`
    const rows = await sql<{ item_id: number; chunk: number; n: number | null; tokens: string | null }>`select item_id,
      chunk, ${count} as n, ${needle ? sql`null::text` : sql`tokens`} as tokens from item_search
      where item_id in (${sql.join(items)})`.execute(db)
    for (const r of rows.rows) {
      const doc = Number(r.item_id) * 256 + Number(r.chunk)
      if (wanted.has(doc)) found.set(doc, r.n === null ? occurrences(part, r.tokens ?? '') : Number(r.n))
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
    const stats = await indexCounts(db, 'postgres')
    // Each part's idf needs the count of documents holding it, a scan of its every match. A one-part query's idf is
    // one factor for every match, which leaves the order as it is: it is left out (as the lists leave it out), and
    // so is the scan (a third of a deep page's time for a common phrase).
    const matching: number[] = []
    for (const p of parts.length > 1 ? parts : []) {
      const n = await sql<{ n: string }>`select count(*) as n from item_search
        where tsv @@ to_tsquery('simple', ${tsquery([p])})`.execute(db)
      matching.push(Number(n.rows[0]?.n ?? 0))
    }
    const { docs, tokens } = stats
    const index = { docs, average: docs ? tokens / docs : 1, matching }
    const inDatabase = scoreInDatabase(
      parts,
      index,
      sql`select s.item_id as id, ' ' || s.tokens as t from item_search s join items i on i.id = s.item_id
        where s.tsv @@ to_tsquery('simple', ${tsquery(parts)}) and ${where}`,
      take,
    )
    if (inDatabase) {
      // Scored where the rows are: only the best `take` come back (a common phrase's every match, shipped here to be
      // scored, was a gigabyte at 300,000 items).
      const best = await inDatabase.execute(db)
      return best.rows.map((r) => ({ id: Number(r.id), rank: Number(r.rank) }))
    }
    const matches = await sql<Candidate>`select s.item_id as id, s.tokens from item_search s
      join items i on i.id = s.item_id where s.tsv @@ to_tsquery('simple', ${tsquery(parts)}) and ${where}`.execute(db)
    const hits = scoreExactly(
      parts,
      matches.rows.map((r) => ({ id: Number(r.id), tokens: r.tokens })),
      index,
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
