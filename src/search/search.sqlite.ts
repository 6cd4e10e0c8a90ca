import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import { readRows } from '../storage/sqlite-reader.ts'
import type { Executor } from '../storage/database.ts'
import type { FewMatches, SearchEngine, SearchHit, SearchQuery } from './search-engine.ts'
import { indexCounts, rankingNeedsRebuild, weight } from './ranking.ts'
import { countableNeedle, occurrences, plain, rankedItems } from './rank.ts'
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

/**
 * A match's item (as `c.c0`) and the item (`i`), read from FTS5's content table (item_search_content: id is the rowid,
 * c0 item_id): reading item_id through the virtual table reads the whole row, its ~6 KB of tokens included, where the
 * content table gives the first column from the row's first page. At 30,000 items, warm: newest-first within a small
 * column 110 → 57 ms; every match scored within an agency 109–124 → 56–67 ms; the count below 2–2.5× faster.
 */
const itemOfMatch = sql`join item_search_content c on c.id = s.rowid join items i on i.id = c.c0`

/** How often a countable needle (rank.ts countableNeedle) occurs in a token string, counted by SQL's replace(). */
const countedIn = (tokens: RawBuilder<unknown>, needle: string) =>
  sql`(length(' ' || ${tokens}) - length(replace(' ' || ${tokens}, ${needle}, ''))) / ${[...needle].length}`

/** The FTS5 MATCH expression: every part, each a quoted string (tokens are letters and digits only). */
const fts5 = (parts: readonly QueryPart[]) =>
  parts
    .map((p) =>
      p.kind === 'prefix' ? `"${p.token}"*` : p.kind === 'phrase' ? `"${p.tokens.join(' ')}"` : `"${p.token}"`,
    )
    .join(' AND ')

/**
 * The best `take` rows of an unfiltered search, scored by key alone: reading a match's item_id reads its whole row of
 * the index (FTS5 fetches every column, the tokens included), which cost more than scoring — 8,107 matches at 30,000
 * items: 20 ms by key, 40 ms with item_id, 49 ms joined with items (issue #15). The items of only the best rows are
 * then looked up. Undefined when that cannot be exact — a score tied across the cut (ties go to the newer item, which
 * the key's order does not give), or fewer published items than asked among the rows read — and the caller then joins
 * every match.
 */
async function bestByKey(db: Executor, { parts }: SearchQuery, take: number): Promise<SearchHit[] | undefined> {
  const rows = await readRows(
    db,
    sql<{ key: string; score: number }>`select cast(rowid as text) as key, bm25(item_search) as score from item_search
      where item_search match ${fts5(parts)} order by bm25(item_search) limit ${take + 1}`,
  )
  const more = rows.length > take
  if (more && rows[take]!.score === rows[take - 1]!.score) return undefined
  const kept = rows.slice(0, take)
  if (kept.length === 0) return []
  const keys = JSON.stringify(kept.map((r) => r.key))
  // On the reader's thread as well: page 101 reads 4,050 rows.
  const found = await readRows(
    db,
    sql<{ key: string; id: number }>`select cast(c.id as text) as key, c.c0 as id from item_search_content c
      join items i on i.id = c.c0 where c.id in (select cast(value as integer) from json_each(${keys}))
      and i.status = 'published'`,
  )
  const itemOf = new Map(found.map((r) => [r.key, Number(r.id)]))
  const hits: SearchHit[] = []
  for (const r of kept) {
    const id = itemOf.get(r.key)
    if (id !== undefined) hits.push({ id, rank: -r.score })
  }
  // Rows of unpublished items (none while withdrawal unindexes) leave fewer than asked: the rows past the cut may count.
  if (more && hits.length < kept.length) return undefined
  return hits.sort((x, y) => y.rank - x.rank || y.id - x.id)
}

/**
 * A one-part query's matching rows, when it has at most `most` of them (undefined when it has more), scored from the
 * rows when asked. For a rare phrase whose bigrams are all common (及时完善财政: each list is cut and led by other documents, so
 * the walk finds too few), FTS5's bm25() runs the phrase over the whole index twice, once to count the rows that hold
 * it (its idf) and once to score them, 30–70 ms warm at 300,000 items; here it runs once without scoring, stopping
 * past `most`, and the rows found are counted (in SQL for a Han phrase; prefixes, words and a phrase that overlaps
 * itself in JavaScript) (issue #15) — about 0.1 ms a row (a row's tokens are some 8 kB),
 * so only a few hundred are worth it. The score is bm25()'s: idf over the rows found (all the phrase's), the row's
 * token count against the index's average.
 */
