import type { FastifyInstance } from 'fastify'
import { parseForm } from '../web/form-parse.ts'
import { pageContext, staffActor } from '../web/request-context.ts'
import { saveSiteFooter, siteFooterOf, storedSiteFooter } from './site-settings.service.ts'
import { siteFooterForm } from './site-settings.ts'
import { SiteSettingsPage } from './site-settings.views.tsx'

// The site's footer settings: the 系统管理员 edits them at /console/site, and every public page reads
// them before it renders (a cached page was rendered with them; saving drops the cache).

const notPublic = /^\/(console|assets|healthz)(\/|$|\?)/

export function siteSettingsRoutes(app: FastifyInstance): void {
  const deps = app.deps

  // Registered before every other route so that each public page has the footer in its context.
  app.addHook('preHandler', async (request) => {
    if (notPublic.test(request.url)) return
    request.siteFooter = await siteFooterOf(deps)
  })

  app.get('/console/site', async (request, reply) => {
    const footer = await storedSiteFooter(deps)
    const saved = (request.query as { saved?: string }).saved === '1'
    const form = { values: { ...(footer ?? {}) }, errors: {} }
    return reply.page(200, <SiteSettingsPage ctx={pageContext(request)} form={form} saved={saved} />)
  })

  app.post('/console/site', async (request, reply) => {
    const parsed = parseForm(siteFooterForm, request.body)
    if (!parsed.ok)
      return reply.page(422, <SiteSettingsPage ctx={pageContext(request)} form={parsed.form} saved={false} />)
    await saveSiteFooter(deps, staffActor(request), parsed.data)
    return reply.redirect('/console/site?saved=1', 303)
  })
}
