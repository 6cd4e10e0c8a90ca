import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { downloadDisposition } from '../files/file-store.ts'
import { findJob, jobFile, listJobs } from './jobs.ts'
import { JobPage, JobsPage } from './jobs.views.tsx'
import { pageContext, staffActor } from '../web/request-context.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })

export function jobRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/console/jobs', async (request, reply) => {
    const jobs = await listJobs(deps, staffActor(request))
    return reply.page(200, <JobsPage ctx={pageContext(request)} jobs={jobs} />)
  })

  app.get('/console/jobs/:id/file', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const file = await jobFile(deps, staffActor(request), id)
    return reply.type(file.type).header('content-disposition', downloadDisposition(file.name)).send(file.bytes)
  })

  app.get('/console/jobs/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const job = await findJob(deps, staffActor(request), id)
    return reply.page(200, <JobPage ctx={pageContext(request)} job={job} />)
  })
}
