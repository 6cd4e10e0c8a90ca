// Event-loop stalls at scale (issue #15 §2; npm run bench -- stalls [--items N] [--engine sqlite|postgres]
// [--data-dir DIR], the last seeding SQLite in DIR once and reusing it in later runs):
// seeds N items (default 1,000,000) over ten agencies, starts the real server in this process, and while a worker
// thread asks /healthz every 50 ms (monotonic clock, its own event loop) runs what used to hold the server: a crawl of
// the region's catalogue (page 1, next and previous links, deep pages, every filter, old ?page= links), the agency
// catalogue, the home page, a scheduler round with nothing due and one with due items, the console's column statistics
// (one agency, the region), its publication time limits (the large agency) and the sitemaps. Prints, per activity,
// the longest /healthz answer the worker saw and the longest event-loop delay this thread measured
// (perf_hooks.monitorEventLoopDelay); the goal is ≤ 50 ms for every one.
import { loadavg } from 'node:os'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { sql } from 'kysely'
import { loadConfig } from '../src/config.ts'
import { genres } from '../src/disclosures/disclosure.ts'
import { publishDueItems } from '../src/disclosures/disclosure.service.ts'
import { ownColumnHealth, regionColumnHealth, timelinessOf } from '../src/disclosures/health.service.ts'
import { createDeps } from '../src/main.ts'
import { buildApp } from '../src/web/app.ts'
import { onBothDatabases } from './support/both-databases.ts'
import { findScaleRegion, seedScaleItems, setUpScaleRegion } from './support/scale-region.ts'

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const count = Number(arg('items') ?? process.env.BENCH_ITEMS ?? 1_000_000)
const engine = arg('engine')
const dataDir = arg('data-dir')
const dueCount = 200
const goalMs = 50

const probeCode = `
const { parentPort, workerData } = require('node:worker_threads')
const { performance } = require('node:perf_hooks')
let stop = false
parentPort.on('message', () => { stop = true })
;(async () => {
  for (let next = performance.now(); !stop; ) {
    const started = performance.now()
    try { await (await fetch(workerData.url)).text() } catch {}
    const ms = performance.now() - started
    parentPort.postMessage({ at: performance.timeOrigin + started, ms })
    next += 50
    const wait = next - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    else next = performance.now()
  }
  parentPort.close()
})()
`

type Activity = { label: string; from: number; to: number; loopMax: number; requests: number }

