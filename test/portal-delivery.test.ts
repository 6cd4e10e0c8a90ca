import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, test } from 'vitest'
import { systemActor } from '../src/audit/audit.ts'
import { withdrawItem } from '../src/disclosures/disclosure.service.ts'
import { listPublicItems } from '../src/disclosures/disclosure.store.ts'
import type { ItemRow } from '../src/disclosures/disclosure.store.ts'
import {
  computeDraft,
  publishReport,
  reviewReport,
  saveNarrative,
  submitForReview,
} from '../src/reports/report.service.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { buildActor, buildItem } from './support/build-item.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { databaseKinds } from './support/test-deps.ts'
import { csrfTokenFor } from '../src/web/csrf.ts'

// How the portal's pages reach visitors (issue #15): a page is rendered once however many ask for it
// at the same moment, goes out compressed as the browser accepts, a column lists its published and
// withdrawn items newest first, and an annual report's files are made once per version.

describe.each(databaseKinds)('delivering the portal on %s', (kind) => {
  let t: TestApp | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  test('visitors asking for the same uncached page at the same moment get one rendering of it', async () => {
    t = await testApp(kind)
    const item = await buildItem(t.deps, { title: '关于开展政务公开培训的通知', until: 'published' })
    for (const url of [`/items/${item.id}`, `/columns/${item.columnId}`]) {
      const all = await Promise.all(Array.from({ length: 5 }, () => t!.app.inject(url)))
      for (const res of all) expect(res.statusCode, url).toBe(200)
      const rendered = all.filter((res) => res.headers['x-cache'] !== 'hit')
      expect(rendered, `${url} is rendered once`).toHaveLength(1)
      for (const res of all) expect(res.body, url).toBe(rendered[0]!.body)
    }
  })

  test('public pages go out without a cookie; a page with a form sets the cookie its CSRF token is bound to, and its form is accepted', async () => {
    t = await testApp(kind)
    const item = await buildItem(t.deps, { title: '关于开展政务公开培训的通知', until: 'published' })
    // A Set-Cookie on every public page kept it from every shared cache and gave each visitor a cookie (issue #15).
    for (const url of ['/', `/items/${item.id}`, `/columns/${item.columnId}`, '/catalogue', '/apply', '/guide']) {
      for (const round of ['rendered', 'cached']) {
        const res = await t.app.inject(url)
        expect(res.statusCode, url).toBe(200)
        expect(res.headers['set-cookie'], `${url} ${round}`).toBeUndefined()
      }
    }
    const login = await t.app.inject('/login')
    const raw = [login.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('gk_csrf='))
    expect(raw, 'the login form sets the cookie').toBeDefined()
    const binding = raw!.split(';')[0]!.split('=')[1]!
    const token = csrfTokenFor(t.deps.keys.session, binding)
    expect(login.body).toContain(`name="_csrf" value="${token}"`)
    const post = (cookie: string | undefined) =>
      t!.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        payload: new URLSearchParams({ _csrf: token, username: 'nobody', password: 'wrong-password' }).toString(),
      })
    const withCookie = await post(`gk_csrf=${binding}`)
    expect(withCookie.statusCode, 'the token of the page is accepted; the sign-in itself fails').not.toBe(403)
    expect(withCookie.body).not.toContain('安全校验未通过')
    // Without the cookie the same token is refused: a visitor never shown a token has no binding at all.
    const without = await post(undefined)
    expect(without.statusCode).toBe(403)
    expect(without.body).toContain('安全校验未通过')
  })

  test('pages, feeds and the sitemap go out in brotli or gzip as the browser accepts, the same page once unpacked, cached or not', async () => {
    t = await testApp(kind)
    const body = `<p>${'定于本月开展政务公开业务培训，请各单位按时参加。'.repeat(20)}</p>`
    const item = await buildItem(t.deps, { title: '关于开展政务公开培训的通知', body, until: 'published' })
    const urls = [
      `/items/${item.id}`,
      `/columns/${item.columnId}`,
      `/columns/${item.columnId}/feed.xml`,
      '/sitemaps/0.xml',
    ]
    // A page no cache keeps (the search page) is compressed too.
    urls.push(`/search?q=${encodeURIComponent('培训')}`)
    for (const url of urls) {
      const plain = await t.app.inject({ url })
      expect(plain.statusCode, url).toBe(200)
      expect(plain.headers['content-encoding'], url).toBeUndefined()
      expect(String(plain.headers.vary), url).toMatch(/accept-encoding/i)
      for (const [accept, encoding, unpack] of [
        ['gzip, deflate, br', 'br', brotliDecompressSync],
        ['gzip, deflate', 'gzip', gunzipSync],
        ['br;q=0, gzip;q=0.8', 'gzip', gunzipSync],
      ] as const) {
        for (const round of ['first', 'again']) {
          const res = await t.app.inject({ url, headers: { 'accept-encoding': accept } })
          expect(res.headers['content-encoding'], `${url} ${accept} ${round}`).toBe(encoding)
          expect(String(res.headers.vary), url).toMatch(/accept-encoding/i)
          expect(unpack(res.rawPayload).toString('utf8'), `${url} ${accept} ${round}`).toBe(plain.body)
        }
      }
      const identity = await t.app.inject({ url, headers: { 'accept-encoding': 'identity' } })
      expect(identity.headers['content-encoding'], url).toBeUndefined()
      expect(identity.body, url).toBe(plain.body)
    }
  })

  test('pages for signed-in staff, which hold their CSRF token, are never compressed (BREACH)', async () => {
    t = await testApp(kind)
    const staff = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
    for (const url of ['/console', '/console/items']) {
      const res = await t.app.inject({ url, headers: { cookie: staff.cookie, 'accept-encoding': 'gzip, deflate, br' } })
      expect(res.statusCode, url).toBe(200)
      expect(res.body, url).toContain(staff.csrf)
      expect(res.headers['content-encoding'], url).toBeUndefined()
    }
  })

  test('a column lists its published and withdrawn items newest first, the 50 newest of them, drafts never', async () => {
    t = await testApp(kind)
    const first = await buildItem(t.deps, { title: '栏目排序测试一', until: 'published' })
    const publisher = await buildActor(t.deps, ['publisher'])
    // Sixty items of one column published over sixty days; every seventh withdrawn; drafts beside them.
    const ids: number[] = [first.id]
    for (let n = 1; n < 60; n++) ids.push((await buildItem(t.deps, { title: `栏目排序测试${n}`, until: 'draft' })).id)
    for (const [n, id] of ids.entries()) {
      const at = new Date(Date.UTC(2026, 0, 1) + ((n * 37) % 60) * 86_400_000).toISOString()
      await t.deps.db.updateTable('items').set({ status: 'published', published_at: at }).where('id', '=', id).execute()
    }
    for (const id of ids.filter((_, n) => n % 7 === 3)) await withdrawItem(t.deps, publisher, id, '内容已过时')
    await buildItem(t.deps, { title: '未发布的草稿', until: 'draft' })
    await buildItem(t.deps, { title: '已审核未发布', until: 'approved' })

    const listed = await listPublicItems(t.deps.db, first.columnId)
    const all = await t.deps.db.selectFrom('items').selectAll().where('column_id', '=', first.columnId).execute()
    const expected = all
      .filter((i) => i.status === 'published' || i.status === 'withdrawn')
      .sort((a, b) => (a.published_at! < b.published_at! ? 1 : -1))
      .slice(0, 50)
    const show = (rows: ItemRow[]) => rows.map((i) => `${i.id} ${i.status} ${i.published_at}`)
    expect(show(listed)).toEqual(show(expected))
    expect(listed.filter((i) => i.status === 'withdrawn').length).toBeGreaterThan(5)
    const page = await t.app.inject(`/columns/${first.columnId}`)
    expect(page.body).toContain(`href="/items/${expected[0]!.id}"`)
    expect(page.body).not.toContain('未发布的草稿')
  })

  test('a 解读 published after its policy’s page was shown appears on that page', async () => {
    t = await testApp(kind)
    const policy = await buildItem(t.deps, {
      title: '垫江县政务公开工作要点',
      column: '政策文件',
      extra: { docNumber: '垫府办发〔2026〕3号' },
      until: 'published',
    })
    expect((await t.app.inject(`/items/${policy.id}`)).body).not.toContain('相关解读')
    const interpretation = await buildItem(t.deps, {
      title: '图解：2026年政务公开工作要点',
      column: '政策解读',
      body: '<p>近日，县政府办公室印发了垫府办发[2026]3号文件。</p>',
      until: 'published',
    })
    const page = (await t.app.inject(`/items/${policy.id}`)).body
    expect(page).toContain('相关解读')
    expect(page).toContain(`href="/items/${interpretation.id}"`)
    await withdrawItem(t.deps, await buildActor(t.deps, ['publisher']), interpretation.id, '误发')
    expect((await t.app.inject(`/items/${policy.id}`)).body).not.toContain('相关解读')
  })

  test('an annual report’s download is made once and served again; a correction makes the files anew', async () => {
    t = await testApp(kind)
    const author = {
      ...systemActor('测试员'),
      id: (await buildStaff(t.deps, { roles: ['drafter'] })).id,
      agencyId: t.officeId,
    }
    const publish = async (overview: string) => {
      const id = await computeDraft(t!.deps, author, 2025)
      await saveNarrative(t!.deps, author, id, { overview, problems: '无。', other: '无。' })
      await submitForReview(t!.deps, author, id)
      for (const level of [1, 2, 3]) {
        const reviewer = await buildStaff(t!.deps, { roles: ['reviewer'], reviewLevel: level })
        await reviewReport(t!.deps, { ...author, id: reviewer.id }, level, id, {
          decision: 'approved',
          checks: ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'],
          reason: null,
        })
      }
      await publishReport(t!.deps, author, id, undefined)
      return id
    }
    const first = await publish('2025年，本机关未收到政府信息公开申请（第一版）。')
    const pdf = await t.app.inject(`/reports/${first}/download/pdf`)
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['x-cache']).toBeUndefined()
    const again = await t.app.inject(`/reports/${first}/download/pdf`)
    expect(again.headers['x-cache'], 'the second download is the kept file').toBe('hit')
    expect(again.rawPayload.equals(pdf.rawPayload)).toBe(true)
    expect((await t.app.inject(`/reports/${first}/download/json`)).body).toContain('（第一版）')

    const corrected = await publish('2025年，本机关未收到政府信息公开申请（更正版）。')
    const firstAfter = await t.app.inject(`/reports/${first}/download/json`)
    expect(firstAfter.headers['x-cache'], 'the superseded version’s file is made anew').toBeUndefined()
    expect(firstAfter.body).toContain('（第一版）')
    const correctedJson = await t.app.inject(`/reports/${corrected}/download/json`)
    expect(correctedJson.body).toContain('（更正版）')
    expect((await t.app.inject(`/reports/${corrected}/download/json`)).headers['x-cache']).toBe('hit')
  })
})
