import { describe, expect, test } from 'vitest'
import { findUserById } from '../src/accounts/account.store.ts'
import { buildStaff, currentCode, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

const formHeaders = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })

describe.each(databaseKinds)('TOTP enrolment on %s', (kind) => {
  test('opening the enrolment page writes nothing: the same secret is offered each time, and only a confirmed code stores it (issue #14)', async () => {
    const t = await testApp(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'], totp: false })
      const s = await signIn(t.app, staff)
      const auditRows = async () => (await t.deps.db.selectFrom('audit_log').select('seq').execute()).length
      const before = { user: await findUserById(t.deps.db, staff.id), audit: await auditRows() }
      const secrets: string[] = []
      for (let i = 0; i < 2; i++) {
        const page = await t.app.inject({ url: '/console/totp', headers: { cookie: s.cookie } })
        expect(page.statusCode).toBe(200)
        secrets.push(/id="totp-secret">([A-Z2-7]+)</.exec(page.body)![1]!)
      }
      expect(secrets[1]).toBe(secrets[0])
      expect(await findUserById(t.deps.db, staff.id)).toEqual(before.user)
      expect(await auditRows()).toBe(before.audit)

      const enrol = await t.app.inject({
        method: 'POST',
        url: '/console/totp',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf, code: currentCode(t.deps, secrets[0]!) }),
      })
      expect(enrol.statusCode).toBe(303)
      const after = await findUserById(t.deps.db, staff.id)
      expect(after?.totp_enabled).toBe(1)
      expect(t.deps.fields.decrypt(after!.totp_secret!, `users:${staff.id}:totp_secret`)).toBe(secrets[0])
      t.clock.advanceMinutes(1)
      await signIn(t.app, { ...staff, totpSecret: secrets[0] })
    } finally {
      await t.close()
    }
  })
})
