import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { genres } from '../disclosures/disclosure.ts'
import { downloadDisposition, readStoredFile } from '../files/file-store.ts'
import { pageContext } from '../web/request-context.ts'
import {
  agencyCatalogueOf,
  agencyPortalOf,
  publicAttachmentOf,
  publicColumnOf,
  publicItemOf,
  regionCatalogueOf,
} from './portal.service.ts'
import { AgencyCataloguePage, AgencyPortalPage, PublicColumnPage, RegionCataloguePage } from './items.views.tsx'
import { PublicItemPage } from './item-page.views.tsx'

// The public side of proactive disclosure: an agency's columns, a column's items, an item's page
// with its catalogue metadata. Only published items are shown; a withdrawn one shows its notice.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const attachmentParams = z.object({
  id: z.coerce.number().int().positive(),
  attachmentId: z.coerce.number().int().positive(),
})
// A catalogue page is found by a key, `<published_at>_<id>` of the item it follows (after) or precedes (before): keyset
// paging, so a crawler's page 500 costs what page 1 costs (issue #15). A malformed key, or a `page=` of the numbered
// pages this replaced, is the first page.
const catalogueKey = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT[\d:.]{8,15}Z_\d{1,15}$/)
  .transform((s) => {
    const cut = s.lastIndexOf('_')
    return { published_at: s.slice(0, cut), id: Number(s.slice(cut + 1)) }
  })
  .optional()
  .catch(undefined)
const catalogueQuery = z.object({
  genre: z.enum(genres).optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  after: catalogueKey,
  before: catalogueKey,
})
const agencyCatalogueQuery = catalogueQuery.extend({
  column: z.coerce.number().int().positive().optional().catch(undefined),
})
const regionCatalogueQuery = catalogueQuery.extend({
  agency: z.coerce.number().int().positive().optional().catch(undefined),
})

export function portalItemRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/agencies/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const { agency, columns } = await agencyPortalOf(deps, id)
    return reply.page(200, <AgencyPortalPage ctx={pageContext(request)} agency={agency} columns={columns} />)
  })

  app.get('/agencies/:id/catalogue', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const { after, before, ...filter } = agencyCatalogueQuery.parse(request.query)
    const catalogue = await agencyCatalogueOf(deps, id, filter, { after, before })
    return reply.page(200, <AgencyCataloguePage ctx={pageContext(request)} {...catalogue} filter={filter} />)
  })

  // The whole region's catalogue: every agency's published items, newest first.
  app.get('/catalogue', async (request, reply) => {
    const { after, before, ...filter } = regionCatalogueQuery.parse(request.query)
    const catalogue = await regionCatalogueOf(deps, filter, { after, before })
    return reply.page(200, <RegionCataloguePage ctx={pageContext(request)} {...catalogue} filter={filter} />)
  })

  app.get('/columns/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const column = await publicColumnOf(deps, id)
    return reply.page(200, <PublicColumnPage ctx={pageContext(request)} {...column} />)
  })

  app.get('/items/:id/attachments/:attachmentId', async (request, reply) => {
    const { id, attachmentId } = attachmentParams.parse(request.params)
    const row = await publicAttachmentOf(deps, id, attachmentId)
    // Served as a download, never rendered inline from the upload store (FILE-03).
    return reply
      .header('content-type', row.content_type)
      .header('content-disposition', downloadDisposition(row.file_name))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(readStoredFile(deps.config.dataDir, row.storage_key))
  })

  app.get('/items/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const item = await publicItemOf(deps, id)
    return reply.page(200, <PublicItemPage ctx={pageContext(request)} {...item} />)
  })
}
