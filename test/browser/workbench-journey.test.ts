import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { listAgencies } from '../../src/agencies/agency.store.ts'
import { busyAgency, createDemo, demoPassword } from '../../src/demo/demo.ts'
import { buildApplication } from '../support/build-application.ts'
import { axeViolations, launchBrowser, screenshot, serveApp } from '../support/browser.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// Staff on the demo land on their 工作台 (issue #12): a handler takes (领办) an unassigned application from it and
// finds it under 我办理的申请; a drafter whose item was returned finds it at the top, fixes the ID number the scan found,
// and submits it again into a new round; the level-1 reviewer then finds it waiting. At 1280 and 390 px, JS on,
// axe-clean, screenshots kept.

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string

beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-03-02T02:00:00Z')
  await createDemo(t.deps, { busyCount: 10 })
  // Two applications just in, not yet taken by anyone (the demo's own are answered by now).
  const busy = (await listAgencies(t.deps.db)).find((a) => a.name === busyAgency)!
  for (let i = 0; i < 2; i++) await buildApplication(t.deps, { agencyId: busy.id })
  ;({ app, base } = await serveApp(t.deps))
}, 120_000)

afterAll(async () => {
  await app?.close()
  await browser?.close()
  await t?.close()
})

async function as(page: Page, username: string, then: () => Promise<void>) {
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(demoPassword)
  await page.getByRole('button', { name: '登录' }).click()
  await then()
  await page.getByRole('button', { name: '退出登录' }).click()
}

/** The 工作台 card with this title. */
const card = (page: Page, title: string) => page.locator('li.card', { has: page.getByText(title, { exact: false }) })

test('a handler takes an application from the 工作台; a drafter fixes a returned item and resubmits it into a new round', async () => {
  const violations: string[] = []
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN', bypassCSP: true })
    const page = await context.newPage()
    try {
      await as(page, 'zjw.handler', async () => {
        const waiting = card(page, '待领办的申请')
        const first = (await waiting.locator('ul a').first().textContent())!.trim()
        await screenshot(page, `workbench-${width}-handler`)
        violations.push(...(await axeViolations(page)))
        await waiting.getByRole('button', { name: '领办' }).first().click()
        await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('已领办')
        await expect(card(page, '我办理的申请').textContent()).resolves.toContain(first)
        await page.getByRole('link', { name: first }).first().click()
        await expect(page.locator('#handler').textContent()).resolves.toBe('本人')
      })
    } finally {
      await context.close()
    }
  }

  // The drafter writes an item with an ID number; the scan finds it on save; a reviewer returns it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', bypassCSP: true })
  const page = await context.newPage()
  try {
    let url = ''
    await as(page, 'sfj.drafter', async () => {
      await page.goto(`${base}/console/items/new`)
      await page.getByLabel('栏目').selectOption({ label: '部门动态' })
      await page.getByLabel('名称').fill('县司法局表彰优秀人民调解员')
      await page.getByLabel(/^形成或变更日期/).fill('2026-03-01')
      await page.getByRole('textbox', { name: /^正文/ }).click()
      await page.keyboard.type('获奖人张三，身份证号 11010519491231002X。')
      await page.getByRole('button', { name: '保存草稿' }).click()
      url = page.url().replace(/\?.*$/, '')
      await expect(page.locator('.error-summary').textContent()).resolves.toContain('居民身份证号码')
      await page.getByRole('button', { name: '提交审核' }).click()
    })
    await as(page, 'sfj.reviewer3', async () => {
      await expect(card(page, '待我审核').count()).resolves.toBe(0)
      await page.goto(url)
      await page.getByLabel('退回起草人修改的理由').fill('请删除获奖人的身份证号')
      await page.getByRole('button', { name: '退回修改' }).click()
      await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('已退回起草人修改')
    })
    await as(page, 'sfj.drafter', async () => {
      const returned = card(page, '退回给我修改的信息')
      await expect(returned.textContent()).resolves.toContain('县司法局表彰优秀人民调解员')
      await screenshot(page, 'workbench-1280-drafter-returned')
      violations.push(...(await axeViolations(page)))
      await returned.getByRole('link', { name: '县司法局表彰优秀人民调解员' }).click()
      await expect(page.locator('main').textContent()).resolves.toContain('退回修改：请删除获奖人的身份证号')
      await page.getByRole('textbox', { name: /^正文/ }).click()
      await page.keyboard.press('Control+A')
      await page.keyboard.type('获奖人张三，获评优秀人民调解员。')
      await page.getByRole('button', { name: '保存', exact: true }).click()
      await expect(page.locator('.error-summary').count()).resolves.toBe(0)
      await page.getByRole('button', { name: '提交审核' }).click()
    })
    await as(page, 'sfj.reviewer1', async () => {
      await expect(card(page, '待我审核').textContent()).resolves.toContain('县司法局表彰优秀人民调解员')
      await screenshot(page, 'workbench-1280-reviewer')
      violations.push(...(await axeViolations(page)))
    })
  } finally {
    await context.close()
  }
  expect(violations).toEqual([])
}, 240_000)

test("on the demo's 司法局 the items list pages every item with its total and finds by title; without JavaScript at 390 px too", async () => {
  const justice = (await listAgencies(t.deps.db)).find((a) => a.name === '垫江县司法局')!
  const count = async (title?: string) => {
    let q = t.deps.db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('agency_id', '=', justice.id)
    if (title) q = q.where('title', 'like', `%${title}%`)
    return Number((await q.executeTakeFirstOrThrow()).n)
  }
  const all = await count()
  const pages = Math.ceil(all / 50)
  const violations: string[] = []
  for (const js of [true, false]) {
    const context = await browser.newContext({
      javaScriptEnabled: js,
      bypassCSP: true,
      locale: 'zh-CN',
      viewport: { width: js ? 1280 : 390, height: 900 },
    })
    const page = await context.newPage()
    try {
      await as(page, 'sfj.drafter', async () => {
        await page.goto(`${base}/console/items`)
        await expect(page.locator('.pager-total').first().textContent()).resolves.toContain(
          `共 ${all} 条，第 1 / ${pages} 页`,
        )
        await page.getByRole('link', { name: '第 2 页' }).first().click()
        await expect(page.locator('.pager-total').first().textContent()).resolves.toContain(`第 2 / ${pages} 页`)
        await page.getByLabel('名称、索引号或文号').fill('法律援助')
        await page.getByRole('button', { name: '查找' }).click()
        await expect(page.locator('.pager-total').first().textContent()).resolves.toContain(
          `共 ${await count('法律援助')} 条`,
        )
        await screenshot(page, `workbench-items-${js ? '1280' : '390-nojs'}`)
        if (js) violations.push(...(await axeViolations(page)))
      })
    } finally {
      await context.close()
    }
  }
  expect(all).toBeGreaterThan(100)
  expect(violations).toEqual([])
}, 120_000)
