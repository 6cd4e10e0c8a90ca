// Disclosure on request under load (npm run bench -- requests [--seconds N] [--clients N] [--kills N] [--profile]
//   [--engine sqlite|postgresql]):
//   1. durable submissions per second through the public form, with concurrent clients on loopback,
//      against the real server in its own process, as a ratio to the raw append+fsync rate of the
//      same disk measured in the same run (goal ≥ 0.15×). Proof of work and per-address limits are
//      switched off for these loopback clients (APPLY_PROOF_OF_WORK=off); durability, encryption
//      and the audit log are not.
//   2. a crash test: the server is killed with SIGKILL while submissions are in flight, again and
//      again; after each restart the clients retry what was not acknowledged (same idempotency
//      key). At the end every acknowledged application is present, and none twice.
// Both on SQLite and on a scratch PostgreSQL database. With --profile the server runs the throughput
// part under node --cpu-prof, and the functions that took the most CPU are printed (profile kept).
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import Database from 'better-sqlite3'
import { onBothDatabases } from './support/both-databases.ts'
import { summariseCpuProfile } from './support/cpu-profile.ts'
import { ensureWrk, wrkPostForm } from './support/wrk.ts'

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const seconds = Number(arg('seconds') ?? process.env.BENCH_SECONDS ?? 10)
const clients = Number(arg('clients') ?? 16)
const kills = Number(arg('kills') ?? 100)
const profile = process.argv.includes('--profile')
const engine = arg('engine')?.toLowerCase()
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'gongkai.mjs')

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Appends 1 KB and fsyncs, for `ms`: the disk's durable-write rate that every commit is bounded by. */
function fsyncRate(dir: string, ms = 3000): number {
  const file = path.join(dir, `fsync-probe-${process.pid}`)
  const fd = openSync(file, 'a')
  const block = Buffer.alloc(1024, 1)
  let n = 0
  const end = Date.now() + ms
  try {
    while (Date.now() < end) {
      writeSync(fd, block)
      fsyncSync(fd)
      n++
    }
  } finally {
    closeSync(fd)
    rmSync(file, { force: true })
  }
  return n / (ms / 1000)
}

/** User + system CPU seconds a process has used so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN
  }
}

type Server = { child: ChildProcess; base: string }

async function startServer(env: Record<string, string>, port: number, nodeArgs: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [...nodeArgs, bin, 'serve'], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      APPLY_PROOF_OF_WORK: 'off',
      APPLY_RATE_LIMIT: '100000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const base = `http://127.0.0.1:${port}`
  const started = Date.now()
  while (Date.now() - started < 60_000) {
    if ((await fetch(`${base}/healthz`).catch(() => undefined))?.ok) return { child, base }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error('server did not start')
}

const stop = (s: Server, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve())
    s.child.kill(signal)
  })

/** A browser-like client: one anonymous session (cookie + CSRF token) taken from the form page. */
async function session(base: string, agencyId: number) {
  const page = await fetch(`${base}/agencies/${agencyId}/apply`)
  const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  return { cookie, csrf }
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
function idNumber(n: number): string {
  const body = `500231${1960 + (n % 40)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`
  return body + '10X98765432'[[...body].reduce((a, c, i) => a + Number(c) * idWeights[i]!, 0) % 11]!
}

function formBody(csrf: string, idem: string, n: number): string {
  return new URLSearchParams({
    _csrf: csrf,
    idem,
    category: 'natural',
    name: `压测申请人${n}`,
    idType: 'resident_id',
    idNumber: idNumber(n),
    phone: `139${String(n % 1e8).padStart(8, '0')}`,
    address: `垫江县桂溪街道${n}号`,
    infoDescription: `第${n}号申请：道路养护合同`,
    wantedForm: 'electronic',
    deliveryWay: 'online',
    powChallenge: '',
    powNonce: '',
  }).toString()
}

/** One submission; the tracking number when the server acknowledged it, undefined when it did not. */
async function submit(
  base: string,
  s: { cookie: string; csrf: string },
  agencyId: number,
  idem: string,
  n: number,
): Promise<string | undefined> {
  try {
    const res = await fetch(`${base}/agencies/${agencyId}/apply`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: formBody(s.csrf, idem, n),
    })
    const html = await res.text()
    return res.status === 200 ? /id="tracking-number">([^<]+)</.exec(html)?.[1] : undefined
  } catch {
    return undefined
  }
}

async function setUp(base: string): Promise<number> {
  // The first page is /setup; the platform is set up through its own form.
  const page = await fetch(`${base}/setup`)
  const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  const res = await fetch(`${base}/setup`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    redirect: 'manual',
    body: new URLSearchParams({
      _csrf: csrf,
      regionName: '基准县',
      officeName: '基准县人民政府办公室',
      officeCreditCode: '11500231MB15204609',
      officeLevel: '县级',
      adminUsername: 'bench.admin',
      adminName: '基准',
    }).toString(),
  })
  if (res.status >= 400) throw new Error(`setup failed: ${res.status}`)
  return 1
}

