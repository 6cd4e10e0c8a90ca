import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { listAgencies } from '../src/agencies/agency.store.ts'
import { storeFile } from '../src/files/file-store.ts'
import { serverLockName } from '../src/backup/server-lock.ts'
import { buildApplication } from './support/build-application.ts'
import { gongkai } from './support/cli.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Issue #14: `gongkai restore` on a live server reported success while the server kept writing to the database file
// it had replaced. Restore refuses while a server holds the data directory, or (PostgreSQL) while another connection is
// open, and says so; backups are readable by their owner only; a starting server removes half-written uploads and
// encrypts applicant files stored before encryption.

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'gongkai.mjs')
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort()
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  })
  const started = Date.now()
  while (Date.now() - started < 30_000) {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)
    if (health?.ok) return { child, port }
    await new Promise((r) => setTimeout(r, 200))
  }
  child.kill('SIGKILL')
  throw new Error('server did not start')
}

const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

describe.each(databaseKinds)('restore and a running server on %s', (kind) => {
  test('restore refuses while the platform runs and changes nothing; backups are 0600; a start clears .part files and encrypts old applicant files', async () => {
    const t = await testEnv(kind)
    let server: ChildProcess | undefined
    try {
      const application = await buildApplication(t.deps)
      const plain = Buffer.from('%PDF-1.4 旧身份证复印件 11010519491231002X')
      const old = storeFile(t.env.DATA_DIR!, plain, t.deps.clock.now())
      await t.deps.db
        .insertInto('application_files')
        .values({
          application_id: application.id,
          file_name: '旧.pdf',
          content_type: 'application/pdf',
          size: plain.length,
          sha256: old.sha256,
          storage_key: old.key,
          created_at: t.deps.clock.now().toISOString(),
          correction_answer_id: null,
        })
        .execute()
      const file = path.join(t.env.DATA_DIR!, '..', `gk-live-${process.pid}-${kind}.tar.gz`)
      const made = await gongkai(['backup', file], t.env)
      expect(made.code, made.stderr).toBe(0)
      expect(statSync(file).mode & 0o777).toBe(0o600)

      // A process died mid-upload: its half file is left behind.
      const year = path.join(t.env.DATA_DIR!, 'files', '2026')
      mkdirSync(year, { recursive: true })
      const half = path.join(year, `${'a'.repeat(32)}.part`)
      writeFileSync(half, '%PDF-1.4 写了一半')
      await t.deps.db.destroy()

      server = (await startServer(t.env)).child
      expect(existsSync(half)).toBe(false)
      expect(readFileSync(path.join(t.env.DATA_DIR!, serverLockName), 'utf8').trim()).toBe(String(server.pid))
      const { createDeps } = await import('../src/main.ts')
      const { loadConfig } = await import('../src/config.ts')
      const look = await createDeps({ config: loadConfig(t.env) })
      try {
        const keys = await look.db.selectFrom('application_files').select('storage_key').execute()
        expect(keys.map((f) => f.storage_key)).not.toContain(old.key)
      } finally {
        await look.db.destroy()
      }
      expect(existsSync(path.join(t.env.DATA_DIR!, 'files', old.key))).toBe(false)

      if (kind === 'sqlite') {
        // The embedded database is served by one process: a second one on the same data directory does not start.
        const second = await gongkai(['serve'], { ...t.env, PORT: String(await freePort()) })
        expect(second.code).toBe(1)
        expect(second.stderr).toContain('内置 SQLite 只能由一个进程提供服务')
      }
      const refused = await gongkai(['restore', file], t.env)
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toContain(`平台正在运行（进程 ${server.pid}`)
      expect(refused.stderr).toContain('恢复未执行')
      expect(refused.stdout).not.toContain('恢复完成')
      // The running server still has its data.
      const health = await gongkai(['audit', 'verify'], t.env)
      expect(health.code, health.stderr).toBe(0)

      await stopped(server)
      server = undefined
      expect(existsSync(path.join(t.env.DATA_DIR!, serverLockName))).toBe(false)
      if (kind === 'postgres') {
        // Another process still connected (another server behind the proxy): refused too.
        const other = await createDeps({ config: loadConfig(t.env) })
        try {
          await listAgencies(other.db)
          const busy = await gongkai(['restore', file], t.env)
          expect(busy.code).not.toBe(0)
          expect(busy.stderr).toContain('数据库仍有')
        } finally {
          await other.db.destroy()
        }
      }
      const restored = await gongkai(['restore', file], t.env)
      expect(restored.code, restored.stderr).toBe(0)
    } finally {
      if (server) await stopped(server)
      await t.close().catch(() => undefined)
    }
  }, 180_000)
})
