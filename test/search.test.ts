import { describe, expect, test } from 'vitest'
import { listColumns } from '../src/disclosures/disclosure.store.ts'
import { repairSearchIndex, searchableText } from '../src/disclosures/disclosure.service.ts'
import { normaliseText } from '../src/reports/import/normalize.ts'
import {
  countSearchItems,
  indexItemText,
  indexItemsText,
  searchItems,
  unindexItem,
} from '../src/search/search.store.ts'
import { migrateTo, migrateToLatest } from '../src/storage/migrate.ts'
import { publishedItemRow, setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Search is exact: for every query, the items found are the items a brute-force substring scan
// finds over the same text, on both databases.

const phrases = [
  '政府信息公开',
  '预算决算',
  '依申请公开',
  '行政许可',
  '政策解读',
  '法治宣传',
  '公共服务',
  '信息',
  '公开',
  '申请',
  '预算',
  '安全生产',
  '乡村振兴',
  '2024年',
  'budget',
  '招投标公告',
]
function textOf(n: number): string {
  let s = ''
  let x = n * 7919 + 13
  for (let i = 0; i < 12; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    s += phrases[x % phrases.length] + (x % 3 === 0 ? '，' : '')
  }
  return s
}
const queries = [
  '公',
  '申',
  '算',
  '开',
  '信息',
  '公开',
  '预算',
  '府信',
  '依申请',
  '政府信息公开',
  '政府信息公开申请',
  '法治',
  '振兴乡村',
  'budget',
  '预算 budget',
  '2024',
  '不存在的词',
]

type Env = Awaited<ReturnType<typeof testEnv>>
/** Inserts a published item straight into `items`, not indexed; returns its id. */
async function insertPublished(t: Env, fields: Parameters<typeof publishedItemRow>[0]): Promise<number> {
  const row = await t.deps.db
    .insertInto('items')
    .values(publishedItemRow(fields))
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
/** A published item, indexed as publication indexes it. */
async function addItem(
  t: Env,
  officeId: number,
  column: number,
  n: number,
  title: string,
  body: string,
  day: number,
): Promise<number> {
  const item = { title, doc_number: null, keywords: null, summary: null, body }
  const publishedAt = `2026-03-${String(day).padStart(2, '0')}T08:00:00.000Z`
  const index_number = `R/2026-${String(n).padStart(5, '0')}`
  const id = await insertPublished(t, {
    agency_id: officeId,
    column_id: column,
    index_number,
    ...item,
    published_at: publishedAt,
  })
  await indexItemText(t.deps.db, t.deps.kind, id, publishedAt, searchableText(item))
  return id
}

describe.each(databaseKinds)('search on %s', (kind) => {
  test('by relevance, an item about the query comes before one that mentions it in passing', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      const passing = await addItem(
        t,
        officeId,
        column,
        1,
        '本局召开年度工作会议',
        `会议总结了全年工作，研究部署了明年重点任务，其中提到乡村振兴。${'会议还听取了各科室的工作汇报。'.repeat(8)}`,
        20,
      )
      const about = await addItem(
        t,
        officeId,
        column,
        2,
        '乡村振兴工作简报',
        '本期简报介绍乡村振兴示范村建设、乡村振兴产业项目和乡村振兴人才培养情况。',
        10,
      )
      const both = await addItem(t, officeId, column, 3, '乡村振兴与法治宣传', '法治宣传进村入户，服务乡村振兴。', 5)
      expect((await searchItems(t.deps.db, t.deps.kind, '乡村振兴', {}, 'relevance')).map((h) => h.id)).toEqual([
        about,
        both,
        passing,
      ])
      // By date the newest comes first whatever it says.
      expect((await searchItems(t.deps.db, t.deps.kind, '乡村振兴', {}, 'date')).map((h) => h.id)).toEqual([
        passing,
        about,
        both,
      ])
      // Two parts: the item that holds the rarer word more often wins.
      expect((await searchItems(t.deps.db, t.deps.kind, '乡村振兴 法治', {}, 'relevance')).map((h) => h.id)).toEqual([
        both,
      ])
    } finally {
      await t.close()
    }
  })

  test('a filtered search by relevance finds older items of the filter even when newer matches elsewhere fill the ranked window', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const columns = await listColumns(t.deps.db, officeId)
      const busy = columns.find((c) => c.name === '部门动态')!.id
      const quiet = columns.find((c) => c.name === '通知公告')!.id
      const old = [
        await addItem(t, officeId, quiet, 1, '关于预算公开的通知', '预算公开。', 1),
        await addItem(t, officeId, quiet, 2, '预算执行情况公告', '预算。', 2),
      ]
      for (let n = 0; n < 6; n++) await addItem(t, officeId, busy, 10 + n, `预算动态第${n}期`, '预算工作动态。', 10 + n)
      // The newest matches overall are all in the busy column.
      const found = await searchItems(t.deps.db, t.deps.kind, '预算', { columnId: quiet }, 'relevance', 20, 0)
      expect(found.map((h) => h.id).sort((a, b) => a - b)).toEqual(old)
    } finally {
      await t.close()
    }
  })

  test('finds exactly the items a substring scan finds, for 1-, 2- and longer queries and mixed text', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      const texts = new Map<number, string>()
      for (let n = 0; n < 80; n++) {
        const item = {
          title: `第${n}号 ${textOf(n).slice(0, 20)}`,
          doc_number: null,
          keywords: null,
          summary: null,
          body: textOf(n + 1000),
        }
        const row = await t.deps.db
          .insertInto('items')
          .values(
            publishedItemRow({
              agency_id: officeId,
              column_id: column,
              index_number: `X/2026-${String(n).padStart(5, '0')}`,
              ...item,
              status: n % 10 === 9 ? 'draft' : 'published',
              published_at: `2026-02-${String((n % 27) + 1).padStart(2, '0')}T00:00:00.000Z`,
            }),
          )
          .returning('id')
          .executeTakeFirstOrThrow()
        if (n % 10 !== 9) {
          await indexItemText(
            t.deps.db,
            t.deps.kind,
            row.id,
            `2026-02-${String((n % 27) + 1).padStart(2, '0')}T00:00:00.000Z`,
            searchableText(item),
          )
          texts.set(row.id, normaliseText(searchableText(item)).toLowerCase())
        }
      }
      for (const q of queries) {
        const words = q.toLowerCase().split(/\s+/)
        const expected = [...texts.entries()]
          .filter(([, text]) => words.every((w) => text.includes(w)))
          .map(([id]) => id)
          .sort((a, b) => a - b)
        const found = (await searchItems(t.deps.db, t.deps.kind, q, {}, 'relevance', 1000))
          .map((h) => h.id)
          .sort((a, b) => a - b)
        expect(found, q).toEqual(expected)
        const byDate = await searchItems(t.deps.db, t.deps.kind, q, {}, 'date', 1000)
        expect(
          byDate.map((h) => h.id).sort((a, b) => a - b),
          q,
        ).toEqual(expected)
        // Newest first.
        const dates = await Promise.all(
          byDate.map(
            async (h) =>
              (
                await t.deps.db
                  .selectFrom('items')
                  .select('published_at')
                  .where('id', '=', h.id)
                  .executeTakeFirstOrThrow()
              ).published_at!,
          ),
        )
        expect(dates, q).toEqual([...dates].sort().reverse())
      }
      expect(texts.size).toBe(72)
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('search index keys on %s', (kind) => {
  // Old-site imports put every item without a time at 09:00 of its day, so many items share a
  // second; ids 65,536 apart once shared an index key and the newer one's indexing removed the older.
  test('a search inside a transaction finds what that transaction has just published, and its count too', async () => {
    // On SQLite a search that reads every match runs on a reader thread with its own connection (issue #15), which
    // cannot see a transaction's own writes: inside a transaction the search stays on the transaction.
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId))[0]!.id
      await addItem(t, officeId, column, 1, '关于政务公开培训的通知', '定于本月开展培训。', 2)
      const rollback = new Error('rollback')
      await expect(
        t.deps.db.transaction().execute(async (trx) => {
          const publishedAt = '2026-03-03T08:00:00.000Z'
          const row = await trx
            .insertInto('items')
            .values(
              publishedItemRow({
                agency_id: officeId,
                column_id: column,
                index_number: 'R/2026-99999',
                title: '关于鹭洲湾湿地保护的公告',
                body: '鹭洲湾湿地保护范围。',
                published_at: publishedAt,
              }),
            )
            .returning('id')
            .executeTakeFirstOrThrow()
          await indexItemText(trx, kind, row.id, publishedAt, '关于鹭洲湾湿地保护的公告\n鹭洲湾湿地保护范围。')
          // A rare phrase: fewer matches than a page, so every match is scored.
          expect((await searchItems(trx, kind, '鹭洲湾', {}, 'relevance')).map((h) => h.id)).toEqual([row.id])
          expect(await countSearchItems(trx, kind, '鹭洲湾', {})).toBe(1)
          throw rollback
        }),
      ).rejects.toBe(rollback)
      expect(await searchItems(t.deps.db, kind, '鹭洲湾', {}, 'relevance')).toEqual([])
      expect(await countSearchItems(t.deps.db, kind, '鹭洲湾', {})).toBe(0)
      expect((await searchItems(t.deps.db, kind, '政务公开培训', {}, 'relevance')).length).toBe(1)
    } finally {
      await t.close()
    }
  })

  test('two items published in the same second whose ids differ by 65,536 are both found', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      const at = '2024-05-10T01:00:00.000Z'
      const ids: number[] = []
      for (const [k, id] of [100_001, 100_001 + 65_536].entries()) {
        const item = {
          title: `乡村振兴简报第${k + 1}期`,
          doc_number: null,
          keywords: null,
          summary: null,
          body: '乡村振兴。',
        }
        const index_number = `K/2024-${String(k).padStart(5, '0')}`
        await insertPublished(t, {
          id,
          agency_id: officeId,
          column_id: column,
          index_number,
          ...item,
          published_at: at,
        })
        await indexItemText(t.deps.db, t.deps.kind, id, at, searchableText(item))
        ids.push(id)
      }
      for (const order of ['relevance', 'date'] as const) {
        const found = (await searchItems(t.deps.db, t.deps.kind, '乡村振兴', {}, order)).map((h) => h.id)
        expect(
          found.sort((a, b) => a - b),
          order,
        ).toEqual(ids)
      }
      // Re-indexing one (an edit) and removing the other leave exactly the right one.
      await indexItemText(t.deps.db, t.deps.kind, ids[0]!, at, '乡村振兴简报第1期 修订')
      await unindexItem(t.deps.db, t.deps.kind, ids[1]!, at)
      expect((await searchItems(t.deps.db, t.deps.kind, '振兴', {}, 'date')).map((h) => h.id)).toEqual([ids[0]])
      expect((await searchItems(t.deps.db, t.deps.kind, '修订', {}, 'date')).map((h) => h.id)).toEqual([ids[0]])
    } finally {
      await t.close()
    }
  })

  test('an item indexed again within an import batch keeps only its new text, and is counted once', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      const at = '2024-06-01T02:00:00.000Z'
      const ids: number[] = []
      for (const k of [0, 1]) {
        const index_number = `R/2024-${String(k).padStart(5, '0')}`
        const title = `营商环境简报第${k + 1}期`
        ids.push(
          await insertPublished(t, {
            agency_id: officeId,
            column_id: column,
            index_number,
            title,
            body: '营商环境。',
            published_at: at,
          }),
        )
      }
      await indexItemText(t.deps.db, kind, ids[0]!, at, '营商环境简报第1期 初稿')
      // The batch of an import that corrects the first item and brings the second.
      await t.deps.db.transaction().execute((trx) =>
        indexItemsText(trx, kind, [
          { itemId: ids[0]!, publishedAt: at, text: '营商环境简报第1期 修订稿' },
          { itemId: ids[1]!, publishedAt: at, text: '营商环境简报第2期' },
        ]),
      )
      expect(await searchItems(t.deps.db, kind, '初稿', {}, 'date')).toEqual([])
      expect((await searchItems(t.deps.db, kind, '修订', {}, 'date')).map((h) => h.id)).toEqual([ids[0]])
      expect(await countSearchItems(t.deps.db, kind, '营商环境', {})).toBe(2)
      const rows = await t.deps.db.selectFrom('item_search').select('item_id').execute()
      expect(rows.map((r) => Number(r.item_id)).sort((a, b) => a - b)).toEqual(ids)
      const stats = await t.deps.db.selectFrom('search_stats').select('docs').executeTakeFirstOrThrow()
      expect(Number(stats.docs)).toBe(2)
    } finally {
      await t.close()
    }
  })

  test('an item long enough to be indexed in several chunks is found and counted once, whatever the filter', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      const at = '2024-07-01T02:00:00.000Z'
      // 30,000 characters: three chunks of the index (12,000 tokens each), each holding 营商环境; and a short item.
      const long = '营商环境优化。'.repeat(4_300)
      const ids: number[] = []
      for (const [k, body] of [long, '营商环境简报。'].entries()) {
        const index_number = `L/2024-${String(k).padStart(5, '0')}`
        const id = await insertPublished(t, {
          agency_id: officeId,
          column_id: column,
          index_number,
          title: `第${k + 1}期`,
          body,
          published_at: at,
        })
        await indexItemText(t.deps.db, kind, id, at, body)
        ids.push(id)
      }
      const rows = await t.deps.db.selectFrom('item_search').select('item_id').where('item_id', '=', ids[0]!).execute()
      expect(rows.length).toBeGreaterThanOrEqual(3)
      expect(await countSearchItems(t.deps.db, kind, '营商环境', {})).toBe(2)
      expect(await countSearchItems(t.deps.db, kind, '营商环境', { agencyId: officeId })).toBe(2)
      expect(await countSearchItems(t.deps.db, kind, '优化', { year: 2024 })).toBe(1)
      for (const order of ['relevance', 'date'] as const)
        expect(
          (await searchItems(t.deps.db, kind, '营商环境', {}, order)).map((h) => h.id).sort((a, b) => a - b),
        ).toEqual(ids)
    } finally {
      await t.close()
    }
  })

  test('an item so long that its matching chunks outnumber the rows a page reads does not push the other matches off the page', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      // A page of 2 takes 2 × 2 + 10 = 14 rows; the newest item has 16 chunks (190,000 tokens), each holding both words.
      const long = '营商环境优化。'.repeat(32_000)
      const items: [string, string][] = [
        ['营商环境简报。优化服务。', '2024-03-01T02:00:00.000Z'],
        [long, '2024-07-01T02:00:00.000Z'],
      ]
      const ids: number[] = []
      for (const [k, [body, at]] of items.entries()) {
        const id = await insertPublished(t, {
          agency_id: officeId,
          column_id: column,
          index_number: `M/2024-${String(k).padStart(5, '0')}`,
          title: `第${k + 1}期`,
          body,
          published_at: at,
        })
        await indexItemText(t.deps.db, kind, id, at, body)
        ids.push(id)
      }
      const chunks = await t.deps.db
        .selectFrom('item_search')
        .select('item_id')
        .where('item_id', '=', ids[1]!)
        .execute()
      expect(chunks.length).toBeGreaterThan(14)
      const [short, longId] = ids
      // Newest first: the long item, then the short one.
      expect((await searchItems(t.deps.db, kind, '营商环境', {}, 'date', 2)).map((h) => h.id)).toEqual([longId, short])
      // A filter and a query of two words take the paths that read rows per chunk on either engine.
      expect(
        (await searchItems(t.deps.db, kind, '营商环境 优化', { agencyId: officeId }, 'relevance', 2))
          .map((h) => h.id)
          .sort((a, b) => a! - b!),
      ).toEqual([short, longId].sort((a, b) => a! - b!))
      expect((await searchItems(t.deps.db, kind, '营商环境 优化', {}, 'date', 2)).map((h) => h.id)).toEqual([
        longId,
        short,
      ])
      // The second page holds the rest: nothing.
      expect(await searchItems(t.deps.db, kind, '营商环境', {}, 'date', 2, 2)).toEqual([])
    } finally {
      await t.close()
    }
  })

  test('published items that fell out of the index are listed by the migration and indexed again at start', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      const kept = await addItem(t, officeId, column, 1, '乡村振兴简报', '乡村振兴。', 3)
      const lost = await addItem(t, officeId, column, 2, '乡村振兴专报', '乡村振兴。', 4)
      // As the old keys did: the item's rows are gone from the index while it stays published.
      await unindexItem(t.deps.db, t.deps.kind, lost, '2026-03-04T08:00:00.000Z')
      expect((await searchItems(t.deps.db, t.deps.kind, '乡村振兴', {}, 'date')).map((h) => h.id)).toEqual([kept])
      await migrateTo(t.deps.db, kind, '2026-12-06-04-review-integrity')
      await migrateToLatest(t.deps.db, kind)
      // PostgreSQL never lost rows this way, so its migration lists nothing; the repair itself works on both.
      if (kind === 'postgres') await t.deps.db.insertInto('search_repair').values({ item_id: lost }).execute()
      expect(await repairSearchIndex(t.deps)).toBe(1)
      expect((await searchItems(t.deps.db, t.deps.kind, '乡村振兴', {}, 'date')).map((h) => h.id)).toEqual([lost, kept])
      expect(await t.deps.db.selectFrom('search_repair').selectAll().execute()).toEqual([])
      expect(await repairSearchIndex(t.deps)).toBe(0)
    } finally {
      await t.close()
    }
  })
})
