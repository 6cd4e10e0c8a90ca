import { describe, expect, test } from 'vitest'
import { listColumns } from '../src/disclosures/disclosure.store.ts'
import { searchableText } from '../src/disclosures/disclosure.service.ts'
import { normaliseText } from '../src/reports/import/normalize.ts'
import { indexItemText, searchItems } from '../src/search/search.store.ts'
import { setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Search is exact: for every query, the items found are the items a brute-force substring scan
// finds over the same text, on both databases.

const phrases = ['政府信息公开', '预算决算', '依申请公开', '行政许可', '政策解读', '法治宣传', '公共服务', '信息', '公开', '申请', '预算', '安全生产', '乡村振兴', '2024年', 'budget', '招投标公告']
function textOf(n: number): string {
  let s = ''
  let x = n * 7919 + 13
  for (let i = 0; i < 12; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    s += phrases[x % phrases.length] + (x % 3 === 0 ? '，' : '')
  }
  return s
}
const queries = ['公', '申', '算', '开', '信息', '公开', '预算', '府信', '依申请', '政府信息公开', '政府信息公开申请', '法治', '振兴乡村', 'budget', '预算 budget', '2024', '不存在的词']

describe.each(databaseKinds)('search on %s', (kind) => {
  test('finds exactly the items a substring scan finds, for 1-, 2- and longer queries and mixed text', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const column = (await listColumns(t.deps.db, officeId)).find((c) => c.name === '部门动态')!.id
      const texts = new Map<number, string>()
      for (let n = 0; n < 80; n++) {
        const item = { title: `第${n}号 ${textOf(n).slice(0, 20)}`, doc_number: null, keywords: null, summary: null, body: textOf(n + 1000) }
        const row = await t.deps.db.insertInto('items').values({
          agency_id: officeId, column_id: column, index_number: `X/2026-${String(n).padStart(5, '0')}`, ...item, formed_on: '2026-01-01', written_on: null, topic: null, genre: null,
          doc_kind: null, validity: 'valid', effective_on: null, repealed_on: null, lapsed_on: null, status: n % 10 === 9 ? 'draft' : 'published', findings: null, withdrawn_reason: null,
          created_by: null, created_at: 'x', updated_at: 'x', published_at: `2026-02-${String((n % 27) + 1).padStart(2, '0')}T00:00:00.000Z`, published_by: null,
        }).returning('id').executeTakeFirstOrThrow()
        if (n % 10 !== 9) {
          await indexItemText(t.deps.db, t.deps.kind, row.id, `2026-02-${String((n % 27) + 1).padStart(2, '0')}T00:00:00.000Z`, searchableText(item))
          texts.set(row.id, normaliseText(searchableText(item)).toLowerCase())
        }
      }
      for (const q of queries) {
        const words = q.toLowerCase().split(/\s+/)
        const expected = [...texts.entries()].filter(([, text]) => words.every((w) => text.includes(w))).map(([id]) => id).sort((a, b) => a - b)
        const found = (await searchItems(t.deps.db, t.deps.kind, q, {}, 'relevance', 1000)).map((h) => h.id).sort((a, b) => a - b)
        expect(found, q).toEqual(expected)
        const byDate = await searchItems(t.deps.db, t.deps.kind, q, {}, 'date', 1000)
        expect(byDate.map((h) => h.id).sort((a, b) => a - b), q).toEqual(expected)
        // Newest first.
        const dates = await Promise.all(byDate.map(async (h) => (await t.deps.db.selectFrom('items').select('published_at').where('id', '=', h.id).executeTakeFirstOrThrow()).published_at!))
        expect(dates, q).toEqual([...dates].sort().reverse())
      }
      expect(texts.size).toBe(72)
    } finally {
      await t.close()
    }
  })
})
