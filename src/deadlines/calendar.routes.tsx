import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formatShanghai } from '../clock.ts'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { calendarYearForm, calendarSettingsOf, recordCalendarYear, saveFeePauseSetting } from './calendar.service.ts'
import { CalendarPage } from './calendar.views.tsx'
import { refreshOpenDueDates } from '../applications/due-date.service.ts'
import { attempt, pageContext, staffActor } from '../web/request-context.ts'

export function calendarRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (request: FastifyRequest, reply: FastifyReply, status: number, form: FormState, saved = false) => {
    const { years, feePauses } = await calendarSettingsOf(deps)
    const next = Number(formatShanghai(deps.clock.now().toISOString()).slice(0, 4)) + 1
    const missingNext = !years.some((y) => Number(y.year) === next)
    const view = { years, next, missingNext, feePauses, form, saved }
    return reply.page(status, <CalendarPage ctx={pageContext(request)} {...view} />)
  }

  app.get('/console/calendar', async (request, reply) =>
    page(request, reply, 200, { values: {}, errors: {} }, (request.query as { saved?: string }).saved === '1'),
  )

  app.post('/console/calendar', async (request, reply) => {
    const parsed = parseForm(calendarYearForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    // Applications whose due date ran into this year get it now (the use case recomputes them).
    const r = await attempt(() => recordCalendarYear(deps, request.actor, parsed.data))
    if (!r.ok)
      return page(request, reply, 422, { values: request.body as Record<string, unknown>, errors: r.error.fields })
    return reply.redirect('/console/calendar?saved=1', 303)
  })

  app.post('/console/calendar/fee-pause', async (request, reply) => {
    const on = (request.body as { feePausesClock?: string }).feePausesClock === 'on'
    await saveFeePauseSetting(deps, staffActor(request), on)
    await refreshOpenDueDates(deps)
    return reply.redirect('/console/calendar?saved=1', 303)
  })
}
