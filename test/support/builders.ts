import type { Insertable } from 'kysely'
import { hash } from '@node-rs/argon2'
import type { FastifyInstance } from 'fastify'
import { createAccount } from '../../src/accounts/account.service.ts'
import { updateUser } from '../../src/accounts/account.store.ts'
import { sessionIdOf } from '../../src/accounts/login.service.ts'
import { isAdminRole } from '../../src/accounts/roles.ts'
import type { Role } from '../../src/accounts/roles.ts'
import { hotp, newTotpSecret, stepOf } from '../../src/accounts/totp.ts'
import { findRegion, listAgencies } from '../../src/agencies/agency.store.ts'
import { systemActor } from '../../src/audit/audit.ts'
import type { Deps } from '../../src/deps.ts'
import type { ItemTable } from '../../src/storage/database.ts'
import { performSetup } from '../../src/setup/setup.service.ts'
import { csrfTokenFor } from '../../src/web/csrf.ts'

export const officeCreditCode = '11500231MB15204609'

/** The region of the reference case: a county with its government office. */
export async function setUpRegion(deps: Deps) {
  if (!(await findRegion(deps.db))) {
    await performSetup(
      deps,
      {
        regionName: '重庆市垫江县',
        officeName: '垫江县人民政府办公室',
        officeCreditCode,
        officeLevel: '县级',
        adminUsername: 'sysadmin0',
        adminName: '系统管理员甲',
      },
      '127.0.0.1',
    )
  }
  const [office] = await listAgencies(deps.db)
  return { officeId: office!.id }
}

export type StaffAccount = { id: number; username: string; password: string; totpSecret?: string | undefined }

let counter = 0
export const strongPassword = 'Gongkai-Staff#2026'

/**
 * An account with a password already chosen by its owner (not temporary) and, when given, TOTP
 * enrolled: the state staff are in on an ordinary working day.
 */
export async function buildStaff(
  deps: Deps,
  opts: { roles: Role[]; reviewLevel?: number; agencyId?: number; totp?: boolean },
): Promise<StaffAccount> {
  const { officeId } = await setUpRegion(deps)
  counter += 1
  const username = `${opts.roles[0] ?? 'staff'}${counter}`.replace(/_/g, '')
  const grants = opts.roles.map((role) => ({ role, reviewLevel: role === 'reviewer' ? (opts.reviewLevel ?? 1) : null }))
  const { id } = await createAccount(
    deps,
    systemActor(),
    { agencyId: opts.agencyId ?? officeId, username, displayName: `测试${counter}`, roles: grants },
    'operator',
  )
  const totp = opts.totp ?? opts.roles.some(isAdminRole)
  const totpSecret = totp ? newTotpSecret() : undefined
  await updateUser(deps.db, id, {
    password_hash: await hash(strongPassword),
    password_temporary: 0,
    temporary_expires_at: null,
    password_set_at: deps.clock.now().toISOString(),
    ...(totpSecret ? { totp_secret: deps.fields.encrypt(totpSecret, `users:${id}:totp_secret`), totp_enabled: 1 } : {}),
  })
  return { id, username, password: strongPassword, totpSecret }
}

/** The code an authenticator would show now (offset in 30-second steps). */
export const currentCode = (deps: Deps, secret: string, offset = 0) => hotp(secret, stepOf(deps.clock.now()) + offset)

export type Browserless = { cookie: string; csrf: string }

/** Signs in through the real routes (password, then TOTP when enrolled) and returns the session cookie. */
export async function signIn(app: FastifyInstance, account: StaffAccount): Promise<Browserless> {
  const anon = await anonymousSession(app)
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: anon.csrf,
      username: account.username,
      password: account.password,
    }).toString(),
  })
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode} ${res.body.slice(0, 300)}`)
  let cookie = sessionCookieFrom(app, res.headers['set-cookie'])
  if (res.headers.location === '/login/totp') {
    const csrf = csrfTokenFor(app.deps.keys.session, sessionIdOf(cookie.split('=')[1]!))
    const code = currentCode(app.deps, account.totpSecret!)
    const r2 = await app.inject({
      method: 'POST',
      url: '/login/totp',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, code }).toString(),
    })
    if (r2.statusCode !== 303) throw new Error(`totp failed: ${r2.statusCode}`)
    cookie = sessionCookieFrom(app, r2.headers['set-cookie'])
  }
  return { cookie, csrf: csrfTokenFor(app.deps.keys.session, sessionIdOf(cookie.split('=')[1]!)) }
}

/** A visitor's CSRF cookie and token, as a browser gets them from the sign-in form (or, before set-up, the set-up form). */
export async function anonymousSession(app: FastifyInstance): Promise<Browserless> {
  let res = await app.inject({ method: 'GET', url: '/login' })
  // Only a page that shows a form sets the cookie; before set-up /login leads to /setup.
  if (res.headers.location === '/setup') res = await app.inject({ method: 'GET', url: '/setup' })
  const raw = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('gk_csrf='))
  if (!raw) throw new Error('no csrf cookie')
  const value = raw.split(';')[0]!
  return { cookie: value, csrf: csrfTokenFor(app.deps.keys.session, value.split('=')[1]!) }
}

function sessionCookieFrom(app: FastifyInstance, header: string | string[] | undefined): string {
  const raw = [header ?? []].flat().find((c) => c.startsWith(`${app.sessionCookie}=`))
  if (!raw) throw new Error('no session cookie')
  return raw.split(';')[0]!
}

export const form = (values: Record<string, string | string[]>) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) p.append(k, one)
  return p.toString()
}

/**
 * A published item's row for inserting straight into `items` (search and ranking tests that need hundreds of them):
 * the fields given, every optional one empty.
 */
export function publishedItemRow(
  fields: Pick<Insertable<ItemTable>, 'agency_id' | 'column_id' | 'index_number' | 'title' | 'body' | 'published_at'> &
    Partial<Insertable<ItemTable>>,
): Insertable<ItemTable> {
  return {
    doc_number: null,
    keywords: null,
    summary: null,
    formed_on: '2026-01-01',
    written_on: null,
    topic: null,
    genre: null,
    doc_kind: null,
    validity: 'valid',
    effective_on: null,
    repealed_on: null,
    lapsed_on: null,
    status: 'published',
    findings: null,
    withdrawn_reason: null,
    created_by: null,
    created_at: 'x',
    updated_at: 'x',
    published_by: null,
    ...fields,
  }
}
