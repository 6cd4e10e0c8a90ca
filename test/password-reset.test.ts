import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { login } from '../src/accounts/login.service.ts'
import { sendPasswordResetLink } from '../src/accounts/password-reset.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import type { Deps } from '../src/deps.ts'
import { AppError } from '../src/errors.ts'
import { sendDueMail } from '../src/notify/mail-worker.ts'
import { migrateTo, migrateToLatest } from '../src/storage/migrate.ts'
import { buildApp } from '../src/web/app.ts'
import { buildApplication } from './support/build-application.ts'
import { anonymousSession, buildStaff, form, setUpRegion, signIn } from './support/builders.ts'
import { startSmtpServer } from './support/smtp-server.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Issue #14, 三员分立 (GB/T 22239-2019 §8.1.4.2 c): a 系统管理员 who resets a password must not be
// able to sign in as the user. The reset sends the user a one-time link (30 minutes, single use, kept
// hashed) through the mail outbox to the address the user registered; the administrator sees neither
// a password nor the link, and the user sets a password nobody else knows.

const client = { ip: '10.1.2.3', userAgent: 'test' }
const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const newPassword = 'Qingshan-Lvshui#2026'

describe.each(databaseKinds)('password reset on %s', (kind) => {
  test('the 系统管理员 sees no usable password: a one-time link goes to the user, who alone sets the new password', async () => {
    const t = await testEnv(kind)
    const smtp = await startSmtpServer()
    const deps: Deps = {
      ...t.deps,
      config: Object.freeze({ ...t.deps.config, smtpUrl: smtp.url, publicUrl: 'https://gk.example.gov.cn' }),
    }
    await setUpRegion(deps)
    const app = await buildApp(deps, { logger: false })
    try {
      const sys = await buildStaff(deps, { roles: ['sysadmin'] })
      const user = await buildStaff(deps, { roles: ['drafter'] })
      const other = await buildStaff(deps, { roles: ['handler'] })

      // The user registers an address, with the current password.
      const u = await signIn(app, user)
      const registered = await app.inject({
        method: 'POST',
        url: '/console/email',
        headers: post(u.cookie),
        payload: form({ _csrf: u.csrf, email: 'zhangwei@example.cn', current: user.password }),
      })
      expect(registered.statusCode).toBe(303)

      const s = await signIn(app, sys)
      const reset = await app.inject({
        method: 'POST',
        url: `/console/accounts/${user.id}/reset-password`,
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf }),
      })
      expect(reset.statusCode).toBe(200)
      expect(reset.body).not.toContain('temporary-password')
      expect(reset.body).toContain('z***@example.cn')
      expect(reset.body).toContain('一次性重置链接')
      // Nothing the administrator saw signs in as the user; the user's own password still does.
      for (const code of reset.body.matchAll(/<code[^>]*>([^<]+)<\/code>/g))
        expect((await login(deps, user.username, code[1]!, client)).ok).toBe(false)
      expect((await login(deps, user.username, user.password, client)).ok).toBe(true)

      // The link arrives at the user's address only.
      expect(await sendDueMail(deps)).toBe(1)
      expect(smtp.received).toHaveLength(1)
      const mail = smtp.received[0]!
      expect(mail.to).toEqual(['zhangwei@example.cn'])
      const link = /https:\/\/gk\.example\.gov\.cn\/password-reset\?token=([\w-]+)/.exec(mail.text)
      expect(link).not.toBeNull()
      const token = link![1]!
      expect(reset.body).not.toContain(token)
      const stored = JSON.stringify([
        await deps.db.selectFrom('password_resets').selectAll().execute(),
        await deps.db.selectFrom('mail_outbox').selectAll().execute(),
        await deps.db.selectFrom('audit_log').selectAll().execute(),
      ])
      expect(stored).not.toContain(token)

      // Opening the link spends nothing; a weak password is refused in Chinese; a good one is set once.
      const anon = await anonymousSession(app)
      for (let i = 0; i < 2; i++) {
        const page = await app.inject({ url: `/password-reset?token=${token}`, headers: { cookie: anon.cookie } })
        expect(page.statusCode).toBe(200)
        expect(page.body).toContain(user.username)
      }
      const send = (password: string) =>
        app.inject({
          method: 'POST',
          url: '/password-reset',
          headers: post(anon.cookie),
          payload: form({ _csrf: anon.csrf, token, next: password, confirm: password }),
        })
      const weak = await send('short')
      expect(weak.statusCode).toBe(422)
      expect(weak.body).toContain('密码至少 12 个字符')
      const done = await send(newPassword)
      expect(done.statusCode).toBe(303)
      expect(done.headers.location).toBe('/login?reset=1')
      expect((await login(deps, user.username, newPassword, client)).ok).toBe(true)
      expect((await login(deps, user.username, user.password, client)).ok).toBe(false)
      const again = await send('Another-Strong#2027')
      expect(again.statusCode).toBe(410)
      expect(again.body).toContain('重置链接无效、已使用或已过期')

      // A link runs out after 30 minutes.
      await sendPasswordResetLink(deps, { ...systemActor(), id: sys.id }, user.id)
      await sendDueMail(deps)
      const late = /token=([\w-]+)/.exec(smtp.received[1]!.text)![1]!
      t.clock.advanceMinutes(31)
      expect((await app.inject({ url: `/password-reset?token=${late}` })).statusCode).toBe(410)

      // No registered address, or no mail service: refused in Chinese, nothing sent.
      const s2 = await signIn(app, sys)
      const none = await app.inject({
        method: 'POST',
        url: `/console/accounts/${other.id}/reset-password`,
        headers: post(s2.cookie),
        payload: form({ _csrf: s2.csrf }),
      })
      expect(none.statusCode).toBe(422)
      expect(none.body).toContain('尚未登记本人邮箱')
      const noMail = await sendPasswordResetLink(t.deps, systemActor(), user.id).catch((e: unknown) => e)
      expect(noMail).toBeInstanceOf(AppError)
      expect((noMail as AppError).message).toContain('未配置邮件服务')
      expect(await sendDueMail(deps)).toBe(0)
    } finally {
      await app.close()
      await smtp.close()
      await t.close()
    }
  })
})

