import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { genres } from '../disclosures/disclosure.ts'
import { searchPortal } from './portal.service.ts'
import { searchText } from './search-query.ts'
import { SearchPage } from './search.views.tsx'
import { pageContext } from '../web/request-context.ts'

// Search across the region (/search?q=), with filters, ordered by relevance or date, matches marked.

const query = z.object({
  // Any length is taken and cut to a searchable one (search-query.ts), never refused.
  q: z.string().optional().catch(undefined),
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
    const { q, cut } = searchText(typeof params.q === 'string' ? params.q : undefined)
    const search = { ...params, q, sort: params.sort ?? 'relevance', page: params.page ?? 1 }
    const found = await searchPortal(deps, search)
    return reply.page(200, <SearchPage ctx={pageContext(request)} query={search} cut={cut} {...found} />)
  })
}
