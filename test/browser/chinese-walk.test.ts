import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { hotp, stepOf } from '../../src/accounts/totp.ts'
import { listAgencies } from '../../src/agencies/agency.store.ts'
import { createDemo, demoPassword, justiceBureau } from '../../src/demo/demo.ts'
import { listColumns } from '../../src/disclosures/disclosure.store.ts'
import { launchBrowser, serveApp } from '../support/browser.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// Users see only Chinese (issue #12, 《政府网站发展指引》国办发〔2017〕47号: a government site speaks
// the public's language): every console page each demo role reaches from its navigation and its
// 工作台 (one level deep), and every public page, shows no English word and no internal code
// (snake_case or dotted identifiers, role and outcome codes) outside a short allow-list.

// What may appear in Latin letters, and why:
const allowed = new Set([
  'Gongkai', // the product's name (footer, page titles)
  ...['PDF', 'DOCX', 'XLSX', 'CSV', 'JSON', 'TXT', 'HTML', 'ZIP', 'OFD'], // file types users pick and download
  ...['KB', 'MB', 'GB'], // file sizes
  'ICP', // ICP 备案号, the footer required by 国办发〔2017〕47号
  ...['Word', 'Excel', 'Atom'], // what a download opens in, and the feed format subscribers choose
  'TOTP', // the standard an authenticator app must support, named as the app stores name it
  'chinese-days', // the cited source of the holiday calendar's data (系统管理 › 工作日历)
])
// Names of standards on the security policy page, where the 安全管理员 chooses between them.
const standards: Record<string, string[]> = { '/console/security': ['OWASP', 'ASVS'] }
// Administrators only (三员): the server settings they are asked to make, by the names they must set —
// setting names (KEY_FILE, MALWARE_SCAN_COMMAND), paths on the server, the suggested virus scanner
// command (clamdscan --no-summary) and the EICAR test file it replaces.
const administrators = new Set(['demo.sysadmin', 'demo.secadmin', 'demo.auditadmin'])
const forAdministrators = new Set(['clamdscan', 'no-summary', 'EICAR'])

// The console pages of each role, one account each (the three reviewer levels see the same pages).
const accounts = [
  'sfj.drafter',
  'sfj.reviewer1',
  'sfj.publisher',
  'sfj.handler',
  'zjw.handler', // the busy agency: applications in every state, with their letters
  'sfj.officehead',
  'zfb.supervisor',
  'demo.sysadmin',
  'demo.secadmin',
  'demo.auditadmin',
]
// Left out, each for a known defect on a page another change is rewriting:
const knownDefects = new Map<string, string>([])
// Usernames are what staff type to sign in (账号 lists, the audit log's 操作人): data, not codes.
let usernames = new Set<string>()
// Links that download a file rather than show a page.
const download = /download|export|[?&]format=|\/files\/|\/attachments\/|\.(pdf|docx|xlsx|csv|json|zip|png|txt)(\?|$)/i

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
let publicPaths: string[] = []

beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-03-02T02:00:00Z')
  const demo = await createDemo(t.deps, { busyCount: 20 })
  usernames = new Set(demo.accounts.map((a) => a.username))
  const justice = (await listAgencies(t.deps.db)).find((a) => a.name === justiceBureau)!
  const columns = await listColumns(t.deps.db, justice.id)
  const statutory = columns.find((c) => c.class === 'statutory')!
  const item = await t.deps.db
    .selectFrom('items')
    .select('id')
    .where('status', '=', 'published')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  publicPaths = [
    '/',
    '/guide',
    '/rules',
    '/statutory',
    '/catalogue',
    '/apply',
    '/track',
    '/reports',
    `/agencies/${justice.id}`,
    `/agencies/${justice.id}/guide`,
    `/columns/${statutory.id}`,
    `/items/${item.id}`,
    `/search?q=${encodeURIComponent('公开')}`,
  ]
  ;({ app, base } = await serveApp(t.deps))
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await t?.close()
})

