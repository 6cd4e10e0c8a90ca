import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { brotliDecompressSync } from 'node:zlib'
import { onPublicContentChanged, siteGenerations } from '../portal/public-content.ts'
import { encode, encodingFor, isCompressible, isTextual, varyOnEncoding } from './compression.ts'
import { codeVersion, ensureRenderVersion, findStoredPage, pageStoreWriter, storedItemOf } from './page-store.ts'

// Public pages come from a render cache (issue #4): anonymous GETs of the portal are kept per URL.
// The use cases that change public content call `publicContentChanged` (portal/public-content.ts)
// inside their transaction: this process drops its pages at once and stores none until it reads the
// new generation from the database, so a page rendered before that transaction committed is never
// kept. Another process (or the CLI) is seen when this one next reads the generation: at most a
// second later.
//
// A page not in the cache is rendered once however many ask for it at the same time (issue #15: a
// cold column page let all 32 connections of the bench run its query at once): the first request
// renders it and the others wait for that page. A page is kept with its compressed bytes (brotli,
// gzip), each made the first time a browser asks for it (web/compression.ts).
//
// Item pages, which a region has by the hundred thousand, are also kept compressed in the database
// (web/page-store.ts): a page missing here is read from there before it is rendered, and a page
// rendered here is written there, so a random item is a read of one row rather than a render.

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

/** A kept page: its bytes (a stored page has only its brotli bytes until another encoding is asked for). */
type Entry = { body?: Buffer; size: number; type: string; encoded: { br?: Buffer; gzip?: Buffer } }

const bodyOf = (entry: Entry): Buffer => (entry.body ??= brotliDecompressSync(entry.encoded.br!))
/** A page being rendered: the requests that ask for it meanwhile wait for it. */
type Flight = { generation: number; done: Promise<Entry | undefined>; settle(entry: Entry | undefined): void }

function newFlight(generation: number): Flight {
  let settle: (entry: Entry | undefined) => void = () => undefined
  const done = new Promise<Entry | undefined>((resolve) => (settle = resolve))
  return { generation, done, settle }
}

/** Sends a kept page in the encoding the browser takes, compressing it the first time that encoding is asked. */
function sendEntry(request: FastifyRequest, reply: FastifyReply, entry: Entry, from: 'hit' | 'stored' = 'hit') {
  const encoding = isCompressible(entry.type, entry.size) ? encodingFor(request) : 'identity'
  if (isTextual(entry.type)) varyOnEncoding(reply)
  reply.header('x-cache', from).type(entry.type)
  if (encoding === 'identity') return reply.send(bodyOf(entry))
  const body = (entry.encoded[encoding] ??= encode(bodyOf(entry), encoding))
  return reply.header('content-encoding', encoding).send(body)
}

