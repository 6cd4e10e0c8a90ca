import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { attempt, pageContext, staffActor } from '../web/request-context.ts'
import { decisionTemplateProblem, referencePatternProblem } from './letter.ts'
import { verticalSystems } from './reconsideration.ts'
import type { VerticalSystem } from './reconsideration.ts'
import { readApplicationSettings, saveApplicationSettings } from './settings.service.ts'
import { SettingsPage, settingsFormValues } from './settings.views.tsx'

// The office head's settings for disclosure on request (settings.service.ts says what each is for).

const template = z.string().max(20_000, '模板过长').default('')
const settingsForm = z
  .object({
    reconsiderationBody: z.string().trim().max(100, '行政复议机关名称不超过 100 字').default(''),
    verticalSystem: z.enum(['', ...Object.keys(verticalSystems)] as ['', ...VerticalSystem[]]).catch(''),
    referencePattern: z
      .string()
      .trim()
      .max(60, '文号格式不超过 60 字')
      .default('')
      .superRefine((v, ctx) => {
        const problem = referencePatternProblem(v)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      }),
    feePayment: z.string().trim().max(1000, '缴纳方式不超过 1000 字').default(''),
    frequentThreshold: z.coerce
      .number({ error: '请填写件数' })
      .int('请填写整数')
      .min(2, '至少 2 件')
      .max(1000, '不超过 1000 件'),
    template_correction: template,
    template_consultation: template,
    template_extension: template,
    template_fee: template,
    template_delay: template,
    template_decision: template.superRefine((v, ctx) => {
      const problem = decisionTemplateProblem(v)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
  })
  .transform((d) => ({
    reconsiderationBody: d.reconsiderationBody,
    verticalSystem: d.verticalSystem,
    frequentThreshold: d.frequentThreshold,
    referencePattern: d.referencePattern,
    feePayment: d.feePayment,
    templates: {
      correction: d.template_correction,
      consultation: d.template_consultation,
      extension: d.template_extension,
      fee: d.template_fee,
      delay: d.template_delay,
      decision: d.template_decision,
    },
  }))

export function applicationSettingsRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form?: FormState,
    saved = false,
  ) => {
    const shown = form ?? settingsFormValues(await readApplicationSettings(deps, staffActor(request)))
    return reply.page(status, SettingsPage({ ctx: pageContext(request), form: shown, saved }))
  }

  app.get('/console/request-settings', async (request, reply) =>
    page(request, reply, 200, undefined, (request.query as { saved?: string }).saved === '1'),
  )

  app.post('/console/request-settings', async (request, reply) => {
    const parsed = parseForm(settingsForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    const saved = await attempt(() => saveApplicationSettings(deps, staffActor(request), parsed.data))
    if (!saved.ok)
      return page(request, reply, 422, { values: request.body as Record<string, unknown>, errors: saved.error.fields })
    return reply.redirect('/console/request-settings?saved=1', 303)
  })
}
