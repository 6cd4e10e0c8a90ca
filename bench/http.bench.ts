// HTTP throughput of the platform, measured with wrk side by side in one run (the machines are shared
// and noisy, so only ratios are meaningful): /healthz (no I/O, the reference), the portal home page
// (one SQLite read and a Preact render) and the login page (session cookie + CSRF token + form).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config.ts'
import { createDeps } from '../src/main.ts'
import { performSetup } from '../src/setup/setup.service.ts'
import { buildApp } from '../src/web/app.ts'
import { ensureWrk, wrk } from './support/wrk.ts'

ensureWrk()
const dataDir = mkdtempSync(path.join(tmpdir(), 'gongkai-bench-'))
const deps = await createDeps({ config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), migrate: true })
await performSetup(
  deps,
  {
    regionName: '重庆市垫江县',
    officeName: '垫江县人民政府办公室',
    officeCreditCode: '11500231MB15204609',
    officeLevel: '县级',
    adminUsername: 'bench.admin',
    adminName: '基准',
  },
  '127.0.0.1',
)
const app = await buildApp(deps, { logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
try {
  await wrk(`${base}/healthz`, 1) // warm-up
  const results: Record<string, number> = {}
  for (const [name, p] of [
    ['healthz', '/healthz'],
    ['portal-home', '/'],
    ['login-page', '/login'],
  ] as const)
    results[name] = await wrk(`${base}${p}`, seconds)
  const ref = results.healthz!
  console.log(`HTTP (wrk -t1 -c32, ${seconds}s each, one server process, SQLite)`)
  for (const [name, rps] of Object.entries(results))
    console.log(`  ${name.padEnd(12)} ${rps.toFixed(0).padStart(7)} req/s   ${(rps / ref).toFixed(2)} × healthz`)
} finally {
  await app.close()
  await deps.db.destroy()
  rmSync(dataDir, { recursive: true, force: true })
}
