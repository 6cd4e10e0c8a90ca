import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { decideApplication } from '../../src/applications/decision.service.ts'
import { systemActor } from '../../src/audit/audit.ts'
import { listItemsOfAgency } from '../../src/disclosures/disclosure.store.ts'
import { axeViolations, launchBrowser, screenshot, serveApp } from '../support/browser.ts'
import { buildApplication } from '../support/build-application.ts'
import { buildStaff, setUpRegion } from '../support/builders.ts'
import type { StaffAccount } from '../support/builders.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'
import type { FastifyInstance } from 'fastify'

// Issue #12 in Chromium: a drafter writes an item body in the rich-text editor (headings, bold,
// lists, a table, a paste from Word), previews it as the portal will show it, and saves it; with
// JavaScript off the same form is the plain textarea. A handler edits a draft letter in the
// full-width textarea and previews it as it will be issued before issuing it.

const wordPaste = readFileSync(new URL('../fixtures/word-paste.html', import.meta.url), 'utf8')

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
let officeId: number
let drafter: StaffAccount
let handler: StaffAccount
beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-03-02T02:00:00Z')
  officeId = (await setUpRegion(t.deps)).officeId
  drafter = await buildStaff(t.deps, { roles: ['drafter'] })
  handler = await buildStaff(t.deps, { roles: ['handler'] })
  ;({ app, base } = await serveApp(t.deps))
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
  await page.waitForURL(/\/console/)
}

async function fillItemFacts(page: Page, title: string) {
  await page.goto(`${base}/console/items/new`)
  await page.getByLabel('栏目').selectOption({ label: '部门动态' })
  await page.getByLabel('名称').fill(title)
  await page.getByLabel(/^形成或变更日期/).fill('2026-03-01')
}

const storedBody = async (title: string) =>
  (await listItemsOfAgency(t.deps.db, officeId)).find((i) => i.title === title)!.body

