import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pdfText } from '../../src/confidentiality/extract-text.ts'
import { axeViolations, launchBrowser, screenshot, serveApp } from '../support/browser.ts'
import { buildStaff, setUpRegion } from '../support/builders.ts'
import type { StaffAccount } from '../support/builders.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// A citizen applies; the handler asks for a correction; the corrected application arrives; a third
// party is consulted; the office head extends; the handler decides a partial disclosure and issues
// the letter; the citizen sees the decision and, after the second check, downloads the letter.
// Once with JavaScript (the proof of work runs in the browser) and once without. The server's clock
// is moved day by day; every due date below was counted by hand on the State Council's 2026 notice
// (劳动节 5-1…5-5 with the make-up Saturday 5-9; 端午 6-19), never computed by the code under test.

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
let officeId: number
let handler: StaffAccount
let head: StaffAccount
beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-04-27T02:00:00Z')
  officeId = (await setUpRegion(t.deps)).officeId
  handler = await buildStaff(t.deps, { roles: ['handler'] })
  head = await buildStaff(t.deps, { roles: ['office_head'] })
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
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(account.username)
  await page.getByLabel('密码').fill(account.password)
  await page.getByRole('button', { name: '登录' }).click()
}
async function workOn(page: Page, date: string, account: StaffAccount, url: string) {
  day(date)
  await page.context().clearCookies()
  await signIn(page, account)
  await page.goto(url)
}
const due = async (page: Page) => (await page.locator('#due').textContent())?.trim()

async function downloadText(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()])
  const stream = await download.createReadStream()
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return (await pdfText(Buffer.concat(chunks))).replace(/\s+/g, '')
}

