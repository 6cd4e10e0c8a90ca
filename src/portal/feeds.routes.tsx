import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { columnFeedOf, sitemapPathsOf } from './portal.service.ts'
import { columnFeedXml, sitemapXml } from './feeds.views.ts'

// Atom per column and sitemap.xml, so that the public, aggregators and search engines follow the
// columns. Links are absolute on the configured PUBLIC_URL, never on the request's Host header: the
// pages are cached for everyone, and a forged Host must not put its links in them (issue #14).
// Without PUBLIC_URL the links are site-relative.

const idParam = z.object({ id: z.coerce.number().int().positive() })

export function portalFeedRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const origin = (deps.config.publicUrl ?? '').replace(/\/+$/, '')

  app.get('/columns/:id/feed.xml', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const { column, items } = await columnFeedOf(deps, id)
    const xml = columnFeedXml(origin, column, items)
    return reply.type('application/atom+xml; charset=utf-8').send(xml)
  })

  app.get('/sitemap.xml', async (request, reply) => {
    const xml = sitemapXml(origin, await sitemapPathsOf(deps))
    return reply.type('application/xml; charset=utf-8').send(xml)
  })
}
