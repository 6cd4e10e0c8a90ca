import { describe, expect, test } from 'vitest'
import { login } from '../src/accounts/login.service.ts'
import type { Deps } from '../src/deps.ts'
import { sendDueMail } from '../src/notify/mail-worker.ts'
import { buildApp } from '../src/web/app.ts'
import { testApp } from './support/app.ts'
import { anonymousSession, buildStaff, form, setUpRegion, signIn } from './support/builders.ts'
import { startSmtpServer } from './support/smtp-server.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Issue #14, 三员分立 (GB/T 22239-2019 §8.1.4.2 c): the 系统管理员 who creates an account in the console
// must not be able to sign in as it. The account starts with a password nobody knows; a one-time link
// goes by mail to the owner's address, entered on the form, and the owner sets the password.

const client = { ip: '10.1.2.3', userAgent: 'test' }
const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const chosen = 'Qingshan-Lvshui#2026'

describe.each(databaseKinds)('creating an account in the console on %s', (kind) => {
  test('the 系统管理员 sees no password and no link; the owner sets the password through the mailed link and signs in', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    const deps: Deps = {
      ...t.deps,
      config: Object.freeze({ ...t.deps.config, smtpUrl: smtp.url, publicUrl: 'https://gk.example.gov.cn' }),
    }
    const { officeId } = await setUpRegion(deps)
    const app = await buildApp(deps, { logger: false })
    try {
      const s = await signIn(app, await buildStaff(deps, { roles: ['sysadmin'] }))
      const create = (fields: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/console/accounts',
          headers: post(s.cookie),
          payload: form({ _csrf: s.csrf, agencyId: String(officeId), displayName: '王五', ...fields }),
        })

      const noAddress = await create({ username: 'wang.wu' })
      expect(noAddress.statusCode).toBe(422)
      expect(noAddress.body).toContain('请填写电子邮箱')

      const res = await create({ username: 'wang.wu', email: 'wangwu@example.cn' })
      expect(res.statusCode).toBe(201)
      expect(res.body).toContain('w***@example.cn')
      expect(res.body).not.toContain('wangwu@example.cn')
      expect(res.body).not.toContain('temporary-password')
      const user = await deps.db
        .selectFrom('users')
        .select(['id', 'email_enc'])
        .where('username', '=', 'wang.wu')
        .executeTakeFirstOrThrow()
      // Nothing the administrator was shown signs in as the new account.
      for (const shown of res.body.matchAll(/<code[^>]*>([^<]+)<\/code>/g))
        expect((await login(deps, 'wang.wu', shown[1]!, client)).ok).toBe(false)
      // The address is the account's registered one: later reset links go there too.
      expect(deps.fields.decrypt(user.email_enc!, `users:${user.id}:email`)).toBe('wangwu@example.cn')

      // The outbox holds one message, to the address entered, with the link.
      const outbox = await deps.db.selectFrom('mail_outbox').select(['user_id', 'kind']).execute()
      expect(outbox).toEqual([{ user_id: user.id, kind: 'account_setup' }])
      expect(await sendDueMail(deps)).toBe(1)
      const mail = smtp.received[0]!
      expect(mail.to).toEqual(['wangwu@example.cn'])
      expect(mail.subject).toBe('设置登录密码')
      const token = /https:\/\/gk\.example\.gov\.cn\/password-reset\?token=([\w-]+)/.exec(mail.text)?.[1]
      expect(token).toBeDefined()
      expect(res.body).not.toContain(token!)
      const list = await app.inject({ url: '/console/accounts', headers: { cookie: s.cookie } })
      expect(list.body).not.toContain(token!)
      // A second account, whose owner never uses the link.
      expect((await create({ username: 'zhao.liu', email: 'zhaoliu@example.cn' })).statusCode).toBe(201)
      await sendDueMail(deps)
      const unused = /token=([\w-]+)/.exec(smtp.received[1]!.text)![1]!

      // The owner follows the link (valid for 72 hours), sets a password and signs in with it.
      t.clock.advanceMinutes(71 * 60)
      const anon = await anonymousSession(app)
      const page = await app.inject({ url: `/password-reset?token=${token}`, headers: { cookie: anon.cookie } })
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('wang.wu')
      const set = await app.inject({
        method: 'POST',
        url: '/password-reset',
        headers: post(anon.cookie),
        payload: form({ _csrf: anon.csrf, token: token!, next: chosen, confirm: chosen }),
      })
      expect(set.statusCode).toBe(303)
      expect(await login(deps, 'wang.wu', chosen, client)).toMatchObject({ ok: true, stage: 'full' })

      // A link nobody used runs out after 72 hours.
      t.clock.advanceMinutes(2 * 60)
      expect((await app.inject({ url: `/password-reset?token=${unused}` })).statusCode).toBe(410)
    } finally {
      await app.close()
      await smtp.close()
      await t.close()
    }
  })

  test('without e-mail configured the console refuses in Chinese, says what to do, and creates nothing', async () => {
    const t = await testApp(kind)
    try {
      const admin = await buildStaff(t.deps, { roles: ['sysadmin'] })
      const s = await signIn(t.app, admin)
      const page = await t.app.inject({ url: '/console/accounts', headers: { cookie: s.cookie } })
      expect(page.body).toContain('尚未配置邮件服务')
      // The form answers at itself (its errors sit below the list), and the administrator's own row offers no 停用.
      expect(page.body).toContain('action="/console/accounts#new-account"')
      const me = await t.deps.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', admin.username)
        .executeTakeFirstOrThrow()
      expect(page.body).not.toContain(`/console/accounts/${me.id}/disable`)
      const res = await t.app.inject({
        method: 'POST',
        url: '/console/accounts',
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          agencyId: String(t.officeId),
          username: 'wang.wu',
          displayName: '王五',
          email: 'wangwu@example.cn',
        }),
      })
      expect(res.statusCode).toBe(422)
      expect(res.body).toContain('未配置邮件服务')
      expect(res.body).toContain('gongkai user create')
      expect(res.body).toContain('value="wang.wu"')
      expect(res.body).not.toContain('temporary-password')
      const created = await t.deps.db.selectFrom('users').select('id').where('username', '=', 'wang.wu').execute()
      expect(created).toEqual([])
      expect(await t.deps.db.selectFrom('mail_outbox').select('id').execute()).toEqual([])
    } finally {
      await t.close()
    }
  })
})
