import type BetterSqlite3 from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { login } from '../src/accounts/login.service.ts'
import { checkDurability, openSqliteFile } from '../src/storage/open-database.ts'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from '../src/storage/database.ts'
import { officeCreditCode, setUpRegion } from './support/builders.ts'
import { gongkai } from './support/cli.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

test('gongkai --help lists every command', async () => {
  const r = await gongkai(['--help'], { DATA_DIR: '/nonexistent' })
  expect(r.code).toBe(0)
  for (const c of [
    'serve',
    'migrate',
    'user create',
    'user passwd',
    'user unlock',
    'audit verify',
    'backup',
    'restore',
  ])
    expect(r.stdout).toContain(c)
})

test('an unknown command says so and exits non-zero', async () => {
  const r = await gongkai(['frobnicate'], { DATA_DIR: '/nonexistent' })
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('未知命令：frobnicate')
})

test('SQLite without synchronous=FULL or WAL is refused', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-dur-'))
  try {
    const raw: BetterSqlite3.Database = openSqliteFile(path.join(dir, 'x.db'))
    raw.pragma('synchronous = NORMAL')
    raw.pragma('journal_mode = DELETE')
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) })
    const problems = await checkDurability({ db, kind: 'sqlite', sqlite: raw })
    expect(problems).toContain('SQLite synchronous 须为 FULL')
    expect(problems.join()).toContain('须为 WAL')
    await db.destroy()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

describe.each(databaseKinds)('operator commands on %s', (kind) => {
  test('an operator creates an account with a role from the shell, resets its password and unlocks it', async () => {
    const t = await testEnv(kind)
    try {
      await setUpRegion(t.deps)
      const created = await gongkai(
        [
          'user',
          'create',
          '--username',
          'sec.li',
          '--name',
          '李安全',
          '--agency',
          officeCreditCode,
          '--role',
          'secadmin',
        ],
        t.env,
      )
      expect(created.code, created.stderr).toBe(0)
      const password = /一次性初始密码：(\S+)/.exec(created.stdout)?.[1]
      expect(password).toHaveLength(16)
      expect((await login(t.deps, 'sec.li', password!, { ip: '1.1.1.1', userAgent: '' })).ok).toBe(true)
      const twoAdmins = await gongkai(
        [
          'user',
          'create',
          '--username',
          'x.y',
          '--name',
          '某',
          '--agency',
          officeCreditCode,
          '--role',
          'secadmin',
          '--role',
          'auditadmin',
        ],
        t.env,
      )
      expect(twoAdmins.code).toBe(1)
      expect(twoAdmins.stderr).toContain('三员分立')
      const reset = await gongkai(['user', 'passwd', 'sec.li'], t.env)
      const fresh = /新一次性初始密码：(\S+)/.exec(reset.stdout)?.[1]
      expect(fresh).toBeDefined()
      expect((await login(t.deps, 'sec.li', password!, { ip: '1.1.1.1', userAgent: '' })).ok).toBe(false)
      for (let i = 0; i < 5; i++) await login(t.deps, 'sec.li', 'Wrong-Password-9', { ip: '1.1.1.1', userAgent: '' })
      expect((await login(t.deps, 'sec.li', fresh!, { ip: '1.1.1.1', userAgent: '' })).ok).toBe(false)
      const unlocked = await gongkai(['user', 'unlock', 'sec.li'], t.env)
      expect(unlocked.code).toBe(0)
      expect((await login(t.deps, 'sec.li', fresh!, { ip: '1.1.1.1', userAgent: '' })).ok).toBe(true)
    } finally {
      await t.close()
    }
  })
})

test('gongkai scan finds an ID number in a document and exits 1; a clean report exits 0', async () => {
  const { mkdtempSync: mk, writeFileSync: write, rmSync: rm } = await import('node:fs')
  const dir = mk(path.join(tmpdir(), 'gongkai-scan-'))
  try {
    write(path.join(dir, 'a.txt'), '经办人 王五，身份证号 11010519491231002X。')
    const found = await gongkai(['scan', path.join(dir, 'a.txt')], { DATA_DIR: '/nonexistent' })
    expect(found.code).toBe(1)
    expect(found.stdout).toContain('[居民身份证号码] 110***********002X')
    expect(found.stdout).not.toContain('19491231')
    const clean = await gongkai(['scan', path.resolve('test/fixtures/reports/dianjiang-justice-2020.txt')], {
      DATA_DIR: '/nonexistent',
    })
    expect(clean.code).toBe(0)
    expect(clean.stdout).toContain('未发现涉密或个人信息')
  } finally {
    rm(dir, { recursive: true, force: true })
  }
})

describe.each(databaseKinds)('gongkai calendar on %s', (kind) => {
  test("shows a year's holidays and make-up days, counts working days, and refuses a year without a notice", async () => {
    const t = await testEnv(kind)
    try {
      const show = await gongkai(['calendar', 'show', '2026'], t.env)
      expect(show.code, show.stderr).toBe(0)
      expect(show.stdout).toContain('2026-02-14 周六') // make-up Saturday before the Spring Festival
      expect(show.stdout).toContain('2026-10-07 周三')
      // Counted by hand on the 2026 notice: 9-29, 9-30, 10-8, 10-9, 10-10 (Sat, make-up) … 10-30.
      const workdays = await gongkai(['calendar', 'workdays', '2026-09-28', '20'], t.env)
      expect(workdays.stdout.trim()).toBe('2026-10-30 周五')
      const missing = await gongkai(['calendar', 'workdays', '2026-12-20', '20'], t.env)
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('缺少 2027 年节假日安排')
      expect((await gongkai(['calendar', 'show', '2027'], t.env)).code).toBe(2)
      expect((await gongkai(['calendar', 'workdays', 'tomorrow', '3'], t.env)).stderr).toContain('用法')
    } finally {
      await t.close()
    }
  })
})
