import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

// Pages, feeds and the sitemap are sent compressed (brotli or gzip, as the browser accepts: issue #15):
// an item page of 20 kB goes out as about 4 kB. Pages from the render cache (page-cache.ts) keep their
// compressed bytes and are not compressed again; other text responses are compressed as they go out.
// Downloads (PDF, DOCX, XLSX) are compressed already and are sent as they are.
//
// Only what a visitor reads is compressed: GET requests without a staff session. A staff page holds the
// session's CSRF token beside text the request put there, and compressing the two together lets an
// onlooker who can count bytes guess the token (BREACH); the console is small and on the office
// network, so it goes uncompressed.

export type Encoding = 'br' | 'gzip' | 'identity'

const compressible = /^(?:text\/(?:html|plain|css|csv)|application\/(?:xml|atom\+xml|rss\+xml|json|javascript))\b/
/** Below this a compressed response saves less than its headers cost. */
const minBytes = 1024

/** The encoding to answer a request with: brotli if the browser takes it, else gzip, else none. */
export function encodingFor(request: FastifyRequest): Encoding {
  const accepted = request.headers['accept-encoding']
  if (!accepted) return 'identity'
  const header = String(accepted)
  // Browsers send a handful of distinct headers: each is parsed once (parsing was about 2 % of a kept page's CPU).
  // Only headers of a browser's length are kept, at most 256 of them: a request cannot make the map grow.
  let encoding = chosen.get(header)
  if (encoding === undefined) {
    encoding = choose(header)
    if (header.length <= 200) {
      if (chosen.size >= 256) chosen.clear()
      chosen.set(header, encoding)
    }
  }
  return encoding
}
const chosen = new Map<string, Encoding>()

function choose(accepted: string): Encoding {
  const offered = new Map<string, number>()
  for (const part of accepted.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';')
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((v) => v !== undefined)
    if (name) offered.set(name.trim(), q === undefined ? 1 : Number(q))
  }
  const weight = (name: string) => offered.get(name) ?? offered.get('*') ?? 0
  if (weight('br') > 0) return 'br'
  if (weight('gzip') > 0) return 'gzip'
  return 'identity'
}

/** Whether responses of this content type are sent compressed (they then vary with Accept-Encoding). */
export const isTextual = (contentType: string): boolean => compressible.test(contentType)

/** Whether a response of this content type and size is worth compressing. */
export const isCompressible = (contentType: string, bytes: number): boolean =>
  bytes >= minBytes && isTextual(contentType)

/** The body in the encoding given. Brotli at quality 5 compresses HTML about as well as gzip -9, at gzip's speed. */
export function encode(body: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'br')
    return brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    })
  if (encoding === 'gzip') return gzipSync(body, { level: 6 })
  return body
}

/** Marks a response as depending on Accept-Encoding, so that no shared cache gives one encoding to all. */
export function varyOnEncoding(reply: FastifyReply): void {
  const vary = reply.getHeader('vary')
  if (!vary) reply.header('vary', 'Accept-Encoding')
  else if (!/accept-encoding/i.test(String(vary))) reply.header('vary', `${String(vary)}, Accept-Encoding`)
}

/** Compresses the text responses to visitors that no one compressed before them (the render cache does its own). */
export function registerCompression(app: FastifyInstance, sessionCookie: string): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.getHeader('content-encoding') || request.method !== 'GET' || request.cookies[sessionCookie])
      return payload
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
    const type = String(reply.getHeader('content-type') ?? '')
    if (!isTextual(type)) return payload
    varyOnEncoding(reply)
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload
    if (body.length < minBytes) return payload
    const encoding = encodingFor(request)
    if (encoding === 'identity') return payload
    reply.header('content-encoding', encoding)
    reply.removeHeader('content-length')
    return encode(body, encoding)
  })
}