describe('the item body in the rich-text editor, JavaScript on', () => {
  let context: BrowserContext
  let page: Page
  const blocked: string[] = []
  beforeAll(async () => {
    // Without bypassCSP: the editor must work under the site's own Content-Security-Policy.
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text())
    })
    page.on('pageerror', (e) => blocked.push(String(e)))
    await signIn(page, drafter)
  })
  afterAll(async () => {
    await context?.close()
  })

  test('OUT-01: headings, bold, lists, a table and a paste from Word are saved as clean HTML; 预览 shows them as the portal will', async () => {
    await fillItemFacts(page, '关于做好政务公开工作的通知')
    const editor = page.getByRole('textbox', { name: /^正文/ })
    await expect(editor.isVisible()).resolves.toBe(true)
    await expect(page.locator('textarea[name="body"]').isHidden()).resolves.toBe(true)
    await expect(page.locator('#h-body').textContent()).resolves.toContain('从 Word 粘贴')

    await editor.click()
    await page.keyboard.type('工作目标')
    await page.locator('.ql-header .ql-picker-label').click()
    await page.getByRole('button', { name: '二级标题' }).click()
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: '加粗' }).click()
    await page.keyboard.type('重点')
    await page.getByRole('button', { name: '加粗' }).click()
    await page.keyboard.type('是公开。')
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: '项目符号列表' }).click()
    await page.keyboard.type('第一项')
    await page.keyboard.press('Enter')
    await page.keyboard.type('第二项')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: '插入表格' }).click()
    await page.keyboard.type('事项')
    // Quill sets no inline style in the page: editing runs under style-src 'self' unreported.
    expect(blocked).toEqual([])
    // A paste from Word, as the browser hands it to the page.
    await page.keyboard.press('Control+End')
    await page.evaluate((html) => {
      const data = new DataTransfer()
      data.setData('text/html', html)
      data.setData('text/plain', '关于做好政务公开工作的通知')
      const root = document.querySelector('.ql-editor')!
      root.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    }, wordPaste)
    await expect(page.locator('.ql-editor').textContent()).resolves.toContain('中国政府网')
    await screenshot(page, 'editor-item-body-1280')

    const [preview] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: '预览', exact: true }).click(),
    ])
    await preview.waitForLoadState()
    const shown = preview.locator('.portal-preview .item-body')
    await expect(shown.locator('h2').first().textContent()).resolves.toBe('工作目标')
    await expect(shown.locator('strong').first().textContent()).resolves.toBe('重点')
    await expect(shown.locator('ul li').allTextContents()).resolves.toEqual(['第一项', '第二项'])
    await expect(shown.locator('table td').first().textContent()).resolves.toBe('事项')
    await expect(shown.textContent()).resolves.toContain('各区县人民政府：')
    await expect(preview.locator('.preview-banner').textContent()).resolves.toContain('尚未保存')
    await screenshot(preview, 'editor-item-preview')
    await preview.close()

    await page.getByRole('button', { name: '保存草稿' }).click()
    await page.waitForURL(/\/console\/items\/\d+/)
    const body = await storedBody('关于做好政务公开工作的通知')
    expect(body).toContain('<h2>工作目标</h2>')
    expect(body).toContain('<strong>重点</strong>是公开。')
    expect(body).toContain('<ul><li>第一项</li><li>第二项</li></ul>')
    expect(body).toMatch(/<table><tbody><tr><td>事项<\/td>/)
    expect(body).toContain('各区县人民政府：')
    // Word's numbered paragraphs (mso-list) become a list, without Word's own typed numbers.
    expect(body).toContain('<ol><li>坚持以公开为常态</li><li>坚持以需求为导向</li></ol>')
    expect(body).not.toMatch(/mso-|<o:p|<span|class=|style=|data-|&nbsp;|ql-/i)
    // The saved body comes back in the editor, rendered, not as markup.
    await expect(page.locator('.ql-editor h2').first().textContent()).resolves.toBe('工作目标')
    await expect(page.locator('.ql-editor').textContent()).resolves.not.toContain('<p>')
    await page.setViewportSize({ width: 390, height: 844 })
    await screenshot(page, 'editor-item-body-390')
    await page.setViewportSize({ width: 1280, height: 900 })
    // On paste Quill parses the clipboard's HTML in an inert document, whose style attributes the
    // policy refuses to apply (one report each); nothing else is refused, and nothing kept is lost:
    // Word marks bold and lists with tags and mso-list, which Quill reads as attributes.
    expect(blocked.filter((m) => !/^Applying inline style violates/.test(m))).toEqual([])
  })

  test('a refused form comes back with the body in the editor as typed', async () => {
    await page.goto(`${base}/console/items/new`)
    await page.locator('.ql-editor').click()
    await page.keyboard.type('未填名称时写下的正文。')
    await page.getByRole('button', { name: '保存草稿' }).click()
    await expect(page.locator('.field.has-error').first().textContent()).resolves.toContain('请选择栏目')
    await expect(page.locator('.ql-editor p').first().textContent()).resolves.toBe('未填名称时写下的正文。')
  })

  test('a body whose table has merged cells stays in the textarea, which says why', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
    try {
      const p = await noScript.newPage()
      await signIn(p, drafter)
      await fillItemFacts(p, '含合并单元格的表格')
      await p
        .getByLabel(/^正文/)
        .fill('<table><tr><td colspan="2">合并</td></tr><tr><td>甲</td><td>乙</td></tr></table>')
      await p.getByRole('button', { name: '保存草稿' }).click()
      await p.waitForURL(/\/console\/items\/\d+/)
      await page.goto(p.url())
    } finally {
      await noScript.close()
    }
    await expect(page.locator('.ql-editor').count()).resolves.toBe(0)
    await expect(page.getByLabel(/^正文/).inputValue()).resolves.toContain('colspan="2"')
    await expect(page.locator('#h-body').textContent()).resolves.toContain('合并单元格')
  })

  test('axe finds nothing on the form with the editor, nor on the preview', async () => {
    const axeContext = await browser.newContext({ bypassCSP: true, locale: 'zh-CN' })
    try {
      const p = await axeContext.newPage()
      await signIn(p, drafter)
      await p.goto(`${base}/console/items/new`)
      await p.locator('.ql-editor').waitFor()
      expect(await axeViolations(p)).toEqual([])
      await p.getByLabel('名称').fill('预览页')
      await p.locator('.ql-editor').click()
      await p.keyboard.type('正文一段。')
      const [preview] = await Promise.all([
        p.waitForEvent('popup'),
        p.getByRole('button', { name: '预览', exact: true }).click(),
      ])
      await preview.waitForLoadState()
      expect(await axeViolations(preview)).toEqual([])
    } finally {
      await axeContext.close()
    }
  })
})

