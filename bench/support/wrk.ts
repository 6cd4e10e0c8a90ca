import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'

/** Installs wrk from Debian when it is missing (root), else says what to run. */
export function ensureWrk(): void {
  if (spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0) return
  if (process.getuid?.() !== 0) throw new Error('需要 wrk：请运行 apt-get install wrk')
  execFileSync('apt-get', ['install', '-y', '-q', 'wrk'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
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
