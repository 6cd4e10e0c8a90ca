import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { listColumns } from '../src/disclosures/disclosure.store.ts'
import { occurrences, scoreExactly } from '../src/search/rank.ts'
import {
  deferRanking,
  docOf,
  gramsOf,
  headroom,
  rankingLimits,
  rankingNeedsRebuild,
  rebuildRanking,
  walkLists,
  weight,
} from '../src/search/ranking.ts'
import { migrateTo, migrateToLatest } from '../src/storage/migrate.ts'
import { indexItemText, indexItemsText, searchItems, unindexItem } from '../src/search/search.store.ts'
import { postgresSearch } from '../src/search/search.postgres.ts'
import { sqliteSearch } from '../src/search/search.sqlite.ts'
import { chunkTokens, documentTokens, queryParts } from '../src/search/tokenize.ts'
import { publishedItemRow, setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'
import type { Executor } from '../src/storage/database.ts'
import { readerOf } from '../src/storage/sqlite-reader.ts'

// Relevance is exact BM25 over every match (issue #15), as FTS5's bm25() scores our bigram index: the
// best 20 — and any page after them — are the brute-force BM25 ranking of every indexed item, on both
// databases, whether the impact lists answer or every match is scored.

const vocabulary = [
  '政府信息公开',
  '依申请公开',
  '预算决算',
  '行政许可',
  '乡村振兴',
  '公共服务',
  '安全生产',
  '营商环境',
  '社会保障',
  '信息化建设',
  '公开透明',
  '申请材料',
  '府际合作',
  'budget',
  '的',
  '和',
  '工作',
  '会议',
  '哈哈哈',
  '2025年',
]

/** Deterministic text of `words` words drawn with a skew, so that some words are common and lengths vary. */
function textOf(n: number, words: number): string {
  let x = (n * 2654435761) % 4294967296
  let s = ''
  for (let i = 0; i < words; i++) {
    x = (x * 1664525 + 1013904223) % 4294967296
    const r = (x >>> 8) / 16777216
    s += vocabulary[Math.floor(r * r * vocabulary.length)] + (x % 7 === 0 ? '，' : '')
  }
  return s
}

const two = (n: number) => String(n).padStart(2, '0')
/** Item n's publication time: spread over the months and days of a year, or over the days of one month ('2025-03'). */
const spreadOver = (yearOrMonth: string, n: number, hour: number) =>
  `${yearOrMonth.length === 4 ? `${yearOrMonth}-${two((n % 12) + 1)}` : yearOrMonth}-${two((n % 28) + 1)}T${two(hour)}:00:00.000Z`

/** A published item inserted straight into `items`, indexed unless told not to; `id` numbers it. */
async function addItem(
  t: TestEnv,
  agencyId: number,
  columnId: number,
  n: number,
  text: string,
  at: string,
  { db = t.deps.db, indexed = true, id }: { db?: Executor; indexed?: boolean; id?: number } = {},
) {
  const row = await db
    .insertInto('items')
    .values(
      publishedItemRow({
        ...(id === undefined ? {} : { id }),
        agency_id: agencyId,
        column_id: columnId,
        index_number: `B/2025-${String(n).padStart(6, '0')}`,
        title: `第${n}号`,
        body: text,
        formed_on: '2025-01-01',
        published_at: at,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow()
  if (indexed) await indexItemText(db, t.deps.kind, row.id, at, text)
  return row.id
}

/** The index's documents (chunks) and tokens for these texts, as search_stats must count them. */
function countsOf(texts: Map<number, string>) {
  const chunks = [...texts.values()].flatMap((text) => chunkTokens(documentTokens(text)).filter((c) => c.length))
  return { docs: chunks.length, tokens: chunks.reduce((n, c) => n + c.length, 0) }
}
/** The stats after a rebuild: the true counts, and their average with the headroom the walks rely on. */
async function expectStatsOf(t: TestEnv, texts: Map<number, string>) {
  const stats = await t.deps.db.selectFrom('search_stats').selectAll().executeTakeFirstOrThrow()
  const { docs, tokens } = countsOf(texts)
  expect([Number(stats.docs), Number(stats.tokens)]).toEqual([docs, tokens])
  expect(Number(stats.snapshot_avg)).toBeCloseTo((tokens / docs) * headroom, 9)
}

/** Brute force: every item's text scored by BM25 over the whole index (FTS5's formula), best first. */
function reference(texts: Map<number, string>, query: string) {
  const parts = queryParts(query)
  const rows = [...texts].flatMap(([id, text]) =>
    chunkTokens(documentTokens(text))
      .filter((c) => c.length)
      .map((c) => ({ id, tokens: c.join(' ') })),
  )
  const average = rows.reduce((a, r) => a + r.tokens.split(' ').length, 0) / rows.length
  const matching = parts.map((p) => rows.filter((r) => occurrences(p, r.tokens) > 0).length)
  const matches = rows.filter((r) => parts.every((p) => occurrences(p, r.tokens) > 0))
  return scoreExactly(parts, matches, { docs: rows.length, average, matching })
}

/**
 * The same ranking: the same scores relative to the first (a one-part query's idf is one factor for every item,
 * which the impact lists leave out), ties in either order, the same items above the last tie.
 */
function expectSameRanking(found: { id: number; rank: number }[], expected: { id: number; rank: number }[], q: string) {
  const relative = (hs: { id: number; rank: number }[]) =>
    hs.map((h) => ({ id: h.id, rank: Math.round((h.rank / hs[0]!.rank) * 1e9) / 1e9 }))
  const [f, e] = [relative(found), relative(expected)]
  expect(
    f.map((h) => h.rank),
    q,
  ).toEqual(e.map((h) => h.rank))
  const last = e.at(-1)?.rank ?? 0
  const strict = (hs: { id: number; rank: number }[]) =>
    hs
      .filter((h) => h.rank > last)
      .map((h) => h.id)
      .sort((a, b) => a - b)
  expect(strict(f), q).toEqual(strict(e))
}

/**
 * Runs `fn` on a fresh region with its office's 部门动态 column, the impact lists capped at `cap` documents meanwhile
 * (small caps reach the trimming and the spill with few items).
 */
async function withColumn(
  kind: (typeof databaseKinds)[number],
  cap: number | undefined,
  fn: (t: TestEnv, officeId: number, column: number) => Promise<void>,
) {
  const t = await testEnv(kind)
  if (cap) rankingLimits.listCap = cap
  try {
    const { officeId } = await setUpRegion(t.deps)
    const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
    await fn(t, officeId, column)
  } finally {
    rankingLimits.listCap = 256
    await t.close()
  }
}

const engineOf = (kind: (typeof databaseKinds)[number]) => (kind === 'sqlite' ? sqliteSearch : postgresSearch)

const queries = [
  '公',
  '信',
  '的',
  '信息',
  '公开',
  '预算',
  '府信',
  '依申请',
  '申请公开',
  '政府信息公开',
  '乡村振兴',
  'budget',
  // A phrase that overlaps itself (哈哈哈哈 holds 哈哈哈 twice) and a number.
  '哈哈哈',
  '2025',
]

describe.each(databaseKinds)('exact relevance on %s', (kind) => {
  test('the best 20 and later pages are the BM25 ranking of every match, with and without filters', async () => {
    const t = await testEnv(kind)
    // Lists of 16 (trimmed at 32) so that 330 items overflow them: the walk must account for what was left out.
    rankingLimits.listCap = 16
    try {
      const { officeId } = await setUpRegion(t.deps)
      const columns = await listColumns(t.deps.db, officeId)
      const [busy, quiet] = [
        columns.find((c) => c.name === '部门动态')!.id,
        columns.find((c) => c.name === '通知公告')!.id,
      ]
      const texts = new Map<number, string>()
      const inQuiet = new Set<number>()
      // More items than an impact list keeps (256), of very different lengths, over many days.
      for (let n = 0; n < 330; n++) {
        const column = n % 9 === 0 ? quiet : busy
        const at = spreadOver('2025', n, 1)
        const id = await addItem(t, officeId, column, n, textOf(n, 3 + ((n * 37) % 120)), at)
        texts.set(id, textOf(n, 3 + ((n * 37) % 120)))
        if (column === quiet) inQuiet.add(id)
      }
      // A withdrawn item leaves the index and the counts.
      const gone = [...texts.keys()][5]!
      await unindexItem(t.deps.db, t.deps.kind, gone, '2025-06-06T01:00:00.000Z')
      texts.delete(gone)
      for (const q of queries) {
        const expected = reference(texts, q)
        expectSameRanking(
          await searchItems(t.deps.db, t.deps.kind, q, {}, 'relevance', 20, 0),
          expected.slice(0, 20),
          q,
        )
        // A page far down (the lists keep 256 per gram): every page is reachable and exact.
        expectSameRanking(
          await searchItems(t.deps.db, t.deps.kind, q, {}, 'relevance', 20, 260),
          expected.slice(260, 280),
          `${q} p14`,
        )
        const quietOnly = new Map([...texts].filter(([id]) => inQuiet.has(id)))
        const filtered = reference(texts, q).filter((h) => quietOnly.has(h.id))
        expectSameRanking(
          await searchItems(t.deps.db, t.deps.kind, q, { columnId: quiet }, 'relevance', 20, 0),
          filtered.slice(0, 20),
          `${q} filtered`,
        )
      }
      // On SQLite, scoring every match (the deep pages above) ran on the reader's thread, not the server's.
      if (kind === 'sqlite') expect(readerOf(t.deps.db)?.answered).toBeGreaterThan(0)
      // The impact lists answer the best 5 of common one- and two-character queries themselves, without scoring
      // every match.
      for (const q of ['公', '信', '信息', '公开']) {
        const answered = await walkLists(
          t.deps.db,
          t.deps.kind,
          queryParts(q)[0]!,
          sql`i.status = 'published'`,
          5,
          () => Promise.resolve(new Map()),
        )
        expect(answered?.length, q).toBeGreaterThanOrEqual(5)
      }
      if (kind === 'sqlite') {
        // The walk reads its lists, and counts a phrase in the documents they name, on the reader's thread too: a cold
        // batch waits on the disk, and better-sqlite3 would wait on the server's thread (at 1,000,000 items a cold
        // first search froze the server for 168–1,268 ms).
        const reader = readerOf(t.deps.db)!
        const before = reader.answered
        const phrase = queryParts('政府信息公开')[0]!
        const walked = await walkLists(t.deps.db, t.deps.kind, phrase, sql`i.status = 'published'`, 5, (docs) =>
          sqliteSearch.occurrencesIn(t.deps.db, docs, phrase),
        )
        expect(walked?.length, 'the walk answered 政府信息公开').toBeGreaterThanOrEqual(5)
        // At least one batch of a list and one count of the phrase in its documents.
        expect(reader.answered - before).toBeGreaterThanOrEqual(2)
        // The count alone is one read on the reader.
        const docs = walked!.map((h) => h.id * 256)
        const counted = reader.answered
        await sqliteSearch.occurrencesIn(t.deps.db, docs, phrase)
        expect(reader.answered - counted, 'the phrase counted on the reader').toBe(1)
        // On SQLite the reference is FTS5's own bm25() over the same index.
        for (const q of ['公', '信息', '依申请', '政府信息公开']) {
          const fts = await sql<{ id: number; rank: number }>`select item_id as id, -bm25(item_search) as rank
            from item_search where item_search match ${q.length === 1 ? `"${q}"*` : `"${documentTokens(q).slice(0, -1).join(' ')}"`}
            order by bm25(item_search) limit 20`.execute(t.deps.db)
          expectSameRanking(
            await searchItems(t.deps.db, t.deps.kind, q, {}, 'relevance', 20, 0),
            fts.rows.map((r) => ({ id: Number(r.id), rank: Number(r.rank) })),
            `${q} fts5`,
          )
        }
      }
    } finally {
      rankingLimits.listCap = 256
      await t.close()
    }
  }, 240_000)

  test('items indexed together, as an import indexes its batches, rank exactly as items indexed one by one', async () => {
    // Lists of 16: one batch of 200 items grows many lists far past twice the cap before they are trimmed.
    await withColumn(kind, 16, async (t, officeId, column) => {
      const texts = new Map<number, string>()
      const batch: { itemId: number; publishedAt: string; text: string }[] = []
      for (let n = 0; n < 330; n++) {
        const text = textOf(n, 3 + ((n * 41) % 110))
        const at = spreadOver('2024', n, 2)
        const id = await addItem(t, officeId, column, n, text, at, { indexed: false })
        texts.set(id, text)
        batch.push({ itemId: id, publishedAt: at, text })
      }
      // A first batch of 200 (lists far past twice the cap), then batches of 13 (lists with floors and spills).
      await t.deps.db.transaction().execute((trx) => indexItemsText(trx, kind, batch.slice(0, 200)))
      const first = new Map([...texts].slice(0, 200))
      for (const q of ['公', '信息', '公开', '依申请']) {
        const expected = reference(first, q)
        expectSameRanking(await searchItems(t.deps.db, kind, q, {}, 'relevance', 20, 0), expected.slice(0, 20), q)
      }
      for (let from = 200; from < batch.length; from += 13)
        await t.deps.db.transaction().execute((trx) => indexItemsText(trx, kind, batch.slice(from, from + 13)))
      const lists = await t.deps.db.selectFrom('search_grams').select(['gram', 'listed']).execute()
      expect(Math.max(...lists.map((g) => Number(g.listed)))).toBeLessThan(2 * 16)
      for (const q of queries) {
        const expected = reference(texts, q)
        expectSameRanking(await searchItems(t.deps.db, kind, q, {}, 'relevance', 20, 0), expected.slice(0, 20), q)
        expectSameRanking(
          await searchItems(t.deps.db, kind, q, {}, 'relevance', 20, 100),
          expected.slice(100, 120),
          `${q} p6`,
        )
      }
      for (const q of ['公', '信息', '公开']) {
        const answered = await walkLists(t.deps.db, kind, queryParts(q)[0]!, sql`i.status = 'published'`, 5, () =>
          Promise.resolve(new Map()),
        )
        expect(answered?.length, q).toBeGreaterThanOrEqual(5)
      }
    })
  }, 240_000)

  test('a bulk load builds the lists once at its end: each gram keeps its best documents, and relevance stays exact before, after and as items follow', async () => {
    // Lists of 16, so that 260 items leave many documents out of the common grams' lists.
    await withColumn(kind, 16, async (t, officeId, column) => {
      const texts = new Map<number, string>()
      const load: { itemId: number; publishedAt: string; text: string }[] = []
      for (let n = 0; n < 260; n++) {
        const text = textOf(n, 3 + ((n * 29) % 130))
        const at = spreadOver('2023', n, 3)
        const id = await addItem(t, officeId, column, n, text, at, { indexed: false })
        texts.set(id, text)
        load.push({ itemId: id, publishedAt: at, text })
      }
      // The load keeps no lists: nothing is written to them, and relevance scores every match meanwhile.
      await deferRanking(t.deps.db)
      for (let from = 0; from < load.length; from += 50)
        await t.deps.db.transaction().execute((trx) => indexItemsText(trx, kind, load.slice(from, from + 50)))
      expect((await t.deps.db.selectFrom('search_postings').select('doc').execute()).length).toBe(0)
      expect(await rankingNeedsRebuild(t.deps.db, kind)).toBe(true)
      const answer = (q: string) =>
        walkLists(t.deps.db, kind, queryParts(q)[0]!, sql`i.status = 'published'`, 5, () => Promise.resolve(new Map()))
      expect(await answer('公开')).toBeUndefined()
      // Meanwhile an item is withdrawn and another corrected: the index's counts stay exact without a recount (BM25
      // needs them: PostgreSQL scores every match with them until the rebuild).
      const [gone, fixed] = [load[3]!, load[4]!]
      await unindexItem(t.deps.db, kind, gone.itemId, gone.publishedAt)
      texts.delete(gone.itemId)
      texts.set(fixed.itemId, textOf(999, 90))
      await indexItemText(t.deps.db, kind, fixed.itemId, fixed.publishedAt, texts.get(fixed.itemId)!)
      const counted = await t.deps.db.selectFrom('search_stats').selectAll().executeTakeFirstOrThrow()
      const { docs, tokens } = countsOf(texts)
      expect([Number(counted.docs), Number(counted.tokens)]).toEqual([docs, tokens])
      expect((await t.deps.db.selectFrom('search_postings').select('doc').execute()).length).toBe(0)
      for (const q of queries)
        expectSameRanking(
          await searchItems(t.deps.db, kind, q, {}, 'relevance', 20, 0),
          reference(texts, q).slice(0, 20),
          `${q} before the rebuild`,
        )
      expect(await t.deps.db.transaction().execute((trx) => rebuildRanking(trx, kind))).toBe(texts.size)

      // Every gram's list is its best 16 documents by impact (ties: the higher document first), computed here from the
      // texts with the average the rebuild took; its spill is the highest impact left out, its floor the lowest kept
      // once one was left out.
      // That average is the index's own (from the counts kept through the load), with the headroom.
      await expectStatsOf(t, texts)
      const stats = await t.deps.db.selectFrom('search_stats').selectAll().executeTakeFirstOrThrow()
      const avg = Number(stats.snapshot_avg)
      const all = new Map<string, { impact: number; doc: number }[]>()
      for (const [id, text] of texts)
        for (const [i, chunk] of chunkTokens(documentTokens(text))
          .filter((c) => c.length)
          .entries())
          for (const [gram, tf] of gramsOf(chunk)) {
            if (!all.has(gram)) all.set(gram, [])
            all.get(gram)!.push({ impact: weight(tf, chunk.length, avg), doc: docOf(id, i) })
          }
      const postings = await t.deps.db
        .selectFrom('search_postings')
        .select(['gram', 'impact', 'doc'])
        .orderBy('gram')
        .orderBy('impact', 'desc')
        .orderBy('doc', 'desc')
        .execute()
      const grams = await t.deps.db.selectFrom('search_grams').selectAll().execute()
      expect(grams.length).toBe(all.size)
      let cut = 0
      for (const g of grams) {
        const best = all.get(g.gram)!.sort((x, y) => y.impact - x.impact || y.doc - x.doc)
        const kept = best.slice(0, 16)
        const listed = postings
          .filter((p) => p.gram === g.gram)
          .map((p) => ({ impact: Number(p.impact), doc: Number(p.doc) }))
        expect(listed, g.gram).toEqual(kept)
        expect(Number(g.listed), g.gram).toBe(kept.length)
        expect(Number(g.spill), g.gram).toBe(best[16]?.impact ?? 0)
        expect(Number(g.floor), g.gram).toBe(best.length > 16 ? kept.at(-1)!.impact : 0)
        if (best.length > 16) cut++
      }
      expect(cut).toBeGreaterThan(20)
      expect((await answer('公开'))?.length).toBeGreaterThanOrEqual(5)

      // Items published after the rebuild join the lists one by one, as usual.
      for (let n = 260; n < 300; n++) {
        const text = textOf(n, 3 + ((n * 29) % 130))
        texts.set(await addItem(t, officeId, column, n, text, spreadOver('2026-01', n, 3)), text)
      }
      for (const q of queries) {
        const expected = reference(texts, q)
        expectSameRanking(await searchItems(t.deps.db, kind, q, {}, 'relevance', 20, 0), expected.slice(0, 20), q)
        expectSameRanking(
          await searchItems(t.deps.db, kind, q, {}, 'relevance', 20, 40),
          expected.slice(40, 60),
          `${q} p3`,
        )
      }
    })
  }, 240_000)

  test("a common phrase is answered from its bigrams' lists, though one of its bigrams is mostly about other things", async () => {
    await withColumn(kind, 16, async (t, officeId, column) => {
      const texts = new Map<number, string>()
      // 企业 is everywhere; its heaviest documents are the 40 that say 中小企业 once and 企业 a dozen times, so its list
      // shows them but cannot bound the phrase (its impacts are for 12 occurrences, the phrase has 1). 中小's list is
      // trimmed too (40 documents, lists of 16) but its left-out documents weigh less: the walk starts there, where the
      // phrase's counts are the bigram's, and proves the best 5 — by how many documents a list holds it would start
      // with 企业's, trimmed shorter.
      for (let n = 0; n < 240; n++) {
        const text =
          n % 6 === 0
            ? `关于扶持中小企业的通知。${'企业登记、企业年报。'.repeat(6)}${'各部门做好服务。'.repeat((n / 6) % 5)}`
            : `${'企业登记、企业年报。'.repeat(1 + (n % 2))}${'工作会议。'.repeat(2 + (n % 5))}`
        const at = spreadOver('2025', n, 3)
        texts.set(await addItem(t, officeId, column, n, text, at), text)
      }
      const part = queryParts('中小企业')[0]!
      // The best 5 (lists of 16 hold them).
      const answered = await walkLists(t.deps.db, kind, part, sql`i.status = 'published'`, 5, (docs) =>
        engineOf(kind).occurrencesIn(t.deps.db, docs, part),
      )
      expect(answered, 'answered from the lists, not by scoring every match').toBeDefined()
      expectSameRanking(answered!.slice(0, 5), reference(texts, '中小企业').slice(0, 5), '中小企业')
      expectSameRanking(
        await searchItems(t.deps.db, kind, '中小企业', {}, 'relevance', 20, 0),
        reference(texts, '中小企业').slice(0, 20),
        '中小企业 search',
      )
    })
  })

  test('items that score the same are listed newest first, page after page, and an item no longer published is never listed', async () => {
    await withColumn(kind, undefined, async (t, officeId, column) => {
      // 70 items with the same text score the same for any query: more than the first page's rows and their margin (50), so
      // the tie runs across its cut.
      const ids: number[] = []
      for (let n = 0; n < 70; n++)
        ids.push(
          await addItem(
            t,
            officeId,
            column,
            n,
            '行政许可事项办理公告。公共服务事项清单。',
            spreadOver('2025-03', n, 2),
          ),
        )
      // Five of them, different from the others, score higher, so that the best rows are not all tied.
      const better: number[] = []
      for (let n = 70; n < 75; n++)
        better.push(
          await addItem(
            t,
            officeId,
            column,
            n,
            '行政许可公共服务。行政许可。公共服务。',
            `2025-04-0${n - 69}T02:00:00.000Z`,
          ),
        )
      const newestFirst = [...ids].sort((x, y) => y - x)
      // Two words: every match is scored (the lists answer one part only).
      const q = '行政许可 公共服务'
      const page = (n: number) =>
        searchItems(t.deps.db, t.deps.kind, q, {}, 'relevance', 20, n * 20).then((hs) => hs.map((h) => h.id))
      const first = await page(0)
      expect(new Set(first.slice(0, 5))).toEqual(new Set(better))
      expect(first.slice(5)).toEqual(newestFirst.slice(0, 15))
      expect(await page(1)).toEqual(newestFirst.slice(15, 35))
      expect(await page(3)).toEqual(newestFirst.slice(55, 70))
      // An item no longer published (its index rows not yet removed) is left out: 40 items of different lengths
      // (different scores), fewer than a page's rows and margin, and the best of them withdrawn.
      const distinct: number[] = []
      for (let n = 0; n < 40; n++)
        distinct.push(
          await addItem(
            t,
            officeId,
            column,
            100 + n,
            `依申请公开。预算决算。${'各科室汇报了近期工作。'.repeat(n)}`,
            spreadOver('2025-05', n, 3),
          ),
        )
      const hidden = distinct[0]!
      await t.deps.db.updateTable('items').set({ status: 'withdrawn' }).where('id', '=', hidden).execute()
      const shown = await searchItems(t.deps.db, t.deps.kind, '依申请公开 预算决算', {}, 'relevance', 20, 0)
      expect(shown.map((h) => h.id)).toEqual(distinct.slice(1, 21))
    })
  })

  test('a phrase is walked from the list of its rarer bigram, whose left-out documents weigh least, though that list holds more documents', async () => {
    await withColumn(kind, 16, async (t, officeId, column) => {
      const texts = new Map<number, string>()
      // 种设 is in every item, and short items say it many times (各种设施、各种设计); 备保 only where the phrase 种设备保障
      // is, once. 种设's list, trimmed last, holds fewer documents than 备保's, and none of them is the phrase's.
      for (let n = 0; n < 54; n++) {
        const text =
          n < 40
            ? `关于加强特种设备保障工作的通知。${'各部门做好服务。'.repeat(n % 7)}`
            : `各种设施、各种设计、各种设想。`.repeat(1 + (n % 3))
        const at = spreadOver('2025', n, 4)
        texts.set(await addItem(t, officeId, column, n, text, at), text)
      }
      const lists = new Map(
        (await t.deps.db.selectFrom('search_grams').selectAll().where('gram', 'in', ['种设', '备保']).execute()).map(
          (g) => [g.gram, g],
        ),
      )
      // The shape that made the walk take the wrong list when it went by how many documents a list holds.
      expect(Number(lists.get('种设')!.listed)).toBeLessThan(Number(lists.get('备保')!.listed))
      expect(Number(lists.get('种设')!.spill)).toBeGreaterThan(Number(lists.get('备保')!.spill))
      const part = queryParts('种设备保障')[0]!
      const answered = await walkLists(t.deps.db, kind, part, sql`i.status = 'published'`, 5, (docs) =>
        engineOf(kind).occurrencesIn(t.deps.db, docs, part),
      )
      expect(answered, 'answered from the list of 备保, not by scoring every match').toBeDefined()
      expectSameRanking(answered!.slice(0, 5), reference(texts, '种设备保障').slice(0, 5), '种设备保障')
    })
  })

  test('a rare name is ranked from the few items its rare bigrams share, every page and filter exact, without scoring every match', async () => {
    await withColumn(kind, 16, async (t, officeId, column) => {
      const quiet = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '通知公告')!.id
      const texts = new Map<number, string>()
      const inQuiet = new Set<number>()
      // 银阳科技有限公司 in 8 items of different lengths; 银阳 alone (银阳镇) in 4 more, 阳科 alone (太阳科普) in 4 more: the
      // lists of 银阳 and 阳科 hold every item that has them (the cap is 16). 科技, 技有 and 有限 are in all 60 items, their
      // lists trimmed. Only the items both complete lists hold can hold the phrase.
      for (let n = 0; n < 60; n++) {
        const filler = '科技有限责任公司的工作会议。'.repeat(1 + (n % 5))
        const text =
          n < 8
            ? `银阳科技有限公司。${filler}${'银阳科技有'.repeat(n % 3)}`
            : n < 12
              ? `银阳镇${filler}`
              : n < 16
                ? `太阳科普${filler}`
                : filler
        const id = await addItem(t, officeId, n % 4 === 0 ? quiet : column, n, text, spreadOver('2025', n, 6))
        texts.set(id, text)
        if (n % 4 === 0) inQuiet.add(id)
      }
      const lists = await t.deps.db
        .selectFrom('search_grams')
        .selectAll()
        .where('gram', 'in', ['银阳', '阳科', '科技'])
        .execute()
      const spillOf = (gram: string) => Number(lists.find((g) => g.gram === gram)!.spill)
      expect([spillOf('银阳'), spillOf('阳科')], 'complete lists').toEqual([0, 0])
      expect(spillOf('科技'), 'a trimmed list').toBeGreaterThan(0)

      const part = queryParts('银阳科技有')[0]!
      const counted: number[] = []
      const answered = await walkLists(t.deps.db, kind, part, sql`i.status = 'published'`, 20, (docs) => {
        counted.push(...docs)
        return engineOf(kind).occurrencesIn(t.deps.db, docs, part)
      })
      expect(answered, 'answered from the complete lists, not by scoring every match').toBeDefined()
      // Only the 8 items in both complete lists were counted, not the 12 of 银阳's list nor the 60 that hold 科技.
      expect(new Set(counted.map((d) => Math.floor(d / 256))).size).toBe(8)
      const expected = reference(texts, '银阳科技有')
      expect(expected).toHaveLength(8)
      expectSameRanking(answered!, expected, '银阳科技有')
      // Through the search itself: a later page and a column filter.
      expectSameRanking(
        await searchItems(t.deps.db, kind, '银阳科技有', {}, 'relevance', 5, 5),
        expected.slice(5, 8),
        'p2',
      )
      expectSameRanking(
        await searchItems(t.deps.db, kind, '银阳科技有', { columnId: quiet }, 'relevance', 20, 0),
        expected.filter((h) => inQuiet.has(h.id)),
        'filtered',
      )
      // Three characters (two bigrams, both lists complete): answered by the search from those lists, pages and filters
      // included (a longer phrase with this few rows is scored from its rows on SQLite before any walk).
      const short = reference(texts, '银阳科')
      expect(short).toHaveLength(8)
      expectSameRanking(await searchItems(t.deps.db, kind, '银阳科', {}, 'relevance', 20, 0), short, '银阳科')
      expectSameRanking(
        await searchItems(t.deps.db, kind, '银阳科', {}, 'relevance', 3, 3),
        short.slice(3, 6),
        '银阳科 p2',
      )
      expectSameRanking(
        await searchItems(t.deps.db, kind, '银阳科', { columnId: quiet }, 'relevance', 20, 0),
        short.filter((h) => inQuiet.has(h.id)),
        '银阳科 filtered',
      )
      // A phrase whose complete lists share no item matches nothing (银阳 and 阳科 meet only in the name).
      expect(await searchItems(t.deps.db, kind, '银阳科普', {}, 'relevance', 20, 0)).toEqual([])
    })
  })

  test('a rare name of common words is found by its rare first part: items with that part but not the name are counted out, scores, pages and filters exact', async () => {
    await withColumn(kind, 16, async (t, officeId, column) => {
      const quiet = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '通知公告')!.id
      const texts = new Map<number, string>()
      const inQuiet = new Set<number>()
      // 银阳建设工 (银阳 阳建 建设 设工) in 6 items, once to thrice; 银阳建材 in 5 more (the pair 银阳 阳建, not the name);
      // 建设工作 over and over in 40 (建设 and 设工: lists trimmed, their heaviest left-out documents heavy).
      for (let n = 0; n < 51; n++) {
        const text =
          n < 6
            ? `${'银阳建设工程队。'.repeat(1 + (n % 3))}${'各部门汇报了情况。'.repeat(1 + n)}`
            : n < 11
              ? `银阳建材市场。${'各部门汇报了情况。'.repeat(n - 5)}`
              : `${'建设工作。'.repeat(1 + (n % 6))}会议`
        const id = await addItem(t, officeId, n % 3 === 0 ? quiet : column, n, text, spreadOver('2025', n, 8))
        texts.set(id, text)
        if (n % 3 === 0) inQuiet.add(id)
      }
      const expected = reference(texts, '银阳建设工')
      expect(expected).toHaveLength(6)
      if (kind === 'sqlite') {
        // Looked up by 银阳建 (11 items), not by the whole name through the long lists of 建设 and 设工 (§ issue #15).
        const query = { parts: queryParts('银阳建设工'), where: sql`i.status = 'published'`, filtered: false }
        const found = await sqliteSearch.fewMatches!(t.deps.db, query, 512)
        expect(found?.rows, 'the rows of the rare pair 银阳建').toBe(11)
      }
      // The scores themselves, not only their order: the idf counts the 6 items that hold the name, not the 11 found.
      const all = await searchItems(t.deps.db, kind, '银阳建设工', {}, 'relevance', 20, 0)
      expectSameRanking(all, expected, '银阳建设工')
      if (kind === 'sqlite') expect(all[0]!.rank).toBeCloseTo(expected[0]!.rank, 9)
      expectSameRanking(
        await searchItems(t.deps.db, kind, '银阳建设工', {}, 'relevance', 3, 3),
        expected.slice(3, 6),
        'p2',
      )
      const filtered = await searchItems(t.deps.db, kind, '银阳建设工', { columnId: quiet }, 'relevance', 20, 0)
      expectSameRanking(
        filtered,
        expected.filter((h) => inQuiet.has(h.id)),
        'filtered',
      )
      // Filtered, the idf still counts every item with the name, as bm25() does.
      if (kind === 'sqlite') expect(filtered[0]!.rank).toBeCloseTo(expected.find((h) => inQuiet.has(h.id))!.rank, 9)
      expect(await searchItems(t.deps.db, kind, '银阳建材市', {}, 'relevance', 20, 0)).toHaveLength(5)
    })
  })

  test('a rare phrase whose bigrams are all common is ranked exactly, as bm25() ranks it, filters and pages included', async () => {
    await withColumn(kind, 16, async (t, officeId, column) => {
      const quiet = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '通知公告')!.id
      const texts = new Map<number, string>()
      const inQuiet = new Set<number>()
      // 工作, 作会 and 会议 are in all 70 items, most often apart (工作。作会。会议。); the phrase 工作会议 in 6 long items
      // only, once or twice. The lists (16 kept) lead with the short items that repeat the bigrams: the walk finds
      // none of the phrase's and every match is scored.
      for (let n = 0; n < 70; n++) {
        const apart = '工作。作会。会议。'.repeat(1 + (n % 4))
        const text =
          n % 12 === 0
            ? `${'各科室汇报了近期情况。'.repeat(8 + n / 12)}召开工作会议。${n % 24 === 0 ? '工作会议纪要。' : ''}${apart}`
            : apart
        const id = await addItem(t, officeId, n % 24 === 0 ? quiet : column, n, text, spreadOver('2025', n, 7))
        texts.set(id, text)
        if (n % 24 === 0) inQuiet.add(id)
      }
      const part = queryParts('工作会议')[0]!
      const walked = await walkLists(t.deps.db, kind, part, sql`i.status = 'published'`, 20, (docs) =>
        engineOf(kind).occurrencesIn(t.deps.db, docs, part),
      )
      expect(walked, 'the lists cannot prove it').toBeUndefined()
      const expected = reference(texts, '工作会议')
      expect(expected).toHaveLength(6)
      const found = await searchItems(t.deps.db, kind, '工作会议', {}, 'relevance', 20, 0)
      expectSameRanking(found, expected, '工作会议')
      expectSameRanking(await searchItems(t.deps.db, kind, '工作会议', {}, 'relevance', 4, 4), expected.slice(4), 'p2')
      expectSameRanking(
        await searchItems(t.deps.db, kind, '工作会议', { columnId: quiet }, 'relevance', 20, 0),
        expected.filter((h) => inQuiet.has(h.id)),
        'filtered',
      )
      if (kind === 'sqlite') {
        // The very scores of FTS5's bm25() over the same index, not only the order.
        const fts = await sql<{ id: number; rank: number }>`select item_id as id, -bm25(item_search) as rank
          from item_search where item_search match '"工作 作会 会议"' order by bm25(item_search) limit 20`.execute(
          t.deps.db,
        )
        expect(found.map((h) => [h.id, h.rank.toPrecision(12)])).toEqual(
          fts.rows.map((r) => [Number(r.id), Number(r.rank).toPrecision(12)]),
        )
      }
    })
  })

  test('a page is full though the best matches belong to items no longer published whose index rows remain', async () => {
    await withColumn(kind, undefined, async (t, officeId, column) => {
      // 80 items of different lengths (different scores); the best 45 withdrawn without leaving the index, more than a
      // first page's rows and margin (50) hold, so that the rows read first are mostly theirs.
      const ids: number[] = []
      for (let n = 0; n < 80; n++)
        ids.push(
          await addItem(
            t,
            officeId,
            column,
            n,
            `依申请公开。预算决算。${'各科室汇报了近期工作。'.repeat(n)}`,
            spreadOver('2025-06', n, 5),
          ),
        )
      await t.deps.db.updateTable('items').set({ status: 'withdrawn' }).where('id', 'in', ids.slice(0, 45)).execute()
      // Two words: every match is scored (the lists answer one part only).
      const shown = await searchItems(t.deps.db, kind, '依申请公开 预算决算', {}, 'relevance', 20, 0)
      expect(shown.map((h) => h.id)).toEqual(ids.slice(45, 65))
    })
  })

  test('a phrase that overlaps itself is walked from its list and counted where it overlaps (哈哈哈 twice in 哈哈哈哈)', async () => {
    await withColumn(kind, 8, async (t, officeId, column) => {
      const texts = new Map<number, string>()
      // 哈哈 is in every item: a third hold 哈哈哈哈 (哈哈哈 twice, overlapping) a different number of times, the others
      // 哈哈 once. The list of 哈哈 (8 kept) is trimmed, so the walk must count the phrase in each document it reads.
      for (let n = 0; n < 60; n++) {
        const text =
          n % 3 === 0
            ? `${'哈哈哈哈，'.repeat(1 + ((n / 3) % 4))}${'工作会议。'.repeat(1 + (n % 5))}`
            : `哈哈。${'工作会议。'.repeat(1 + (n % 4))}`
        const at = spreadOver('2025', n, 6)
        texts.set(await addItem(t, officeId, column, n, text, at), text)
      }
      const list = await t.deps.db
        .selectFrom('search_grams')
        .selectAll()
        .where('gram', '=', '哈哈')
        .executeTakeFirstOrThrow()
      expect(Number(list.spill)).toBeGreaterThan(0)
      const part = queryParts('哈哈哈')[0]!
      const answered = await walkLists(t.deps.db, kind, part, sql`i.status = 'published'`, 5, (docs) =>
        engineOf(kind).occurrencesIn(t.deps.db, docs, part),
      )
      expect(answered, 'answered from the list of 哈哈').toBeDefined()
      expectSameRanking(answered!.slice(0, 5), reference(texts, '哈哈哈').slice(0, 5), '哈哈哈')
    })
  })

  test('scoring every match counts a number, a prefix and a phrase wherever they stand, the last token of an item included', async () => {
    await withColumn(kind, undefined, async (t, officeId, column) => {
      const texts = new Map<number, string>()
      const all = [
        '预算工作2025',
        '2025年预算工作',
        '会议2025，2025',
        '哈哈哈',
        '工作哈哈哈哈',
        '哈哈哈，会议，预算工作',
        '预算',
        '会议纪要',
      ]
      for (const [n, text] of all.entries())
        texts.set(await addItem(t, officeId, column, n, text, spreadOver('2025-04', n, 2)), text)
      for (const q of ['2025', '哈哈哈', '预', '预算工作', '会议 2025']) {
        const found = await engineOf(kind).scoredAll(
          t.deps.db,
          { parts: queryParts(q), where: sql`i.status = 'published'`, filtered: false },
          20,
        )
        expectSameRanking(found, reference(texts, q), q)
        expect(found.length, q).toBe(reference(texts, q).length)
      }
    })
  })

  test('a phrase is counted in an item whose publication time was stored without a zone, whatever the zone the server runs in', async () => {
    const t = await testEnv(kind)
    const zone = process.env.TZ
    // Read as local time by JavaScript, as UTC by SQLite's date functions: the item's index rows must be found all
    // the same (the walk would otherwise count the phrase 0 times there and leave the item out).
    process.env.TZ = 'Asia/Shanghai'
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      const id = await addItem(t, officeId, column, 1, '中小企业服务。扶持中小企业。', '2025-03-01 10:00:00')
      const part = queryParts('中小企业')[0]!
      const counts = await engineOf(kind).occurrencesIn(t.deps.db, [id * 256], part)
      expect(counts.get(id * 256)).toBe(2)
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
      await t.close()
    }
  })

  test('an old item that matches far better than thousands of newer ones ranks first', async () => {
    await withColumn(kind, undefined, async (t, officeId, column) => {
      const old = await addItem(
        t,
        officeId,
        column,
        0,
        '依申请公开工作规程。依申请公开的受理、办理和答复。',
        '2021-01-04T01:00:00.000Z',
      )
      // 2,100 newer items that mention it in passing, written 300 to a transaction.
      for (let from = 1; from <= 2100; from += 300)
        await t.deps.db.transaction().execute(async (trx) => {
          for (let n = from; n < from + 300; n++)
            await addItem(
              t,
              officeId,
              column,
              n,
              `第${n}期工作动态：本月召开会议${n % 3 ? '，研究安全生产' : ''}，会上提到依申请公开。${'各科室汇报了近期工作。'.repeat(1 + (n % 4))}`,
              spreadOver('2025', n, n % 10),
              { db: trx },
            )
        })
      const found = await searchItems(t.deps.db, t.deps.kind, '依申请公开', {}, 'relevance', 20, 0)
      expect(found[0]?.id).toBe(old)
      expect((await searchItems(t.deps.db, t.deps.kind, '依申', {}, 'relevance', 20, 0))[0]?.id).toBe(old)
    })
  }, 300_000)

  test('items numbered past 8,388,607 get their lists when the lists are rebuilt', async () => {
    await withColumn(kind, undefined, async (t, officeId, column) => {
      // item × 256 + chunk passes a 32-bit integer there: PostgreSQL's rebuild once paged by that product and failed.
      const texts = new Map<number, string>()
      for (const [k, id] of [9_000_000, 9_000_001, 9_000_002].entries()) {
        const text = `乡村振兴。${'乡村振兴工作。'.repeat(k)}`
        await addItem(t, officeId, column, k, text, '2025-02-01T01:00:00.000Z', { id })
        texts.set(id, text)
      }
      expect(await t.deps.db.transaction().execute((trx) => rebuildRanking(trx, kind))).toBe(3)
      const answered = await walkLists(t.deps.db, kind, queryParts('振兴')[0]!, sql`i.status = 'published'`, 3, () =>
        Promise.resolve(new Map()),
      )
      expect(answered?.map((h) => h.id)).toEqual(reference(texts, '振兴').map((h) => h.id))
    })
  })

  test('an index that existed before the relevance lists is ranked exactly at once and gets its lists when rebuilt', async () => {
    await withColumn(kind, undefined, async (t, officeId, column) => {
      const texts = new Map<number, string>()
      for (let n = 0; n < 40; n++) {
        const text = textOf(n, 5 + ((n * 13) % 60))
        texts.set(await addItem(t, officeId, column, n, text, spreadOver('2025-03', n, 1)), text)
      }
      await migrateTo(t.deps.db, kind, '2026-12-07-01-search-keys')
      await migrateToLatest(t.deps.db, kind)
      expect(await rankingNeedsRebuild(t.deps.db, kind)).toBe(true)
      const part = queryParts('公开')[0]!
      expect(
        await walkLists(t.deps.db, kind, part, sql`i.status = 'published'`, 5, () => Promise.resolve(new Map())),
      ).toBeUndefined()
      expectSameRanking(
        await searchItems(t.deps.db, kind, '公开', {}, 'relevance', 10, 0),
        reference(texts, '公开').slice(0, 10),
        '公开',
      )
      expect(await t.deps.db.transaction().execute((trx) => rebuildRanking(trx, kind))).toBe(40)
      expect(await rankingNeedsRebuild(t.deps.db, kind)).toBe(false)
      // Counted afresh: the index from before the lists kept no counts.
      await expectStatsOf(t, texts)
      expect(
        await walkLists(t.deps.db, kind, part, sql`i.status = 'published'`, 5, () => Promise.resolve(new Map())),
      ).toHaveLength(reference(texts, '公开').length)
      expectSameRanking(
        await searchItems(t.deps.db, kind, '公开', {}, 'relevance', 10, 0),
        reference(texts, '公开').slice(0, 10),
        '公开 rebuilt',
      )
    })
  })
})
