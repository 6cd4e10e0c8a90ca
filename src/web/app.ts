import { createServer } from 'node:http'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import helmet from 'helmet'
import type { HelmetOptions } from 'helmet'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import Fastify from 'fastify'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { DestinationStream } from 'pino'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ZodError } from 'zod'
import '../validation-messages.ts'
import type { VNode } from 'preact'
import { resolveSession } from '../accounts/login.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { findRegion } from '../agencies/agency.store.ts'
import { countBlock } from '../security/shared-counters.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { anonCookie, csrfProblem, setAnonCookie } from './csrf.ts'
import { ErrorPage } from './error-pages.tsx'
import { policy, policyKey } from './policy.ts'
import { renderPage } from './render.ts'
import { registerRoutes } from './routes.ts'
import { registerPageCache } from './page-cache.ts'
import { registerCompression } from './compression.ts'
import { sharedRateLimitStore } from './rate-limit-store.ts'
import { pageContext, statusOf } from './request-context.ts'
import { lazySchemaCompilers } from './schema-compilers.ts'
import { diskFull } from '../files/file-store.ts'
import { preloadCheerio } from '../files/cheerio.ts'
import { hiddenValue, requestForLog } from './request-log.ts'

const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'public')

export async function buildApp(
  deps: Deps,
  opts: { logger?: boolean; logStream?: DestinationStream } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: {
              paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.token'],
              censor: hiddenValue,
            },
            // Secret query values (a reset link's token…) are hidden from the logged URL (LOG-03, issue #14).
            serializers: { req: requestForLog },
            ...(opts.logStream ? { stream: opts.logStream } : {}),
          },
    schemaController: { compilersFactory: lazySchemaCompilers },
    // Slow request bodies and idle connections time out (issue #14). Node checks the request deadline every
    // `connectionsCheckingInterval`, 30 s by default: once a second here, so a dripping body is cut near its deadline.
    serverFactory: (handler) => {
      const server = createServer(
        {
          requestTimeout: deps.config.requestTimeoutMs,
          headersTimeout: Math.min(deps.config.requestTimeoutMs, 20_000),
          connectionsCheckingInterval: 1000,
        },
        handler,
      )
      server.setTimeout(Math.max(1000, Math.floor(deps.config.requestTimeoutMs / 3)))
      server.keepAliveTimeout = 5000
      return server
    },
    genReqId: () => randomUUID(),
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
  })
  const region = await findRegion(deps.db)
  app.decorate('deps', deps)
  app.decorate('site', { setUp: region !== undefined, regionName: region?.name })
  app.decorate('routeKeys', new Set<string>())
  app.decorate('sessionCookie', deps.config.secureCookies ? '__Host-gk_session' : 'gk_session')
  app.decorateRequest('sessionView', null as never)
  app.decorateRequest('csrfBinding', '')
  app.decorateRequest('staff', undefined)
  app.decorateRequest('actor', null as never)
  app.decorateRequest('csrfCookieDue', false)
  app.decorateReply('page', function (this: FastifyReply, status: number, page: VNode) {
    const html = renderPage(page)
    // The page showed a CSRF token bound to a binding made while it rendered (request-context.ts pageContext).
    if (this.request.csrfCookieDue) {
      this.request.csrfCookieDue = false
      setAnonCookie(this, this.request.csrfBinding, deps.config.secureCookies)
    }
    return this.code(status).type('text/html; charset=utf-8').send(html)
  })
  app.decorate('setSessionCookie', (reply: FastifyReply, token: string) => {
    reply.setCookie(app.sessionCookie, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.secureCookies,
    })
  })

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const m of methods) if (m !== 'HEAD') app.routeKeys.add(policyKey(m, route.url))
  })

  await app.register(cookie)
  await app.register(formbody)
  // Uploads are parsed before the CSRF check, which reads the token among the fields; limits
  // apply while streaming (FILE-01): 10 MB, one file, a few fields.
  await app.register(multipart, {
    attachFieldsToBody: true,
    // A file over the limit is cut off and marked truncated rather than failing the request, so the page it came
    // from says "文件超过 10 MB" with the rest of its input kept (issue #12).
    throwFileSizeLimit: false,
    limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10, parts: 12 },
  })
  // The security headers (helmet's, with a strict CSP): worked out once and set on every response.
  // @fastify/helmet rebuilt helmet's middleware, parsing the CSP directives again, on every request
  // (2–3 % of the server's CPU under load, `npm run bench -- requests`).
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(deps.config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'same-origin' },
  })
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value)
    done()
  })
  await app.register(rateLimit, {
    global: false,
    // Counted in the database, so that every process behind a proxy counts the same hits (issue #14).
    store: sharedRateLimitStore(deps),
    // A blocked address is recorded, not silently dropped, so that staff can see who floods the form:
    // counted per route, address and hour in one row, and written to the audit log once per hour and
    // address, not once per refused request (issue #14: a flood of 1,000 requests wrote 980 entries).
    onExceeded: (request) => {
      const route = `${request.method} ${request.routeOptions.url ?? request.url}`
      void countBlock(deps, route, request.ip)
        .then((first) =>
          first
            ? recordAudit(
                deps,
                request.actor ?? { id: null, name: '访客', roles: [], agencyId: null, ip: request.ip },
                {
                  action: 'rate_limit.block',
                  objectType: 'route',
                  objectId: route,
                  result: 'denied',
                  detail: { counted: 'rate_limit_blocks', per: 'hour' },
                },
              )
            : undefined,
        )
        .catch((err: unknown) => request.log.error({ err }, 'recording a rate-limit block failed'))
    },
  })
  await app.register(fastifyStatic, { root: publicDir, prefix: '/assets/', index: false, maxAge: '1h' })

  app.addHook('onRequest', async (request) => {
    request.actor = { id: null, name: '访客', roles: [], agencyId: null, ip: request.ip }
    const sessionToken = request.cookies[app.sessionCookie]
    if (!sessionToken) {
      // A visitor without one gets a binding (and its cookie) when a page first shows a token (pageContext).
      const binding = request.cookies[anonCookie]
      request.csrfBinding = binding && binding.length <= 64 ? binding : ''
    }
  })

  // A NUL character is never text anyone typed, and PostgreSQL cannot store it: refused as bad input
  // (422, in Chinese) before any handler or query sees it (issue #14).
  app.addHook('preValidation', async (request) => {
    if (holdsNul(request.query) || holdsNul(request.params) || holdsNul(request.body))
      throw new AppError('invalid_input', '提交的内容含有无效的空字符（\\0），未保存。请删除该字符后重试。')
  })
  app.addHook('preHandler', async (request, reply) => gate(app, request, reply))
  registerPageCache(app, app.sessionCookie)
  // After the render cache, which sends its pages compressed already.
  registerCompression(app, app.sessionCookie)

  // The HTML library that publication and imports need, loaded a module at a time once the server listens: loaded at
  // once by the first publication, it held the server for 270–540 ms (files/cheerio.ts; issue #15).
  let closing = false
  app.addHook('onListen', async () => {
    preloadCheerio(deps.config.preloadDelayMs, 10, () => closing).catch((err: unknown) =>
      app.log.warn({ err }, 'preloading cheerio failed'),
    )
  })
  app.addHook('onClose', async () => {
    closing = true
  })

  app.setNotFoundHandler((request, reply) =>
    reply.page(
      404,
      ErrorPage({ ctx: pageContext(request), status: 404, message: '您访问的页面不存在，可能已被移除或地址有误。' }),
    ),
  )

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      // Busy: worth asking again shortly; counted in the log, so that operators see how often it happens.
      if (error.code === 'busy') {
        request.log.warn({ reqId: request.id, url: request.url }, 'refused: too many searches scoring every match')
        reply.header('retry-after', '30').header('cache-control', 'no-store')
      }
      return reply.page(
        statusOf[error.code],
        ErrorPage({ ctx: pageContext(request), status: statusOf[error.code], message: error.message }),
      )
    }
    // A malformed path parameter (e.g. /console/agencies/abc) names nothing that exists.
    if (error instanceof ZodError) {
      return reply.page(
        404,
        ErrorPage({ ctx: pageContext(request), status: 404, message: '您访问的页面不存在，可能已被移除或地址有误。' }),
      )
    }
    // The disk (or quota) is full: nothing was stored (file-store.ts removes the half file); say so plainly.
    if (diskFull(error)) {
      request.log.error({ err: error, reqId: request.id }, 'disk full')
      return reply.page(
        503,
        ErrorPage({
          ctx: pageContext(request),
          status: 503,
          message: '服务器存储空间不足，本次提交未保存。请稍后再试；如一再出现，请联系平台管理员。',
        }),
      )
    }
    const status = (error as { statusCode?: number }).statusCode
    if (status === 429) {
      return reply.page(
        429,
        ErrorPage({ ctx: pageContext(request), status: 429, message: '操作过于频繁，请稍后再试。' }),
      )
    }
    if (status && status >= 400 && status < 500) {
      return reply.page(
        status,
        ErrorPage({ ctx: pageContext(request), status, message: '请求无法处理，请检查后重试。' }),
      )
    }
    request.log.error({ err: error, reqId: request.id }, 'unexpected error')
    return reply.page(
      500,
      ErrorPage({
        ctx: pageContext(request),
        status: 500,
        message: '系统出现意外错误，我们已记录。',
        requestId: request.id,
      }),
    )
  })

  await registerRoutes(app)
  return app
}

