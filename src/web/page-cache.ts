import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { publicContentChanged, siteGeneration } from '../portal/public-content.ts'

// Public pages come from a render cache (issue #4): anonymous GETs of the portal are kept per URL
// and dropped whenever public content may have changed. Every successful state-changing request
// moves a counter in the database; each process reads it at most once a second, so a change made
// by another process (or the CLI) reaches every cache within a second.

const cacheable =
  /^\/(?:$|catalogue(?:\?.*)?$|reports(?:\/\d+)?$|agencies\/\d+(?:\/(?:guide|catalogue))?(?:\?.*)?$|columns\/\d+(?:\/feed\.xml)?$|items\/\d+$|sitemap\.xml$)/
const maxEntries = 5000
const quiet = /^\/(?:log(?:in|out)|agencies\/\d+\/apply|apply\/|track|console\/applications)/

type Entry = { body: string; type: string }

export function registerPageCache(app: FastifyInstance, sessionCookie: string): void {
  const deps = app.deps
  const pages = new Map<string, Entry>()
  let generation = -1
  let checkedAt = 0
  const current = async () => {
    const now = Date.now()
    if (now - checkedAt >= 1000) {
      checkedAt = now
      const seen = await siteGeneration(deps.db)
      if (seen !== generation) {
        pages.clear()
        generation = seen
      }
    }
  }
  const isCacheable = (request: FastifyRequest) =>
    request.method === 'GET' && !request.cookies[sessionCookie] && cacheable.test(request.url)

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isCacheable(request)) return
    await current()
    const hit = pages.get(request.url)
    if (hit) return reply.header('x-cache', 'hit').type(hit.type).send(hit.body)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    // Invalidate before the answer leaves, so the next request of the same client sees the change.
    // Signing in and out, applying, tracking and handling applications change nothing public.
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400 && !quiet.test(request.url)) {
      await publicContentChanged(deps.db)
      pages.clear()
      checkedAt = 0
      return payload
    }
    if (
      isCacheable(request) &&
      reply.statusCode === 200 &&
      typeof payload === 'string' &&
      !reply.getHeader('x-cache')
    ) {
      if (pages.size >= maxEntries) pages.delete(pages.keys().next().value as string)
      pages.set(request.url, {
        body: payload,
        type: String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8'),
      })
    }
    return payload
  })
}
