import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterEach, expect, test, vi } from 'vitest'
import { openDatabase } from './open-database.ts'
import { SqliteReader, attachReader, readRows, readerOf } from './sqlite-reader.ts'

// Long reads on SQLite run on a reader thread (issue #15); when it cannot run them, they run where they were asked.

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  vi.restoreAllMocks()
})

async function database() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-reader-'))
  dirs.push(dir)
  const opened = openDatabase({ dataDir: dir })
  await sql`create table t (x integer)`.execute(opened.db)
  await sql`insert into t values (1), (2), (3)`.execute(opened.db)
  return opened.db
}

test('a long read is answered by the reader thread, which sees every committed write', async () => {
  const db = await database()
  try {
    expect(await readRows(db, sql<{ s: number }>`select sum(x) as s from t`)).toEqual([{ s: 6 }])
    await sql`insert into t values (4)`.execute(db)
    expect(await readRows(db, sql<{ s: number }>`select sum(x) as s from t`)).toEqual([{ s: 10 }])
    expect(readerOf(db)?.answered).toBe(2)
  } finally {
    await db.destroy()
  }
})

test('a reader that cannot start is said once, and the reads run on the asking thread meanwhile', async () => {
  const db = await database()
  const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
  const broken = new SqliteReader(path.join(tmpdir(), 'gongkai-no-such-dir', 'gongkai.db'))
  attachReader(db, broken)
  try {
    for (let i = 0; i < 3; i++)
      expect(await readRows(db, sql<{ s: number }>`select sum(x) as s from t`)).toEqual([{ s: 6 }])
    expect(broken.answered).toBe(0)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toContain('SQLite 读取线程出错')
  } finally {
    await broken.close()
    await db.destroy()
  }
})

test('a query the reader refuses fails as it would on the asking thread', async () => {
  const db = await database()
  try {
    await expect(readRows(db, sql`select no_such_column from t`)).rejects.toThrow(/no_such_column/)
  } finally {
    await db.destroy()
  }
})
