import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { listAgencies } from '../agencies/agency.store.ts'
import { escapeHtml } from '../disclosures/disclosure.service.ts'
import { bodyText } from '../disclosures/rich-text.ts'
import { findColumn, listColumns, listPublicItems } from '../disclosures/disclosure.store.ts'
import { listPublishedReports } from '../reports/report.store.ts'
import { AppError } from '../errors.ts'

// Atom per column and sitemap.xml, so that the public, aggregators and search engines follow the
// columns. Links are absolute on the host the request came to.

const idParam = z.object({ id: z.coerce.number().int().positive() })

export function portalFeedRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const origin = (host: string | undefined, protocol: string) => `${protocol}://${host ?? 'localhost'}`

  app.get('/columns/:id/feed.xml', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const column = await findColumn(deps.db, id)
    if (!column) throw new AppError('not_found', '栏目不存在')
    const base = origin(request.headers.host, request.protocol)
    const items = (await listPublicItems(deps.db, id, 20)).filter((i) => i.status === 'published')
    const updated = items[0]?.published_at ?? column.created_at
    const entries = items
      .map(
        (i) => `  <entry>
    <id>${base}/items/${i.id}</id>
    <title>${escapeHtml(i.title)}</title>
    <link href="${base}/items/${i.id}"/>
    <updated>${i.published_at}</updated>
    <summary>${escapeHtml((i.summary ?? bodyText(i.body)).slice(0, 200))}</summary>
  </entry>`,
      )
      .join('\n')
    return reply.type('application/atom+xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${base}/columns/${id}</id>
  <title>${escapeHtml(column.name)}</title>
  <link href="${base}/columns/${id}"/>
  <link rel="self" href="${base}/columns/${id}/feed.xml"/>
  <updated>${updated}</updated>
${entries}
</feed>
`)
  })

  app.get('/sitemap.xml', async (request, reply) => {
    const base = origin(request.headers.host, request.protocol)
    const urls: string[] = [`${base}/`, `${base}/reports`]
    for (const a of await listAgencies(deps.db)) {
      urls.push(`${base}/agencies/${a.id}`)
      for (const c of await listColumns(deps.db, a.id)) urls.push(`${base}/columns/${c.id}`)
    }
    const items = await deps.db
      .selectFrom('items')
      .select('id')
      .where('status', '=', 'published')
      .orderBy('id')
      .limit(45_000)
      .execute()
    urls.push(...items.map((i) => `${base}/items/${i.id}`))
    urls.push(...(await listPublishedReports(deps.db)).map((r) => `${base}/reports/${r.id}`))
    return reply.type('application/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `  <url><loc>${escapeHtml(u)}</loc></url>`).join('\n')}
</urlset>
`)
  })
}
