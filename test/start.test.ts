import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { latestSchemaVersion } from '../src/storage/migrate.ts'

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

test('npm start on an empty data directory serves /healthz and a Chinese page within 30 seconds', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gongkai-start-'))
  const port = await freePort()
  const child = spawn('npm', ['start'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  })
  const started = Date.now()
  try {
    let health: Response | undefined
    while (Date.now() - started < 30_000) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)
      if (health?.ok) break
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(health?.status).toBe(200)
    expect(await health!.json()).toEqual({
      status: 'ok',
      database: 'sqlite',
      schemaVersion: latestSchemaVersion('sqlite'),
    })
    const home = await fetch(`http://127.0.0.1:${port}/`)
    expect(home.url).toMatch(/\/setup$/)
    expect(await home.text()).toContain('平台初始化')
    expect(Date.now() - started).toBeLessThan(30_000)
  } finally {
    process.kill(-child.pid!, 'SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  }
})
