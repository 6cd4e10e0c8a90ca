import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { columnFeedOf, sitemapPathsOf } from './portal.service.ts'
import { columnFeedXml, sitemapXml } from './feeds.views.ts'

// Atom per column and sitemap.xml, so that the public, aggregators and search engines follow the
// columns. Links are absolute on the host the request came to.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const origin = (host: string | undefined, protocol: string) => `${protocol}://${host ?? 'localhost'}`

export function portalFeedRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/columns/:id/feed.xml', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const { column, items } = await columnFeedOf(deps, id)
    const xml = columnFeedXml(origin(request.headers.host, request.protocol), column, items)
    return reply.type('application/atom+xml; charset=utf-8').send(xml)
  })

  app.get('/sitemap.xml', async (request, reply) => {
    const xml = sitemapXml(origin(request.headers.host, request.protocol), await sitemapPathsOf(deps))
    return reply.type('application/xml; charset=utf-8').send(xml)
  })
}