export function registerPageCache(app: FastifyInstance, sessionCookie: string): void {
  const deps = app.deps
  const pages = new Map<string, Entry>()
  const rendering = new Map<string, Flight>()
  // The render each leading request owes the requests waiting for its page.
  const leading = new WeakMap<FastifyRequest, Flight>()
  // The generation each request was rendered at: a page is kept only if no change came in between.
  const renderedAt = new WeakMap<FastifyRequest, number>()
  const store = pageStoreWriter(deps, app.log)
  // Kept pages are served once they are known to be this code's (checked after start, not before it).
  let versionChecked: Promise<boolean> | undefined
  // What the check said, once it has: a kept page then costs no wait for it.
  let keptUsable: boolean | undefined
  const keptPagesUsable = () =>
    (versionChecked ??= ensureRenderVersion(deps, codeVersion()).then(
      () => (keptUsable = true),
      (err: unknown) => {
        app.log.error({ err }, 'checking the kept pages against this code failed; pages are rendered')
        return (keptUsable = false)
      },
    ))
  let generation = -1
  // The layout generation read with `generation`: what a stored page must have been rendered at.
  let layout = -1
  let checkedAt = 0
  let checking: Promise<void> | undefined
  // A generation this process moved to in a transaction that may not have committed yet.
  let awaited = { generation: -1, since: 0 }
  const waiting = () => {
    if (generation >= awaited.generation) return false
    if (Date.now() - awaited.since < commitWaitMs) return true
    awaited = { generation: -1, since: 0 }
    return false
  }
  const readGeneration = async () => {
    const seen = await siteGenerations(deps.db)
    checkedAt = Date.now()
    if (seen.generation !== generation) {
      pages.clear()
      generation = seen.generation
      layout = seen.layout
    }
  }
  // One read of the generation at a time: requests that come while it is read wait for what it says.
  const fresh = () => !checking && Date.now() - checkedAt < cacheFreshnessMs && !waiting()
  const current = async () => {
    if (fresh()) return
    checking ??= readGeneration().finally(() => (checking = undefined))
    await checking
  }
  const stopListening = onPublicContentChanged((moved) => {
    pages.clear()
    awaited = { generation: Math.max(moved, awaited.generation), since: Date.now() }
  })
  // Started once the server is ready, not awaited by its start: an item page waits for it, others do not.
  app.addHook('onReady', async () => void keptPagesUsable())
  app.addHook('onClose', async () => {
    stopListening()
    await store.close()
  })

  const remember = (url: string, entry: Entry) => {
    if (pages.size >= maxEntries) pages.delete(pages.keys().next().value as string)
    pages.set(url, entry)
  }

  const isCacheable = (request: FastifyRequest) =>
    request.method === 'GET' && !request.cookies[sessionCookie] && cacheable.test(request.url)

  const settle = (request: FastifyRequest, entry: Entry | undefined) => {
    const flight = leading.get(request)
    if (!flight) return
    leading.delete(request)
    if (rendering.get(request.url) === flight) rendering.delete(request.url)
    flight.settle(entry)
  }

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isCacheable(request)) return
    // Awaited only when there is something to wait for: each await is a turn of the microtask queue per request.
    if (!fresh()) await current()
    renderedAt.set(request, generation)
    let hit = pages.get(request.url)
    const itemId = hit || rendering.has(request.url) ? undefined : storedItemOf(request.url)
    if (itemId !== undefined && (keptUsable ?? (await keptPagesUsable())) && !waiting()) {
      // An item's kept copy, if there is one: a read of one row instead of a render. A failed read renders.
      const stored = await findStoredPage(deps, itemId, layout).catch((err: unknown) => {
        request.log.warn({ err }, 'reading a kept page failed; it is rendered')
        return undefined
      })
      // Read off this thread, the row may predate a change made meanwhile in this process: not kept then.
      if (stored && renderedAt.get(request) === generation && !waiting()) {
        const entry: Entry = { size: stored.size, type: stored.contentType, encoded: { br: stored.br } }
        remember(request.url, entry)
        return sendEntry(request, reply, entry, 'stored')
      }
      hit = pages.get(request.url)
    }
    if (!hit) {
      const flight = rendering.get(request.url)
      if (flight && flight.generation === generation) hit = await flight.done
      else {
        const mine = newFlight(generation)
        rendering.set(request.url, mine)
        leading.set(request, mine)
        return
      }
    }
    // A page not kept (an error, or a change came in while it rendered) is rendered by each who asked.
    if (hit) return sendEntry(request, reply, hit)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    if (!leading.has(request)) return payload
    const fresh =
      reply.statusCode === 200 &&
      (typeof payload === 'string' || Buffer.isBuffer(payload)) &&
      !reply.getHeader('x-cache') &&
      !reply.getHeader('content-encoding')
    if (!fresh || waiting() || renderedAt.get(request) !== generation) {
      settle(request, undefined)
      return payload
    }
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload
    const entry: Entry = {
      body,
      size: body.length,
      type: String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8'),
      encoded: {},
    }
    remember(request.url, entry)
    settle(request, entry)
    const itemId = storedItemOf(request.url)
    if (itemId !== undefined) {
      const br = (entry.encoded.br = encode(body, 'br'))
      store.add({ itemId, generation, layout, contentType: entry.type, size: body.length, br })
    }
    if (isTextual(entry.type)) varyOnEncoding(reply)
    if (!isCompressible(entry.type, entry.size)) return payload
    const encoding = encodingFor(request)
    if (encoding === 'identity') return payload
    reply.header('content-encoding', encoding)
    return (entry.encoded[encoding] ??= encode(body, encoding))
  })
  // A request that ends without sending (the client went away) releases those waiting for it.
  app.addHook('onResponse', async (request) => settle(request, undefined))
  app.addHook('onRequestAbort', async (request) => settle(request, undefined))
}
