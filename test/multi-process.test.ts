import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sessionIdOf } from '../src/accounts/login.service.ts'
import { solveChallenge } from '../src/applications/proof-of-work.ts'
import { loadConfig } from '../src/config.ts'
import type { Deps } from '../src/deps.ts'
import { schedulePublication } from '../src/disclosures/disclosure.service.ts'
import { createDeps } from '../src/main.ts'
import { csrfTokenFor } from '../src/web/csrf.ts'
import { cacheFreshnessMs } from '../src/web/page-cache.ts'
import { buildActor, buildItem } from './support/build-item.ts'
import { buildStaff, form, setUpRegion } from './support/builders.ts'
import type { StaffAccount } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { createPostgresDatabase } from './support/test-deps.ts'

// Several processes on one PostgreSQL database behave as one (issue #14): three `gongkai serve`
// processes, as behind a reverse proxy (TRUST_PROXY=true, the client's address in X-Forwarded-For),
// share the login throttle, spent proof-of-work challenges, failed-login counts, job leases, the
// scheduled publication and the render cache's invalidation. The test process prepares the data
// through the same database (it holds the same keys, from the shared DATA_DIR).

const url = process.env.TEST_DATABASE_URL
const bin = fileURLToPath(new URL('../bin/gongkai.mjs', import.meta.url))
const unknownUserWords = '用户名或密码错误。连续多次失败后账号将暂时锁定'

type Server = { name: string; origin: string; port: number; child: ChildProcess }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(what: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await what()) return true
    await sleep(50)
  }
  return what()
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

async function startServer(name: string, env: Record<string, string>, port?: number): Promise<Server> {
  const p = port ?? (await freePort())
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(p), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  })
  const origin = `http://127.0.0.1:${p}`
  const up = await until(
    () =>
      fetch(`${origin}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    60_000, // three processes starting at once on a busy test machine
  )
  if (!up) {
    child.kill('SIGKILL')
    throw new Error(`process ${name} did not start`)
  }
  return { name, origin, port: p, child }
}

const stopServer = (s: Server) =>
  new Promise<void>((resolve) => {
    if (s.child.exitCode !== null) return resolve()
    s.child.once('exit', () => resolve())
    s.child.kill('SIGTERM')
  })

const cookiesOf = (res: Response) => (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]!)
const hidden = (html: string, field: string) => new RegExp(`name="${field}" value="([^"]*)"`).exec(html)?.[1] ?? ''

