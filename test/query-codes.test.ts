import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { solveChallenge } from '../src/applications/proof-of-work.ts'
import { submitApplication } from '../src/applications/intake.service.ts'
import { findByTracking } from '../src/applications/tracking.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { AppError } from '../src/errors.ts'
import { migrateTo, migrateToLatest } from '../src/storage/migrate.ts'
import { buildApplication, citizenApplication } from './support/build-application.ts'
import { anonymousSession, buildStaff, form, setUpRegion, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Issue #14: the 查询码 is kept as a keyed hash and shown once; an idempotency key reused with another
// application never hands out the first one's receipt.

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const values = {
  category: 'natural',
  name: '李明华',
  idType: 'resident_id',
  idNumber: '11010519491231002X',
  phone: '13912345678',
  address: '重庆市垫江县桂溪街道新华路 18 号',
  infoDescription: '2025年桂溪街道老旧小区改造项目的资金使用明细',
  wantedForm: 'electronic',
  deliveryWay: 'online',
}
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''

async function apply(t: TestApp, cookie: string, csrf: string, over: Record<string, string>) {
  const page = await t.app.inject({ url: `/agencies/${t.officeId}/apply`, headers: { cookie } })
  const challenge = hidden(page.body, 'powChallenge')
  return t.app.inject({
    method: 'POST',
    url: `/agencies/${t.officeId}/apply`,
    headers: post(cookie),
    payload: form({
      _csrf: csrf,
      ...values,
      idem: hidden(page.body, 'idem'),
      powChallenge: challenge,
      powNonce: solveChallenge(challenge),
      ...over,
    }),
  })
}

describe.each(databaseKinds)('query codes and idempotency keys on %s', (kind) => {
  test("an idempotency key reused with another application is refused 422 in Chinese and never shows the first one's number or query code", async () => {
    const t = await testApp(kind)
    try {
      const s = await anonymousSession(t.app)
      const idem = 'shared-key-0123456789'
      const first = await apply(t, s.cookie, s.csrf, { idem })
      expect(first.statusCode).toBe(200)
      const number = /id="tracking-number">([^<]+)</.exec(first.body)![1]!
      const code = /id="query-code">([^<]+)</.exec(first.body)![1]!

      const other = await apply(t, s.cookie, s.csrf, {
        idem,
        name: '王建国',
        infoDescription: '垫江县2025年度城乡低保资金发放情况',
      })
      expect(other.statusCode).toBe(422)
      expect(other.body).toContain('不能重复使用')
      expect(other.body).not.toContain(number)
      expect(other.body).not.toContain(code)
      // The input is kept and the form carries a fresh key: sending it again makes a new application.
      expect(other.body).toContain('垫江县2025年度城乡低保资金发放情况')
      expect(hidden(other.body, 'idem')).not.toBe(idem)
      expect(await t.deps.db.selectFrom('applications').select('id').execute()).toHaveLength(1)

      // The same application sent again is the same one; its code is not shown a second time.
      const again = await apply(t, s.cookie, s.csrf, { idem })
      expect(again.statusCode).toBe(200)
      expect(again.body).toContain(number)
      expect(again.body).toContain('没有重复提交')
      expect(again.body).not.toContain(code)

      // The use case refuses it too, whoever calls it.
      const { officeId } = await setUpRegion(t.deps)
      const meta = { channel: 'online' as const, idempotencyKey: 'web:use-case-key-0123456' }
      await submitApplication(t.deps, systemActor('申请人'), officeId, citizenApplication(), meta)
      const refused = await submitApplication(
        t.deps,
        systemActor('申请人'),
        officeId,
        citizenApplication({ infoDescription: '另一份申请' }),
        meta,
      ).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(AppError)
      expect((refused as AppError).code).toBe('invalid_input')
    } finally {
      await t.close()
    }
  })

  test('the query code is stored as a keyed hash, not as something that decrypts; tracking still finds the application by it', async () => {
    const t = await testEnv(kind)
    try {
      const built = await buildApplication(t.deps)
      const row = await t.deps.db
        .selectFrom('applications')
        .selectAll()
        .where('id', '=', built.id)
        .executeTakeFirstOrThrow()
      expect(Object.keys(row)).not.toContain('query_code_enc')
      expect(row.query_code_hash).toMatch(/^[\w-]{43}$/)
      expect(JSON.stringify(row)).not.toContain(built.queryCode)
      // Nothing that looks like a field ciphertext remains for the code.
      expect(() => t.deps.fields.decrypt(row.query_code_hash!, `application:${built.number}:query_code`)).toThrow()
      expect((await findByTracking(t.deps, built.number, built.queryCode))?.id).toBe(built.id)
      expect((await findByTracking(t.deps, built.number, built.queryCode.toLowerCase()))?.id).toBe(built.id)
      expect(await findByTracking(t.deps, built.number, 'ABCDEFGHJK')).toBeUndefined()
    } finally {
      await t.close()
    }
  })

  test('the 2026-12-06-01 migration turns the query codes already stored into hashes; the old codes still work', async () => {
    const t = await testEnv(kind)
    try {
      const built = await buildApplication(t.deps)
      await migrateTo(t.deps.db, kind, '2026-12-05-05-site-settings')
      // As the previous version stored it: the code encrypted with the field key, bound to the number.
      const enc = t.deps.fields.encrypt('K7M2P9Q4RT', `application:${built.number}:query_code`)
      await sql`update applications set query_code_enc = ${enc} where id = ${built.id}`.execute(t.deps.db)
      await expect(migrateToLatest(t.deps.db, kind)).rejects.toThrow(/字段加密密钥/)
      await migrateToLatest(t.deps.db, kind, t.deps.keys)
      const row = await t.deps.db
        .selectFrom('applications')
        .selectAll()
        .where('id', '=', built.id)
        .executeTakeFirstOrThrow()
      expect(Object.keys(row)).not.toContain('query_code_enc')
      expect(row.query_code_hash).toBeTruthy()
      expect((await findByTracking(t.deps, built.number, 'K7M2P9Q4RT'))?.id).toBe(built.id)
    } finally {
      await t.close()
    }
  })

  test('an application registered by staff shows its query code once, on the page after the registration', async () => {
    const t = await testApp(kind)
    try {
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const registered = await t.app.inject({
        method: 'POST',
        url: '/console/applications',
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, ...values, channel: 'mail_signed', receivedOn: '2026-02-27' }),
      })
      expect(registered.statusCode).toBe(303)
      const sealed = [registered.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('gk_registered='))!
      const cookie = `${handler.cookie}; ${sealed.split(';')[0]}`
      const page = await t.app.inject({ url: registered.headers.location!, headers: { cookie } })
      const code = /查询码：([2-9A-Z]{10})。/.exec(page.body)?.[1]
      expect(code).toBeDefined()
      const number = /YSQ\d{14}/.exec(page.body)![0]
      expect((await findByTracking(t.deps, number, code!))?.number).toBe(number)
      // Read once: the cookie is cleared, and the page never shows it again.
      expect([page.headers['set-cookie'] ?? []].flat().join()).toMatch(/gk_registered=;/)
      const later = await t.app.inject({ url: registered.headers.location!, headers: { cookie: handler.cookie } })
      expect(later.body).not.toContain(code)
      expect(later.body).toContain('查询码只在登记后显示一次')
    } finally {
      await t.close()
    }
  })
})
