import type { FastifyRequest } from 'fastify'

// No passwords, tokens or codes in any log (LOG-03; GB/T 22239-2019 §8.1.4.3 on protecting audit data
// applies to the request log too). Secrets travel in a few URLs: the password-reset and account-setup
// link (/password-reset?token=…, sent by mail, issue #14), and a query code someone may put in a link to
// /track. The request log records the URL of every request, so their values are hidden there.

/** Query parameters whose values are secrets, lower case. */
const secretParams = new Set(['token', 'code', 'querycode', 'query_code', 'password', 'secret', 'otp'])
export const hiddenValue = '[已隐去]'

const decodedName = (raw: string) => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase()
  } catch {
    return raw.toLowerCase()
  }
}

/** The URL with the value of every secret query parameter replaced; the path and other parameters as they were. */
export function urlForLog(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const hash = url.indexOf('#', q)
  const query = url.slice(q + 1, hash < 0 ? undefined : hash)
  const hidden = query
    .split(/([&;])/)
    .map((part) => {
      const eq = part.indexOf('=')
      const name = eq < 0 ? part : part.slice(0, eq)
      return eq >= 0 && secretParams.has(decodedName(name)) ? `${name}=${hiddenValue}` : part
    })
    .join('')
  return `${url.slice(0, q)}?${hidden}${hash < 0 ? '' : url.slice(hash)}`
}

/** Fastify's request serializer (the same fields), with the URL's secrets hidden. */
export function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: urlForLog(request.url),
    version: [request.headers?.['accept-version'] ?? []].flat()[0],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}
