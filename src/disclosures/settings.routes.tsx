import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { reviewConfigForm, saveReviewConfig } from '../reviews/review-config.ts'
import { parseForm } from '../web/form-parse.ts'
import { guideForm } from './guide.ts'
import { indexFormatForm } from './index-format.ts'
import {
  guideSettingsOf,
  indexFormatOf,
  publicGuideOf,
  reviewLevelsOf,
  saveGuideSettings,
  saveIndexFormat,
} from './settings.service.ts'
import { GuideSettingsPage, IndexFormatPage, ReviewLevelsPage } from './settings.views.tsx'
import { PublicGuidePage } from './guide.views.tsx'
import { pageContext, staffActor, requireStaff } from '../web/request-context.ts'

// The office head's settings of proactive disclosure: the 指南's contact data, the review levels and
// the index-number format. The portal's guide page is generated from them.

const idParam = z.object({ id: z.coerce.number().int().positive() })
const savedQuery = (query: unknown) => (query as { saved?: string }).saved === '1'

export function disclosureSettingsRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/console/guide', async (request, reply) => {
    const guide = await guideSettingsOf(deps, requireStaff(request).agencyId)
    const form = { values: { ...(guide ?? {}) }, errors: {} }
    return reply.page(
      200,
      <GuideSettingsPage ctx={pageContext(request)} form={form} saved={savedQuery(request.query)} />,
    )
  })

  app.post('/console/guide', async (request, reply) => {
    const parsed = parseForm(guideForm, request.body)
    if (!parsed.ok)
      return reply.page(422, <GuideSettingsPage ctx={pageContext(request)} form={parsed.form} saved={false} />)
    await saveGuideSettings(deps, staffActor(request), parsed.data)
    return reply.redirect('/console/guide?saved=1', 303)
  })

  app.get('/console/review-levels', async (request, reply) => {
    const config = await reviewLevelsOf(deps, requireStaff(request).agencyId)
    const values = { levels: config.levels.join('\n'), confidentialityLevel: String(config.confidentialityLevel) }
    const form = { values, errors: {} }
    return reply.page(
      200,
      <ReviewLevelsPage ctx={pageContext(request)} form={form} saved={savedQuery(request.query)} />,
    )
  })

  app.post('/console/review-levels', async (request, reply) => {
    const parsed = parseForm(reviewConfigForm, request.body)
    if (!parsed.ok)
      return reply.page(422, <ReviewLevelsPage ctx={pageContext(request)} form={parsed.form} saved={false} />)
    await saveReviewConfig(deps, staffActor(request), parsed.data)
    return reply.redirect('/console/review-levels?saved=1', 303)
  })

  app.get('/console/index-format', async (request, reply) => {
    const format = await indexFormatOf(deps, requireStaff(request).agencyId)
    const form = { values: { ...format }, errors: {} }
    return reply.page(200, <IndexFormatPage ctx={pageContext(request)} form={form} saved={savedQuery(request.query)} />)
  })

  app.post('/console/index-format', async (request, reply) => {
    const parsed = parseForm(indexFormatForm, request.body)
    if (!parsed.ok)
      return reply.page(422, <IndexFormatPage ctx={pageContext(request)} form={parsed.form} saved={false} />)
    await saveIndexFormat(deps, staffActor(request), parsed.data)
    return reply.redirect('/console/index-format?saved=1', 303)
  })

  app.get('/agencies/:id/guide', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const guide = await publicGuideOf(deps, id)
    return reply.page(200, <PublicGuidePage ctx={pageContext(request)} {...guide} />)
  })
}
