import type { FastifyInstance } from 'fastify'
import { emptyForm } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { performSetup, setupForm } from './setup.service.ts'
import { SetupDonePage, SetupPage } from './setup.views.tsx'
import { attempt, namesFields, pageContext } from '../web/request-context.ts'

export function setupRoutes(app: FastifyInstance): void {
  app.get('/setup', async (request, reply) =>
    reply.page(200, <SetupPage ctx={pageContext(request)} form={emptyForm} />),
  )

  app.post('/setup', async (request, reply) => {
    const parsed = parseForm(setupForm, request.body)
    if (!parsed.ok) return reply.page(422, <SetupPage ctx={pageContext(request)} form={parsed.form} />)
    const r = await attempt(() => performSetup(app.deps, parsed.data, request.ip), namesFields)
    if (!r.ok) {
      const form = { values: request.body as Record<string, unknown>, errors: r.error.fields }
      return reply.page(422, <SetupPage ctx={pageContext(request)} form={form} />)
    }
    app.site.setUp = true
    app.site.regionName = parsed.data.regionName
    return reply.page(201, <SetupDonePage ctx={pageContext(request)} created={r.value} />)
  })
}
