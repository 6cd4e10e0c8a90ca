import { describe, expect, test } from 'vitest'
import { findUserById } from '../src/accounts/account.store.ts'
import { login, resolveSession } from '../src/accounts/login.service.ts'
import { solveChallenge } from '../src/applications/proof-of-work.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { buildApp } from '../src/web/app.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { anonymousSession, buildStaff, form } from './support/builders.ts'
import { databaseKinds } from './support/test-deps.ts'

// Several processes on one database behave as one (issue #14): what limits a flood — the login
// throttle, spent proof-of-work challenges, failed-login counts — lives in the database. A second
// app built on the same database stands for a second process; test/multi-process.test.ts runs real
// processes on PostgreSQL.

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''
const application = {
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

/** Waits for the block counts written after the 429 was sent. */
async function blockedCount(t: TestApp, expected: number): Promise<number> {
  let blocked = 0
  for (let i = 0; i < 100; i++) {
    const row = await t.deps.db.selectFrom('rate_limit_blocks').select('blocked').executeTakeFirst()
    blocked = Number(row?.blocked ?? 0)
    if (blocked >= expected) break
    await new Promise((r) => setTimeout(r, 20))
  }
  return blocked
}

describe.each(databaseKinds)('limits shared by every process on %s', (kind) => {
  test('a flood of anonymous logins from one address writes one audit entry, the refused requests counted in one row', async () => {
    const t = await testApp(kind)
    try {
      const s = await anonymousSession(t.app)
      const statuses: number[] = []
      for (let i = 0; i < 30; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/login',
          remoteAddress: '203.0.113.9',
          headers: post(s.cookie),
          payload: form({ _csrf: s.csrf, username: `guess${i}`, password: 'Wrong-Password-1' }),
        })
        statuses.push(res.statusCode)
      }
      expect(statuses.filter((c) => c === 422)).toHaveLength(20)
      expect(statuses.filter((c) => c === 429)).toHaveLength(10)
      expect(await blockedCount(t, 10)).toBe(10)
      const row = await t.deps.db.selectFrom('rate_limit_blocks').selectAll().executeTakeFirstOrThrow()
      expect(row).toMatchObject({ route: 'POST /login', address: '203.0.113.9', blocked: 10 })
      const audit = await searchAudit(t.deps, { action: 'rate_limit.block' }, 1)
      expect(audit.map((e) => e.object_id)).toEqual(['POST /login'])
    } finally {
      await t.close()
    }
  })

  test('20 logins a minute per address are counted across processes: 10 on one and 10 on the other use it up', async () => {
    const t = await testApp(kind)
    const other = await buildApp(t.deps, { logger: false })
    try {
      const s = await anonymousSession(t.app)
      const attempt = (app: typeof other, i: number) =>
        app.inject({
          method: 'POST',
          url: '/login',
          remoteAddress: '198.51.100.4',
          headers: post(s.cookie),
          payload: form({ _csrf: s.csrf, username: `guess${i}`, password: 'Wrong-Password-1' }),
        })
      for (let i = 0; i < 20; i++) expect((await attempt(i % 2 === 0 ? t.app : other, i)).statusCode).toBe(422)
      expect((await attempt(t.app, 20)).statusCode).toBe(429)
      expect((await attempt(other, 21)).statusCode).toBe(429)
    } finally {
      await other.close()
      await t.close()
    }
  })

  test('a proof-of-work challenge spent on one process is refused on another', async () => {
    const t = await testApp(kind)
    const other = await buildApp(t.deps, { logger: false })
    try {
      const s = await anonymousSession(t.app)
      const page = await t.app.inject({ url: `/agencies/${t.officeId}/apply`, headers: { cookie: s.cookie } })
      const challenge = hidden(page.body, 'powChallenge')
      const nonce = solveChallenge(challenge)
      const submit = (app: typeof other, idem: string) =>
        app.inject({
          method: 'POST',
          url: `/agencies/${t.officeId}/apply`,
          headers: post(s.cookie),
          payload: form({ _csrf: s.csrf, ...application, idem, powChallenge: challenge, powNonce: nonce }),
        })
      expect((await submit(t.app, 'first-submission-0001')).statusCode).toBe(200)
      const again = await submit(other, 'second-submission-0002')
      expect(again.statusCode).toBe(422)
      expect(again.body).toContain('安全校验未通过或已过期')
      expect(await t.deps.db.selectFrom('applications').select('id').execute()).toHaveLength(1)
    } finally {
      await other.close()
      await t.close()
    }
  })

  test('wrong passwords sent at once all count toward the lockout', async () => {
    const t = await testApp(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const client = { ip: '10.9.8.7', userAgent: 'test' }
      await Promise.all(Array.from({ length: 5 }, () => login(t.deps, staff.username, 'Wrong-Password-1', client)))
      expect((await findUserById(t.deps.db, staff.id))?.locked_until).not.toBeNull()
      expect((await login(t.deps, staff.username, staff.password, client)).ok).toBe(false)
    } finally {
      await t.close()
    }
  })

  test("a stranger who locks an account by guessing does not end its owner's signed-in sessions", async () => {
    const t = await testApp(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const owner = await login(t.deps, staff.username, staff.password, { ip: '10.0.0.1', userAgent: 'owner' })
      if (!owner.ok) throw new Error(owner.message)
      const stranger = { ip: '192.0.2.66', userAgent: 'stranger' }
      for (let i = 0; i < 5; i++) await login(t.deps, staff.username, 'Wrong-Password-1', stranger)
      expect((await findUserById(t.deps.db, staff.id))?.locked_until).not.toBeNull()
      expect((await resolveSession(t.deps, owner.token, '10.0.0.1')).state).toBe('full')
    } finally {
      await t.close()
    }
  })
})
