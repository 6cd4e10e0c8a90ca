import { describe, expect, test } from 'vitest'
import { updateUser } from '../src/accounts/account.store.ts'
import { sendPasswordResetLink } from '../src/accounts/password-reset.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import type { Deps } from '../src/deps.ts'
import { sendDueMail } from '../src/notify/mail-worker.ts'
import { buildApp } from '../src/web/app.ts'
import { urlForLog } from '../src/web/request-log.ts'
import { buildStaff, setUpRegion } from './support/builders.ts'
import { startSmtpServer } from './support/smtp-server.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// No tokens or codes in any log (LOG-03, issue #14): the request log records every URL, and a
// password-reset link carries its token in the query string.

describe.each(databaseKinds)('the request log on %s', (kind) => {
  test('opening a reset link logs its path but not its token; a query code in a /track link is hidden too', async () => {
    const t = await testEnv(kind, undefined, { LOG_LEVEL: 'info' })
    const smtp = await startSmtpServer()
    const deps: Deps = {
      ...t.deps,
      config: Object.freeze({ ...t.deps.config, smtpUrl: smtp.url, publicUrl: 'https://gk.example.gov.cn' }),
    }
    await setUpRegion(deps)
    const lines: string[] = []
    const app = await buildApp(deps, { logStream: { write: (line: string) => void lines.push(line) } })
    try {
      const user = await buildStaff(deps, { roles: ['drafter'] })
      await updateUser(deps.db, user.id, {
        email_enc: deps.fields.encrypt('li.na@example.cn', `users:${user.id}:email`),
      })
      await sendPasswordResetLink(deps, systemActor(), user.id)
      await sendDueMail(deps)
      const token = /token=([\w-]+)/.exec(smtp.received[0]!.text)![1]!

      const page = await app.inject({ url: `/password-reset?token=${token}` })
      expect(page.statusCode).toBe(200)
      await app.inject({ url: '/track?number=DJ-2026-0001&code=K7P3Q9XW' })

      const log = lines.join('')
      expect(log).toContain('/password-reset?token=[已隐去]')
      expect(log).toContain('/track?number=DJ-2026-0001&code=[已隐去]')
      expect(log).not.toContain(token)
      expect(log).not.toContain('K7P3Q9XW')
    } finally {
      await app.close()
      await smtp.close()
      await t.close()
    }
  })
})

test('a secret query value is hidden however its name is written; other parameters and the path stay', () => {
  expect(urlForLog('/password-reset?%74oken=abc&x=1#top')).toBe('/password-reset?%74oken=[已隐去]&x=1#top')
  expect(urlForLog('/items?page=2&Token=abc')).toBe('/items?page=2&Token=[已隐去]')
  expect(urlForLog('/items/12')).toBe('/items/12')
})