type Rows = { idempotency_key: string; number: string }[]
async function readRows(env: Record<string, string>): Promise<Rows> {
  if (env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: env.DATABASE_URL })
    await client.connect()
    try {
      return (
        await client.query<{ idempotency_key: string; number: string }>(
          'select idempotency_key, number from applications where idempotency_key is not null',
        )
      ).rows
    } finally {
      await client.end()
    }
  }
  const db = new Database(path.join(env.DATA_DIR!, 'gongkai.db'), { readonly: true })
  try {
    return db
      .prepare('select idempotency_key, number from applications where idempotency_key is not null')
      .all() as Rows
  } finally {
    db.close()
  }
}

async function measure(label: string, given: Record<string, string>) {
  if (engine && label.toLowerCase() !== engine) return
  // Each run gets its own data folder (keys, files), on PostgreSQL too.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gongkai-requests-'))
  const env = { ...given, DATA_DIR: dataDir }
  const port = await freePort()
  let server = await startServer(env, port)
  try {
    const agencyId = await setUp(server.base)
    // 1. Throughput, beside the fsync rate of the same disk.
    const fsyncs = fsyncRate(dataDir)
    // wrk drives the load (a Node client would spend the CPU the server needs); one session's
    // cookie and token, a new idempotency key and applicant per request.
    const profileDir = profile ? mkdtempSync(path.join(tmpdir(), 'gongkai-requests-profile-')) : undefined
    if (profileDir) {
      await stop(server, 'SIGTERM')
      server = await startServer(env, port, ['--cpu-prof', '--cpu-prof-dir', profileDir])
    }
    const s0 = await session(server.base, agencyId)
    const fields = Object.fromEntries(new URLSearchParams(formBody(s0.csrf, 'x', 0)))
    delete fields.idem
    delete fields.idNumber
    fields.idType = 'passport'
    const cpuBefore = cpuSeconds(server.child.pid)
    const { rate, errors } = await wrkPostForm(
      `${server.base}/agencies/${agencyId}/apply`,
      seconds,
      clients,
      s0.cookie,
      fields,
    )
    const cpu = cpuSeconds(server.child.pid) - cpuBefore
    const stored = (await readRows(env)).length
    console.log(
      `${label}: wrk, ${clients} connections for ${seconds} s: ${rate.toFixed(0)} durable submissions/s (${errors} errors; ${stored} stored); raw append+fsync ${fsyncs.toFixed(0)}/s; ratio ${(rate / fsyncs).toFixed(2)}× (goal ≥ 0.15×)`,
    )
    // Less sensitive to other work on the machine than the rate: the server's own CPU per submission.
    if (cpu > 0) console.log(`  server CPU ${((1000 * cpu) / (rate * seconds)).toFixed(2)} ms per submission`)
    if (profileDir) {
      // The profile is written when the server exits.
      await stop(server, 'SIGTERM')
      const file = path.join(
        profileDir,
        readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'))!,
      )
      console.log(`  CPU profile of the server (${file}):\n${summariseCpuProfile(file, 30, (seconds + 1) * 1000)}`)
      server = await startServer(env, port)
    }

    // 2. Crash test.
    const acknowledged = new Map<string, string>()
    const pending = new Map<string, number>()
    let next = 1_000_000
    let repeatMismatch = 0
    for (let k = 0; k < kills; k++) {
      const ss = await Promise.all(Array.from({ length: 4 }, () => session(server.base, agencyId)))
      let stopping = false
      const inFlight = ss.map(async (s) => {
        while (!stopping) {
          // Retry what is outstanding first, then new submissions.
          const [idem, num] =
            pending.size > 0 && Math.random() < 0.5
              ? [...pending.entries()][0]!
              : [randomBytes(12).toString('hex'), next++]
          pending.set(idem, num)
          const number = await submit(server.base, s, agencyId, idem, num)
          if (number) {
            if (acknowledged.has(idem) && acknowledged.get(idem) !== number) repeatMismatch++
            acknowledged.set(idem, number)
            pending.delete(idem)
          }
        }
      })
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 600))
      await stop(server, 'SIGKILL')
      stopping = true
      await Promise.all(inFlight)
      server = await startServer(env, port)
    }
    // Everything outstanding is retried once the server is up for good.
    const s = await session(server.base, agencyId)
    for (const [idem, num] of pending) {
      const number = await submit(server.base, s, agencyId, idem, num)
      if (!number) throw new Error('a retried submission failed after the last restart')
      if (acknowledged.has(idem) && acknowledged.get(idem) !== number) repeatMismatch++
      acknowledged.set(idem, number)
    }
    await stop(server, 'SIGTERM')
    const rows = await readRows(env)
    const perKey = new Map<string, number>()
    for (const r of rows) perKey.set(r.idempotency_key, (perKey.get(r.idempotency_key) ?? 0) + 1)
    const numbers = new Set(rows.map((r) => r.number))
    const missing = [...acknowledged.values()].filter((num) => !numbers.has(num)).length
    const twice = [...perKey.values()].filter((c) => c > 1).length
    console.log(
      `  crash test: ${kills} SIGKILLs with submissions in flight; ${acknowledged.size} acknowledged; missing after restart: ${missing}; created twice: ${twice}; retries answered with another number: ${repeatMismatch} → ${missing === 0 && twice === 0 && repeatMismatch === 0 ? 'PASS' : 'FAIL'}`,
    )
    if (missing || twice || repeatMismatch) process.exitCode = 1
  } finally {
    if (server.child.exitCode === null) await stop(server, 'SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  }
}

ensureWrk()
await onBothDatabases('requests_bench', measure)
