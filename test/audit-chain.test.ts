import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { login } from '../src/accounts/login.service.ts'
import { canonicalBody, chainMac, systemActor, verifyStretch } from '../src/audit/audit.ts'
import type { Actor, AuditEntry, AuditRow } from '../src/audit/audit.ts'
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
  await recordAudit(t.deps, systemActor(), { action: 'backup.create', objectType: 'x', objectId: 1, result: 'success' })
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

// A known-answer vector for the chain, so that the MAC formula itself is pinned and not only its
// consistency with itself: a fixed key, three fixed entries five minutes apart, their canonical
// bodies written out by hand and their MACs computed outside this code base, with the OpenSSL 3.0
// command line, each over the previous MAC, a newline and the body:
//   printf '%s\n%s' "$previous_mac" "$body" | openssl dgst -sm3 -mac HMAC -macopt hexkey:000102…1e1f
// (the first entry's previous MAC is empty). The second and third MACs change if the chain stops
// feeding the previous MAC in.
const knownKey = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex')
const knownStart = '2026-03-02T02:00:00Z'
const knownEntries: { actor: Actor; entry: AuditEntry }[] = [
  {
    actor: { id: 7, name: '张三', roles: ['drafter', 'reviewer'], agencyId: 3, ip: '10.0.0.9' },
    entry: { action: 'item.publish', objectType: 'item', objectId: 42, result: 'success', detail: { title: '通知' } },
  },
  {
    actor: systemActor(),
    entry: { action: 'audit.verify', objectType: 'audit', objectId: 'chain', result: 'failure' },
  },
  {
    actor: { id: 8, name: '李四', roles: ['handler'], agencyId: 3, ip: '10.0.0.10' },
    entry: { action: 'login', objectType: 'user', objectId: 8, result: 'denied', detail: { reason: 'locked' } },
  },
]
const knownBodies = [
  '[1,"2026-03-02T02:00:00.000Z",7,"张三","drafter,reviewer",3,"item.publish","item","42","10.0.0.9","success","{\\"title\\":\\"通知\\"}"]',
  '[2,"2026-03-02T02:05:00.000Z",null,"命令行操作员","",null,"audit.verify","audit","chain","cli","failure","{}"]',
  '[3,"2026-03-02T02:10:00.000Z",8,"李四","handler",3,"login","user","8","10.0.0.10","denied","{\\"reason\\":\\"locked\\"}"]',
]
const knownMacs = [
  'a2fa0bdbb093be0a3658d644611c05bc6d3798fc17f32ca534483f6e7adf0757',
  '30d0947f1d1910053fb1d9a75d2f2683cace9a96d00521ba8df360423192bc8a',
  '3953c1d48c21a39890e33a397458ba1240fd2fb170d2d1e6bd7184edad5df47d',
]

const knownRows = (): AuditRow[] =>
  knownBodies.map((body, i) => {
    const [seq, at, actorId, actorName, actorRoles, agencyId, action, objectType, objectId, ip, result, detail] =
      JSON.parse(body) as [number, string, number | null, string, string, number | null, ...string[]]
    return {
      seq,
      at,
      actor_id: actorId,
      actor_name: actorName,
      actor_roles: actorRoles,
      agency_id: agencyId,
      action: action!,
      object_type: objectType!,
      object_id: objectId!,
      source_ip: ip!,
      result: result!,
      detail: detail!,
      mac: knownMacs[i]!,
    }
  })

test('the audit chain reproduces a known-answer vector computed with OpenSSL', () => {
  let prev = ''
  for (const [i, row] of knownRows().entries()) {
    expect(canonicalBody(row)).toBe(knownBodies[i])
    expect(chainMac(knownKey, prev, row)).toBe(knownMacs[i])
    prev = row.mac
  }
  expect(verifyStretch(knownKey, knownRows(), { seq: 0, mac: '' })).toEqual([])
})

/** Tampered values for entry 2 of the known vector, one for each column of the audit_log table. */
const tampered: Record<keyof AuditRow, string | number> = {
  seq: 102,
  at: '2026-03-02T02:05:01.000Z',
  actor_id: 1,
  actor_name: '命令行操作员 ',
  actor_roles: 'admin',
  agency_id: 3,
  action: 'audit.verified',
  object_type: 'audits',
  object_id: 'chain2',
  source_ip: '10.0.0.1',
  result: 'success',
  detail: '{"a":1}',
  mac: `${knownMacs[1]!.slice(0, -1)}0`,
}

describe.each(databaseKinds)('audit chain on %s', (kind) => {
  test('entries appended through the store carry the known MACs, and a change to any column is caught', async () => {
    const t = await testEnv(kind, knownStart)
    try {
      const deps = { ...t.deps, keys: { ...t.deps.keys, audit: knownKey } }
      for (const { actor, entry } of knownEntries) {
        await recordAudit(deps, actor, entry)
        t.clock.advanceMinutes(5)
      }
      const stored = await t.deps.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()
      expect(stored).toEqual(knownRows())
      expect((await verifyAuditChain(deps)).problems).toEqual([])

      await dropGuard(t, kind)
      const original = knownRows()[1]!
      for (const [column, value] of Object.entries(tampered) as [keyof AuditRow, string | number][]) {
        await sql`update audit_log set ${sql.ref(column)} = ${value} where seq = 2`.execute(t.deps.db)
        const problems = (await verifyAuditChain(deps)).problems
        expect(
          problems.map((p) => p.seq),
          `a changed ${column} goes unnoticed`,
        ).toContain(2)
        const at = column === 'seq' ? value : 2
        await sql`update audit_log set ${sql.ref(column)} = ${original[column]} where seq = ${at}`.execute(t.deps.db)
        expect((await verifyAuditChain(deps)).problems).toEqual([])
      }
    } finally {
      await t.close()
    }
  })

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
            action: 'backup.restore',
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