describe.each(databaseKinds)('the 2026-12-06-02 migration on %s', (kind) => {
  test("keeps the applicants' queued e-mail, ids and all, while the outbox learns to carry messages to staff", async () => {
    const t = await testEnv(kind)
    try {
      const { id, number } = await buildApplication(t.deps)
      await migrateTo(t.deps.db, kind, '2026-12-06-01-query-code-hash')
      const at = '2026-03-02T02:00:00.000Z'
      await sql`insert into mail_outbox (application_id, application_number, kind, recipient_enc, status, attempts,
        next_attempt_at, claimed_until, last_error, sent_at, created_at, updated_at)
        values (${id}, ${number}, 'received', 'v1.x', 'queued', 2, ${at}, null, '邮件服务器暂时无法接收', null, ${at}, ${at})`.execute(
        t.deps.db,
      )
      const before = await sql<Record<string, unknown>>`select * from mail_outbox`.execute(t.deps.db)
      await migrateToLatest(t.deps.db, kind, t.deps.keys)
      const after = await t.deps.db.selectFrom('mail_outbox').selectAll().execute()
      expect(after).toEqual(before.rows.map((r) => ({ ...r, user_id: null, body_enc: null })))
      // A message to a member of staff names no application.
      const user = await buildStaff(t.deps, { roles: ['drafter'] })
      await t.deps.db
        .insertInto('mail_outbox')
        .values({ ...after[0]!, id: undefined, application_id: null, application_number: null, user_id: user.id })
        .execute()
      expect(await t.deps.db.selectFrom('mail_outbox').select('id').execute()).toHaveLength(2)
    } finally {
      await t.close()
    }
  })
})
