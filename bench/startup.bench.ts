// Start-up time (issue #15 §4), as ratios to `node -e 0` measured in the same run, alternating (the
// machines are shared and noisy, so only ratios side by side mean anything): `gongkai --help`, and
// `gongkai serve` on a set-up SQLite data directory from launch to the first 200 from /healthz.
// Goals: --help ≤ 3×, server ≤ 10×. `--runs N` (default 7) launches of each.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { get } from 'node:http'
import { createServer } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/config.ts'
import { createDeps } from '../src/main.ts'
import { performSetup } from '../src/setup/setup.service.ts'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'bin', 'gongkai.mjs')
const runsAt = process.argv.indexOf('--runs')
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 7
const goals = { help: 3, serve: 10 }

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address ? address.port : 0
      s.close(() => resolve(port))
    })
  })
}

/** Milliseconds from spawning `node ...args` until it exits (it must exit 0). */
async function timedExit(args: string[]): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const ms = performance.now() - started
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`)
  return ms
}

function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', () => resolve(0))
  })
}

/** CPU seconds a live process has used so far (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return undefined
  }
}

/** Milliseconds from spawning `gongkai serve` until /healthz answers 200, and the CPU it used until then. */
async function timedServe(dataDir: string): Promise<{ ms: number; cpu: number | undefined }> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  let exited = false
  child.once('exit', () => (exited = true))
  try {
    for (;;) {
      if (exited) throw new Error(`gongkai serve exited before answering: ${stderr}`)
      if ((await statusOf(`http://127.0.0.1:${port}/healthz`)) === 200) break
      await new Promise((r) => setTimeout(r, 5))
    }
    const ms = performance.now() - started
    return { ms, cpu: cpuSeconds(child.pid!) }
  } finally {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await gone
    }
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'gongkai-bench-startup-'))
try {
  // A set-up region (as after /setup), so that the server starts as it does every day after the first.
  const deps = await createDeps({ config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), migrate: true })
  await performSetup(
    deps,
    {
      regionName: '重庆市垫江县',
      officeName: '垫江县人民政府办公室',
      officeCreditCode: '11500231MB15204609',
      officeLevel: '县级',
      adminUsername: 'bench.admin',
      adminName: '基准',
    },
    '127.0.0.1',
  )
  await deps.db.destroy()

  const times = { node: [] as number[], help: [] as number[], serve: [] as number[] }
  const serveCpu: number[] = []
  await timedServe(dataDir) // warm-up (file cache), not counted
  for (let i = 0; i < runs; i++) {
    times.node.push(await timedExit(['-e', '0']))
    times.help.push(await timedExit([bin, '--help']))
    const s = await timedServe(dataDir)
    times.serve.push(s.ms)
    if (s.cpu !== undefined) serveCpu.push(s.cpu)
  }
  const ref = median(times.node)
  // bin/gongkai.mjs runs dist/ only when it was built after the last change to a source.
  const stamp = path.join(root, 'dist', '.built')
  const compiled =
    existsSync(stamp) &&
    readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true }).every(
      (e) =>
        !e.isFile() ||
        /\.test\.tsx?$/.test(e.name) ||
        statSync(path.join(e.parentPath, e.name)).mtimeMs <= statSync(stamp).mtimeMs,
    )
  console.log(
    `Start-up (${runs} launches each, alternating; medians; ${compiled ? 'compiled dist/' : 'sources through tsx: run npm run build'}; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
  )
  const line = (name: string, ms: number, goal?: number) =>
    console.log(
      `  ${name.padEnd(30)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / ref).toFixed(1).padStart(5)} × node -e 0` +
        (goal ? `   goal ≤ ${goal}× ${ms / ref <= goal ? 'met' : 'NOT met'}` : ''),
    )
  line('node -e 0', ref)
  line('gongkai --help', median(times.help), goals.help)
  line('gongkai serve → 200 /healthz', median(times.serve), goals.serve)
  if (serveCpu.length) console.log(`  server CPU until /healthz: ${median(serveCpu).toFixed(2)} s (median)`)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
