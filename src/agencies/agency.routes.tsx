import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { emptyForm } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import type { PageContext } from '../web/layout.tsx'
import { agencyForm, unitForm } from './agency.ts'
import { agenciesOf, agencyWithUnitsOf, createAgency, createUnit } from './agency.service.ts'
import { AgenciesPage, AgencyPage } from './agency.views.tsx'
import { attempt, namesFields, pageContext } from '../web/request-context.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })

export function agencyRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const agenciesPage = async (ctx: PageContext, form: FormState) => (
    <AgenciesPage ctx={ctx} agencies={await agenciesOf(deps)} form={form} />
  )

  app.get('/console/agencies', async (request, reply) =>
    reply.page(200, await agenciesPage(pageContext(request), emptyForm)),
  )

  app.post('/console/agencies', async (request, reply) => {
    const parsed = parseForm(agencyForm, request.body)
    if (!parsed.ok) return reply.page(422, await agenciesPage(pageContext(request), parsed.form))
    const r = await attempt(() => createAgency(deps, request.actor, parsed.data), namesFields)
    if (!r.ok) {
      const form = { values: request.body as Record<string, unknown>, errors: r.error.fields }
      return reply.page(422, await agenciesPage(pageContext(request), form))
    }
    return reply.redirect(`/console/agencies/${r.value}`, 303)
  })

  const agencyPage = async (ctx: PageContext, id: number, form: FormState) => {
    const { agency, units } = await agencyWithUnitsOf(deps, id)
    return <AgencyPage ctx={ctx} agency={agency} units={units} form={form} />
  }

  app.get('/console/agencies/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    return reply.page(200, await agencyPage(pageContext(request), id, emptyForm))
  })

  app.post('/console/agencies/:id/units', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(unitForm, request.body)
    if (!parsed.ok) return reply.page(422, await agencyPage(pageContext(request), id, parsed.form))
    const r = await attempt(() => createUnit(deps, request.actor, id, parsed.data), namesFields)
    if (!r.ok) {
      const form = { values: request.body as Record<string, unknown>, errors: r.error.fields }
      return reply.page(422, await agencyPage(pageContext(request), id, form))
    }
    return reply.redirect(`/console/agencies/${id}`, 303)
  })
}
