// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went: per function (self time)
// and per source package or folder, as shares of the sampled time, idle excluded.
import { readFileSync } from 'node:fs'

type Node = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Which package or source folder a script belongs to, for the per-area lines. */
function areaOf(url: string): string {
  if (!url) return '(native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  const src = /\/(?:src|dist)\/([^/]+)\//.exec(url)
  if (src) return `src/${src[1]}`
  if (url.startsWith('node:')) return 'node core'
  return url.split('/').slice(-1)[0]!
}

/** The summary of the profile's last `windowMs` (the load, without the server's start-up). */
export function summariseCpuProfile(file: string, top: number, windowMs: number): string {
  const whole = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const from = whole.endTime - windowMs * 1000
  let t = whole.startTime
  const keep = whole.timeDeltas.map((d) => (t += d) >= from)
  const p = {
    ...whole,
    samples: whole.samples.filter((_, i) => keep[i]),
    timeDeltas: whole.timeDeltas.filter((_, i) => keep[i]),
  }
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const selfMs = new Map<number, number>()
  p.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000))
  const fn = new Map<string, number>()
  const area = new Map<string, number>()
  let busy = 0
  let idle = 0
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    if (functionName === '(idle)') {
      idle += ms
      continue
    }
    busy += ms
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|src|dist)\//, '$1/')}:${lineNumber + 1}`
    fn.set(name, (fn.get(name) ?? 0) + ms)
    area.set(areaOf(url), (area.get(areaOf(url)) ?? 0) + ms)
  }
  // Total time of our own functions (src/): samples with the function anywhere on the stack.
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const total = new Map<string, number>()
  p.samples.forEach((id, i) => {
    const seen = new Set<string>()
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const { functionName, url, lineNumber } = byId.get(n)!.callFrame
      // The server runs the compiled copy (dist/) when it is up to date: its folders mirror src/.
      if (!/\/(src|dist)\//.test(url) || /node_modules|\/dist\/vendor\//.test(url)) continue
      seen.add(`${functionName || '(anonymous)'} ${url.replace(/^.*\/(src|dist)\//, 'src/')}:${lineNumber + 1}`)
    }
    for (const k of seen) total.set(k, (total.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000)
  })
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)} %`
  const lines = [`    busy ${busy.toFixed(0)} ms, idle ${idle.toFixed(0)} ms`, '    by area:']
  for (const [k, ms] of [...area].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`    ${pct(ms)}  ${k}`)
  lines.push('    by function (self time):')
  for (const [k, ms] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${pct(ms)}  ${k}`)
  lines.push('    by function of src/ (total time, callees included):')
  for (const [k, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${pct(ms)}  ${k}`)
  return lines.join('\n')
}
