import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { onPublicContentChanged, siteGeneration } from '../portal/public-content.ts'

// Public pages come from a render cache (issue #4): anonymous GETs of the portal are kept per URL.
// The use cases that change public content call `publicContentChanged` (portal/public-content.ts)
// inside their transaction: this process drops its pages at once and stores none until it reads the
// new generation from the database, so a page rendered before that transaction committed is never
// kept. Another process (or the CLI) is seen when this one next reads the generation: at most a
// second later.

const cacheablePaths = [
  '', // the home page
  '(?:guide|rules|statutory|apply)', // the region's pages behind its entry points
  'catalogue(?:\\?.*)?',
  'reports(?:/\\d+)?',
  'agencies/\\d+(?:/(?:guide|catalogue))?(?:\\?.*)?',
  'columns/\\d+(?:/feed\\.xml)?',
  'items/\\d+',
  'sitemap\\.xml',
  'sitemaps/\\d+\\.xml',
]
const cacheable = new RegExp(`^/(?:${cacheablePaths.join('|')})$`)
const maxEntries = 5000
/** How often a process reads the site generation: a change made elsewhere shows within this time. */
export const cacheFreshnessMs = 1000
/** A change whose transaction did not commit within this time is taken as rolled back. */
const commitWaitMs = 5000

type Entry = { body: string; type: string }

export function registerPageCache(app: FastifyInstance, sessionCookie: string): void {
  const deps = app.deps
  const pages = new Map<string, Entry>()
  // The generation each request was rendered at: a page is kept only if no change came in between.
  const renderedAt = new WeakMap<FastifyRequest, number>()
  let generation = -1
  let checkedAt = 0
  // A generation this process moved to in a transaction that may not have committed yet.
  let awaited = { generation: -1, since: 0 }
  const waiting = () => {
    if (generation >= awaited.generation) return false
    if (Date.now() - awaited.since < commitWaitMs) return true
    awaited = { generation: -1, since: 0 }
    return false
  }
  const current = async () => {
    const now = Date.now()
    if (now - checkedAt >= cacheFreshnessMs || waiting()) {
      checkedAt = now
      const seen = await siteGeneration(deps.db)
      if (seen !== generation) {
        pages.clear()
        generation = seen
      }
    }
  }
  const stopListening = onPublicContentChanged((moved) => {
    pages.clear()
    awaited = { generation: Math.max(moved, awaited.generation), since: Date.now() }
  })
  app.addHook('onClose', async () => stopListening())

  const isCacheable = (request: FastifyRequest) =>
    request.method === 'GET' && !request.cookies[sessionCookie] && cacheable.test(request.url)

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isCacheable(request)) return
    await current()
    renderedAt.set(request, generation)
    const hit = pages.get(request.url)
    if (hit) return reply.header('x-cache', 'hit').type(hit.type).send(hit.body)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const fresh =
      isCacheable(request) && reply.statusCode === 200 && typeof payload === 'string' && !reply.getHeader('x-cache')
    if (fresh && !waiting() && renderedAt.get(request) === generation) {
      if (pages.size >= maxEntries) pages.delete(pages.keys().next().value as string)
      pages.set(request.url, {
        body: payload,
        type: String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8'),
      })
    }
    return payload
  })
}
