import { describe, expect, test } from 'vitest'
import { testApp } from './support/app.ts'
import { buildItem } from './support/build-item.ts'
import { databaseKinds } from './support/test-deps.ts'

// Render-cache poisoning through Host (issue #14): the sitemap and the Atom feeds are cached for
// everyone, so their absolute links come from the configured PUBLIC_URL, never from the request.

describe.each(databaseKinds)('sitemap and feeds on %s', (kind) => {
  test('a forged Host header never reaches the cached sitemap or feed; links stand on PUBLIC_URL', async () => {
    const t = await testApp(kind)
    try {
      const item = await buildItem(t.deps, { title: '关于“<script>”字样的说明 & 其他', until: 'published' })
      const pages = ['/sitemaps/1.xml', `/columns/${item.columnId}/feed.xml`]
      for (const url of pages) {
        const forged = await t.app.inject({ url, headers: { host: 'evil.example' } })
        expect(forged.statusCode, url).toBe(200)
        expect(forged.body, url).not.toContain('evil.example')
        expect(forged.body, url).toContain(`/items/${item.id}`)
        const next = await t.app.inject({ url })
        expect(next.headers['x-cache'], url).toBe('hit')
        expect(next.body, url).not.toContain('evil.example')
      }
      const feed = await t.app.inject(`/columns/${item.columnId}/feed.xml`)
      expect(feed.body).toContain('&lt;script&gt;')
      expect(feed.body).not.toContain('<script>')
    } finally {
      await t.close()
    }
    // With PUBLIC_URL the links are absolute on it, whatever Host the request names.
    const u = await testApp(kind, { env: { PUBLIC_URL: 'https://gk.example.gov.cn/' } })
    try {
      const item = await buildItem(u.deps, { until: 'published' })
      const index = await u.app.inject({ url: '/sitemap.xml', headers: { host: 'evil.example' } })
      expect(index.body).toContain('<loc>https://gk.example.gov.cn/sitemaps/1.xml</loc>')
      expect(index.body).not.toContain('evil.example')
      const sitemap = await u.app.inject({ url: '/sitemaps/1.xml', headers: { host: 'evil.example' } })
      expect(sitemap.body).toContain(`<loc>https://gk.example.gov.cn/items/${item.id}</loc>`)
      const feed = await u.app.inject({ url: `/columns/${item.columnId}/feed.xml`, headers: { host: 'evil.example' } })
      expect(feed.body).toContain(`<link href="https://gk.example.gov.cn/items/${item.id}"/>`)
      expect(feed.body).not.toContain('evil.example')
    } finally {
      await u.close()
    }
  })
})
