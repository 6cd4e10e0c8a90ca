import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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

// A drafter writes an item; the drafter and a second-level signer are refused at other levels;
// three different reviewers sign; the publisher publishes; the item is in its column on the portal.
// An item whose DOCX attachment holds an ID number is blocked with the finding shown.

let browser: Browser
let dir: string
let t: TestEnv
let app: FastifyInstance
let base: string
beforeAll(async () => {
  browser = await launchBrowser()
  dir = mkdtempSync(path.join(tmpdir(), 'gongkai-att-'))
  t = await testEnv('sqlite', '2026-03-02T02:00:00Z')
  await setUpRegion(t.deps)
  app = await buildApp(t.deps, { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
afterAll(async () => {
  await browser?.close()
  rmSync(dir, { recursive: true, force: true })
  await app?.close()
  await t?.close()
})

async function columnIdOf(name: string): Promise<number> {
  const { listColumns } = await import('../../src/disclosures/disclosure.store.ts')
  const { listAgencies } = await import('../../src/agencies/agency.store.ts')
  const [office] = await listAgencies(t.deps.db)
  return (await listColumns(t.deps.db, office!.id)).find((c) => c.name === name)!.id
}

async function as(page: Page, account: StaffAccount, then: () => Promise<void>) {
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(account.username)
  await page.getByLabel('密码').fill(account.password)
  await page.getByRole('button', { name: '登录' }).click()
  await then()
  await page.getByRole('button', { name: '退出登录' }).click()
}

async function docx(text: string): Promise<string> {
  const { Document, Packer, Paragraph } = await import('docx')
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.docx`)
  writeFileSync(file, await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph(text)] }] })))
  return file
}

async function draft(
  page: Page,
  title: string,
  body: string,
  attachment?: { name: string; file: string },
): Promise<string> {
  await page.goto(`${base}/console/items/new`)
  await page.getByLabel('栏目').selectOption({ label: '部门动态' })
  await page.getByLabel('名称').fill(title)
  await page.getByLabel(/^形成或变更日期/).fill('2026-03-01')
  await page.getByLabel(/^正文/).fill(body)
  await page.getByRole('button', { name: '保存草稿' }).click()
  if (attachment) {
    await page.getByLabel(/^上传附件/).setInputFiles({
      name: attachment.name,
      mimeType: 'application/octet-stream',
      buffer: readFileSync(attachment.file),
    })
    await page.getByRole('button', { name: '上传', exact: true }).click()
    await expect(page.getByRole('link', { name: attachment.name }).count()).resolves.toBe(1)
  }
  await page.getByRole('button', { name: '提交审核' }).click()
  return page.url().replace(/\?.*$/, '')
}

test('draft → three review levels (others refused) → publish → the item is on the portal and found by search and in its feed; an ID number found on upload stops the 保密审查 level until cleared', async () => {
  const drafter = await buildStaff(t.deps, { roles: ['drafter'] })
  const publisher = await buildStaff(t.deps, { roles: ['publisher'] })
  const reviewers = [
    await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 1 }),
    await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 2 }),
    await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 3 }),
  ]
  const context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', acceptDownloads: true })
  const page = await context.newPage()
  const violations: string[] = []
  try {
    let itemUrl = ''
    let blockedUrl = ''
    await as(page, drafter, async () => {
      itemUrl = await draft(
        page,
        '县司法局开展法治宣传进社区活动',
        '3月1日，县司法局在桂溪街道开展法治宣传活动，发放资料500余份。',
        { name: '活动方案.docx', file: await docx('法治宣传进社区活动方案：宣传时间、地点和内容。') },
      )
      blockedUrl = await draft(page, '法律援助获奖名单', '获奖名单见附件。', {
        name: '获奖名单.docx',
        file: await docx('获奖人张三，身份证号 11010519491231002X。'),
      })
      await screenshot(page, 'item-01-submitted')
      violations.push(...(await axeViolations(page)))
      // The drafter has no signing form on their own item.
      await page.goto(itemUrl)
      await expect(page.getByRole('button', { name: '审核通过' }).count()).resolves.toBe(0)
    })
    // The scan ran when the file was attached: the drafter sees the finding before anyone signs (条例 art. 17).
    await as(page, drafter, async () => {
      await page.goto(blockedUrl)
      await expect(page.locator('.error-summary').textContent()).resolves.toContain(
        '居民身份证号码：110***********002X（位于附件“获奖名单.docx”）',
      )
    })
    for (const [i, reviewer] of reviewers.entries()) {
      await as(page, reviewer, async () => {
        for (const url of i < 2 ? [itemUrl, blockedUrl] : [itemUrl]) {
          await page.goto(url)
          for (const box of await page.getByRole('checkbox').all()) await box.check()
          await page.getByRole('button', { name: '审核通过' }).click()
          await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('审核意见已记录')
        }
        if (i === 1) {
          // The second-level signer sees no form at the third level, and cannot clear the finding.
          await page.goto(itemUrl)
          await expect(page.getByRole('button', { name: '审核通过' }).count()).resolves.toBe(0)
          await page.goto(blockedUrl)
          await expect(page.getByRole('button', { name: '解除以上发现' }).count()).resolves.toBe(0)
        }
        if (i === 2) {
          // The 保密审查 level cannot sign over the standing finding: it clears it with a reason first.
          await page.goto(blockedUrl)
          for (const box of await page.getByRole('checkbox').all()) await box.check()
          await page.getByRole('button', { name: '审核通过' }).click()
          await expect(page.locator('main').textContent()).resolves.toContain('保密审查发现 1 处内容尚未处理')
          await screenshot(page, 'item-02-blocked')
          await page.getByLabel(/^解除理由/).fill('获奖名单经本人书面同意公开')
          await page.getByRole('button', { name: '解除以上发现' }).click()
          await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('已解除保密审查发现')
          for (const box of await page.getByRole('checkbox').all()) await box.check()
          await page.getByRole('button', { name: '审核通过' }).click()
          await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('审核意见已记录')
        }
      })
    }
    await page.goto(`${base}/`)
    await page.getByRole('link', { name: '垫江县人民政府办公室' }).click()
    await page.getByRole('link', { name: '部门动态' }).click()
    await expect(page.getByRole('link', { name: '法律援助获奖名单' }).count()).resolves.toBe(0)
    await as(page, publisher, async () => {
      for (const url of [itemUrl, blockedUrl]) {
        await page.goto(url)
        await page.getByRole('button', { name: '发布' }).click()
        await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('已发布')
      }
      // The item's history lists every step.
      await expect(page.locator('details.history').textContent()).resolves.toMatch(
        /起草[\s\S]*提交审核[\s\S]*审核通过[\s\S]*解除保密审查发现[\s\S]*发布/,
      )
    })
    await page.goto(`${base}/`)
    await page.getByRole('link', { name: '垫江县人民政府办公室' }).click()
    await page.getByRole('link', { name: '部门动态' }).click()
    await page.getByRole('link', { name: '县司法局开展法治宣传进社区活动' }).click()
    await expect(page.locator('.catalogue-block').textContent()).resolves.toContain('11500231MB15204609/2026-00001')
    await expect(page.locator('main').textContent()).resolves.toContain('发放资料500余份')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '活动方案.docx' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('活动方案.docx')
    await screenshot(page, 'item-03-portal')
    violations.push(...(await axeViolations(page)))
    // Search by a two-character word finds it, with the match marked.
    await page.getByRole('link', { name: '搜索' }).click()
    await page.getByLabel('关键词').fill('宣传')
    await page.getByRole('button', { name: '搜索' }).click()
    await expect(page.locator('ol.results li').count()).resolves.toBe(1)
    await expect(page.locator('ol.results mark').first().textContent()).resolves.toBe('宣传')
    await page.getByLabel('关键词').fill('不存在的词语')
    await page.getByRole('button', { name: '搜索' }).click()
    await expect(page.locator('main').textContent()).resolves.toContain('没有找到包含“不存在的词语”的信息')
    violations.push(...(await axeViolations(page)))
    // The column's Atom feed and the sitemap carry the published items.
    const feed = await (await page.request.get(`${base}/columns/${await columnIdOf('部门动态')}/feed.xml`)).text()
    expect(feed).toContain('<title>县司法局开展法治宣传进社区活动</title>')
    expect(feed).toContain('法律援助获奖名单')
    // The sitemap index leads to the sitemap of the items' id range (issue #15).
    const index = await (await page.request.get(`${base}/sitemap.xml`)).text()
    expect(index).toContain('<loc>/sitemaps/1.xml</loc>')
    const sitemap = await (await page.request.get(`${base}/sitemaps/1.xml`)).text()
    // Without PUBLIC_URL the links are site-relative: never taken from the request's Host (issue #14).
    expect(sitemap).toMatch(/<loc>\/items\/\d+<\/loc>/)
    expect(index + sitemap).not.toContain('127.0.0.1')
    expect(violations).toEqual([])
  } finally {
    await context.close()
  }
})
