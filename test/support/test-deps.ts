import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { FixedClock } from '../../src/clock.ts'
import { loadConfig } from '../../src/config.ts'
import type { Deps } from '../../src/deps.ts'
import { createDeps } from '../../src/main.ts'
import type { DatabaseKind } from '../../src/storage/database.ts'

// Services and stores run on a real database: a temporary SQLite file (WAL needs a file), and a
// fresh PostgreSQL database per test when TEST_DATABASE_URL is set (STYLE.md §3).

export const databaseKinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']

export type TestEnv = {
  deps: Deps
  clock: FixedClock
  /** The environment a child `gongkai` process needs to reach the same data. */
  env: Record<string, string>
  close(): Promise<void>
}

/** Creates an empty UTF-8 database on the test server and returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL
  if (!admin) throw new Error('TEST_DATABASE_URL is not set')
  const name = `gk_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  await client.query(
    `create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
  )
  await client.end()
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

export async function testEnv(
  kind: DatabaseKind,
  start = '2026-03-02T02:00:00Z',
  extraEnv: Record<string, string> = {},
): Promise<TestEnv> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gongkai-test-'))
  const pgDb = kind === 'postgres' ? await createPostgresDatabase() : undefined
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...extraEnv,
  }
  const clock = new FixedClock(start)
  const deps = await createDeps({ config: loadConfig(env), clock, migrate: true })
  return {
    deps,
    clock,
    env,
    async close() {
      await deps.db.destroy().catch(() => undefined) // some tests close it themselves
      await pgDb?.drop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
