import { CompiledQuery, sql } from 'kysely'
import type { Compilable } from 'kysely'
import { describe, expect, test } from 'vitest'
import type { Deps } from '../src/deps.ts'
import {
  cataloguePageQuery,
  columnHopQuery,
  columnStats,
  dueItemsQuery,
  listColumns,
} from '../src/disclosures/disclosure.store.ts'
import type { CatalogueFilter } from '../src/disclosures/disclosure.store.ts'
import { publishDueItems } from '../src/disclosures/disclosure.service.ts'
import { countCatalogue, itemsNamedQuery } from '../src/portal/portal.store.ts'
import { sitemapNumbersOf, sitemapPathsOf } from '../src/portal/portal.service.ts'
import { createAgency } from '../src/agencies/agency.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { testApp } from './support/app.ts'
import { buildActor, buildItem } from './support/build-item.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #15 §2: at a million items the catalogue pages by key instead of by offset, the sitemap is an index of
// sitemaps that reaches the newest items, the scheduler and the column statistics read indexes, never the table.

type Seeded = { id: number; published_at: string; genre: string | null; status: string; column_id: number }

/** Items inserted as they would stand after years of publishing: `n` of them, many sharing a publication date. */
async function insertItems(
  deps: Deps,
  agencyId: number,
  columnIds: readonly number[],
  n: number,
  shape: (k: number) => { date: number; status?: string; genre?: string | null } = (k) => ({ date: k % 4 }),
): Promise<Seeded[]> {
  const rows = Array.from({ length: n }, (_, k) => {
    const s = shape(k)
    return {
      agency_id: agencyId,
      column_id: columnIds[k % columnIds.length]!,
      index_number: `T${agencyId}/${String(k).padStart(7, '0')}`,
      title: `测试信息${k}`,
      formed_on: '2026-01-01',
      genre: s.genre === undefined ? '通知' : s.genre,
      body: '<p>正文</p>',
      validity: 'valid',
      status: s.status ?? 'published',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      published_at: new Date(Date.UTC(2025, 0, 1 + s.date, 1)).toISOString(),
    }
  })
  const out: Seeded[] = []
  for (let start = 0; start < rows.length; start += 1000) {
    const batch = rows.slice(start, start + 1000)
    const ids = await deps.db.insertInto('items').values(batch).returning('id').execute()
    ids.forEach((r, k) => out.push({ id: r.id, ...batch[k]! }))
  }
  return out
}

/** Every path a sitemap lists, its slices joined. */
async function pathsOf(slices: AsyncGenerator<string[]>): Promise<string[]> {
  const all: string[] = []
  for await (const slice of slices) all.push(...slice)
  return all
}

/** Newest first, ties by id descending: the catalogue's order. */
const catalogueOrder = (items: Seeded[]) =>
  items
    .filter((i) => i.status === 'published')
    .sort((a, b) => (a.published_at === b.published_at ? b.id - a.id : a.published_at < b.published_at ? 1 : -1))
    .map((i) => i.id)

const itemIdsOn = (html: string) =>
  [...html.matchAll(/<td data-label="名称"><a href="\/items\/(\d+)"/g)].map((m) => Number(m[1]))
const linkOf = (html: string, text: string) =>
  [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].find((m) => m[2] === text)?.[1]?.replace(/&amp;/g, '&')

