import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { axeViolations, launchBrowser, screenshot, serveApp } from '../support/browser.ts'
import { setUpRegion } from '../support/builders.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// A company and a citizen each apply with the least the form accepts (条例 art. 29: name, 身份证明
// for a person, contact, a description of the information, its form and delivery), once with
// JavaScript (the proof of work runs in the browser) and once without. Each gets a number, a query
// code and the due date: received Monday 2026-03-02, 3-03…3-06 (4), 3-09…3-13 (9), 3-16…3-20 (14),
// 3-23…3-27 (19), 3-30 (20), counted by hand (no holiday in March 2026).

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
let officeId: number
beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-03-02T02:00:00Z')
  officeId = (await setUpRegion(t.deps)).officeId
  const served = await serveApp(t.deps)
  app = served.app
  base = served.base
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
  await t?.close()
})

async function fillCommon(c: Page, description: string) {
  await c.getByLabel(/^联系电话/).fill('023-74512345')
  await c.getByLabel(/^通信地址/).fill('垫江县桂溪街道工业园区 3 号')
  await c.getByLabel(/^所需信息的内容描述/).fill(description)
  await c.getByLabel(/^所需信息的形式/).selectOption({ label: '电子文档' })
  await c.getByLabel(/^获取信息的方式/).selectOption({ label: '网上获取' })
}

async function submitted(c: Page, js: boolean) {
  await c.getByRole('button', { name: '提交申请' }).click()
  await c.locator('#tracking-number').waitFor({ timeout: 60_000 })
  const number = (await c.locator('#tracking-number').textContent())!.trim()
  expect(number).toMatch(/^YSQ\d+$/)
  // With JavaScript the browser solved the proof of work; without, the application is flagged.
  const { flags } = await t.deps.db
    .selectFrom('applications')
    .select('flags')
    .where('number', '=', number)
    .executeTakeFirstOrThrow()
  expect(JSON.parse(flags ?? '[]').includes('no_js')).toBe(!js)
  expect((await c.locator('#query-code').textContent())!.trim()).toMatch(/^[0-9A-Z]{6,}$/)
  await expect(c.locator('main').textContent()).resolves.toContain('本机关应于2026年3月30日（含当日）前答复')
  if (js) expect(await axeViolations(c)).toEqual([])
}

describe.each([true, false])('applying in the browser with the least input, JavaScript %s', (js) => {
  let context: BrowserContext
  beforeAll(async () => {
    context = await browser.newContext({ javaScriptEnabled: js, bypassCSP: true })
  })
  afterAll(async () => {
    await context?.close()
  })

  test('a 商业企业 applies without an ID document (条例 art. 29) and gets its number, query code and due date', async () => {
    const c = await context.newPage()
    await c.goto(`${base}/agencies/${officeId}/apply`)
    // axe runs in the page, so only where JavaScript is on.
    if (js) expect(await axeViolations(c)).toEqual([])
    await c.getByLabel(/^申请人类型/).selectOption({ label: '商业企业' })
    await c.getByLabel(/^姓名或组织名称/).fill('重庆垫江恒达建材有限公司')
    await c.getByLabel(/^统一社会信用代码/).fill('91350100M000100Y43')
    await c.getByLabel(/^联系人姓名/).fill('张伟')
    await fillCommon(c, `${js ? '一' : '二'}、2025年桂溪街道工业园区道路建设项目的招标文件`)
    await submitted(c, js)
    await screenshot(c, `apply-${js ? 'js' : 'nojs'}-company`)
  }, 120_000)

  test('a natural person applies with an ID card (条例 art. 29) and gets the number, query code and due date', async () => {
    const c = await context.newPage()
    await c.goto(`${base}/agencies/${officeId}/apply`)
    await c.getByLabel(/^申请人类型/).selectOption({ label: '自然人' })
    await c.getByLabel(/^姓名或组织名称/).fill('李明华')
    await c.getByLabel(/^身份证件类型/).selectOption({ label: '居民身份证' })
    await c.getByLabel('身份证件号码', { exact: true }).fill('11010519491231002X')
    await fillCommon(c, `${js ? '一' : '二'}、2025年桂溪街道老旧小区改造项目的资金使用明细`)
    await submitted(c, js)
    await screenshot(c, `apply-${js ? 'js' : 'nojs'}-person`)
  }, 120_000)
})
