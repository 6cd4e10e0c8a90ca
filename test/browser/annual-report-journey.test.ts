import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildApp } from '../../src/web/app.ts'
import { axeViolations, launchBrowser, screenshot } from '../support/browser.ts'
import { buildStaff, setUpRegion } from '../support/builders.ts'
import type { StaffAccount } from '../support/builders.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// A drafter computes the 2024 report and writes its narrative; the office head publishes it; a
// citizen finds it in the portal's 年度报告 column and downloads the DOCX and the PDF, whose text
// is extracted and compared.

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2025-01-10T02:00:00Z')
  await setUpRegion(t.deps)
  app = await buildApp(t.deps, { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
  await t?.close()
})

async function signIn(page: Page, account: StaffAccount) {
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(account.username)
  await page.getByLabel('密码').fill(account.password)
  await page.getByRole('button', { name: '登录' }).click()
  expect(new URL(page.url()).pathname).toBe('/console')
}

test('compute → edit narrative → three review levels → publish → the report is in the portal and its DOCX and PDF open', async () => {
  const drafter = await buildStaff(t.deps, { roles: ['drafter'] })
  const head = await buildStaff(t.deps, { roles: ['office_head'] })
  const reviewers = [1, 2, 3].map((level) => buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: level }))
  const context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', acceptDownloads: true })
  const page = await context.newPage()
  const violations: string[] = []
  const check = async (name: string) => {
    await screenshot(page, name)
    violations.push(...(await axeViolations(page)).map((v) => `${name}: ${v}`))
  }
  try {
    await signIn(page, drafter)
    await page.getByRole('link', { name: '年度报告' }).first().click()
    await page.getByLabel('报告年度').selectOption('2024')
    await page.getByRole('button', { name: '计算并生成草稿' }).click()
    await expect(page.locator('h1').textContent()).resolves.toBe('垫江县人民政府办公室2024年政府信息公开工作年度报告')
    await expect(page.locator('.findings').textContent()).resolves.toContain('未发现错误或提示')
    await check('report-01-draft')
    await page.getByLabel('一、总体情况').fill('2024年，本办未收到政府信息公开申请，主动公开信息工作有序开展。')
    await page.getByLabel('六、其他需要报告的事项').fill('本年度未收取信息处理费。')
    await page.getByRole('button', { name: '保存叙述' }).click()
    await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('叙述已保存')
    await expect(page.locator('.report-preview').textContent()).resolves.toContain('本年度未收取信息处理费。')
    // A drafter cannot publish: there is no such form for them; the draft goes to review.
    await expect(page.getByRole('button', { name: '发布' }).count()).resolves.toBe(0)
    await page.getByRole('button', { name: '提交审核' }).click()
    await expect(page.locator('main').textContent()).resolves.toContain('当前待初审')
    const reportUrl = page.url()
    await page.getByRole('button', { name: '退出登录' }).click()

    // 初审, 复审, 终审: three different reviewers confirm the checks (保密关 at the last level).
    for (const [i, pending] of reviewers.entries()) {
      await signIn(page, await pending)
      await page.goto(reportUrl)
      for (const box of await page.getByRole('checkbox').all()) await box.check()
      if (i === 0) await check('report-02-review')
      await page.getByRole('button', { name: '审核通过' }).click()
      await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('审核意见已记录')
      await page.getByRole('button', { name: '退出登录' }).click()
    }

    await signIn(page, head)
    await page.goto(reportUrl)
    await page.getByRole('button', { name: '发布' }).click()
    await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('已发布')
    await page.getByRole('button', { name: '退出登录' }).click()

    await page.goto(`${base}/`)
    await page.getByRole('link', { name: '年度报告' }).click()
    await check('report-03-portal-list')
    await page.getByRole('link', { name: '垫江县人民政府办公室2024年政府信息公开工作年度报告' }).click()
    await expect(page.locator('main').textContent()).resolves.toContain('本办未收到政府信息公开申请')
    await check('report-04-portal-report')

    const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-dl-'))
    try {
      const [pdfDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'PDF' }).click(),
      ])
      const pdfFile = path.join(dir, 'report.pdf')
      await pdfDownload.saveAs(pdfFile)
      expect(pdfDownload.suggestedFilename()).toBe('垫江县人民政府办公室2024年政府信息公开工作年度报告.pdf')
      const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' })
      for (const expected of [
        '垫江县人民政府办公室2024年政府信息公开工作年度报告',
        '三、收到和处理政府信息公开申请情况',
        '本年度未收取信息处理费。',
        '行政复议',
      ]) {
        expect(pdfText.replace(/[ \t]+/g, '')).toContain(expected)
      }
      const [docxDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Word（DOCX）' }).click(),
      ])
      const docxFile = path.join(dir, 'report.docx')
      await docxDownload.saveAs(docxFile)
      const mammoth = (await import('mammoth')).default
      const docxText = (await mammoth.extractRawText({ path: docxFile })).value
      expect(docxText).toContain('2024年，本办未收到政府信息公开申请，主动公开信息工作有序开展。')
      expect(docxText).toContain('四、结转下年度继续办理')
      writeFileSync(path.join(dir, 'ok'), '')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(violations).toEqual([])
  } finally {
    await context.close()
  }
})