/** Whether a parsed query, path or form holds a NUL character in any of its strings. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (depth > 4 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1))
  // A multipart field carries its text in `value`; files (streams, buffers) are not text.
  return Object.values(value as Record<string, unknown>).some((v) => holdsNul(v, depth + 1))
}

const setupPaths = new Set(['/setup', '/healthz'])

/** Every request passes here: first-run redirect, session, CSRF, then the policy table. */
async function gate(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const deps = app.deps
  const route = request.routeOptions.url
  if (!route) return // not found: the 404 handler answers
  if (route.startsWith('/assets/')) return
  if (!app.site.setUp && !setupPaths.has(route)) return reply.redirect('/setup')
  if (app.site.setUp && route === '/setup') return reply.callNotFound()

  const token = request.cookies[app.sessionCookie]
  const view = await resolveSession(deps, token, request.ip)
  request.sessionView = view
  if (view.state === 'full' || view.state === 'totp') request.csrfBinding = view.sessionId
  else if (token) {
    reply.clearCookie(app.sessionCookie, { path: '/' })
    // The session's binding is gone with it: the visitor's own, if any; a page showing a token makes one.
    const binding = request.cookies[anonCookie]
    request.csrfBinding = binding && binding.length <= 64 ? binding : ''
  }
  if (view.state === 'full') {
    request.staff = view.user
    request.actor = {
      id: view.user.id,
      name: `${view.user.displayName}（${view.user.username}）`,
      roles: view.user.roles,
      agencyId: view.user.agencyId,
      ip: request.ip,
    }
  }

  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const problem = csrfProblem(deps.keys.session, request, request.csrfBinding)
    if (problem) {
      await recordAudit(deps, request.actor, {
        action: 'csrf.reject',
        objectType: 'route',
        objectId: `${request.method} ${route}`,
        result: 'denied',
        detail: { reason: problem },
      })
      return reply.page(
        403,
        ErrorPage({
          ctx: pageContext(request),
          status: 403,
          message: '安全校验未通过（页面可能已过期）。请返回上一页，刷新后重试。',
        }),
      )
    }
  }

  const access = policy[policyKey(request.method, route)]
  if (access === undefined) return deny(app, request, reply, 'no_policy')
  if (access === 'public') return
  const user = request.staff
  // "Sign in first" is the only 302 to /login; handlers that send a signed-in user there use 303,
  // which lets the permission-matrix test tell a denial from a workflow step.
  if (!user) {
    if (view.state === 'expired') return reply.redirect('/login?expired=1')
    return reply.redirect('/login')
  }
  if (access === 'self') return
  if (user.mustChangePassword) return reply.redirect('/console/password')
  if (user.mustEnrolTotp) return reply.redirect('/console/totp')
  if (access === 'staff') return
  if (!user.roles.some((r) => access.includes(r))) return deny(app, request, reply, 'role')
}

async function deny(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, reason: string) {
  await recordAudit(app.deps, request.actor, {
    action: 'permission.deny',
    objectType: 'route',
    objectId: `${request.method} ${request.routeOptions.url ?? request.url}`,
    result: 'denied',
    detail: { reason },
  })
  return reply.page(
    403,
    ErrorPage({
      ctx: pageContext(request),
      status: 403,
      message: '您没有执行此操作的权限。如需权限，请联系安全管理员。',
    }),
  )
}

/** The headers helmet sets with these options, read off its middleware once. */
function helmetHeaders(options: HelmetOptions): [string, string][] {
  const headers = new Map<string, string>()
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
    getHeader: () => undefined,
  }
  let failed: unknown
  helmet(options)({} as never, response as never, (err?: unknown) => (failed = err))
  if (failed) throw failed instanceof Error ? failed : new Error(String(failed))
  return [...headers]
}