async function fewMatches(db: Executor, query: SearchQuery, most: number): Promise<FewMatches | undefined> {
  const part = query.parts[0]
  if (query.parts.length !== 1 || !part) return undefined
  // An index whose counts are not kept (from before the lists, until `gongkai search rebuild`) would be counted token
  // by token for the idf of each query: scored every match by bm25() instead.
  if (await rankingNeedsRebuild(db, 'sqlite')) return undefined
  // A phrase of three bigrams or more is looked up by its rarest pair of adjacent bigrams first: FTS5 matches a phrase
  // by seeking each of its bigrams to every row the others lead to, and a common bigram's list is long and mostly not
  // cached at 1,000,000 items, so a rare name of common bigrams (平泉建设工: 建设, 设工) cost 135–537 ms cold where its
  // first pair (平泉建) takes 6–19 ms. The pair's rows hold every row of the phrase; each is counted (as it is scored
  // anyway) and those without the phrase dropped (issue #15).
  const pair = part.kind === 'phrase' && part.tokens.length > 2 ? await rarestPair(db, part.tokens) : undefined
  if (pair) {
    const candidates = await readRows(
      db,
      sql<{
        key: string
      }>`select cast(rowid as text) as key from item_search where item_search match ${`"${pair.join(' ')}"`}
        limit ${most + 1}`,
    )
    if (candidates.length <= most)
      return {
        rows: candidates.length,
        scored: () =>
          scoreRows(
            db,
            query.where,
            part,
            candidates.map((k) => k.key),
            true,
          ),
      }
  }
  const keys = await readRows(
    db,
    sql<{ key: string }>`select cast(rowid as text) as key from item_search where item_search match ${fts5(query.parts)}
      limit ${most + 1}`,
  )
  if (keys.length > most) return undefined
  return {
    rows: keys.length,
    scored: () =>
      scoreRows(
        db,
        query.where,
        part,
        keys.map((k) => k.key),
      ),
  }
}

/**
 * A pair is looked up first only while both its bigrams' spills are below this: the spill, the heaviest document a list
 * left out, is 1.0–1.45 at 1,000,000 items for a bigram seldom repeated in a document (a name's own part 平泉, 秋云, 滨城; a
 * cross-word bigram 红中, 滨德) and 1.65–2.15 for a common word's (建设, 结果, 和工). A pair with a common word in it
 * had thousands of rows: its lookup stopped past 512 and cost 100–300 ms cold before the phrase's own.
 */
const rareSpill = 1.5

/**
 * The adjacent pair of a phrase's bigrams whose lists are lightest (the higher of the two spills lowest, the first on
 * a tie), when both are rare (rareSpill); undefined otherwise, or when a bigram has no list yet.
 */
async function rarestPair(db: Executor, tokens: readonly string[]): Promise<[string, string] | undefined> {
  const rows = await db
    .selectFrom('search_grams')
    .select(['gram', 'spill'])
    .where('gram', 'in', [...new Set(tokens.map(plain))])
    .execute()
  const spill = new Map(rows.map((r) => [r.gram, Number(r.spill)]))
  let best: [string, string] | undefined
  let lightest = Number.POSITIVE_INFINITY
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [a, b] = [spill.get(plain(tokens[i]!)), spill.get(plain(tokens[i + 1]!))]
    if (a === undefined || b === undefined) return undefined
    if (Math.max(a, b) < lightest) {
      lightest = Math.max(a, b)
      best = [tokens[i]!, tokens[i + 1]!]
    }
  }
  return lightest < rareSpill ? best : undefined
}

/**
 * Rows (by key) that hold a part, each scored as bm25() scores it: they are all the part's rows (its idf). With
 * `counted`, the rows are candidates (a pair's rows, see fewMatches): each is counted and the part's rows are those it
 * occurs in, filtered or not, which give its idf.
 */
async function scoreRows(
  db: Executor,
  where: RawBuilder<unknown>,
  part: QueryPart,
  keys: readonly string[],
  counted = false,
): Promise<SearchHit[]> {
  if (keys.length === 0) return []
  const needle = countableNeedle(part)
  const rows = await readRows(
    db,
    sql<{ id: number; n: number | null; dl: number; tokens: string | null; kept: number }>`select c.c0 as id,
      ${needle ? countedIn(sql`c.c2`, needle) : sql`null`} as n,
      length(c.c2) - length(replace(c.c2, ' ', '')) + 1 as dl, ${needle ? sql`null` : sql`c.c2`} as tokens,
      ${counted ? sql`case when ${where} then 1 else 0 end` : sql`1`} as kept
      from item_search_content c join items i on i.id = c.c0
      where c.id in (select cast(value as integer) from json_each(${JSON.stringify(keys)}))
      ${counted ? sql`` : sql`and ${where}`}`,
  )
  const tfOf = (r: (typeof rows)[number]) => (r.n === null ? occurrences(part, r.tokens ?? '') : Number(r.n))
  const holding = counted ? rows.filter((r) => tfOf(r) > 0).length : keys.length
  const { docs, tokens } = await indexCounts(db, 'sqlite')
  const average = docs ? tokens / docs : 1
  const idf = Math.max(Math.log((docs - holding + 0.5) / (holding + 0.5)), 0) || 1e-6
  const best = new Map<number, number>()
  for (const r of rows) {
    if (!Number(r.kept)) continue
    const tf = tfOf(r)
    if (tf === 0) continue
    const score = idf * weight(tf, Number(r.dl), average)
    const id = Number(r.id)
    if ((best.get(id) ?? -1) < score) best.set(id, score)
  }
  return rankedItems(best)
}