describe('the item body without JavaScript', () => {
  test('the textarea works as before: text saved as paragraphs, shown rendered on the form, previewed in a new window', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
    try {
      const page = await context.newPage()
      await signIn(page, drafter)
      await fillItemFacts(page, '无脚本起草的通知')
      await expect(page.locator('.ql-editor').count()).resolves.toBe(0)
      await page.getByLabel(/^正文/).fill('第一段。\n第二段。')
      const [preview] = await Promise.all([
        page.waitForEvent('popup'),
        page.getByRole('button', { name: '预览', exact: true }).click(),
      ])
      await preview.waitForLoadState()
      await expect(preview.locator('.item-body p').allTextContents()).resolves.toEqual(['第一段。', '第二段。'])
      await preview.close()
      await page.getByRole('button', { name: '保存草稿' }).click()
      await page.waitForURL(/\/console\/items\/\d+/)
      expect(await storedBody('无脚本起草的通知')).toBe('<p>第一段。</p><p>第二段。</p>')
      await expect(page.getByLabel(/^正文/).inputValue()).resolves.toBe('<p>第一段。</p><p>第二段。</p>')
      await page.getByText('正文按门户网站样式显示').click()
      await expect(page.locator('.body-preview .item-body p').allTextContents()).resolves.toEqual([
        '第一段。',
        '第二段。',
      ])
      await screenshot(page, 'editor-item-body-nojs')
    } finally {
      await context.close()
    }
  })
})

describe.each([true, false])('a letter before issue, JavaScript %s', (js) => {
  test('the handler edits the letter across the page, previews it as issued without saving, then issues it', async () => {
    const account = js ? handler : await buildStaff(t.deps, { roles: ['handler'] })
    const actor = { ...systemActor('承办人'), id: account.id, agencyId: officeId, roles: ['handler' as const] }
    const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
    await decideApplication(t.deps, actor, id, { on: '2026-03-02', outcome: 'GRANTED', replyType: '2', basis: '' })
    const context = await browser.newContext({ javaScriptEnabled: js, bypassCSP: true, locale: 'zh-CN' })
    try {
      const page = await context.newPage()
      await signIn(page, account)
      await page.goto(`${base}/console/applications/${id}`)
      const text = page.getByLabel('文书内容（每段一行，可修改）')
      const main = await page.locator('main').boundingBox()
      const box = await text.boundingBox()
      expect(box!.width).toBeGreaterThan(main!.width * 0.9)
      const letter = page.locator('.letter-page')
      await expect(letter.locator('.letter-title').textContent()).resolves.toBe('政府信息公开申请答复书')
      if (js) expect(await axeViolations(page)).toEqual([])

      const original = await text.inputValue()
      await text.fill(`${original}\n另附办理指引一份。`)
      await page.getByRole('button', { name: '预览', exact: true }).click()
      await expect(letter.locator('.letter-body p').last().textContent()).resolves.toBe('另附办理指引一份。')
      await expect(page.locator('.letter-editor + section h4').textContent()).resolves.toContain('尚未保存')
      await expect(text.inputValue()).resolves.toContain('另附办理指引一份。')
      await screenshot(page, `editor-letter-preview-${js ? 'js' : 'nojs'}`)

      await page.getByRole('button', { name: '印发' }).click()
      await expect(page.locator('main').textContent()).resolves.toContain('文书已印发')
      await expect(page.locator('pre.letter-text').first().textContent()).resolves.toContain('另附办理指引一份。')
    } finally {
      await context.close()
    }
  })
})
