import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createItem } from '../../src/disclosures/disclosure.service.ts'
import { listColumns } from '../../src/disclosures/disclosure.store.ts'
import { axeViolations, launchBrowser, screenshot, serveApp } from '../support/browser.ts'
import { buildStaffActor } from '../support/build-application.ts'
import { buildStaff } from '../support/builders.ts'
import type { StaffAccount } from '../support/builders.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// A drafter with 120 items pages through the list, searches it, and sees an upload say that it is
// working; without JavaScript the list pages and searches the same.

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
let drafter: StaffAccount
let firstItem: number
beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-03-02T02:00:00Z')
  const actor = await buildStaffActor(t.deps, { roles: ['drafter'] })
  const column = (await listColumns(t.deps.db, actor.agencyId)).find((c) => c.name === '部门动态')!.id
  for (let i = 0; i < 120; i++) {
    const id = await createItem(t.deps, actor, {
      columnId: column,
      title: `关于第${i}号事项的通知`,
      formedOn: '2026-03-01',
      validity: 'valid',
      body: '<p>正文。</p>',
    })
    firstItem ||= id
  }
  drafter = await buildStaff(t.deps, { roles: ['drafter'] })
  ;({ app, base } = await serveApp(t.deps))
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await app?.close()
  await t?.close()
})

/** Waits for the list's total line (under the table) to read `text`. */
const shows = (page: Page, text: string) => page.locator('.pager-total', { hasText: text }).waitFor({ timeout: 10_000 })

async function signedIn(javaScriptEnabled: boolean, width = 1280) {
  const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true, viewport: { width, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(drafter.username)
  await page.getByLabel('密码').fill(drafter.password)
  await page.getByRole('button', { name: '登录' }).click()
  return { context, page }
}

test('the items list pages 120 items with their total, keeps the search in its links, and an upload says it is working', async () => {
  const { context, page } = await signedIn(true)
  await page.goto(`${base}/console/items`)
  await shows(page, '共 120 条，第 1 / 3 页')
  await expect(page.locator('tbody tr').count()).resolves.toBe(50)
  expect(await axeViolations(page)).toEqual([])
  await screenshot(page, 'lists-items-1280')
  await page.getByRole('link', { name: '第 3 页' }).click()
  await shows(page, '第 3 / 3 页')
  expect(page.url()).toContain('page=3')
  await expect(page.locator('tbody tr').count()).resolves.toBe(20)

  const search = async (words: string) => {
    await page.getByLabel('名称、索引号或文号').fill(words)
    await page.getByRole('button', { name: '查找' }).click()
  }
  // 第1号, 第10–19号, 第100–119号: 31 items, on one page.
  await search('第1')
  await shows(page, '共 31 条')
  await expect(page.locator('tbody tr').count()).resolves.toBe(31)
  // Every title holds 通知: three pages again, and the next page keeps the search.
  await search('通知')
  await shows(page, '共 120 条，第 1 / 3 页')
  await page.getByRole('link', { name: '下一页' }).click()
  await shows(page, '共 120 条，第 2 / 3 页')
  expect(decodeURIComponent(page.url())).toContain('q=通知')
  await expect(page.getByLabel('名称、索引号或文号').inputValue()).resolves.toBe('通知')
  await search('没有这样的信息')
  await shows(page, '共 0 条')
  await expect(page.getByText('没有符合筛选条件的记录').count()).resolves.toBe(1)

  // An upload: the button is disabled and the page says it is working. (The page holds the
  // submission at the window, after busy.js has seen it, so that the state can be looked at.)
  await page.goto(`${base}/console/items/${firstItem}`)
  await page.getByLabel(/^上传附件/).setInputFiles({
    name: '说明.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 说明'),
  })
  await page.evaluate(() => window.addEventListener('submit', (e) => e.preventDefault()))
  const upload = page.getByRole('button', { name: '上传', exact: true })
  await upload.click()
  await page.getByRole('status').filter({ hasText: '正在上传并处理' }).waitFor({ timeout: 2000 })
  await expect(upload.isDisabled()).resolves.toBe(true)
  await screenshot(page, 'lists-upload-busy')
  await context.close()
}, 60_000)

test('without JavaScript, at 390 px, the list still pages and searches', async () => {
  const { context, page } = await signedIn(false, 390)
  await page.goto(`${base}/console/items?q=${encodeURIComponent('第2')}`)
  // 第2号, 第20–29号: 11 items.
  await shows(page, '共 11 条')
  await page.goto(`${base}/console/items`)
  await page.getByRole('link', { name: '第 2 页' }).click()
  await shows(page, '共 120 条，第 2 / 3 页')
  await screenshot(page, 'lists-items-390-nojs')
  await context.close()
}, 60_000)
