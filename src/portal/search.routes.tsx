import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { genres } from '../disclosures/disclosure.ts'
import { searchPortal } from './portal.service.ts'
import { SearchPage } from './search.views.tsx'
import { pageContext } from '../web/request-context.ts'

// Search across the region (/search?q=), with filters, ordered by relevance or date, matches marked.

const query = z.object({
  q: z.string().max(100).optional(),
  agency: z.coerce.number().int().positive().optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  genre: z.enum(genres).optional().catch(undefined),
  sort: z.enum(['relevance', 'date']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
})

export function portalSearchRoutes(app: FastifyInstance): void {
  const deps = app.deps
  app.get('/search', async (request, reply) => {
    const params = query.parse(request.query)
    const search = { ...params, q: params.q?.trim() ?? '', sort: params.sort ?? 'relevance', page: params.page ?? 1 }
    const found = await searchPortal(deps, search)
    return reply.page(200, <SearchPage ctx={pageContext(request)} query={search} {...found} />)
  })
}
