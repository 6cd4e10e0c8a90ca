import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { axeViolations, launchBrowser, screenshot, serveApp } from '../support/browser.ts'
import { buildStaff, setUpRegion } from '../support/builders.ts'
import type { StaffAccount } from '../support/builders.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// In December, before the 2027 holiday notice: a citizen applies and sees the 暂定 due date with its
// reason; the handler asks for a 补正 (条例第三十条); the citizen reads it on /track and answers online
// with text and a file; the answer restarts the clock and the handler reads it. With JavaScript and
// without. Every date below was counted by hand (2026 notice; 2027 provisional: weekends and 元旦).

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
let officeId: number
let handler: StaffAccount
const pdf = path.join(mkdtempSync(path.join(tmpdir(), 'gongkai-correction-')), '补正说明.pdf')
beforeAll(async () => {
  writeFileSync(pdf, '%PDF-1.4 补正说明：所需信息为垫府发〔2025〕12号文件')
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-12-10T02:00:00Z')
  officeId = (await setUpRegion(t.deps)).officeId
  handler = await buildStaff(t.deps, { roles: ['handler'] })
  const served = await serveApp(t.deps)
  app = served.app
  base = served.base
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
  await t?.close()
})

const day = (date: string) => t.clock.set(`${date}T02:00:00Z`)

async function signIn(page: Page, account: StaffAccount) {
  await page.context().clearCookies()
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(account.username)
  await page.getByLabel('密码').fill(account.password)
  await page.getByRole('button', { name: '登录' }).click()
}

async function track(c: Page, number: string, code: string) {
  await c.goto(`${base}/track`)
  await c.getByLabel(/^申请编号/).fill(number)
  await c.getByLabel(/^查询码/).fill(code)
  await c.getByRole('button', { name: '查询' }).click()
}

describe.each([true, false])('a 补正 answered online in December, JavaScript %s', (js) => {
  let citizenContext: BrowserContext
  let staffContext: BrowserContext
  beforeAll(async () => {
    citizenContext = await browser.newContext({ javaScriptEnabled: js, bypassCSP: true })
    staffContext = await browser.newContext({ javaScriptEnabled: js, bypassCSP: true })
  })
  afterAll(async () => {
    await citizenContext?.close()
    await staffContext?.close()
  })

  test('条例第三十条: apply (暂定 due date) → 补正 asked → answered on /track with text and a file → the clock restarts', async () => {
    const mode = js ? 'js' : 'nojs'
    day('2026-12-10')
    const c = await citizenContext.newPage()
    await c.goto(`${base}/agencies/${officeId}/apply`)
    await c.getByLabel(/^申请人类型/).selectOption({ label: '自然人' })
    await c.getByLabel(/^姓名或组织名称/).fill('李明华')
    await c.getByLabel(/^身份证件类型/).selectOption({ label: '居民身份证' })
    await c.getByLabel('身份证件号码', { exact: true }).fill('11010519491231002X')
    await c.getByLabel(/^联系电话/).fill('13912345678')
    await c.getByLabel(/^通信地址/).fill('重庆市垫江县桂溪街道新华路 18 号')
    await c.getByLabel(/^所需信息的内容描述/).fill('老旧小区改造项目的资金使用明细')
    await c.getByLabel(/^所需信息的形式/).selectOption({ label: '电子文档' })
    await c.getByLabel(/^获取信息的方式/).selectOption({ label: '网上获取' })
    await c.getByRole('button', { name: '提交申请' }).click()
    await c.locator('#tracking-number').waitFor({ timeout: 60_000 })
    const number = (await c.locator('#tracking-number').textContent())!.trim()
    const code = (await c.locator('#query-code').textContent())!.trim()
    // 12-11 (1) … 12-31 (15), 元旦 2027-01-01 (fixed by date), 1-4 … 1-8 (20): 暂定.
    await expect(c.locator('#due').textContent()).resolves.toBe('2027-01-08（暂定）')
    await expect(c.locator('#due-explanation').textContent()).resolves.toContain(
      '本机关应于2027年1月8日（含当日）前答复（暂定：下一年度节假日安排尚未公布',
    )
    await screenshot(c, `correction-${mode}-1-submitted`)

    day('2026-12-14')
    const h = await staffContext.newPage()
    await signIn(h, handler)
    await h.goto(`${base}/console/applications?queue=all`)
    await h.getByRole('link', { name: number }).click()
    const url = h.url()
    const correction = h.getByRole('form', { name: '补正（一次性告知）' })
    await correction.getByLabel('补正期限').fill('2026-12-28')
    await correction.getByLabel('需要补正的事项').fill('请写明所需资金明细对应的小区名称和文件文号')
    await correction.getByRole('button', { name: '发出补正通知' }).click()

    // Thursday 12-17: the citizen reads the request and answers it.
    day('2026-12-17')
    await track(c, number, code)
    await expect(c.locator('#correction-what').textContent()).resolves.toBe(
      '请写明所需资金明细对应的小区名称和文件文号',
    )
    await expect(c.locator('#correction-by').textContent()).resolves.toContain('请于2026年12月28日（含当日）前补正')
    if (js) expect(await axeViolations(c)).toEqual([])
    await c.getByRole('button', { name: '提交补正' }).click()
    await expect(c.locator('main').textContent()).resolves.toContain('请填写补正内容或上传补正材料')
    await c.getByLabel(/^补正内容/).fill('桂溪街道新华小区，文号垫府发〔2025〕12号')
    await c.getByLabel(/^补正材料/).setInputFiles(pdf)
    await c.getByRole('button', { name: '提交补正' }).click()
    await expect(c.locator('main').textContent()).resolves.toContain('补正已提交')
    // From 12-17: 12-18 (1), 12-21…12-25 (6), 12-28…12-31 (10), 元旦, 1-4…1-8 (15), 1-11…1-15 (20): 暂定.
    await expect(c.locator('#due').textContent()).resolves.toBe('2027-01-15（暂定）')
    await expect(c.locator('#due-explanation').textContent()).resolves.toContain(
      '自收到补正后的申请之日（2026年12月17日）起20个工作日',
    )
    await screenshot(c, `correction-${mode}-2-answered`)

    await signIn(h, handler)
    await h.goto(url)
    await expect(h.locator('main').textContent()).resolves.toContain('桂溪街道新华小区，文号垫府发〔2025〕12号')
    await expect(h.locator('main').textContent()).resolves.toContain('补正说明.pdf')
    await expect(h.locator('#due').textContent()).resolves.toContain('2027-01-15（暂定')
    await screenshot(h, `correction-${mode}-3-staff`)
  }, 180_000)
})
