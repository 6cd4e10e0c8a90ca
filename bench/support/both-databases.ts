// Runs one measurement on the embedded SQLite (in a temporary data folder) and then on a scratch
// PostgreSQL database created for the run and dropped after it, so every bench quotes both engines
// side by side. Without a PostgreSQL server the second half is skipped with a line saying so.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'

type Measure = (label: string, env: Record<string, string>) => Promise<void>

export async function onBothDatabases(prefix: string, measure: Measure): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), `gongkai-${prefix}-`))
  try {
    await measure('SQLite', { DATA_DIR: dir })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const admin =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const client = new pg.Client({ connectionString: admin })
  try {
    await client.connect()
  } catch (e) {
    console.log(
      `PostgreSQL: skipped, no server at ${admin.replace(/\/\/[^@]*@/, '//')} (${e instanceof Error ? e.message : String(e)}); set BENCH_DATABASE_URL`,
    )
    return
  }
  const name = `gongkai_${prefix.replace(/\W/g, '_')}_${Date.now()}`
  await client.query(
    `create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
  )
  try {
    const url = new URL(admin)
    url.pathname = `/${name}`
    await measure('PostgreSQL', { DATA_DIR: tmpdir(), DATABASE_URL: url.toString() })
  } finally {
    await client.query(`drop database if exists ${name} with (force)`)
    await client.end()
  }
}