export const sqliteSearch: SearchEngine = {
  // The key is computed inside SQLite: keys pass 2^53, past what a JavaScript number holds exactly.
  // One statement per chunk, in order: each takes the next key of its second (in-process, so no round trips to save).
  async insertChunks(trx, chunks) {
    for (const { itemId, publishedAt, tokens } of chunks) {
      const first = firstKey(publishedAt)
      const last = lastKey(publishedAt)
      const done = await sql`insert into item_search (rowid, item_id, published_at, tokens)
        select k, ${itemId}, ${publishedAt}, ${tokens} from (select coalesce(max(rowid) + 1, ${first}) as k
        from item_search where rowid between ${first} and ${last}) where k <= ${last}`.execute(trx)
      if (Number(done.numAffectedRows ?? 0) !== 1)
        throw new Error(`search index: no key left in the second of ${publishedAt}`)
    }
  },

  async indexedAmong(db, items) {
    const found = new Set<number>()
    for (const { itemId, publishedAt } of items)
      if (
        await sql`select 1 from item_search where rowid between ${firstKey(publishedAt)} and ${lastKey(publishedAt)}
          and item_id = ${itemId} limit 1`
          .execute(db)
          .then((r) => r.rows.length > 0)
      )
        found.add(itemId)
    return found
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

  // Each item's chunks by the key range of its publication second, all items in one statement: the ranges first (CROSS
  // JOIN keeps that order), so that FTS5 is given each range and seeks to it (the other order scans the whole index).
  // Counted in SQL where replace() counts exactly (a phrase that cannot overlap itself): a statement per item and the
  // token strings brought into JavaScript cost 30–38 µs a document, most of a phrase's walk (issue #15).
  async occurrencesIn(db, docs, part) {
    const items = [...new Set(docs.map((d) => Math.floor(d / 256)))]
    const found = new Map<number, number>()
    if (items.length === 0) return found
    const needle = countableNeedle(part)
    const count = needle ? countedIn(sql`s.tokens`, needle) : sql`null`
    // Each item's key range worked out here, as insertChunks and chunksOf work it out (SQLite's unixepoch() reads a time
    // without a zone as UTC where JavaScript reads local time, and some forms not at all: an item would go missing).
    const dated = await db.selectFrom('items').select(['id', 'published_at']).where('id', 'in', items).execute()
    const ranges = dated
      .filter((item) => item.published_at && !Number.isNaN(new Date(item.published_at).getTime()))
      .map((item) => `[${item.id},${firstKey(item.published_at!)},${lastKey(item.published_at!)}]`)
    if (ranges.length === 0) return found
    // On the reader's thread: a cold batch of 64 documents' tokens waits on the disk (see walkLists).
    const rows = await readRows(
      db,
      sql<{ id: number; n: number | null; tokens: string | null }>`select s.item_id as id,
      ${count} as n, ${needle ? sql`null` : sql`s.tokens`} as tokens from json_each(${`[${ranges.join(',')}]`}) r
      cross join item_search s on s.rowid between r.value ->> 1 and r.value ->> 2
      where s.item_id = r.value ->> 0 order by s.item_id, s.rowid`,
    )
    let last = -1
    let chunk = 0
    for (const r of rows) {
      const id = Number(r.id)
      chunk = id === last ? chunk + 1 : 0
      last = id
      found.set(id * 256 + chunk, r.n === null ? occurrences(part, r.tokens ?? '') : Number(r.n))
    }
    return found
  },

  async newest(db, { parts, where }, take) {
    const result = await sql<SearchHit>`
      select c.c0 as id, 0 as rank from item_search s ${itemOfMatch}
      where item_search match ${fts5(parts)} and ${where} order by s.rowid desc limit ${take}`.execute(db)
    return result.rows
  },

  fewMatches,

  // Both read every match: on the reader's thread (storage/sqlite-reader.ts), so that the server goes on meanwhile.

  async scoredAll(db, query, take) {
    if (!query.filtered) {
      const best = await bestByKey(db, query, take)
      if (best) return best
    }
    const { parts, where } = query
    return readRows(
      db,
      sql<SearchHit>`
      select c.c0 as id, -bm25(item_search) as rank from item_search s ${itemOfMatch}
      where item_search match ${fts5(parts)} and ${where} order by bm25(item_search), c.c0 desc limit ${take}`,
    )
  },

  // Unfiltered, `published` comes from the index (status, id), not the item's row: a common phrase at 30,000 items
  // (10,000 counted) 80–90 ms → 35 ms warm; filtered by agency 350 → 150 ms.
  async count(db, { parts, where }, cap) {
    const rows = await readRows(
      db,
      sql<{ n: number }>`
      select count(*) as n from (select distinct c.c0 from item_search s ${itemOfMatch}
      where item_search match ${fts5(parts)} and ${where} limit ${cap})`,
    )
    return Number(rows[0]?.n ?? 0)
  },
}
