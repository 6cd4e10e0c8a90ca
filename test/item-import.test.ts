import { importBatchSize, importItems, readImportFile } from '../src/disclosures/item-import.ts'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseCsv } from '../src/disclosures/item-import.ts'
import { searchItems } from '../src/search/search.store.ts'
import { systemActor } from '../src/audit/audit.ts'
import { publishItem } from '../src/disclosures/disclosure.service.ts'
import { clearFindings } from '../src/disclosures/item-review.service.ts'

import { gongkai } from './support/cli.ts'
import { testApp } from './support/app.ts'
import { buildStaff, officeCreditCode, setUpRegion, signIn } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

test('CSV fields may hold commas, quotes and line breaks', () => {
  expect(parseCsv('a,b\n"x, y","他说""好""\n第二行"\n')).toEqual([
    ['a', 'b'],
    ['x, y', '他说"好"\n第二行'],
  ])
})

describe.each(databaseKinds)('importing items from an old site on %s', (kind) => {
  test('a file with a bad line imports nothing and names the line; a good one keeps the original dates, skips review, and holds back rows with scan findings', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-import-'))
    try {
      await setUpRegion(t.deps)
      // Staff write the column names in Chinese; the English field names of earlier files are accepted too.
      const header = '栏目,名称,发布日期,文号,正文\n'
      const bad = path.join(dir, 'bad.csv')
      writeFileSync(
        bad,
        `${header}部门动态,旧闻一,2021-05-06,,正文一\n不存在的栏目,旧闻二,2021-05-07,,正文二\n部门动态,旧闻三,明天,,正文三\n`,
      )
      const refused = await gongkai(['items', 'import', bad, '--agency', officeCreditCode], t.env)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('第 3 行：栏目“不存在的栏目”不存在')
      expect(refused.stderr).toContain('第 4 行：发布日期：发布日期格式应为')
      expect(await t.deps.db.selectFrom('items').selectAll().execute()).toEqual([])

      expect(readImportFile('column,title,publishedAt,body\n部门动态,旧闻,2021-05-06,正文\n', 'old.csv')).toEqual([
        { line: 2, value: { column: '部门动态', title: '旧闻', publishedAt: '2021-05-06', body: '正文' } },
      ])
      expect(
        readImportFile('[{"栏目":"部门动态","名称":"旧闻","发布日期":"2021-05-06","正文":"正文"}]', 'old.json'),
      ).toEqual([{ line: 1, value: { column: '部门动态', title: '旧闻', publishedAt: '2021-05-06', body: '正文' } }])
      const unknown = path.join(dir, 'unknown.csv')
      writeFileSync(unknown, '栏目,名称,发布日期,正文,备注\n部门动态,旧闻一,2021-05-06,正文一,无\n')
      const named = await gongkai(['items', 'import', unknown, '--agency', officeCreditCode], t.env)
      expect(named.code).toBe(1)
      expect(named.stderr).toContain('第 1 行：无法识别的列名 “备注”')

      const good = path.join(dir, 'good.csv')
      writeFileSync(
        good,
        `${header}部门动态,召开普法工作会议,2021-05-06 10:30,,"会议要求，各科室做好普法工作。"\n通知公告,关于值班安排的通知,2022-01-28,垫司发〔2022〕3号,值班电话 13912345678。\n`,
      )
      const ok = await gongkai(['items', 'import', good, '--agency', officeCreditCode], t.env)
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toContain('已导入 2 条信息')
      expect(ok.stdout).toContain('其中 1 条已公开')
      expect(ok.stdout).toContain(
        '第 3 行“关于值班安排的通知”保密审查发现：手机号码：139****5678（未公开，待保密审查人员解除后发布）',
      )
      const items = await t.deps.db
        .selectFrom('items')
        .select(['title', 'published_at', 'status', 'source', 'index_number'])
        .orderBy('id')
        .execute()
      expect(items).toEqual([
        {
          title: '召开普法工作会议',
          published_at: '2021-05-06T02:30:00.000Z',
          status: 'published',
          source: 'imported',
          index_number: `${officeCreditCode}/2021-00001`,
        },
        {
          title: '关于值班安排的通知',
          published_at: '2022-01-28T01:00:00.000Z',
          status: 'approved',
          source: 'imported',
          index_number: `${officeCreditCode}/2022-00001`,
        },
      ])
      expect((await searchItems(t.deps.db, t.deps.kind, '普法', {}, 'date')).length).toBe(1)
      expect((await searchItems(t.deps.db, t.deps.kind, '值班', {}, 'date')).length).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
      await t.close()
    }
  })
})