describe.each([true, false])('disclosure on request in the browser, JavaScript %s', (js) => {
  let citizenContext: BrowserContext
  let staffContext: BrowserContext
  beforeAll(async () => {
    citizenContext = await browser.newContext({ javaScriptEnabled: js, bypassCSP: true, acceptDownloads: true })
    staffContext = await browser.newContext({ javaScriptEnabled: js, bypassCSP: true, acceptDownloads: true })
  })
  afterAll(async () => {
    await citizenContext?.close()
    await staffContext?.close()
  })

  test('apply → correction → corrected → consultation → extension → partial disclosure → letter → status and second check', async () => {
    const mode = js ? 'js' : 'nojs'
    day('2026-04-27')
    const c = await citizenContext.newPage()
    await c.goto(`${base}/agencies/${officeId}/apply`)
    // axe runs in the page, so only where JavaScript is on.
    if (js) expect(await axeViolations(c)).toEqual([])
    await c.getByLabel(/^申请人类型/).selectOption({ label: '自然人' })
    await c.getByLabel(/^姓名或组织名称/).fill('李明华')
    await c.getByLabel(/^身份证件类型/).selectOption({ label: '居民身份证' })
    await c.getByLabel('身份证件号码', { exact: true }).fill('11010519491231002X')
    await c.getByLabel(/^联系电话/).fill('13912345678')
    await c.getByLabel(/^通信地址/).fill('重庆市垫江县桂溪街道新华路 18 号')
    await c.getByLabel(/^所需信息的内容描述/).fill('2025年桂溪街道老旧小区改造项目的资金使用明细')
    await c.getByLabel(/^所需信息的形式/).selectOption({ label: '电子文档' })
    await c.getByLabel(/^获取信息的方式/).selectOption({ label: '网上获取' })
    await c.getByRole('button', { name: '提交申请' }).click()
    await c.locator('#tracking-number').waitFor({ timeout: 60_000 })
    const number = (await c.locator('#tracking-number').textContent())!.trim()
    const code = (await c.locator('#query-code').textContent())!.trim()
    // Received Monday 4-27: 4-28…4-30 (3), 劳动节, 5-6…5-8 (6), Saturday 5-9 make-up (7), 5-11…5-15 (12), 5-18…5-22 (17), 5-25…5-27 (20).
    await expect(c.locator('main').textContent()).resolves.toContain('本机关应于2026年5月27日（含当日）前答复')
    await screenshot(c, `request-${mode}-1-submitted`)

    const h = await staffContext.newPage()
    await signIn(h, handler)
    await h.goto(`${base}/console/applications?queue=all`)
    await h.getByRole('link', { name: number }).click()
    const url = h.url()
    expect(await due(h)).toBe('2026-05-27')
    if (!js) await expect(h.locator('main').textContent()).resolves.toContain('未经浏览器安全校验提交')

    // Each day the staff member signs in afresh (the session of the day before has expired).
    await workOn(h, '2026-04-29', handler, url)
    const correction = h.getByRole('form', { name: '补正（一次性告知）' })
    await correction.getByLabel('补正期限').fill('2026-05-15')
    await correction.getByLabel('需要补正的事项').fill('请写明所需资金明细对应的小区名称')
    await correction.getByRole('button', { name: '发出补正通知' }).click()
    expect(await due(h)).toBe('补正期间不计时')

    await workOn(h, '2026-05-08', handler, url)
    await h.getByRole('form', { name: '收到补正后的申请' }).getByRole('button', { name: '记录收到补正' }).click()
    // Restart from 5-08: 5-09 (1), 5-11…5-15 (6), 5-18…5-22 (11), 5-25…5-29 (16), 6-1…6-4 (20).
    expect(await due(h)).toBe('2026-06-04')

    await workOn(h, '2026-05-20', handler, url)
    const consult = h.getByRole('form', { name: '征求意见（期间不计入答复期限）' })
    await consult.getByLabel(/^对象/).selectOption({ value: 'thirdParty' })
    await consult.getByLabel('征求意见的对象名称').fill('垫江县某建筑公司')
    await consult.getByRole('button', { name: '记录发出征求意见' }).click()
    expect(await due(h)).toBe('2026-06-04')

    await workOn(h, '2026-05-27', handler, url)
    const reply = h.getByRole('form', { name: '收到垫江县某建筑公司的意见' })
    await reply.getByLabel('意见摘要').fill('不同意公开报价明细')
    await reply.getByRole('button', { name: '记录答复' }).click()
    // 5-21…5-27 (5 working days) do not count: 6-5, 6-8…6-11.
    expect(await due(h)).toBe('2026-06-11')

    await workOn(h, '2026-06-05', head, url)
    const extension = h.getByRole('form', { name: '延长答复期限（负责人同意）' })
    await extension.getByLabel(/^延长工作日数/).fill('20')
    await extension.getByLabel('延期理由').fill('需要区分处理涉及第三方商业秘密的内容')
    await extension.getByRole('button', { name: '批准延期' }).click()
    expect(await due(h)).toBe('2026-06-11')
    // 条例第三十三条第二款: the extension takes effect when its notice letter is issued.
    await h.getByRole('region', { name: '延期答复告知书' }).getByRole('button', { name: '印发' }).click()
    // 6-12 (1), 6-15…6-18 (5), 端午 6-19, 6-22…6-26 (10), 6-29…7-3 (15), 7-6…7-10 (20).
    expect(await due(h)).toBe('2026-07-10')

    await workOn(h, '2026-07-08', handler, url)
    const decide = h.getByRole('form', { name: '作出答复' })
    await decide.getByLabel(/^答复结果/).selectOption({ value: 'PARTIAL' })
    await decide.getByLabel(/^答复类型/).selectOption({ value: '2' })
    await decide.getByLabel(/^部分公开：不予公开部分所依据的条款/).selectOption({ value: 'art15' })
    await decide.getByLabel(/^理由/).fill('报价明细涉及第三方商业秘密，已区分处理')
    await decide.getByRole('button', { name: '作出答复' }).click()
    await expect(h.locator('#outcome').textContent()).resolves.toContain('部分公开')
    const letter = h.getByRole('region', { name: '政府信息公开申请答复书' })
    await letter.getByRole('button', { name: '印发' }).click()
    await expect(h.locator('main').textContent()).resolves.toContain('文书已印发')
    const staffPdf = await downloadText(h, () =>
      h.getByRole('region', { name: '政府信息公开申请答复书' }).getByRole('link', { name: '下载 PDF' }).click(),
    )
    for (const words of ['政府信息公开申请答复书', '第三十七条', '六十日内']) expect(staffPdf).toContain(words)
    if (js) expect(await axeViolations(h)).toEqual([])
    await screenshot(h, `request-${mode}-2-decided`)

    day('2026-07-09')
    await c.goto(`${base}/track`)
    await c.getByLabel(/^申请编号/).fill(number)
    await c.getByLabel(/^查询码/).fill(code)
    await c.getByRole('button', { name: '查询' }).click()
    await expect(c.locator('#status').textContent()).resolves.toBe('已办结')
    await expect(c.locator('#outcome').textContent()).resolves.toContain('部分公开')
    // Each letter addressed to the applicant has its own download form; the decision is the one wanted here.
    const decision = () => c.locator('form.letter-download', { hasText: '政府信息公开申请答复书' })
    await decision().getByLabel('证件号码或电话后四位').fill('0000')
    await decision().getByRole('button', { name: '下载 PDF' }).click()
    await expect(c.locator('main').textContent()).resolves.toContain('证件号码或电话后四位不正确')
    await decision().getByLabel('证件号码或电话后四位').fill('5678')
    const citizenPdf = await downloadText(c, () => decision().getByRole('button', { name: '下载 PDF' }).click())
    for (const words of ['政府信息公开申请答复书', '李明华', number]) expect(citizenPdf).toContain(words)
    if (js) expect(await axeViolations(c)).toEqual([])
    await screenshot(c, `request-${mode}-3-status`)
  }, 180_000)
})
