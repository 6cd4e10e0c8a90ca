import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hotp, stepOf } from '../../src/accounts/totp.ts'
import { buildApp } from '../../src/web/app.ts'
import { axeViolations, launchBrowser, screenshot } from '../support/browser.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// The first administrator's journey in a real browser: setup → login with the initial password →
// forced password change → TOTP enrolment → console → logout; with JavaScript on and off, and
// axe-core on every page on the way.

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

async function serve(): Promise<{ t: TestEnv; app: FastifyInstance; base: string }> {
  const t = await testEnv('sqlite')
  const app = await buildApp(t.deps, { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { t, app, base: `http://127.0.0.1:${port}` }
}

async function checkPage(page: Page, name: string, violations: string[], withAxe: boolean) {
  await screenshot(page, name)
  // axe runs as a script, so it runs in the JavaScript-on pass; the pages themselves carry no
  // script, so both passes are served the same markup.
  if (withAxe) {
    violations.push(...(await axeViolations(page)).map((v) => `${name}: ${v}`))
  }
}

describe.each([true, false])('first-run journey with JavaScript %s', (javaScriptEnabled) => {
  test('setup, first login, forced password change, TOTP enrolment, logout', async () => {
    const { t, app, base } = await serve()
    const context = await browser.newContext({
      javaScriptEnabled,
      bypassCSP: true,
      locale: 'zh-CN',
      viewport: { width: 1100, height: 900 },
    })
    const page = await context.newPage()
    const tag = javaScriptEnabled ? 'js' : 'nojs'
    const violations: string[] = []
    try {
      await page.goto(`${base}/`)
      expect(new URL(page.url()).pathname).toBe('/setup')
      await expect(page.locator('h1').textContent()).resolves.toBe('平台初始化')
      await checkPage(page, `${tag}-01-setup`, violations, javaScriptEnabled)

      // A wrong credit code first: the form comes back with the message and the input kept.
      await page.getByLabel('区域名称').fill('重庆市垫江县')
      await page.getByLabel('主管部门全称').fill('垫江县人民政府办公室')
      await page.getByLabel('主管部门统一社会信用代码').fill('11500231MB15204608')
      await page.getByLabel('行政层级').selectOption('县级')
      await page.getByLabel('用户名').fill('admin.dj')
      await page.getByLabel('姓名').fill('张三')
      await page.getByRole('button', { name: '完成初始化' }).click()
      await expect(page.locator('.error-summary').textContent()).resolves.toContain('校验位不正确')
      await expect(page.getByLabel('主管部门全称').inputValue()).resolves.toBe('垫江县人民政府办公室')
      await checkPage(page, `${tag}-02-setup-error`, violations, javaScriptEnabled)
      await page.getByLabel('主管部门统一社会信用代码').fill('11500231MB15204609')
      await page.getByRole('button', { name: '完成初始化' }).click()
      const initial = (await page.locator('#initial-password').textContent())!.trim()
      expect(initial).toHaveLength(16)
      await checkPage(page, `${tag}-03-setup-done`, violations, javaScriptEnabled)

      expect((await page.goto(`${base}/setup`))!.status()).toBe(404)
      await page.goto(`${base}/console`)
      expect(new URL(page.url()).pathname).toBe('/login')
      await checkPage(page, `${tag}-04-login`, violations, javaScriptEnabled)

      await page.getByLabel('用户名').fill('admin.dj')
      await page.getByLabel('密码').fill(initial)
      await page.getByRole('button', { name: '登录' }).click()
      expect(new URL(page.url()).pathname).toBe('/console/password')
      await checkPage(page, `${tag}-05-forced-password`, violations, javaScriptEnabled)
      await page.getByLabel('当前密码').fill(initial)
      await page.getByLabel(/^新密码/).fill('Dianjiang-Admin#2026')
      await page.getByLabel('确认新密码').fill('Dianjiang-Admin#2026')
      await page.getByRole('button', { name: '保存新密码' }).click()

      expect(new URL(page.url()).pathname).toBe('/console/totp')
      const secret = (await page.locator('#totp-secret').textContent())!.trim()
      await expect(page.locator('img.qr').getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/)
      await checkPage(page, `${tag}-06-totp-enrol`, violations, javaScriptEnabled)
      await page.getByLabel('动态验证码').fill(hotp(secret, stepOf(t.deps.clock.now())))
      await page.getByRole('button', { name: '完成绑定' }).click()

      expect(new URL(page.url()).pathname).toBe('/console')
      await expect(page.locator('main').textContent()).resolves.toContain('动态验证码已启用')
      await expect(page.locator('main').textContent()).resolves.toContain('系统管理员')
      await checkPage(page, `${tag}-07-console`, violations, javaScriptEnabled)

      await page.getByRole('button', { name: '退出登录' }).click()
      expect(new URL(page.url()).pathname).toBe('/login')
      await page.goto(`${base}/console`)
      expect(new URL(page.url()).pathname).toBe('/login')

      // Signing in again now asks for the second factor.
      await page.getByLabel('用户名').fill('admin.dj')
      await page.getByLabel('密码').fill('Dianjiang-Admin#2026')
      await page.getByRole('button', { name: '登录' }).click()
      expect(new URL(page.url()).pathname).toBe('/login/totp')
      await checkPage(page, `${tag}-08-login-totp`, violations, javaScriptEnabled)
      t.clock.advanceMinutes(1) // the enrolment code is spent; the authenticator shows the next one
      await page.getByLabel('动态验证码').fill(hotp(secret, stepOf(t.deps.clock.now())))
      await page.getByRole('button', { name: '验证并登录' }).click()
      expect(new URL(page.url()).pathname).toBe('/console')

      expect(violations).toEqual([])
    } finally {
      await context.close()
      await app.close()
      await t.close()
    }
  })
})