describe.each(databaseKinds)('the catalogue and sitemaps at scale on %s', (kind) => {
  test('following 下一页 lists every published item exactly once, newest first, though hundreds share a date; 上一页 goes back', async () => {
    const t = await testApp(kind)
    try {
      const columns = (await listColumns(t.deps.db, t.officeId)).filter((c) => c.class !== 'guide').map((c) => c.id)
      // 4 dates for 230 items: every page boundary falls inside a run of equal dates; some withdrawn, some drafts.
      const items = await insertItems(t.deps, t.officeId, columns.slice(0, 3), 230, (k) => ({
        date: k % 4,
        status: k % 17 === 0 ? 'withdrawn' : k % 19 === 0 ? 'draft' : 'published',
      }))
      const expected = catalogueOrder(items)
      const pages: number[][] = []
      let url: string | undefined = '/catalogue'
      let html = ''
      while (url) {
        const res = await t.app.inject(url)
        expect(res.statusCode, url).toBe(200)
        html = res.body
        pages.push(itemIdsOn(html))
        url = linkOf(html, '下一页')
      }
      expect(pages.flat()).toEqual(expected)
      expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, expected.length - 200])
      expect(html).toContain(`共 ${expected.length} 条信息`)
      // Back from the last page: 上一页 shows the fourth page again, and from the second the first (without 上一页).
      const back = (await t.app.inject(linkOf(html, '上一页')!)).body
      expect(itemIdsOn(back)).toEqual(pages[3])
      let second = (await t.app.inject('/catalogue')).body
      second = (await t.app.inject(linkOf(second, '下一页')!)).body
      const first = (await t.app.inject(linkOf(second, '上一页')!)).body
      expect(itemIdsOn(first)).toEqual(pages[0])
      expect(linkOf(first, '上一页')).toBeUndefined()
      // The old numbered links still answer, with the first page.
      expect(itemIdsOn((await t.app.inject('/catalogue?page=500')).body)).toEqual(pages[0])
    } finally {
      await t.close()
    }
  })

  test('the agency catalogue pages keep their filters (column, genre, year) from page to page', async () => {
    const t = await testApp(kind)
    try {
      const columns = (await listColumns(t.deps.db, t.officeId)).filter((c) => c.class !== 'guide').map((c) => c.id)
      const items = await insertItems(t.deps, t.officeId, columns.slice(0, 2), 400, (k) => ({
        date: k % 3 === 0 ? 400 : k % 5, // 2026-02-05 for a third of them, 2025 for the rest
        genre: k % 2 === 0 ? '通知' : '公告',
      }))
      const column = columns[0]!
      const wanted = catalogueOrder(
        items.filter((i) => i.column_id === column && i.genre === '通知' && i.published_at.startsWith('2025')),
      )
      let url: string | undefined =
        `/agencies/${t.officeId}/catalogue?column=${column}&genre=${encodeURIComponent('通知')}&year=2025`
      const seen: number[] = []
      while (url) {
        const html = (await t.app.inject(url)).body
        seen.push(...itemIdsOn(html))
        url = linkOf(html, '下一页')
      }
      expect(seen).toEqual(wanted)
      expect(wanted.length).toBeGreaterThan(100)

      // Another agency's column in an edited link filters nothing: the page is this agency's catalogue.
      const otherId = await createAgency(t.deps, systemActor(), {
        name: '垫江县司法局',
        creditCode: '11500231MB1530120U',
        level: '县级',
        kind: '政府部门',
        parentId: null,
      })
      const [foreign] = await listColumns(t.deps.db, otherId)
      const [theirs] = await insertItems(t.deps, otherId, [foreign!.id], 1, () => ({ date: 900 }))
      const edited = (await t.app.inject(`/agencies/${t.officeId}/catalogue?column=${foreign!.id}`)).body
      expect(itemIdsOn(edited)).toEqual(catalogueOrder(items).slice(0, 50))
      expect(itemIdsOn(edited)).not.toContain(theirs!.id)
    } finally {
      await t.close()
    }
  })

  test('the sitemap index lists every published item, the newest included, in sitemaps of at most the set size', async () => {
    const t = await testApp(kind)
    try {
      const columns = (await listColumns(t.deps.db, t.officeId)).map((c) => c.id)
      // Ids 1–60; 15–35 are not published, so the sitemap of ids 15–21 (size 7) has nothing and is left out.
      const items = await insertItems(t.deps, t.officeId, columns, 60, (k) => ({
        date: k,
        status: k >= 14 && k < 35 ? 'draft' : k === 50 ? 'withdrawn' : 'published',
      }))
      const published = items.filter((i) => i.status === 'published').map((i) => i.id)
      const numbers = await sitemapNumbersOf(t.deps, 7)
      const files = await Promise.all(numbers.map((n) => pathsOf(sitemapPathsOf(t.deps, n, 7))))
      const listed = files.slice(1).flat()
      expect(listed.sort()).toEqual(published.map((id) => `/items/${id}`).sort())
      for (const f of files.slice(1)) {
        expect(f.length).toBeGreaterThan(0)
        expect(f.length).toBeLessThanOrEqual(7)
      }
      expect(listed).toContain(`/items/${Math.max(...published)}`)
      expect(files[0]).toContain('/catalogue')
      expect(files[0]).toContain(`/agencies/${t.officeId}`)
    } finally {
      await t.close()
    }
  })

  test('over 50,000 items the sitemap index leads to every one, the newest included, 50,000 a file at most', async () => {
    const t = await testApp(kind, { env: { PUBLIC_URL: 'https://gk.example.gov.cn' } })
    try {
      const [column] = await listColumns(t.deps.db, t.officeId)
      const items = await insertItems(t.deps, t.officeId, [column!.id], 50_010, (k) => ({ date: k % 1000 }))
      const index = await t.app.inject('/sitemap.xml')
      expect(index.statusCode).toBe(200)
      expect(index.body).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
      const locs = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!)
      expect(locs.every((l) => /^https:\/\/gk\.example\.gov\.cn\/sitemaps\/\d+\.xml$/.test(l))).toBe(true)
      const urls: string[] = []
      for (const loc of locs) {
        const res = await t.app.inject(loc.replace('https://gk.example.gov.cn', ''))
        expect(res.statusCode, loc).toBe(200)
        const inFile = [...res.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!)
        expect(inFile.length, loc).toBeLessThanOrEqual(50_000)
        urls.push(...inFile)
      }
      const itemUrls = new Set(urls.filter((u) => u.includes('/items/')))
      expect(itemUrls.size).toBe(items.length)
      expect(itemUrls.has(`https://gk.example.gov.cn/items/${items.at(-1)!.id}`)).toBe(true)
    } finally {
      await t.close()
    }
  }, 120_000)

  test('the scheduler publishes the items whose time has come, and only those', async () => {
    const t = await testApp(kind)
    try {
      const publisher = await buildActor(t.deps, ['publisher'])
      const due = await buildItem(t.deps, { title: '到期的定时发布', until: 'approved' })
      const later = await buildItem(t.deps, { title: '尚未到期的定时发布', until: 'approved' })
      const now = t.clock.now().getTime()
      for (const [id, at] of [
        [due.id, now - 60_000],
        [later.id, now + 3600_000],
      ] as const)
        await t.deps.db
          .updateTable('items')
          .set({ scheduled_at: new Date(at).toISOString(), scheduled_by: publisher.id })
          .where('id', '=', id)
          .execute()
      expect(await publishDueItems(t.deps)).toBe(1)
      const status = async (id: number) =>
        (await t.deps.db.selectFrom('items').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
      expect(await status(due.id)).toBe('published')
      expect(await status(later.id)).toBe('approved')
    } finally {
      await t.close()
    }
  })

  test('column statistics count every published item of a column, however many counting steps that takes', async () => {
    const t = await testApp(kind)
    try {
      const columns = (await listColumns(t.deps.db, t.officeId)).filter(
        (c) => c.class === 'news' || c.class === 'notice',
      )
      const [big, small] = columns
      const items = await insertItems(t.deps, t.officeId, [big!.id, big!.id, big!.id, small!.id], 100, (k) => ({
        date: k % 6,
        status: k % 9 === 0 ? 'withdrawn' : 'published',
      }))
      const expected = (column: number) =>
        items.filter((i) => i.column_id === column && i.status === 'published').length
      for (const step of [7, 67, 20_000]) {
        const stats = await columnStats(t.deps.db, t.officeId, step)
        const of = (id: number) => stats.find((s) => s.id === id)!
        expect(of(big!.id).published, `step ${step}`).toBe(expected(big!.id))
        expect(of(small!.id).published, `step ${step}`).toBe(expected(small!.id))
        expect(of(big!.id).lastPublishedAt).toBe(new Date(Date.UTC(2025, 0, 6, 1)).toISOString())
      }
    } finally {
      await t.close()
    }
  })

  test('an interpretation finds the policies it names by 文号 or title through their indexes, not a scan of every item', async () => {
    const t = await testApp(kind)
    try {
      const columns = (await listColumns(t.deps.db, t.officeId)).filter((c) => c.class !== 'guide').map((c) => c.id)
      await insertItems(t.deps, t.officeId, columns.slice(0, 3), 3000, (k) => ({ date: k % 300 }))
      if (kind === 'postgres') await sql`analyze items`.execute(t.deps.db)
      const q = itemsNamedQuery(t.deps.db, ['渝府发〔2025〕3号'], ['重庆市政府信息公开办法实施细则'], [7, 8])
      const plan = await planOf(t.deps, q, true)
      if (process.env.SHOW_PLANS) console.log(plan)
      expect(plan).not.toMatch(/SCAN items|Seq Scan on items/)
      expect(plan).toMatch(/items_title/)
      expect(plan).toMatch(/items_doc_number/)
    } finally {
      await t.close()
    }
  })

  test('the catalogue, scheduler, sitemap and column-statistics queries seek an index in the order they answer', async () => {
    const t = await testApp(kind)
    try {
      const db = t.deps.db
      const key = { published_at: '2025-01-03T01:00:00.000Z', id: 12 }
      const filters: CatalogueFilter[] = [
        {},
        { agencyId: 1 },
        { genre: '通知' },
        { year: 2025 },
        { agencyId: 1, genre: '通知', year: 2025 },
        { genre: '通知', year: 2025 },
        { agencyId: 1, columnId: 3 },
        { agencyId: 1, columnId: 3, genre: '通知', year: 2025 },
      ]
      // Each query with the equalities its index must seek on (SQLite names them in the plan: "genre=?").
      const queries: [string, Compilable, string[]][] = []
      for (const f of filters)
        for (const from of [{}, { after: key }, { before: key }]) {
          const seeks = [f.columnId ? 'column_id' : f.agencyId ? 'agency_id' : 'status', ...(f.genre ? ['genre'] : [])]
          const name = `catalogue ${JSON.stringify(f)} ${Object.keys(from).join('') || 'first'}`
          queries.push([name, cataloguePageQuery(db, f, 51, from), seeks])
        }
      queries.push(['scheduler', dueItemsQuery(db, '2026-03-02T02:00:00.000Z'), ['status', 'scheduled_at']])
      queries.push(['column count hop', columnHopQuery(db, 3, 20_000, key), ['column_id', 'status']])
      queries.push([
        'sitemap ids',
        db
          .selectFrom('items')
          .select('id')
          .where('status', '=', 'published')
          .where('id', '>', 0)
          .where('id', '<=', 50_000)
          .orderBy('id')
          .limit(10_000),
        ['status'],
      ])
      for (const [name, q, seeks] of queries) {
        const plan = await planOf(t.deps, q)
        if (process.env.SHOW_PLANS) console.log(name, '\n', plan)
        expect(plan, name).not.toMatch(/SCAN items|TEMP B-TREE|Seq Scan on items|Sort/)
        expect(plan, name).toMatch(/items_|Index/)
        if (t.deps.kind === 'sqlite')
          for (const column of seeks) expect(plan, name).toMatch(new RegExp(`\\b${column}[=<>]`))
      }
      // The catalogue's total reads at most its cap of index entries.
      expect(await countCatalogue(db, {})).toBe(0)
    } finally {
      await t.close()
    }
  })
})

/** The engine's plan of a query, as text: EXPLAIN QUERY PLAN on SQLite, EXPLAIN with sorts and table scans priced out on PostgreSQL (its tables here are tiny). */
async function planOf(deps: Deps, q: Compilable, sortFound = false): Promise<string> {
  const { sql: text, parameters } = q.compile()
  if (deps.kind === 'sqlite') {
    const r = await deps.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw('explain query plan ' + text, [...parameters]),
    )
    return r.rows.map((row) => row.detail).join('\n')
  }
  return deps.db.transaction().execute(async (trx) => {
    await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'))
    // A query that sorts the few rows it finds (sortFound) may sort; the others must read in order.
    if (!sortFound) await trx.executeQuery(CompiledQuery.raw('set local enable_sort = off'))
    const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw('explain ' + text, [...parameters]))
    return r.rows.map((row) => row['QUERY PLAN']).join('\n')
  })
}
