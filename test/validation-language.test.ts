import { describe, expect, test } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { sessionIdOf } from '../src/accounts/login.service.ts'
import { csrfTokenFor } from '../src/web/csrf.ts'
import '../src/validation-messages.ts'
import { roles } from '../src/accounts/roles.ts'
import type { Role } from '../src/accounts/roles.ts'
import { policy } from '../src/web/policy.ts'
import type { Access } from '../src/web/policy.ts'
import { buildApplication } from './support/build-application.ts'
import { buildItem } from './support/build-item.ts'
import { anonymousSession, buildStaff, form, signIn } from './support/builders.ts'
import type { Browserless, StaffAccount } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// Users see only Chinese (issue #11): every form route, posted empty and posted garbage by a role
// allowed to use it, answers without an English validation text. The routes come from the policy
// table, so a new form is covered as soon as it is declared; the field names come from the pages.

const english = /Invalid|expected|Required|must be|too (small|big)|received/
const steps = [
  'correction',
  'correction-received',
  'no-correction',
  'consultation',
  'consultation-reply',
  'extension',
  'fee',
  'fee-receipt',
  'fee-paid',
  'no-fee',
  'reasons',
  'delay',
  'decide',
  'deliver',
  'withdraw',
]
const uploads = /\/(files|attachments|import|upload)$/
// The office head, where allowed, may also see an application's personal data and letters.
const roleFor = (access: Access): Role | 'anonymous' =>
  access === 'public'
    ? 'anonymous'
    : access === 'staff' || access === 'self'
      ? 'drafter'
      : access.includes('office_head')
        ? 'office_head'
        : access[0]!

describe('the Chinese error map', () => {
  const messages = (schema: z.ZodType, input: unknown) =>
    (schema.safeParse(input).error?.issues ?? []).map((i) => i.message)

  test("a field's own Chinese message still wins over the map", () => {
    expect(messages(z.string({ error: '请填写申请编号' }), undefined)).toEqual(['请填写申请编号'])
    expect(messages(z.string().max(4, '不超过 4 位'), '12345')).toEqual(['不超过 4 位'])
  })

  test('a field without its own message is answered in Chinese, never in English', () => {
    const form = z.object({
      name: z.string(),
      count: z.coerce.number().int().positive().max(10),
      kind: z.enum(['a', 'b']),
      email: z.email(),
      note: z.string().max(3),
    })
    expect(messages(form, {})).toEqual(['请填写此项', '请填写数字', '请选择此项', '请填写此项', '请填写此项'])
    expect(messages(form, { name: 'x', count: 'x', kind: 'c', email: 'x', note: 'abcd' })).toEqual([
      '请填写数字',
      '请从列出的选项中选择',
      '电子邮箱格式不正确',
      '不超过 3 个字',
    ])
    expect(messages(form.shape.count, '0')).toEqual(['应大于 0'])
    expect(messages(form.shape.count, '11')).toEqual(['不能大于 10'])
  })
})

/** A session past the password and waiting for the TOTP code, where the TOTP form is reached. */
async function halfSignedIn(app: FastifyInstance, account: StaffAccount): Promise<Browserless> {
  const anon = await anonymousSession(app)
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ _csrf: anon.csrf, username: account.username, password: account.password }),
  })
  expect(res.headers.location).toBe('/login/totp')
  const raw = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith(`${app.sessionCookie}=`))!
  const cookie = raw.split(';')[0]!
  return { cookie, csrf: csrfTokenFor(app.deps.keys.session, sessionIdOf(cookie.split('=')[1]!)) }
}