describe.skipIf(!url)('three server processes on one PostgreSQL database (needs TEST_DATABASE_URL)', () => {
  let deps: Deps
  let drop: () => Promise<void>
  let dataDir: string
  let env: Record<string, string>
  let servers: Server[] = []
  let officeId = 0
  let scheduledItem = 0

  /** An anonymous visitor of one process, coming through the proxy from `address`. */
  async function visitor(server: Server, address: string) {
    const page = await fetch(`${server.origin}/login`, { headers: { 'x-forwarded-for': address } })
    return { cookie: cookiesOf(page).join('; '), csrf: hidden(await page.text(), '_csrf') }
  }

  async function postLogin(server: Server, address: string, username: string, password: string) {
    const v = await visitor(server, address)
    return fetch(`${server.origin}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: v.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': address,
      },
      body: form({ _csrf: v.csrf, username, password }),
    })
  }

  /** Signs a staff member in on one process: the session cookie and its CSRF token. */
  async function signInOn(server: Server, account: StaffAccount, address: string) {
    const res = await postLogin(server, address, account.username, account.password)
    expect(res.status).toBe(303)
    const cookie = cookiesOf(res).find((c) => c.startsWith('gk_session='))!
    return { cookie, csrf: csrfTokenFor(deps.keys.session, sessionIdOf(cookie.split('=')[1]!)) }
  }

  beforeAll(async () => {
    const db = await createPostgresDatabase()
    drop = db.drop
    dataDir = mkdtempSync(path.join(tmpdir(), 'gongkai-multi-'))
    env = { DATA_DIR: dataDir, DATABASE_URL: db.url, LOG_LEVEL: 'silent', TRUST_PROXY: 'true' }
    // The system clock, as the servers have: leases and scheduled times are compared across processes.
    deps = await createDeps({ config: loadConfig(env), migrate: true })
    officeId = (await setUpRegion(deps)).officeId
    // Due a moment from now: by the time the processes are up, every one of them tries to publish it.
    const item = await buildItem(deps, { title: '关于定时发布的测试公告', until: 'approved' })
    scheduledItem = item.id
    const due = Date.now() + 1000
    await schedulePublication(deps, await buildActor(deps, ['publisher']), item.id, new Date(due).toISOString())
    await sleep(Math.max(0, due - Date.now()))
    servers = await Promise.all(['A', 'B', 'C'].map((name) => startServer(name, env)))
  }, 120_000)

  afterAll(async () => {
    await Promise.all(servers.map(stopServer))
    await deps?.db.destroy()
    await drop?.()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  test('a scheduled item is published exactly once, though every process tries', async () => {
    const published = await until(async () => {
      const row = await deps.db.selectFrom('items').select('status').where('id', '=', scheduledItem).executeTakeFirst()
      return row?.status === 'published'
    }, 10_000)
    expect(published).toBe(true)
    await sleep(500) // the other processes' rounds end
    const entries = await deps.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'item.publish')
      .where('object_id', '=', String(scheduledItem))
      .execute()
    expect(entries).toHaveLength(1)
  })

  test('logins spread over A, B and C from one address are throttled as one: 20 a minute, then refused everywhere', async () => {
    const address = '203.0.113.20'
    // The limit counts in fixed one-minute windows: start in a fresh one, so all attempts fall in it.
    if (Date.now() % 60_000 > 45_000) await sleep(60_000 - (Date.now() % 60_000) + 50)
    for (let i = 0; i < 20; i++) {
      const res = await postLogin(servers[i % 3]!, address, `nobody${i}`, 'Wrong-Password-1')
      expect(res.status, `attempt ${i + 1} on ${servers[i % 3]!.name}`).toBe(422)
    }
    for (const s of servers) expect((await postLogin(s, address, 'nobody', 'Wrong-Password-1')).status).toBe(429)
    // The refused requests are counted in one row; the audit log holds one entry for the address.
    expect(
      await until(async () => {
        const row = await deps.db
          .selectFrom('rate_limit_blocks')
          .select('blocked')
          .where('address', '=', address)
          .executeTakeFirst()
        return Number(row?.blocked ?? 0) === 3
      }, 5000),
    ).toBe(true)
    const audit = await deps.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'rate_limit.block')
      .where('source_ip', '=', address)
      .execute()
    expect(audit).toHaveLength(1)
  })

  test('a proof-of-work challenge spent on A is refused on B', async () => {
    const [a, b] = servers as [Server, Server]
    const address = '198.51.100.30'
    const page = await fetch(`${a.origin}/agencies/${officeId}/apply`, { headers: { 'x-forwarded-for': address } })
    const cookie = cookiesOf(page).join('; ')
    const html = await page.text()
    const challenge = hidden(html, 'powChallenge')
    const fields = {
      _csrf: hidden(html, '_csrf'),
      category: 'natural',
      name: '李明华',
      idType: 'resident_id',
      idNumber: '11010519491231002X',
      phone: '13912345678',
      address: '重庆市垫江县桂溪街道新华路 18 号',
      infoDescription: '2025年桂溪街道老旧小区改造项目的资金使用明细',
      wantedForm: 'electronic',
      deliveryWay: 'online',
      powChallenge: challenge,
      powNonce: solveChallenge(challenge),
    }
    const submit = (s: Server, idem: string) =>
      fetch(`${s.origin}/agencies/${officeId}/apply`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
        body: form({ ...fields, idem }),
      })
    expect((await submit(a, 'multi-process-first-0001')).status).toBe(200)
    const again = await submit(b, 'multi-process-again-0002')
    expect(again.status).toBe(422)
    expect(await again.text()).toContain('安全校验未通过或已过期')
  })

  test("wrong passwords sent at once to A, B and C lock the account; the lock does not end the owner's session and reads like an unknown user", async () => {
    const owner = await buildStaff(deps, { roles: ['drafter'] })
    const [a, b, c] = servers as [Server, Server, Server]
    const session = await signInOn(b, owner, '10.20.0.1')
    // Each guess from its own address, so that the address throttle is not what stops them.
    const guesses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => postLogin(servers[i % 3]!, `192.0.2.${100 + i}`, owner.username, 'Wrong-1a')),
    )
    expect(guesses.map((r) => r.status)).toEqual([422, 422, 422, 422, 422, 422])
    const user = await deps.db
      .selectFrom('users')
      .select('locked_until')
      .where('id', '=', owner.id)
      .executeTakeFirstOrThrow()
    expect(user.locked_until).not.toBeNull()
    // Even the right password is refused now, in the words an unknown user gets.
    const locked = await postLogin(c, '10.20.0.2', owner.username, owner.password)
    const unknown = await postLogin(a, '10.20.0.3', 'no-such-user', owner.password)
    expect(locked.status).toBe(422)
    const [lockedText, unknownText] = [await locked.text(), await unknown.text()]
    expect(lockedText).toContain(unknownUserWords)
    expect(unknownText).toContain(unknownUserWords)
    expect(lockedText).not.toContain('已锁定')
    // The owner's session on B goes on.
    const consolePage = await fetch(`${b.origin}/console`, { headers: { cookie: session.cookie }, redirect: 'manual' })
    expect(consolePage.status).toBe(200)
  })

  test('restarting C leaves a job A is running (its lease renewed) alone and marks one whose lease ran out', async () => {
    const [a, , c] = servers as [Server, Server, Server]
    const head = await buildStaff(deps, { roles: ['office_head'] })
    const session = await signInOn(a, head, '10.30.0.1')
    // A job whose process ended: running, its lease past.
    const lapsed = await deps.db
      .insertInto('jobs')
      .values({
        agency_id: officeId,
        kind: 'activities.import',
        label: '进程已结束的导入',
        status: 'running',
        done: 0,
        total: 300,
        message: null,
        created_by: null,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        lease_until: new Date(Date.now() - 60_000).toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // The import on A waits on a lock this test holds, so that it is still running when C restarts.
    let jobId = 0
    const locker = new pg.Client({ connectionString: env.DATABASE_URL })
    await locker.connect()
    try {
      await locker.query('begin')
      await locker.query('lock table activity_decisions in access exclusive mode')
      const csv = [
        '类别,决定日期,事项,件数',
        ...Array.from(
          { length: 240 },
          (_, n) => `行政处罚,2025-03-${String(1 + (n % 28)).padStart(2, '0')},处罚决定${n + 1},1`,
        ),
      ].join('\n')
      const m = multipart({ _csrf: session.csrf }, { name: '决定.csv', content: Buffer.from(csv) })
      const started = await fetch(`${a.origin}/console/activities/decisions/import`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: session.cookie, 'content-type': m.contentType },
        body: m.payload,
      })
      expect(started.status).toBe(303)
      jobId = Number(/\/console\/jobs\/(\d+)$/.exec(started.headers.get('location') ?? '')?.[1])
      const leaseOf = async () =>
        (await deps.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()).lease_until
      const firstLease = await leaseOf()

      await stopServer(c)
      servers[2] = await startServer('C', env, c.port)
      const job = await deps.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
      expect(job.status).toBe('running')
      const old = await deps.db.selectFrom('jobs').selectAll().where('id', '=', lapsed.id).executeTakeFirstOrThrow()
      expect(old.status).toBe('interrupted')
      // A's heartbeat renews the lease while the job waits.
      expect(await until(async () => (await leaseOf())! > firstLease!, 8000)).toBe(true)
    } finally {
      await locker.query('commit').catch(() => undefined)
      await locker.end()
    }
    const finished = await until(async () => {
      const row = await deps.db.selectFrom('jobs').select('status').where('id', '=', jobId).executeTakeFirst()
      return row?.status === 'done'
    }, 10_000)
    expect(finished).toBe(true)
  })

  test("a publication on A shows on B's cached page within the documented second", async () => {
    const [a, b] = servers as [Server, Server]
    const title = '关于调整办事大厅服务时间的通知'
    const item = await buildItem(deps, { title, until: 'approved' })
    const publisher = await buildStaff(deps, { roles: ['publisher'] })
    const session = await signInOn(a, publisher, '10.40.0.1')
    const page = `${b.origin}/columns/${item.columnId}`
    await fetch(page)
    const cached = await fetch(page)
    expect(cached.headers.get('x-cache'), 'B serves the column page from its cache').toBe('hit')
    expect(await cached.text()).not.toContain(title)

    const res = await fetch(`${a.origin}/console/items/${item.id}/publish`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ _csrf: session.csrf }),
    })
    expect(res.status).toBe(303)
    // Each process reads the site generation at most once a second (web/page-cache.ts); the margin
    // is for a busy test machine.
    expect(await until(async () => (await (await fetch(page)).text()).includes(title), cacheFreshnessMs + 800)).toBe(
      true,
    )
  })
})
