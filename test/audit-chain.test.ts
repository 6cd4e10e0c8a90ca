import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { login } from '../src/accounts/login.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { recordAudit, verifyAuditChain } from '../src/audit/audit.service.ts'
import type { DatabaseKind } from '../src/storage/database.ts'
import { buildStaff } from './support/builders.ts'
import { gongkai } from './support/cli.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'

const client = { ip: '10.0.0.9', userAgent: 'test' }

/** A working day's worth of entries: setup, account creation, logins, a failure. */
async function someHistory(t: TestEnv) {
  const staff = await buildStaff(t.deps, { roles: ['drafter'] })
  await login(t.deps, staff.username, staff.password, client)
  await login(t.deps, staff.username, 'Wrong-password-1', client)
  await recordAudit(t.deps, systemActor(), { action: 'test.event', objectType: 'x', objectId: 1, result: 'success' })
}

/** What an intruder with database access does first: switch off the append-only guard. */
async function dropGuard(t: TestEnv, kind: DatabaseKind) {
  if (kind === 'sqlite') {
    await sql`drop trigger audit_log_no_update`.execute(t.deps.db)
    await sql`drop trigger audit_log_no_delete`.execute(t.deps.db)
  } else {
    await sql`alter table audit_log disable trigger user`.execute(t.deps.db)
  }
}

async function verifyHead(t: TestEnv) {
  const r = await gongkai(['audit', 'verify'], t.env)
  const head = /审计链头：(\d+:[0-9a-f]{64})/.exec(r.stdout)?.[1]
  return { ...r, head }
}

describe.each(databaseKinds)('audit chain on %s', (kind) => {
  test('an untouched chain verifies and prints its head', async () => {
    const t = await testEnv(kind)
    try {
      await someHistory(t)
      const r = await verifyHead(t)
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('审计链校验通过')
      expect(r.head).toMatch(/^\d+:/)
    } finally {
      await t.close()
    }
  })

  test('the database itself refuses to change or delete audit entries', async () => {
    const t = await testEnv(kind)
    try {
      await someHistory(t)
      await expect(sql`update audit_log set result = 'success' where seq = 2`.execute(t.deps.db)).rejects.toThrow(
        /append-only/,
      )
      await expect(sql`delete from audit_log where seq = 2`.execute(t.deps.db)).rejects.toThrow(/append-only/)
    } finally {
      await t.close()
    }
  })

  test('an edited entry is found and named', async () => {
    const t = await testEnv(kind)
    try {
      await someHistory(t)
      await dropGuard(t, kind)
      await sql`update audit_log set actor_name = '他人（other）' where seq = 4`.execute(t.deps.db)
      const r = await gongkai(['audit', 'verify'], t.env)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('第 4 条审计记录校验失败')
    } finally {
      await t.close()
    }
  })

  test('an inserted entry is found and named', async () => {
    const t = await testEnv(kind)
    try {
      await someHistory(t)
      await dropGuard(t, kind)
      const last = await t.deps.db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
      await t.deps.db
        .insertInto('audit_log')
        .values({ ...last, seq: last.seq + 1, action: 'login', actor_name: '伪造' })
        .execute()
      const r = await gongkai(['audit', 'verify'], t.env)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`第 ${last.seq + 1} 条审计记录校验失败`)
    } finally {
      await t.close()
    }
  })

  test('a deleted entry is found and named', async () => {
    const t = await testEnv(kind)
    try {
      await someHistory(t)
      await dropGuard(t, kind)
      await sql`delete from audit_log where seq = 3`.execute(t.deps.db)
      const r = await gongkai(['audit', 'verify'], t.env)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('第 3 条审计记录缺失')
    } finally {
      await t.close()
    }
  })

  test('two entries swapped in order are found and named', async () => {
    const t = await testEnv(kind)
    try {
      await someHistory(t)
      await dropGuard(t, kind)
      // Swap the contents (and macs) of entries 2 and 3, keeping the sequence numbers.
      await sql`update audit_log set seq = -2 where seq = 2`.execute(t.deps.db)
      await sql`update audit_log set seq = 2 where seq = 3`.execute(t.deps.db)
      await sql`update audit_log set seq = 3 where seq = -2`.execute(t.deps.db)
      const r = await gongkai(['audit', 'verify'], t.env)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('第 2 条审计记录校验失败')
      expect(r.stderr).toContain('第 3 条审计记录校验失败')
    } finally {
      await t.close()
    }
  })

  test('a chain cut short is found against a recorded head', async () => {
    const t = await testEnv(kind)
    try {
      await someHistory(t)
      const recorded = await verifyHead(t)
      const [count] = recorded.head!.split(':')
      await dropGuard(t, kind)
      await sql`delete from audit_log where seq >= ${Number(count) - 1}`.execute(t.deps.db)
      const plain = await gongkai(['audit', 'verify'], t.env)
      expect(plain.code).toBe(0) // inside the chain a cut tail is invisible: that is what the head is for
      const r = await gongkai(['audit', 'verify', '--head', recorded.head!], t.env)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('审计链被截短')
      expect(r.stderr).toContain(`记录的链头为第 ${count} 条`)
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('concurrent appends on %s', (kind) => {
  test('entries written at the same time from many connections form one unbroken chain', async () => {
    const t = await testEnv(kind)
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          recordAudit(t.deps, systemActor(), {
            action: 'test.concurrent',
            objectType: 'test',
            objectId: i,
            result: 'success',
          }),
        ),
      )
      const report = await verifyAuditChain(t.deps)
      expect(report.problems).toEqual([])
      const seqs = (await t.deps.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) =>
        Number(r.seq),
      )
      expect(seqs).toEqual(seqs.map((_, i) => i + 1))
      expect(seqs.length).toBeGreaterThanOrEqual(40)
    } finally {
      await t.close()
    }
  })
})
