import { describe, expect, test } from 'vitest'
import { adminRoles, roles } from '../src/accounts/roles.ts'
import type { Role } from '../src/accounts/roles.ts'
import { policy } from '../src/web/policy.ts'
import type { Access } from '../src/web/policy.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import type { Browserless } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// AC-01: the declared policy is checked against real requests for every route and every role, and
// the routes come from the router itself, so a route added without a policy entry fails here.

const entries = Object.entries(policy) as [string, Access][]
const allowedRoles = (access: Access): readonly Role[] =>
  access === 'public' || access === 'staff' || access === 'self' ? roles : access

describe('the policy table follows the role rules of issue #2', () => {
  test('administrator routes belong to exactly one administrator role and to no business role', () => {
    for (const [route, access] of entries) {
      if (typeof access === 'string') continue
      const admins = access.filter((r) => (adminRoles as readonly Role[]).includes(r))
      if (admins.length > 0) expect(access, route).toHaveLength(1)
    }
  })

  test('the 审计管理员 and the 监督人 can only read', () => {
    for (const [route, access] of entries) {
      if (typeof access === 'string') continue
      if (access.includes('auditadmin') || access.includes('supervisor'))
        expect(route.startsWith('GET '), route).toBe(true)
    }
  })

  test('the 审计管理员 reaches nothing but the audit log and their own credentials', () => {
    for (const [route, access] of entries) {
      if (typeof access === 'string') continue
      if (access.includes('auditadmin')) expect(route, route).toMatch(/^GET \/console\/audit/)
    }
  })

  test("accounts are the 系统管理员's; roles, locks and the security policy the 安全管理员's", () => {
    for (const [route, access] of entries) {
      if (route.includes('/console/accounts')) expect(access).toEqual(['sysadmin'])
      if (route.includes('/console/security')) expect(access).toEqual(['secadmin'])
    }
  })
})

type Who = Role | 'anonymous'

describe.each(databaseKinds)('every route × every role on %s', (kind) => {
  test('real requests are allowed or denied exactly as the policy says', async () => {
    const t = await testApp(kind)
    try {
      const listed = [...t.app.routeKeys].sort()
      expect(
        listed.filter((r) => !(r in policy)),
        'routes without a policy entry',
      ).toEqual([])
      expect(
        Object.keys(policy).filter((r) => !listed.includes(r)),
        'policy entries without a route',
      ).toEqual([])

      const victim = await buildStaff(t.deps, { roles: ['drafter'] })
      const sessions = new Map<Who, Browserless | undefined>([['anonymous', undefined]])
      for (const role of roles) sessions.set(role, await signIn(t.app, await buildStaff(t.deps, { roles: [role] })))

      const concrete = (route: string) =>
        route
          .replace('/:id/units', `/${t.officeId}/units`)
          .replace('/agencies/:id', `/agencies/${t.officeId}`)
          .replace(':id', String(victim.id))
          .replace(':kind', 'json')
          .replace(':attachmentId', '1')
          .replace('*', 'site.css')
      // Logging out ends the session, so it goes last.
      const order = listed.filter((r) => r !== 'POST /logout').concat('POST /logout')
      const failures: string[] = []
      for (const [who, session] of sessions) {
        for (const key of order) {
          const [method, route] = key.split(' ') as [string, string]
          const res = await t.app.inject({
            method: method as 'GET' | 'POST',
            url: concrete(route),
            headers: {
              ...(session ? { cookie: session.cookie } : {}),
              ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            },
            ...(method === 'POST' ? { payload: form({ _csrf: session?.csrf ?? 'none' }) } : {}),
          })
          const access = policy[key]!
          const denied =
            res.statusCode === 403 ||
            (res.statusCode === 302 &&
              (res.headers.location === '/login' || res.headers.location === '/login?expired=1'))
          let expectDenied: boolean
          if (route === '/setup') {
            if (res.statusCode !== 404) failures.push(`${who} ${key}: expected 404 after setup, got ${res.statusCode}`)
            continue
          }
          if (access === 'public') expectDenied = false
          else if (who === 'anonymous') expectDenied = true
          else expectDenied = !allowedRoles(access).includes(who)
          // Anonymous POSTs to public forms fail CSRF (no token of theirs): that is a denial of the request, not of the route.
          if (who === 'anonymous' && method === 'POST' && access === 'public') continue
          if (denied !== expectDenied)
            failures.push(
              `${who} ${key}: ${expectDenied ? 'should be denied' : 'should be allowed'}, got ${res.statusCode} ${res.headers.location ?? ''}`,
            )
        }
      }
      expect(failures).toEqual([])
    } finally {
      await t.close()
    }
  }, 180_000)
})
