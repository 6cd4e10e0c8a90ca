import { afterEach, describe, expect, test } from 'vitest'
import { brotliDecompressSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { changeValidity, withdrawItem } from '../src/disclosures/disclosure.service.ts'
import { saveSiteFooter } from '../src/portal/site-settings.service.ts'
import { publicContentChanged } from '../src/portal/public-content.ts'
import { pageStoreWriter } from '../src/web/page-store.ts'
import { pageReaderOf } from '../src/storage/sqlite-reader.ts'
import { buildApp } from '../src/web/app.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { buildActor, buildItem } from './support/build-item.ts'
import { databaseKinds } from './support/test-deps.ts'

// Item pages are kept compressed in the database once rendered (web/page-store.ts, issue #15), so a visitor's
// random item is one row read, after a restart and in every process. A kept page must never outlive what it shows:
// the item's publication, withdrawal or validity, a 解读 naming it, a footer or column renamed.

describe.each(databaseKinds)('kept item pages on %s', (kind) => {
  let t: TestApp | undefined
  const others: FastifyInstance[] = []
  afterEach(async () => {
    for (const app of others.splice(0)) await app.close()
    await t?.close()
    t = undefined
  })

  /** Another process on the same database (a restart, or a second server): its own empty render cache. */
  const freshProcess = async () => {
    const app = await buildApp(t!.deps, { logger: false })
    await app.ready()
    others.push(app)
    return app
  }
  /** The page as a first visitor of a fresh process gets it: rendered, then kept once that process closes. */
  const viewAndKeep = async (url: string) => {
    const app = await freshProcess()
    const first = await app.inject(url)
    expect(first.statusCode, url).toBe(200)
    await app.close() // writes what waits to be kept
    others.splice(others.indexOf(app), 1)
    return first.body
  }
  const viewFresh = (url: string) => freshProcess().then((app) => app.inject(url))

  test('an item page once rendered is served from its kept copy by a new process, the same page in every encoding', async () => {
    t = await testApp(kind)
    const item = await buildItem(t.deps, { title: '关于开展2026年度防汛演练的通知', until: 'published' })
    const url = `/items/${item.id}`
    const rendered = await viewAndKeep(url)
    expect(rendered).toContain('关于开展2026年度防汛演练的通知')

    const app = await freshProcess()
    const plain = await app.inject(url)
    expect(plain.headers['x-cache'], 'read from the kept copy, not rendered').toBe('stored')
    expect(plain.body).toBe(rendered)
    const br = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(rendered)
    const row = await t.deps.db
      .selectFrom('stored_pages')
      .selectAll()
      .where('item_id', '=', item.id)
      .executeTakeFirstOrThrow()
    expect(row.content_type).toMatch(/^text\/html/)
  })

  test('visitors asking for kept pages at once get each its own page; on SQLite they are read off the server’s thread, and on it when that reader fails', async () => {
    t = await testApp(kind)
    const titles = ['关于2026年春运期间道路管控的通告', '关于开展城乡环境综合整治的通知', '垫江县2026年重点项目名单']
    const items = []
    for (const title of titles) items.push(await buildItem(t.deps, { title, until: 'published' }))
    for (const item of items) await viewAndKeep(`/items/${item.id}`)
    const app = await freshProcess()
    const before = kind === 'sqlite' ? pageReaderOf(t.deps.db)!.answered : 0
    // Asked at once: looked up together, and each answered with its own page.
    const pages = await Promise.all(items.map((item) => app.inject(`/items/${item.id}`)))
    for (const [i, page] of pages.entries()) {
      expect(page.headers['x-cache']).toBe('stored')
      expect(page.body).toContain(titles[i])
    }
    if (kind !== 'sqlite') return
    const reader = pageReaderOf(t.deps.db)!
    expect(reader.answered - before, 'three pages read on the page reader in one query').toBe(1)
    // A reader that cannot answer (stopped): the kept pages are read on the server's own connection.
    await reader.close()
    const again = await (await freshProcess()).inject(`/items/${items[1]!.id}`)
    expect(again.headers['x-cache']).toBe('stored')
    expect(again.body).toContain(titles[1])
  })

  test('a withdrawn item shows its withdrawal notice, not its kept page', async () => {
    t = await testApp(kind)
    const item = await buildItem(t.deps, { title: '关于公布第一批帮扶名单的公告', until: 'published' })
    const url = `/items/${item.id}`
    await viewAndKeep(url)
    await withdrawItem(t.deps, await buildActor(t.deps, ['publisher']), item.id, '名单有误，更正后重新发布')
    const after = await viewFresh(url)
    expect(after.headers['x-cache']).toBeUndefined()
    expect(after.body).toContain('本信息已撤回')
    expect(after.body).toContain('名单有误')
  })

  test('an item marked repealed shows so, not its kept page', async () => {
    t = await testApp(kind)
    const item = await buildItem(t.deps, { title: '垫江县城区停车管理暂行办法', until: 'published' })
    const url = `/items/${item.id}`
    await viewAndKeep(url)
    await changeValidity(t.deps, await buildActor(t.deps, ['publisher']), item.id, 'repealed', '2026-06-30')
    const after = await viewFresh(url)
    expect(after.body).toContain('本文件已废止')
  })

  test('a 解读 published after its policy’s page was kept is listed on it; the 解读’s page lists a policy published after it', async () => {
    t = await testApp(kind)
    const policy = await buildItem(t.deps, {
      title: '垫江县政务公开工作要点',
      column: '政策文件',
      extra: { docNumber: '垫府办发〔2026〕3号' },
      until: 'published',
    })
    const other = await buildItem(t.deps, { title: '垫江县农村公路养护办法', column: '政策文件', until: 'published' })
    await viewAndKeep(`/items/${policy.id}`)
    const interpretation = await buildItem(t.deps, {
      title: '图解：2026年政务公开工作要点',
      column: '政策解读',
      body: '<p>县政府办公室印发了垫府办发[2026]3号文件，并将出台《垫江县政务公开考核细则（试行）》。</p>',
      until: 'published',
    })
    const policyPage = await viewFresh(`/items/${policy.id}`)
    expect(policyPage.body).toContain('相关解读')
    expect(policyPage.body).toContain(`href="/items/${interpretation.id}"`)

    // The other side: a policy the kept 解读 names by title, published after it.
    await viewAndKeep(`/items/${interpretation.id}`)
    await viewAndKeep(`/items/${other.id}`)
    const named = await buildItem(t.deps, {
      title: '垫江县政务公开考核细则（试行）',
      column: '政策文件',
      until: 'published',
    })
    const interpretationPage = await viewFresh(`/items/${interpretation.id}`)
    expect(interpretationPage.headers['x-cache']).toBeUndefined()
    expect(interpretationPage.body).toContain(`href="/items/${named.id}"`)
    // A policy's publication leaves the kept pages that do not show it.
    expect((await viewFresh(`/items/${other.id}`)).headers['x-cache']).toBe('stored')

    // Withdrawing the 解读 takes it off the policy's kept page.
    await viewAndKeep(`/items/${policy.id}`)
    await withdrawItem(t.deps, await buildActor(t.deps, ['publisher']), interpretation.id, '误发')
    expect((await viewFresh(`/items/${policy.id}`)).body).not.toContain('相关解读')
  })

  test('a 解读 whose title holds a policy’s title without 《》 is listed on that policy’s kept page once published', async () => {
    t = await testApp(kind)
    const policy = await buildItem(t.deps, {
      title: '关于进一步加强农村道路交通安全管理的通知',
      column: '政策文件',
      until: 'published',
    })
    await viewAndKeep(`/items/${policy.id}`)
    const interpretation = await buildItem(t.deps, {
      title: '关于进一步加强农村道路交通安全管理的通知政策解读',
      column: '政策解读',
      body: '<p>一图读懂农村道路交通安全管理新要求。</p>',
      until: 'published',
    })
    const page = await viewFresh(`/items/${policy.id}`)
    expect(page.body).toContain(`href="/items/${interpretation.id}"`)
  })

  test('pages kept by other code (before an upgrade) are rendered anew by this code', async () => {
    t = await testApp(kind)
    const item = await buildItem(t.deps, { title: '关于发布2026年第一季度空气质量状况的公告', until: 'published' })
    const url = `/items/${item.id}`
    await viewAndKeep(url)
    expect((await viewFresh(url)).headers['x-cache']).toBe('stored')
    await t.deps.db.updateTable('site_state').set({ render_version: 'earlier-code' }).execute()
    expect((await viewFresh(url)).headers['x-cache'], 'rendered by this code').toBeUndefined()
    expect(
      (await t.deps.db.selectFrom('site_state').select('render_version').executeTakeFirstOrThrow()).render_version,
    ).not.toBe('earlier-code')
  })

  test('a footer change, which every page shows, is on every item page, kept or not', async () => {
    t = await testApp(kind)
    const item = await buildItem(t.deps, { title: '关于调整公交线路的通告', until: 'published' })
    const url = `/items/${item.id}`
    await viewAndKeep(url)
    await saveSiteFooter(t.deps, await buildActor(t.deps, ['sysadmin']), {
      host: '垫江县人民政府办公室',
      organiser: '',
      address: '垫江县桂溪街道新华路1号',
      phone: '023-74681234',
      email: '',
      siteCode: '5002310001',
      icp: '',
      police: '',
    })
    const after = await viewFresh(url)
    expect(after.headers['x-cache']).toBeUndefined()
    expect(after.body).toContain('垫江县桂溪街道新华路1号')
  })

  test('a page rendered before a change of public content is not kept: the change may have altered it', async () => {
    t = await testApp(kind)
    const item = await buildItem(t.deps, { title: '关于征集民生实事项目的公告', until: 'published' })
    const { generation, layout_generation: layout } = await t.deps.db
      .selectFrom('site_state')
      .selectAll()
      .executeTakeFirstOrThrow()
    await t.deps.db.transaction().execute((trx) => publicContentChanged(trx, { itemPages: async () => [] }))
    const writer = pageStoreWriter(t.deps, t.app.log)
    const page = { contentType: 'text/html; charset=utf-8', size: 1, br: Buffer.from('x'), layout: Number(layout) }
    writer.add({ ...page, itemId: item.id, generation: Number(generation) })
    writer.add({ ...page, itemId: 999999, generation: Number(generation) + 1 })
    await writer.close()
    const kept = await t.deps.db.selectFrom('stored_pages').select('item_id').execute()
    expect(kept.map((r) => Number(r.item_id))).toEqual([999999])
  })
})