describe.each(databaseKinds)('validation messages on %s', (kind) => {
  test('no form answers empty or garbage input with an English validation text', async () => {
    const t = await testApp(kind)
    try {
      const sessions = new Map<Role | 'anonymous', Browserless>([['anonymous', await anonymousSession(t.app)]])
      for (const role of roles) sessions.set(role, await signIn(t.app, await buildStaff(t.deps, { roles: [role] })))
      const victim = await buildStaff(t.deps, { roles: ['drafter'] })
      const totpUser = await buildStaff(t.deps, { roles: ['drafter'], totp: true })
      const item = await buildItem(t.deps, { until: 'draft' })
      const application = await buildApplication(t.deps)
      const drafter = sessions.get('drafter')!
      const computed = await t.app.inject({
        method: 'POST',
        url: '/console/reports',
        headers: { cookie: drafter.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: drafter.csrf, year: '2025' }),
      })
      const reportId = /\/console\/reports\/(\d+)/.exec(String(computed.headers.location))?.[1]
      expect(reportId, 'a report to post to').toBeDefined()

      const concrete = (route: string): string[] => {
        const url = route
          .replace('/agencies/:id', `/agencies/${t.officeId}`)
          .replace('/accounts/:id', `/accounts/${victim.id}`)
          .replace('/items/:id', `/items/${item.id}`)
          .replace('/columns/:id', `/columns/${item.columnId}`)
          .replace('/reports/:id', `/reports/${reportId}`)
          .replace('/applications/:id', `/applications/${application.id}`)
          .replace('/activities/:kind', '/activities/powers')
          .replace(/:\w+/g, '1')
          .replace('*', 'site.css')
        return route.endsWith('/:action') ? steps.map((s) => url.replace(/\/1$/, `/${s}`)) : [url]
      }
      const entries = Object.entries(policy) as [string, Access][]
      const headers = (s: Browserless, type?: string) => ({
        cookie: s.cookie,
        ...(type ? { 'content-type': type } : {}),
      })

      // Every field name any page shows, each to be filled with garbage.
      const names = new Set<string>()
      for (const [key, access] of entries) {
        const [method, route] = key.split(' ') as [string, string]
        if (method !== 'GET' || route.includes('download') || route.includes('export')) continue
        for (const url of concrete(route)) {
          const page = await t.app.inject({ url, headers: headers(sessions.get(roleFor(access))!) })
          for (const m of page.body.matchAll(/name="([\w.-]+)"/g)) if (m[1] !== '_csrf') names.add(m[1]!)
        }
      }
      expect(names.size).toBeGreaterThan(50)
      const fill = (value: string) => Object.fromEntries([...names].map((n) => [n, value]))
      const payloads: Record<string, string>[] = [
        {},
        fill('x'),
        fill('-1'),
        fill('9'.repeat(30)),
        fill('字'.repeat(3000)),
      ]
      const payloadNames = ['empty', 'x', '-1', '9…9', '字×3000']

      const inEnglish: string[] = []
      const unreached: string[] = []
      // Logging out ends the session, so it goes last.
      const posts = entries.filter(([k]) => k.startsWith('POST ') && k !== 'POST /logout' && k !== 'POST /setup')
      for (const [key, access] of [...posts, ['POST /logout', policy['POST /logout']!] as [string, Access]]) {
        const route = key.slice(5)
        const s = key === 'POST /login/totp' ? await halfSignedIn(t.app, totpUser) : sessions.get(roleFor(access))!
        for (const url of concrete(route)) {
          let reached = key === 'POST /logout'
          for (const fields of payloads) {
            const body = uploads.test(route)
              ? multipart({ _csrf: s.csrf, ...fields })
              : { payload: form({ _csrf: s.csrf, ...fields }), contentType: 'application/x-www-form-urlencoded' }
            const res = await t.app.inject({
              method: 'POST',
              url,
              headers: headers(s, body.contentType),
              payload: body.payload,
            })
            // A form is checked only if a request reached it: not denied, no expired session (a
            // well-formed garbage payload may still be refused by the use case, as clear-findings does).
            if (res.statusCode !== 403 && !res.headers.location?.startsWith('/login')) reached = true
            // The text a user reads: tags and their attributes (form actions, option values) removed.
            const text = res.body.replace(/<[^>]*>/g, ' ')
            const found = english.exec(text)
            if (found)
              inEnglish.push(
                `${url} ${payloadNames[payloads.indexOf(fields)]}: …${text.slice(Math.max(0, found.index - 40), found.index + 60)}…`,
              )
          }
          if (!reached) unreached.push(url)
        }
      }
      expect(unreached).toEqual([])
      expect(inEnglish).toEqual([])
    } finally {
      await t.close()
    }
  }, 240_000)
})
