import { randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { equalBytes, hmacSm3 } from '../security/crypto.ts'

// Synchronizer tokens bound to the session (or, before login, to a random cookie), plus the
// browser's own Sec-Fetch-Site / Origin word on where a request came from (CSRF-01).

export const anonCookie = 'gk_csrf'

export const csrfTokenFor = (key: Buffer, binding: string): string =>
  hmacSm3(key, `csrf\n${binding}`).toString('base64url')

export const newAnonBinding = () => randomBytes(24).toString('base64url')

export function csrfProblem(key: Buffer, request: FastifyRequest, binding: string): string | undefined {
  const site = request.headers['sec-fetch-site']
  if (site && site !== 'same-origin' && site !== 'none') return 'cross_site'
  const origin = request.headers.origin
  if (origin && origin !== 'null') {
    let host: string
    try {
      host = new URL(origin).host
    } catch {
      return 'bad_origin'
    }
    if (host !== request.headers.host) return 'bad_origin'
  }
  const body = request.body as Record<string, unknown> | undefined
  // A multipart field arrives as { value }, an ordinary form field as a string.
  const field = body?._csrf
  const fromBody =
    typeof field === 'string'
      ? field
      : field && typeof field === 'object' && 'value' in field
        ? (field as { value: unknown }).value
        : undefined
  const sent = (typeof fromBody === 'string' && fromBody) || request.headers['x-csrf-token']
  // No binding (a visitor who was never shown a token): nothing can match, whatever was sent.
  if (typeof sent !== 'string' || sent.length === 0 || !binding) return 'missing_token'
  const expected = Buffer.from(csrfTokenFor(key, binding))
  return equalBytes(Buffer.from(sent), expected) ? undefined : 'bad_token'
}

export function setAnonCookie(reply: FastifyReply, value: string, secure: boolean): void {
  reply.setCookie(anonCookie, value, { path: '/', httpOnly: true, sameSite: 'lax', secure })
}