/** The Latin-letter words of the visible text that a user should not see. */
function foreignWords(text: string, url: string, admin: boolean): string[] {
  const stripped = (admin ? text.replace(/\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b/g, ' ').replace(/(\/[\w.-]+)+/g, ' ') : text)
    .replace(/GB\/T/g, ' ') // 国家标准 numbers: GB/T 22239-2019
    .replace(/\{\w+\}/g, ' ') // placeholders a user types into a pattern: 〔{year}〕{n}号
    .replace(/[^\s；，。、：（）()]+\.(txt|pdf|docx?|xlsx?|csv|json|zip|ofd)\b/gi, ' ') // file names the user uploaded
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ') // e-mail addresses
    .replace(/\b[\w-]+(\.[\w-]+)*\.(cn|com|net|org)\b/g, ' ') // domain names
  const found = new Set<string>()
  for (const m of stripped.matchAll(/[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*/g)) {
    const word = m[0]
    if (allowed.has(word) || standards[url]?.includes(word) || (admin && forAdministrators.has(word))) continue
    const code = /[a-z0-9][._][a-z]/i.test(word) // snake_case or dotted: item.create, DENY_THIRD_PARTY
    // Numbers with letters in them are real identifiers users copy: 申请编号 YSQ…, 统一社会信用代码, 索引号.
    if (!code && /\d/.test(word)) continue
    found.add(word)
  }
  return [...found]
}

test('the check flags role codes, action and outcome codes and English words, not numbers, file names or units', () => {
  const text =
    '起草人 drafter；item.create；DENY_THIRD_PARTY；article20.licensing.decisions；Submit；' +
    'YSQ20241103548763；11500231MB15204609；方案.pdf 10 MB；PDF；gk@example.gov.cn'
  expect(foreignWords(text, '/console', false)).toEqual([
    'drafter',
    'item.create',
    'DENY_THIRD_PARTY',
    'article20.licensing.decisions',
    'Submit',
  ])
  expect(foreignWords('（MALWARE_SCAN_COMMAND，如 clamdscan --no-summary）', '/console', false)).not.toEqual([])
  expect(foreignWords('（MALWARE_SCAN_COMMAND，如 clamdscan --no-summary）', '/console', true)).toEqual([])
})

async function findings(page: Page, url: string, admin = false): Promise<string[]> {
  const res = await page.goto(base + url).catch((e: Error) => {
    if (/Download is starting/.test(e.message)) return 'download' as const // a file, not a page
    throw e
  })
  if (res === 'download') return []
  expect(res?.status(), url).toBeLessThan(400)
  // The TOTP secret shown for enrolment is base32 the user copies into an authenticator, not a word: one without a
  // digit (about 1 in 700 secrets) was flagged as English.
  const text = await page.evaluate(() => {
    const secret = document.querySelector('#totp-secret')?.textContent?.trim()
    return secret ? document.body.innerText.split(secret).join(' ') : document.body.innerText
  })
  const words = foreignWords(text, url, admin).filter((w) => !usernames.has(w))
  return words.length ? [`${url}: ${words.join(' ')}`] : []
}

async function signIn(page: Page, username: string) {
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(demoPassword)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForLoadState()
  if (new URL(page.url()).pathname === '/console/totp') {
    // The administrators enrol their authenticator on first login (三员 must use TOTP).
    const secret = (await page.locator('#totp-secret').textContent())!.trim()
    await page.getByLabel('动态验证码').fill(hotp(secret, stepOf(t.deps.clock.now())))
    await page.getByRole('button', { name: /绑定|确认|提交/ }).click()
    await page.waitForLoadState()
  }
  expect(new URL(page.url()).pathname, username).toMatch(/^\/console/)
}

const consoleLinks = (page: Page, selector: string) =>
  page.$$eval(selector, (as) =>
    as
      .filter((a) => !a.hasAttribute('download'))
      .map((a) => (a as HTMLAnchorElement).href)
      .filter((h) => h.startsWith(location.origin + '/console'))
      .map((h) => h.slice(location.origin.length).split('#')[0]!),
  )

test('every console page of every demo role and every public page speak Chinese only', async () => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const problems: string[] = []
  const seen = new Set<string>()
  const walked: string[] = [] // new pages per account, for the log
  try {
    for (const path of publicPaths) problems.push(...(await findings(page, path)))
    const reportLink = await page.goto(`${base}/reports`).then(() => page.locator('main a[href^="/reports/"]').first())
    problems.push(...(await findings(page, (await reportLink.getAttribute('href'))!)))

    for (const username of accounts) {
      await signIn(page, username)
      await page.goto(`${base}/console`)
      const nav = [...new Set(await consoleLinks(page, 'header nav a'))]
      const workbench = await consoleLinks(page, 'main a')
      // The nav pages, the 工作台's links and each page's own sub-navigation (the application queues)
      // are checked for every role, as each role sees them differently (a reviewer's item page has the
      // review form); the links on them, one level deep, once for all roles.
      const before = seen.size
      const links = new Set<string>()
      const expand = [...new Set([...nav, ...workbench])]
      for (let i = 0; i < expand.length; i++) {
        const url = expand[i]!
        if (seen.has(`${username} ${url}`) || download.test(url) || knownDefects.has(url)) continue
        seen.add(`${username} ${url}`)
        problems.push(...(await findings(page, url, administrators.has(username))))
        for (const l of await consoleLinks(page, 'main a')) links.add(l)
        if (i < nav.length + workbench.length) expand.push(...(await consoleLinks(page, 'main nav a')))
      }
      for (const url of links) {
        if (expand.includes(url) || seen.has(url) || download.test(url) || knownDefects.has(url)) continue
        seen.add(url)
        problems.push(...(await findings(page, url, administrators.has(username))))
      }
      walked.push(`${username} ${seen.size - before}`)
      await context.clearCookies()
    }
    console.log(`walked ${seen.size} console pages (${walked.join(', ')}) and ${publicPaths.length + 1} public pages`)
    expect(problems).toEqual([])
  } finally {
    await context.close()
  }
}, 180_000)
