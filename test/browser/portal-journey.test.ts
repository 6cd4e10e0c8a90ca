import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { listAgencies } from '../../src/agencies/agency.store.ts'
import { createDemo, justiceBureau } from '../../src/demo/demo.ts'
import { listColumns } from '../../src/disclosures/disclosure.store.ts'
import { saveGuideSettings } from '../../src/disclosures/settings.service.ts'
import { saveSiteFooter } from '../../src/portal/site-settings.service.ts'
import { axeViolations, launchBrowser, screenshot, serveApp } from '../support/browser.ts'
import { buildActor, buildItem } from '../support/build-item.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// A citizen walks the demo's portal as a 政府信息公开 site (issue #12): home → entry points → an
// agency → 法定主动公开内容 → 年报 → an item with its catalogue block and 相关解读 → search by 文号 →
// a search that finds nothing → the 指南. At 1280 and 390 px, with JavaScript on and off; every
// page axe-clean (JS on), nothing wider than the phone's screen, screenshots kept.

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
let paths: { path: string; name: string; expect: string }[] = []

beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-03-02T02:00:00Z')
  await createDemo(t.deps, { busyCount: 10 })
  const agencies = await listAgencies(t.deps.db)
  const office = agencies[0]!
  const justice = agencies.find((a) => a.name === justiceBureau)!
  const sysadmin = await buildActor(t.deps, ['sysadmin'])
  await saveSiteFooter(t.deps, sysadmin, {
    host: '垫江县人民政府办公室',
    organiser: '垫江县大数据发展中心',
    address: '垫江县桂溪街道人民东路 1 号',
    phone: '023-74680000',
    email: '',
    siteCode: '5002310001',
    icp: '渝ICP备05003300号-1',
    police: '渝公网安备 50023102000001号',
  })
  await saveGuideSettings(t.deps, await buildActor(t.deps, ['office_head']), {
    officeName: '垫江县人民政府办公室政务公开科',
    address: '垫江县桂溪街道人民东路 1 号',
    postcode: '408300',
    hours: '工作日 9:00—12:00，14:00—17:00',
    phone: '023-74680000',
    fax: '',
    email: '',
    notes: '',
  })
  const policy = await buildItem(t.deps, {
    title: '垫江县2026年政务公开工作要点',
    column: '政策文件',
    extra: { docNumber: '垫府办发〔2026〕3号', writtenOn: '2026-02-27', topic: '政务公开' },
  })
  await buildItem(t.deps, {
    title: '《垫江县2026年政务公开工作要点》政策解读',
    column: '政策解读',
    body: '<p>近日，县政府办公室印发了垫府办发〔2026〕3号文件，现解读如下。</p>',
  })
  const justiceColumns = await listColumns(t.deps.db, justice.id)
  const statutory = justiceColumns.find((c) => c.class === 'statutory')!
  const reports = justiceColumns.find((c) => c.class === 'report')!
  paths = [
    { path: '/', name: 'home', expect: '最新公开信息' },
    { path: '/guide', name: 'region-guide', expect: '政府信息公开指南' },
    { path: '/rules', name: 'rules', expect: '政府信息公开制度' },
    { path: '/statutory', name: 'statutory', expect: '财政预决算' },
    { path: '/catalogue', name: 'catalogue', expect: '共 ' },
    { path: '/apply', name: 'apply', expect: '受理机关' },
    { path: '/reports', name: 'reports', expect: '2020年政府信息公开工作年度报告' },
    { path: `/agencies/${justice.id}`, name: 'agency', expect: '政府信息公开制度' },
    { path: `/columns/${statutory.id}`, name: 'agency-statutory', expect: '行政许可和对外管理服务' },
    { path: `/columns/${reports.id}`, name: 'agency-reports', expect: '2020年政府信息公开工作年度报告' },
    { path: `/items/${policy.id}`, name: 'item', expect: '相关解读' },
    { path: `/agencies/${office.id}/guide`, name: 'guide', expect: '应当先申请行政复议' },
    { path: `/search?q=${encodeURIComponent('垫府办发[2026]3号')}`, name: 'search-number', expect: '索引号或文号为' },
    { path: `/search?q=${encodeURIComponent('不存在的文件')}`, name: 'search-empty', expect: '申请政府信息公开' },
  ]
  ;({ app, base } = await serveApp(t.deps))
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await t?.close()
})

async function footerShown(page: Page) {
  const footer = await page.locator('footer').textContent()
  expect(footer).toContain('主办单位：垫江县人民政府办公室')
  expect(footer).toContain('网站标识码：5002310001')
  await expect(page.getByRole('link', { name: '渝ICP备05003300号-1' }).getAttribute('href')).resolves.toBe(
    'https://beian.miit.gov.cn/',
  )
}

for (const width of [1280, 390]) {
  test(`JavaScript on at ${width} px: every portal page is axe-clean, fits the screen and carries the footer`, async () => {
    const context = await browser.newContext({
      bypassCSP: true,
      locale: 'zh-CN',
      viewport: { width, height: 900 },
    })
    const page = await context.newPage()
    const violations: string[] = []
    try {
      for (const p of paths) {
        const res = await page.goto(base + p.path)
        expect(res?.status(), p.path).toBe(200)
        await expect(page.locator('main').textContent(), p.path).resolves.toContain(p.expect)
        await footerShown(page)
        // Nothing wider than the screen: tables stack or scroll inside themselves (issue #12).
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        expect(overflow, p.path).toBeLessThanOrEqual(1)
        await screenshot(page, `portal-${width}-${p.name}`)
        violations.push(...(await axeViolations(page)).map((v) => `${p.path}: ${v}`))
      }
    } finally {
      await context.close()
    }
    expect(violations).toEqual([])
  }, 240_000)
}

for (const width of [1280, 390]) {
  test(`JavaScript off at ${width} px: a citizen searches from the home page, finds the policy by its 文号 and reaches its 解读`, async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      locale: 'zh-CN',
      viewport: { width, height: 900 },
    })
    const page = await context.newPage()
    try {
      await page.goto(`${base}/`)
      await page.getByLabel('搜索政府信息').fill('垫府办发〔2026〕3号')
      await page.getByRole('button', { name: '搜索', exact: true }).click()
      await page.getByRole('link', { name: '垫江县2026年政务公开工作要点' }).first().click()
      await expect(page.locator('.catalogue-block').textContent()).resolves.toContain('文号：垫府办发〔2026〕3号')
      await screenshot(page, `portal-nojs-${width}-item`)
      await page.getByRole('link', { name: '《垫江县2026年政务公开工作要点》政策解读' }).click()
      await expect(page.locator('main').textContent()).resolves.toContain('解读的文件')
      for (const [entry, heading] of [
        ['政府信息公开指南', '政府信息公开指南'],
        ['法定主动公开内容', '法定主动公开内容'],
        ['政府信息公开年报', '政府信息公开工作年度报告'],
      ] as const) {
        await page.goto(`${base}/`)
        await page.getByRole('link', { name: new RegExp(`^${entry}`) }).click()
        await expect(page.locator('h1').textContent()).resolves.toBe(heading)
        await footerShown(page)
      }
      await screenshot(page, `portal-nojs-${width}-reports`)
    } finally {
      await context.close()
    }
  }, 240_000)
}
