// Report import throughput, measured side by side in one run: importing many different generated
// report texts, against merely reading and normalising the same texts (goal: ≤ 10×).
import fc from 'fast-check'
import { importReport } from '../src/reports/import/read-file.ts'
import { normaliseText } from '../src/reports/import/normalize.ts'
import { arbitraryReport } from '../test/support/report-arbitrary.ts'
import { flatten } from '../test/support/report-text.ts'
import type { Style } from '../test/support/report-text.ts'

const count = Number(process.env.BENCH_REPORTS ?? 400)
const styles: Style[] = ['pipes', 'spaces', 'tabs', 'broken-labels', 'traditional']
const reports = fc.sample(arbitraryReport({ blanks: true }), { numRuns: count, seed: 42 })
const texts = reports.map((r, i) =>
  Buffer.from(flatten(r, styles[i % styles.length]!, { title: `${r.agency}${r.year}年政府信息公开工作年度报告` })),
)
const megabytes = texts.reduce((n, t) => n + t.length, 0) / 1e6

async function time(label: string, fn: () => Promise<void>, rounds = 3): Promise<number> {
  let best = Infinity
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint()
    await fn()
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6)
  }
  console.log(`  ${label.padEnd(34)} ${best.toFixed(1).padStart(8)} ms`)
  return best
}

console.log(`报告导入 / report import: ${count} generated texts, ${megabytes.toFixed(2)} MB, best of 3`)
let sink = 0
const baseline = await time('read + normalise (baseline)', async () => {
  for (const t of texts) sink += normaliseText(t.toString('utf8')).split('\n').length
})
let wrong = 0
const full = await time('import to interchange JSON', async () => {
  wrong = 0
  for (let i = 0; i < texts.length; i++) {
    const r = await importReport(texts[i]!, 'r.txt')
    if (JSON.stringify(r.applications.rows) !== JSON.stringify(reports[i]!.applications.rows)) wrong++
  }
})
console.log(
  `  ratio import / baseline: ${(full / baseline).toFixed(1)}× (goal ≤ 10×); ${(count / (full / 1000)).toFixed(0)} reports/s; ${wrong} read wrong; ${sink > 0 ? '' : ' '}`,
)
