import BetterSqlite3 from 'better-sqlite3'
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import type { DatabaseConnection, Driver, SqliteDatabase } from 'kysely'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type pg from 'pg'
import type { Database, DatabaseKind, Db } from './database.ts'
import { SqliteReader, attachReader } from './sqlite-reader.ts'

const require = createRequire(import.meta.url)

/** pg, loaded only for PostgreSQL: it brings Node's fetch machinery along, a quarter second of start-up (issue #15). */
export function postgres(): typeof pg {
  const loaded = require('pg') as typeof pg
  // pg returns int8 (count(*), sums) as strings; our counts fit in a double (stack.md pitfall 11).
  loaded.types.setTypeParser(20, (v) => Number.parseInt(v, 10))
  return loaded
}

export const sqliteFileName = 'gongkai.db'

/**
 * Kysely 0.28's SQLite driver starts transactions with a deferred BEGIN. Writers must take the
 * lock up front (BEGIN IMMEDIATE) or concurrent writers hit SQLITE_BUSY_SNAPSHOT, which skips the
 * busy handler (security-and-reliability.md key finding 5; stack.md pitfall 12).
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver()
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'))
    }
    return driver
  }
}

/**
 * Kysely's SQLite driver prepares every query afresh; a submission runs some fifteen statements, so
 * the server keeps the prepared statements of the texts it has seen (bounded; statements are
 * reusable once finished, and one connection runs one query at a time).
 */
function withStatementCache(raw: BetterSqlite3.Database, readers: readonly SqliteReader[]): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>()
  return {
    prepare(text: string) {
      let stmt = statements.get(text)
      if (!stmt) {
        stmt = raw.prepare(text)
        if (statements.size >= 2000) statements.delete(statements.keys().next().value as string)
        statements.set(text, stmt)
      }
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>
    },
    close() {
      for (const reader of readers) void reader.close()
      raw.close()
    },
  }
}

export type OpenedDatabase = { db: Db; kind: DatabaseKind; sqlite?: BetterSqlite3.Database }

export function openSqliteFile(file: string): BetterSqlite3.Database {
  mkdirSync(path.dirname(file), { recursive: true })
  const raw = new BetterSqlite3(file)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = FULL')
  raw.pragma('foreign_keys = ON')
  raw.pragma('busy_timeout = 5000')
  // 64 MB of pages kept in memory (SQLite's default is 2 MB): at a region's scale the indexes a page reads otherwise
  // come from the operating system's cache on every read (issue #15). The kept item pages are read by a reader thread
  // of their own, with its own cache (sqlite-reader-entry.mjs, web/page-store.ts).
  raw.pragma('cache_size = -65536')
  return raw
}

export function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string }): OpenedDatabase {
  if (opts.databaseUrl) {
    const pool = new (postgres().Pool)({ connectionString: opts.databaseUrl, max: 10 })
    // An idle client's connection can end under it (server restart, an administrator terminating
    // backends); pg reports that as an 'error' event that would otherwise crash the process. The
    // pool drops the client and the next query opens a new one.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL 空闲连接中断：${err.message}`))
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' }
  }
  const file = path.join(opts.dataDir, sqliteFileName)
  const raw = openSqliteFile(file)
  // Long reads go to a thread of their own (sqlite-reader.ts), started at the first of them; kept item pages to
  // another, so that a visitor's page never waits behind a long search (web/page-store.ts).
  const reader = new SqliteReader(file)
  const pageReader = new SqliteReader(file)
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw, [reader, pageReader]) }),
  })
  attachReader(db, reader)
  attachReader(db, pageReader, 'pages')
  return { db, kind: 'sqlite', sqlite: raw }
}

/**
 * Refuses to run on settings that can lose an acknowledged write or mangle Chinese text
 * (security-and-reliability.md §7.3, DUR-10). Returns the list of problems; empty means safe.
 */
export async function checkDurability(opened: OpenedDatabase): Promise<string[]> {
  const problems: string[] = []
  if (opened.kind === 'sqlite') {
    const raw = opened.sqlite
    if (!raw) return ['SQLite 连接缺失']
    const mode = raw.pragma('journal_mode', { simple: true })
    if (mode !== 'wal') problems.push(`SQLite journal_mode 为 ${String(mode)}，须为 WAL`)
    if (raw.pragma('synchronous', { simple: true }) !== 2) problems.push('SQLite synchronous 须为 FULL')
    if (raw.pragma('foreign_keys', { simple: true }) !== 1) problems.push('SQLite foreign_keys 须为 ON')
    if (Number(raw.pragma('busy_timeout', { simple: true })) < 5000)
      problems.push('SQLite busy_timeout 须不少于 5000 毫秒')
    return problems
  }
  const show = async (name: string) => {
    const r = await sql<{ v: string }>`select current_setting(${name}) as v`.execute(opened.db)
    return r.rows[0]?.v
  }
  if ((await show('server_encoding')) !== 'UTF8') problems.push('PostgreSQL 数据库编码须为 UTF8')
  if ((await show('fsync')) !== 'on') problems.push('PostgreSQL fsync 须为 on')
  if ((await show('full_page_writes')) !== 'on') problems.push('PostgreSQL full_page_writes 须为 on')
  const commit = await show('synchronous_commit')
  if (commit === 'off') problems.push('PostgreSQL synchronous_commit 不得为 off')
  return problems
}