async function measure(label: string, env: Record<string, string>) {
  const deps = await createDeps({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }), migrate: true })
  try {
    // --data-dir DIR (SQLite): seeds there once and keeps it; a later run adds only fresh due items.
    const found = dataDir ? await findScaleRegion(deps) : undefined
    const { office, small, publisherId } = found ?? (await setUpScaleRegion(deps))
    const seededIn = found
      ? await seedScaleItems(deps, publisherId, 0, dueCount, `-${Date.now()}`)
      : await seedScaleItems(deps, publisherId, count, dueCount)
    const total = Number(
      (
        await deps.db
          .selectFrom('items')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
    if (deps.kind === 'postgres') await sql`analyze`.execute(deps.db)
    console.log(
      `${label}: ${total.toLocaleString('en')} items (${found ? `reused ${dataDir}` : `seeded in ${seededIn.toFixed(1)} s`}); load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    )

    const app = await buildApp(deps, { logger: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    // Keys deep in the catalogue, as a crawler reaches them by following 下一页 500 times (found here, not measured).
    const deepKey = async (q: ReturnType<typeof deps.db.selectFrom<'items'>>, offset: number) => {
      const r = await q
        .select(['published_at', 'id'])
        .where('status', '=', 'published')
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .offset(offset)
        .limit(1)
        .executeTakeFirst()
      return r ? `${r.published_at}_${r.id}` : ''
    }
    const deepRegion = await deepKey(deps.db.selectFrom('items'), 25_000)
    const deepOffice = await deepKey(deps.db.selectFrom('items').where('agency_id', '=', office!.id), 25_000)
    const officeColumn = (await deps.db
      .selectFrom('items')
      .select('column_id')
      .where('agency_id', '=', office!.id)
      .limit(1)
      .executeTakeFirstOrThrow())!.column_id

    const samples: { at: number; ms: number }[] = []
    const probe = new Worker(probeCode, { eval: true, workerData: { url: `${base}/healthz` } })
    probe.on('message', (m: { at: number; ms: number }) => samples.push(m))
    const loop = monitorEventLoopDelay({ resolution: 5 })
    loop.enable()
    const activities: Activity[] = []
    const run = async (name: string, fn: () => Promise<number>) => {
      await new Promise((r) => setTimeout(r, 200)) // a quiet gap, so that samples belong to one activity
      loop.reset()
      const from = performance.timeOrigin + performance.now()
      const requests = await fn()
      const to = performance.timeOrigin + performance.now()
      activities.push({ label: name, from, to, loopMax: loop.max / 1e6, requests })
    }
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`)
      const body = await res.text()
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
      return body
    }
    const linkOf = (html: string, text: string) => {
      const m = new RegExp(`href="([^"]+)"[^>]*>${text}<`).exec(html)
      return m ? m[1]!.replace(/&amp;/g, '&') : undefined
    }
    // Follows 下一页 `pages` times from a start page, then 上一页 once; returns how many pages it read.
    const crawl = async (start: string, pages: number) => {
      let html = await get(start)
      let n = 1
      for (let k = 0; k < pages; k++) {
        const next = linkOf(html, '下一页')
        if (!next) break
        html = await get(next)
        n++
      }
      const previous = linkOf(html, '上一页')
      if (previous) {
        await get(previous)
        n++
      }
      return n
    }
    try {
      await new Promise((r) => setTimeout(r, 500))
      await run('scheduler round, nothing due', async () => (await publishDueItems(deps), 1))
      await run('home page', async () => (await get('/'), 1))
      await run('catalogue: page 1 and 20 next pages', () => crawl('/catalogue', 20))
      await run('catalogue: deep pages (~page 500)', () => crawl(`/catalogue?after=${deepRegion}`, 5))
      await run('catalogue: old ?page=500 link', async () => (await get('/catalogue?page=500'), 1))
      await run('catalogue: filters (agency, genre, year, combined)', async () => {
        let n = 0
        for (const q of [
          `agency=${office!.id}`,
          `agency=${small!.id}`,
          `genre=${encodeURIComponent(genres[3]!)}`,
          'year=2023',
          `agency=${small!.id}&genre=${encodeURIComponent(genres[2]!)}&year=2021`,
          `genre=${encodeURIComponent(genres[10]!)}&year=2025`,
        ])
          n += await crawl(`/catalogue?${q}`, 3)
        return n
      })
      await run('agency catalogue: pages, deep, column and genre', async () => {
        let n = await crawl(`/agencies/${office!.id}/catalogue`, 5)
        n += await crawl(`/agencies/${office!.id}/catalogue?after=${deepOffice}`, 3)
        n += await crawl(`/agencies/${office!.id}/catalogue?column=${officeColumn}`, 3)
        n += await crawl(
          `/agencies/${office!.id}/catalogue?column=${officeColumn}&genre=${encodeURIComponent(genres[5]!)}&year=2022`,
          3,
        )
        return n
      })
      await deps.db
        .updateTable('items')
        .set({ scheduled_at: '2000-01-01T00:00:00.000Z' })
        .where('status', '=', 'approved')
        .execute()
      const due = Number(
        (
          await deps.db
            .selectFrom('items')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('status', '=', 'approved')
            .executeTakeFirstOrThrow()
        ).n,
      )
      await run(`scheduler round, ${due} items due`, async () => {
        const published = await publishDueItems(deps)
        if (published !== due) throw new Error(`published ${published} of ${due}`)
        return 1
      })
      await run('console column statistics, the large agency', async () => (await ownColumnHealth(deps, office!.id), 1))
      await run('console column statistics, whole region', async () => (await regionColumnHealth(deps), 1))
      await run('console publication time limits (条例第二十六条), the large agency', async () => {
        const report = await timelinessOf(deps, office!.id)
        console.log(`  time limits: ${report.checked.toLocaleString('en')} items checked, ${report.late.length} late`)
        return 1
      })
      await run('sitemap index and every sitemap', async () => {
        const index = await get('/sitemap.xml')
        const locs = [...index.matchAll(/<loc>[^<]*(\/sitemaps\/\d+\.xml)<\/loc>/g)].map((m) => m[1]!)
        let urls = 0
        for (const loc of locs) urls += (await get(loc)).split('<url>').length - 1
        console.log(`  sitemap: ${locs.length} sitemaps, ${urls.toLocaleString('en')} URLs`)
        return 1 + locs.length
      })
      await new Promise((r) => setTimeout(r, 300))
    } finally {
      probe.postMessage('stop')
      await new Promise((r) => probe.once('exit', r))
      loop.disable()
      await app.close()
    }
    const idle = samples.filter((s) => !activities.some((a) => s.at + s.ms >= a.from && s.at <= a.to))
    const idleMax = Math.max(0, ...idle.map((s) => s.ms))
    let worst = { ms: 0, label: '' }
    for (const a of activities) {
      const seen = samples.filter((s) => s.at + s.ms >= a.from && s.at <= a.to)
      const probeMax = Math.max(0, ...seen.map((s) => s.ms))
      const stall = Math.max(probeMax, a.loopMax)
      if (stall > worst.ms) worst = { ms: stall, label: a.label }
      console.log(
        `  ${a.label}: ${a.requests} request(s) in ${(a.to - a.from).toFixed(0)} ms; longest /healthz ${probeMax.toFixed(1)} ms over ${seen.length} probes; event-loop delay max ${a.loopMax.toFixed(1)} ms`,
      )
    }
    console.log(`  between activities: longest /healthz ${idleMax.toFixed(1)} ms over ${idle.length} probes`)
    console.log(
      `  ${label} at ${total.toLocaleString('en')} items: longest event-loop stall ${worst.ms.toFixed(1)} ms (${worst.label}); goal ≤ ${goalMs} ms: ${worst.ms <= goalMs ? 'met' : 'NOT met'}`,
    )
  } finally {
    await deps.db.destroy()
  }
}

if (dataDir) await measure('SQLite', { DATA_DIR: dataDir })
else
  await onBothDatabases('stalls_bench', (label, env) =>
    engine && engine !== (env.DATABASE_URL ? 'postgres' : 'sqlite') ? Promise.resolve() : measure(label, env),
  )
