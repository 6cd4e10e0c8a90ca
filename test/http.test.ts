import { describe, expect, test } from 'vitest'
import { findRegion } from '../src/agencies/agency.store.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { anonymousSession, buildStaff, currentCode, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

const formHeaders = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })

describe.each(databaseKinds)('web on %s', (kind) => {
  test('first run: every page leads to /setup; bad input is answered 422 with the input kept and nothing written', async () => {
    const t = await testApp(kind, { setUp: false })
    try {
      expect((await t.app.inject('/')).headers.location).toBe('/setup')
      expect((await t.app.inject('/console')).headers.location).toBe('/setup')
      const anon = await anonymousSession(t.app)
      const bad = await t.app.inject({
        method: 'POST',
        url: '/setup',
        headers: formHeaders(anon.cookie),
        payload: form({
          _csrf: anon.csrf,
          regionName: '重庆市垫江县',
          officeName: '垫江县人民政府办公室',
          officeCreditCode: '11500231MB15204608',
          officeLevel: '县级',
          adminUsername: 'A',
          adminName: '张三',
        }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('统一社会信用代码校验位不正确')
      expect(bad.body).toContain('用户名为 3–32 位')
      expect(bad.body).toContain('value="垫江县人民政府办公室"')
      expect(await findRegion(t.deps.db)).toBeUndefined()

      const good = await t.app.inject({
        method: 'POST',
        url: '/setup',
        headers: formHeaders(anon.cookie),
        payload: form({
          _csrf: anon.csrf,
          regionName: '重庆市垫江县',
          officeName: '垫江县人民政府办公室',
          officeCreditCode: '11500231MB15204609',
          officeLevel: '县级',
          adminUsername: 'admin.dj',
          adminName: '张三',
        }),
      })
      expect(good.statusCode).toBe(201)
      expect(good.body).toMatch(/id="initial-password">[^<]{16}</)
      const gone = await t.app.inject('/setup')
      expect(gone.statusCode).toBe(404)
      expect(gone.body).toContain('页面不存在')
      expect((await t.app.inject('/console')).headers.location).toBe('/login')
      const home = await t.app.inject('/')
      expect(home.body).toContain('重庆市垫江县政府信息公开')
    } finally {
      await t.close()
    }
  })

  test("a form posted without its token, with another session's token, or from another site is refused 403 and audited", async () => {
    const t = await testApp(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const anon = await anonymousSession(t.app)
      const other = await anonymousSession(t.app)
      const login = (cookie: string, extra: Record<string, string>, headers: Record<string, string> = {}) =>
        t.app.inject({
          method: 'POST',
          url: '/login',
          headers: { ...formHeaders(cookie), ...headers },
          payload: form({ username: staff.username, password: staff.password, ...extra }),
        })
      expect((await login(anon.cookie, {})).statusCode).toBe(403)
      expect((await login(anon.cookie, { _csrf: other.csrf })).statusCode).toBe(403)
      expect((await login(anon.cookie, { _csrf: anon.csrf }, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403)
      expect((await login(anon.cookie, { _csrf: anon.csrf }, { origin: 'https://evil.example' })).statusCode).toBe(403)
      expect((await searchAudit(t.deps, { action: 'csrf.reject' }, 1)).length).toBe(4)
      expect((await login(anon.cookie, { _csrf: anon.csrf }, { 'sec-fetch-site': 'same-origin' })).statusCode).toBe(303)
      // A signed-in session's token does not work for another session.
      const a = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const b = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const res = await t.app.inject({
        method: 'POST',
        url: '/logout',
        headers: formHeaders(a.cookie),
        payload: form({ _csrf: b.csrf }),
      })
      expect(res.statusCode).toBe(403)
    } finally {
      await t.close()
    }
  })

  test('a NUL character in a form, a query or a path is refused 422 in Chinese, never a 500', async () => {
    const t = await testApp(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const anon = await anonymousSession(t.app)
      const res = await t.app.inject({
        method: 'POST',
        url: '/login',
        headers: formHeaders(anon.cookie),
        payload: form({ username: `${staff.username}\u0000`, password: staff.password, _csrf: anon.csrf }),
      })
      expect(res.statusCode).toBe(422)
      expect(res.body).toContain('无效的空字符')
      const track = await t.app.inject('/track?number=GK%00123&code=1')
      expect(track.statusCode).toBe(422)
      const signedIn = await signIn(t.app, staff)
      const search = await t.app.inject({ url: '/console/items?q=%00', headers: { cookie: signedIn.cookie } })
      expect(search.statusCode).toBe(422)
    } finally {
      await t.close()
    }
  })

  test('every page carries strict security headers; console pages are not cached', async () => {
    const t = await testApp(kind)
    try {
      const res = await t.app.inject('/login')
      const csp = String(res.headers['content-security-policy'])
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).not.toContain('unsafe-inline')
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('same-origin')
      expect(String(res.headers['strict-transport-security'])).toContain('includeSubDomains')
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.headers['cache-control']).toBe('no-store')
    } finally {
      await t.close()
    }
  })

  test('an unknown path gets a Chinese 404 page; an unexpected failure a 500 page with its request id', async () => {
    const t = await testApp(kind)
    try {
      const missing = await t.app.inject('/no/such/page')
      expect(missing.statusCode).toBe(404)
      expect(missing.body).toContain('您访问的页面不存在')
      const badId = await t.app.inject({ url: '/console/agencies/abc' })
      expect([302, 404]).toContain(badId.statusCode)
      await t.deps.db.destroy() // the database goes away under the running server
      const broken = await t.app.inject('/')
      expect(broken.statusCode).toBe(500)
      expect(broken.body).toContain('系统出现意外错误')
      expect(broken.body).toContain(String(broken.headers['x-request-id']))
      expect(broken.body).not.toMatch(/at .*\.ts:\d+/)
    } finally {
      await t.app.close()
    }
  })

  test('login is rate-limited per address', async () => {
    const t = await testApp(kind)
    try {
      const anon = await anonymousSession(t.app)
      const codes: number[] = []
      for (let i = 0; i < 21; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/login',
          headers: formHeaders(anon.cookie),
          payload: form({ _csrf: anon.csrf, username: `nobody${i}`, password: 'x' }),
        })
        codes.push(res.statusCode)
      }
      expect(codes.slice(0, 20).every((c) => c === 422)).toBe(true)
      expect(codes[20]).toBe(429)
    } finally {
      await t.close()
    }
  })

  test('logout ends the session on the server: replaying the old cookie leads to the login page', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      expect((await t.app.inject({ url: '/console', headers: { cookie: s.cookie } })).statusCode).toBe(200)
      const out = await t.app.inject({
        method: 'POST',
        url: '/logout',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf }),
      })
      expect(out.statusCode).toBe(303)
      const replay = await t.app.inject({ url: '/console', headers: { cookie: s.cookie } })
      expect(replay.headers.location).toBe('/login')
    } finally {
      await t.close()
    }
  })

  test('an administrator with an initial password must change it and enrol TOTP before using the console', async () => {
    const t = await testApp(kind)
    try {
      const { createAccount } = await import('../src/accounts/account.service.ts')
      const { systemActor } = await import('../src/audit/audit.ts')
      const created = await createAccount(
        t.deps,
        systemActor(),
        {
          agencyId: t.officeId,
          username: 'audit.new',
          displayName: '审计员',
          roles: [{ role: 'auditadmin', reviewLevel: null }],
        },
        'operator',
      )
      const s = await signIn(t.app, { id: created.id, username: 'audit.new', password: created.temporaryPassword })
      expect((await t.app.inject({ url: '/console/audit', headers: { cookie: s.cookie } })).headers.location).toBe(
        '/console/password',
      )
      const weak = await t.app.inject({
        method: 'POST',
        url: '/console/password',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf, current: created.temporaryPassword, next: 'short', confirm: 'short' }),
      })
      expect(weak.statusCode).toBe(422)
      expect(weak.body).toContain('密码至少 12 个字符')
      expect(weak.body).not.toContain(created.temporaryPassword)
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/password',
        headers: formHeaders(s.cookie),
        payload: form({
          _csrf: s.csrf,
          current: created.temporaryPassword,
          next: 'Audit-Officer#2026',
          confirm: 'Audit-Officer#2026',
        }),
      })
      expect(ok.headers.location).toBe('/console/totp')
      expect((await t.app.inject({ url: '/console/audit', headers: { cookie: s.cookie } })).headers.location).toBe(
        '/console/totp',
      )
      const page = await t.app.inject({ url: '/console/totp', headers: { cookie: s.cookie } })
      const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.body)?.[1]
      expect(secret).toBeDefined()
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/console/totp',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf, code: '123456' }),
      })
      expect(wrong.statusCode).toBe(422)
      const enrol = await t.app.inject({
        method: 'POST',
        url: '/console/totp',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf, code: currentCode(t.deps, secret!) }),
      })
      expect(enrol.statusCode).toBe(303)
      expect((await t.app.inject({ url: '/console/audit', headers: { cookie: s.cookie } })).statusCode).toBe(200)
    } finally {
      await t.close()
    }
  })
})
