import { describe, expect, test } from 'vitest'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { findOwnItem, publishItem, schedulePublication } from '../src/disclosures/disclosure.service.ts'
import { startPublicationScheduler } from '../src/disclosures/scheduler.ts'
import { testApp } from './support/app.ts'
import { buildActor, buildItem } from './support/build-item.ts'
import { databaseKinds } from './support/test-deps.ts'

// The portal's pages come from a render cache (web/page-cache.ts). The use cases that change public
// content drop it themselves, so a publication made outside any request — the scheduler's — reaches
// every cached page at once, and a publication made by another process within a second.

const until = async (what: () => Promise<boolean>, ms: number) => {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await what()) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return what()
}

describe.each(databaseKinds)('the render cache on %s', (kind) => {
  test('a scheduled publication shows at once on the column page, catalogues, home, Atom feed and sitemap', async () => {
    const t = await testApp(kind)
    try {
      const title = '关于汛期地质灾害防范的公告'
      const item = await buildItem(t.deps, { title, until: 'approved' })
      const publisher = await buildActor(t.deps, ['publisher'])
      await schedulePublication(t.deps, publisher, item.id, new Date(t.clock.now().getTime() + 3600_000).toISOString())
      const pages = {
        column: `/columns/${item.columnId}`,
        agencyCatalogue: `/agencies/${item.agencyId}/catalogue`,
        catalogue: '/catalogue',
        home: '/',
        feed: `/columns/${item.columnId}/feed.xml`,
        sitemap: '/sitemap.xml',
      }
      for (const url of Object.values(pages)) {
        const first = await t.app.inject(url)
        expect(first.statusCode, url).toBe(200)
        expect(first.body, url).not.toContain(title)
        expect((await t.app.inject(url)).headers['x-cache'], `${url} is served from the cache`).toBe('hit')
      }

      t.clock.advanceMinutes(61)
      const stop = startPublicationScheduler(t.deps, { everyMs: 20, onError: (err) => console.error(err) })
      try {
        const published = async () => (await findOwnItem(t.deps, publisher, item.id)).status === 'published'
        expect(await until(published, 10_000)).toBe(true)
      } finally {
        await stop()
      }

      for (const [name, url] of Object.entries(pages)) {
        const after = await t.app.inject(url)
        expect(after.headers['x-cache'], `${url} is rendered afresh`).toBeUndefined()
        // The home page lists the region's agencies, not items: it is rendered afresh all the same.
        if (name === 'home') continue
        // The sitemap index now leads to the sitemap of the item's id range (issue #15).
        expect(after.body, url).toContain(name === 'sitemap' ? '/sitemaps/1.xml</loc>' : title)
      }
    } finally {
      await t.close()
    }
  })
})

describe.runIf(databaseKinds.includes('postgres'))('two processes on one PostgreSQL database', () => {
  test("a publication by one process shows on the other process's cached pages within a second", async () => {
    const t = await testApp('postgres')
    const other = await startServer(t.env)
    try {
      const title = '关于调整办事大厅服务时间的通知'
      const item = await buildItem(t.deps, { title, until: 'approved' })
      const url = `${other.origin}/columns/${item.columnId}`
      await fetch(url)
      const cached = await fetch(url)
      expect(cached.headers.get('x-cache'), 'the other process serves the page from its cache').toBe('hit')
      expect(await cached.text()).not.toContain(title)

      await publishItem(t.deps, await buildActor(t.deps, ['publisher']), item.id)
      const publishedAt = Date.now()
      const shown = await until(async () => (await (await fetch(url)).text()).includes(title), 5000)
      const waited = Date.now() - publishedAt
      expect(shown).toBe(true)
      // Each process reads the site generation at most once a second (web/page-cache.ts); the margin
      // is for a busy test machine.
      expect(waited).toBeLessThan(1800)
    } finally {
      other.stop()
      await t.close()
    }
  })
})

/** `gongkai serve` in a child process on the same database, as a second instance behind a load balancer. */
async function startServer(env: Record<string, string>) {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
  const bin = fileURLToPath(new URL('../bin/gongkai.mjs', import.meta.url))
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  })
  const origin = `http://127.0.0.1:${port}`
  const up = await until(
    () =>
      fetch(`${origin}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    30_000,
  )
  if (!up) {
    child.kill('SIGKILL')
    throw new Error('the second process did not start')
  }
  return { origin, stop: () => child.kill('SIGTERM') }
}
