import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

/** Installs wrk from Debian when it is missing (root), else says what to run. */
export function ensureWrk(): void {
  if (spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0) return
  if (process.getuid?.() !== 0) throw new Error('需要 wrk：请运行 apt-get install wrk')
  execFileSync('apt-get', ['install', '-y', '-q', 'wrk'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
}

/** Requests per second from wrk, run as a child process so that this process keeps serving. */
export async function wrk(url: string, seconds: number): Promise<number> {
  const { stdout: out } = await promisify(execFile)('wrk', ['-t1', '-c32', `-d${seconds}s`, url], { encoding: 'utf8' })
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out)
  if (!m) throw new Error(`wrk output not understood:\n${out}`)
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)
  if (errors) throw new Error(`${url}: ${errors[1]} error responses`)
  return Number(m[1])
}

/**
 * POSTs a form with wrk, each request with a unique `idem` and `n` (wrk's Lua request hook), so
 * that every request is a new submission; returns the acknowledged (2xx) requests per second.
 */
export async function wrkPostForm(
  url: string,
  seconds: number,
  connections: number,
  cookie: string,
  fields: Record<string, string>,
): Promise<{ rate: number; errors: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-wrk-'))
  const script = path.join(dir, 'post.lua')
  const enc = (v: string) => encodeURIComponent(v).replace(/%/g, '%%')
  const body = Object.entries(fields)
    .map(([k, v]) => `${k}=${enc(v)}`)
    .join('&')
  writeFileSync(
    script,
    `
local counter = 0
local thread_id = 0
function setup(thread) thread:set("tid", math.random(1, 1000000000)) end
function init(args) thread_id = tid end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "${cookie}"
request = function()
  counter = counter + 1
  local n = string.format("%d-%d", thread_id, counter)
  local body = string.format("${body}&idem=bench-%s-xxxxxxxx&idNumber=E%s", n, n)
  return wrk.format(nil, nil, nil, body)
end
`,
  )
  try {
    const { stdout: out } = await promisify(execFile)(
      'wrk',
      ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, url],
      { encoding: 'utf8' },
    )
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0)
    const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
    return { rate: (requests - errors) / seconds, errors }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Requests per second from wrk over a spread of paths: every request picks one of `paths` at random
 * (wrk's Lua request hook), so that a page cache answers only what a real spread of visitors would
 * repeat. `headers` are sent with every request (e.g. the Accept-Encoding a browser sends).
 */
export async function wrkSpread(
  origin: string,
  paths: readonly string[],
  seconds: number,
  headers: Record<string, string> = {},
): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-wrk-'))
  const script = path.join(dir, 'spread.lua')
  const list = path.join(dir, 'paths.txt')
  const lua = (s: string) => JSON.stringify(s) // a JSON string of ASCII is a valid Lua string
  // Read from a file: a Lua table literal of 300,000 strings passes LuaJIT's constant limit.
  writeFileSync(list, `${paths.join('\n')}\n`)
  writeFileSync(
    script,
    `
local paths = {}
for line in io.lines(${lua(list)}) do paths[#paths + 1] = line end
${Object.entries(headers)
  .map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`)
  .join('\n')}
function setup(thread) thread:set("seed", math.random(1, 1000000000)) end
function init(args) math.randomseed(seed) end
request = function()
  return wrk.format("GET", paths[math.random(1, #paths)])
end
`,
  )
  try {
    const { stdout: out } = await promisify(execFile)('wrk', ['-t1', '-c32', `-d${seconds}s`, '-s', script, origin], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    })
    const m = /Requests\/sec:\s+([\d.]+)/.exec(out)
    if (!m) throw new Error(`wrk output not understood:\n${out}`)
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)
    if (errors) throw new Error(`${origin} (spread of ${paths.length} paths): ${errors[1]} error responses`)
    return Number(m[1])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A crawler's pass: every path once, in order, over 8 connections, as a search engine's first visit asks for
 * pages nobody has asked for yet; returns its requests per second. A child Node process, so that this one serves.
 */
export async function crawl(origin: string, paths: readonly string[], headers: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-crawl-'))
  const list = path.join(dir, 'paths.txt')
  writeFileSync(list, paths.join('\n'))
  const script = `
    const http = require('node:http')
    const paths = require('node:fs').readFileSync(${JSON.stringify(list)}, 'utf8').split('\\n')
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })
    let next = 0
    const started = process.hrtime.bigint()
    const one = () => new Promise((resolve, reject) => {
      const p = paths[next++]
      http.get(${JSON.stringify(origin)} + p, { agent, headers: ${JSON.stringify(headers)} }, (res) => {
        if (res.statusCode !== 200) reject(new Error(p + ': ' + res.statusCode))
        res.resume().on('end', resolve)
      }).on('error', reject)
    })
    const worker = async () => { while (next < paths.length) await one() }
    Promise.all(Array.from({ length: 8 }, worker)).then(() => {
      const s = Number(process.hrtime.bigint() - started) / 1e9
      console.log(String(paths.length / s))
      agent.destroy()
    }, (e) => { console.error(e.message); process.exit(1) })
  `
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8' })
    return Number(stdout.trim())
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