describe.each(databaseKinds)('the import page on %s', (kind) => {
  test('the office head uploads a JSON file of old items and sees what was imported', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const json = JSON.stringify([
        { column: '政策文件', title: '关于印发某办法的通知', publishedAt: '2020-06-01', body: '现将办法印发给你们。' },
      ])
      const body = multipart({ _csrf: s.csrf }, { name: '旧网站.json', content: Buffer.from(json) })
      const res = await t.app.inject({
        method: 'POST',
        url: '/console/items/import',
        headers: { cookie: s.cookie, 'content-type': body.contentType },
        payload: body.payload,
      })
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('已导入 1 条')
      const broken = multipart({ _csrf: s.csrf }, { name: '坏.json', content: Buffer.from('[{"title": "x"}]') })
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/items/import',
        headers: { cookie: s.cookie, 'content-type': broken.contentType },
        payload: broken.payload,
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('第 1 行')
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('imported items pass the confidentiality scan (条例 art. 17; issue #14) on %s', (kind) => {
  test('a clean row is public at its old date; a row with an ID number or phone waits unpublished until cleared, then keeps its old date; a 密级标志 row is quarantined for good', async () => {
    const t = await testApp(kind)
    try {
      const head = await buildStaff(t.deps, { roles: ['office_head'] })
      const s = await signIn(t.app, head)
      const csv = [
        '栏目,名称,发布日期,正文',
        '部门动态,召开普法工作会议,2021-05-06,会议要求各科室做好普法工作。',
        '通知公告,关于某申请的答复,2022-01-28,"申请人张三，身份证号 11010519491231002X，电话 13912345678，住址某县某街 1 号。"',
        '通知公告,关于印发保密工作要点的通知,2022-03-01,机密★10年 本文件仅限内部使用。',
      ].join('\n')
      const body = multipart({ _csrf: s.csrf }, { name: '旧网站.csv', content: Buffer.from(csv) })
      const res = await t.app.inject({
        method: 'POST',
        url: '/console/items/import',
        headers: { cookie: s.cookie, 'content-type': body.contentType },
        payload: body.payload,
      })
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('已导入 3 条，其中 1 条已按原发布日期公开')
      expect(res.body).toContain('1 条因保密审查发现未公开')
      expect(res.body).toContain('第 3 行“关于某申请的答复”（居民身份证号码：')
      expect(res.body).toContain('1 条含密级标志，已隔离并报公开办负责人处理')
      const rows = await t.deps.db
        .selectFrom('items')
        .select(['id', 'title', 'status', 'published_at'])
        .orderBy('id')
        .execute()
      expect(rows.map((r) => [r.title, r.status])).toEqual([
        ['召开普法工作会议', 'published'],
        ['关于某申请的答复', 'approved'],
        ['关于印发保密工作要点的通知', 'quarantined'],
      ])
      const [clean, blocked, secret] = rows
      const page = (id: number) => t.app.inject({ method: 'GET', url: `/items/${id}` })
      expect((await page(clean!.id)).statusCode).toBe(200)
      expect((await page(blocked!.id)).statusCode).toBe(404)
      expect((await page(secret!.id)).statusCode).toBe(404)
      const found = (q: string) => searchItems(t.deps.db, t.deps.kind, q, {}, 'date')
      expect(await found('答复')).toEqual([])
      expect(await found('保密工作')).toEqual([])
      const search = await t.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('身份证号')}` })
      expect(search.body).not.toContain('11010519491231002X')
      // The office head sees them in the audit log as at publishing.
      const audited = await t.deps.db.selectFrom('audit_log').select(['action', 'object_id']).execute()
      expect(audited).toEqual(
        expect.arrayContaining([
          { action: 'item.scan_block', object_id: String(blocked!.id) },
          { action: 'item.quarantine', object_id: String(secret!.id) },
        ]),
      )

      // The 保密审查 reviewer clears the blocked row; the publisher publishes it at its original date.
      const actor = (a: { id: number }) => ({ ...systemActor('测试员'), id: a.id, agencyId: t.officeId })
      const reviewer = actor(await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 3 }))
      const publisher = actor(await buildStaff(t.deps, { roles: ['publisher'] }))
      await expect(clearFindings(t.deps, reviewer, 3, secret!.id, '已解密')).rejects.toThrow(
        /含密级标志|只有审核中或待发布/,
      )
      await clearFindings(t.deps, reviewer, 3, blocked!.id, '申请人同意公开其答复（已书面确认）')
      expect(await publishItem(t.deps, publisher, blocked!.id)).toEqual({ published: true })
      const after = await t.deps.db
        .selectFrom('items')
        .select(['status', 'published_at'])
        .where('id', '=', blocked!.id)
        .executeTakeFirstOrThrow()
      expect(after).toEqual({ status: 'published', published_at: '2022-01-28T01:00:00.000Z' })
      expect((await page(blocked!.id)).statusCode).toBe(200)
      expect((await page(secret!.id)).statusCode).toBe(404)
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('a large old-site import on %s', (kind) => {
  const rowsOf = (n: number, year = 2021) =>
    Array.from({ length: n }, (_, i) => ({
      line: i + 2,
      value: { column: '部门动态', title: `旧闻第${i + 1}条`, publishedAt: `${year}-05-06`, body: `旧闻正文 ${i + 1}` },
    }))

  test('is written in batches: other requests are answered while it runs (issue #14: 30,000 rows froze SQLite for 20 s)', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    const saved = importBatchSize.rows
    try {
      const { officeId } = await setUpRegion(t.deps)
      importBatchSize.rows = 20
      const rows = rowsOf(200)
      let other: Promise<unknown> | undefined
      let otherDone = false
      const importing = importItems(t.deps, systemActor(), officeId, rows, (done) => {
        // Writing has begun (the second half of the progress): another request asks the database something.
        if (!other && done > rows.length / 2 + 30)
          other = t.deps.db
            .selectFrom('agencies')
            .selectAll()
            .execute()
            .then(() => (otherDone = true))
      })
      let importDoneFirst = false
      const result = await importing.then((r) => {
        importDoneFirst = !otherDone
        return r
      })
      await other
      expect(result.imported).toBe(200)
      expect(importDoneFirst).toBe(false)
    } finally {
      importBatchSize.rows = saved
      await t.close()
    }
  })

  test('still goes in whole or not at all: a failure in a later batch leaves no row, no search entry and no file', async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    const saved = importBatchSize.rows
    try {
      const { officeId } = await setUpRegion(t.deps)
      importBatchSize.rows = 2
      // One 2021 item already holds 2021-00001; the counter is then set back, so the import's first 2021 row — the
      // fourth, in the second batch — collides with it.
      await importItems(t.deps, systemActor(), officeId, rowsOf(1))
      await t.deps.db.updateTable('index_serials').set({ last: 0 }).where('year', '=', 2021).execute()
      const file = [...rowsOf(3, 2020), ...rowsOf(2)].map((r, i) => ({ ...r, line: i + 2 }))
      await expect(importItems(t.deps, systemActor(), officeId, file)).rejects.toThrow()
      const items = await t.deps.db.selectFrom('items').select(['title', 'status']).execute()
      expect(items).toEqual([{ title: '旧闻第1条', status: 'published' }])
      expect(await t.deps.db.selectFrom('item_channels').selectAll().execute()).toHaveLength(1)
      expect(await searchItems(t.deps.db, t.deps.kind, '旧闻正文', {}, 'date')).toHaveLength(1)
    } finally {
      importBatchSize.rows = saved
      await t.close()
    }
  })
})

describe.each(databaseKinds)('an old-site body nested too deep on %s', (kind) => {
  test("is that line's problem, named in Chinese, and nothing is imported", async () => {
    const t = await testEnv(kind, '2026-03-02T02:00:00Z')
    try {
      const { officeId } = await setUpRegion(t.deps)
      const deep = `${'<div>'.repeat(150)}正文${'</div>'.repeat(150)}`
      const rows = [
        { line: 2, value: { column: '部门动态', title: '旧闻一', publishedAt: '2021-05-06', body: '正文一' } },
        { line: 3, value: { column: '部门动态', title: '旧闻二', publishedAt: '2021-05-07', body: deep } },
      ]
      await expect(importItems(t.deps, systemActor(), officeId, rows)).rejects.toThrow(
        /第 3 行：正文：正文的标签嵌套超过/,
      )
      expect(await t.deps.db.selectFrom('items').selectAll().execute()).toEqual([])
    } finally {
      await t.close()
    }
  })
})
