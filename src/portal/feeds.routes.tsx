import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { columnFeedOf, sitemapNumbersOf, sitemapPathsOf } from './portal.service.ts'
import { columnFeedXml, sitemapEntries, sitemapIndexXml, sitemapXml } from './feeds.views.ts'

// Atom per column and the sitemaps, so that the public, aggregators and search engines follow the
// columns. Links are absolute on the configured PUBLIC_URL, never on the request's Host header: the
// pages are cached for everyone, and a forged Host must not put its links in them (issue #14).
// Without PUBLIC_URL the links are site-relative.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const sitemapParam = z.object({
  n: z
    .string()
    .regex(/^\d{1,9}\.xml$/)
    .transform((s) => Number(s.slice(0, -4))),
})

export function portalFeedRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const origin = (deps.config.publicUrl ?? '').replace(/\/+$/, '')

  app.get('/columns/:id/feed.xml', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const { column, items } = await columnFeedOf(deps, id)
    const xml = columnFeedXml(origin, column, items)
    return reply.type('application/atom+xml; charset=utf-8').send(xml)
  })

  // A sitemap index of sitemaps of at most 50,000 URLs each (sitemaps.org), the newest items in the last one.
  app.get('/sitemap.xml', async (request, reply) => {
    const xml = sitemapIndexXml(origin, await sitemapNumbersOf(deps))
    return reply.type('application/xml; charset=utf-8').send(xml)
  })

  app.get('/sitemaps/:n', async (request, reply) => {
    const { n } = sitemapParam.parse(request.params)
    const entries: string[] = []
    for await (const paths of sitemapPathsOf(deps, n)) entries.push(sitemapEntries(origin, paths))
    if (entries.length === 0) throw new AppError('not_found', '没有这个网站地图')
    return reply.type('application/xml; charset=utf-8').send(sitemapXml(entries))
  })
}
