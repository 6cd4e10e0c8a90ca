import type { FastifyRequest } from 'fastify'
import type { VNode } from 'preact'
import type { SessionView } from '../accounts/login.service.ts'
import type { Actor } from '../audit/audit.ts'
import type { Deps } from '../deps.ts'
import type { StaffUser } from '../accounts/account.ts'
import type { StaffActor } from '../audit/audit.ts'
import { AppError } from '../errors.ts'
import type { ErrorCode } from '../errors.ts'
import { csrfTokenFor, newAnonBinding } from './csrf.ts'
import type { PageContext } from './layout.tsx'
import type { SiteFooter } from '../portal/site-settings.ts'

// What every route needs of the request it answers: the page context, the signed-in staff member,
// and the mapping of domain errors to HTTP. Routes import this module, never `web/app.ts`, so that
// `web/` (which registers the routes) and the feature modules do not import each other.

declare module 'fastify' {
  interface FastifyRequest {
    sessionView: SessionView
    /** What this request's CSRF token is bound to: the session, the visitor's gk_csrf cookie, or '' (none yet). */
    csrfBinding: string
    /** A binding made for this request, whose gk_csrf cookie reply.page must set (a page showed its token). */
    csrfCookieDue: boolean
    staff: StaffUser | undefined
    actor: Actor
    /** The public site's footer settings, read before a public page renders (portal/site-settings.routes.tsx). */
    siteFooter?: SiteFooter | undefined
  }
  interface FastifyReply {
    page(status: number, page: VNode): FastifyReply
  }
  interface FastifyInstance {
    deps: Deps
    site: SiteState
    routeKeys: Set<string>
    sessionCookie: string
    setSessionCookie(reply: FastifyReply, token: string): void
  }
}

/** What the pages need to know about the installation, read at start and refreshed after setup. */
export type SiteState = { setUp: boolean; regionName: string | undefined }

// The one place that knows HTTP statuses; a new error code must be mapped here (STYLE.md §5).
export const statusOf: Record<ErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  invalid_input: 422,
  invalid_transition: 409,
  conflict: 409,
  deadline_passed: 409,
  busy: 503,
}

/** The page context of a request: its CSRF token, who is signed in, the region's name and the route. */
export function pageContext(request: FastifyRequest): PageContext {
  const app = request.server
  return {
    // Made when a page shows it: a visitor without a binding gets one (and its cookie) only from a page with a form,
    // so that public pages go out without a Set-Cookie that would keep them from every shared cache (issue #15).
    get csrf() {
      if (!request.csrfBinding) {
        request.csrfBinding = newAnonBinding()
        request.csrfCookieDue = true
      }
      return csrfTokenFor(app.deps.keys.session, request.csrfBinding)
    },
    user: request.staff,
    regionName: app.site.regionName,
    path: request.routeOptions.url ?? request.url,
    footer: request.siteFooter,
  }
}

/**
 * The signed-in staff member. The policy table lets only signed-in staff reach console routes, so a
 * missing user here is a route registered without a policy: refuse rather than guess.
 */
export function requireStaff(request: FastifyRequest): StaffUser {
  if (!request.staff) throw new AppError('forbidden', '请先登录。')
  return request.staff
}

/** The signed-in staff member as the actor of a use case (audit identity plus agency). */
export function staffActor(request: FastifyRequest): StaffActor {
  const user = requireStaff(request)
  return { ...request.actor, id: user.id, agencyId: user.agencyId }
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: AppError }

/**
 * Runs a use case and hands back its invalid-input refusal instead of throwing it, so a route can
 * show the form again with 422 and the input kept; every other error propagates. A form that shows
 * other refusals too (a conflict named on a field) says which with `refused`.
 */
export async function attempt<T>(
  run: () => Promise<T>,
  refused: (error: AppError) => boolean = (error) => error.code === 'invalid_input',
): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    if (error instanceof AppError && refused(error)) return { ok: false, error }
    throw error
  }
}

/** Any refusal but "not found": the page shows it; a missing object still answers 404. */
export const shownOnPage = (error: AppError): boolean => error.code !== 'not_found'

/** A refusal that names the fields at fault, whatever its code: the form can show it. */
export const namesFields = (error: AppError): boolean => Object.keys(error.fields).length > 0
