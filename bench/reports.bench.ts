// Report import throughput, measured side by side in one run: importing many different generated
// report texts, against merely reading and normalising the same texts (goal: ≤ 10×), for text whose
// cells stand apart and, separately, for text whose cells run together.
import fc from 'fast-check'
import { importReport } from '../src/reports/import/read-file.ts'
import { normaliseText } from '../src/reports/import/normalize.ts'
import { arbitraryReport } from '../test/support/report-arbitrary.ts'
import { flatten } from '../test/support/report-text.ts'
import type { Style } from '../test/support/report-text.ts'

const count = Number(process.env.BENCH_REPORTS ?? 400)
// Text copied as lines (cells set apart) and text run together (cells glued, digits spaced): the
// second is read by trying cuts of digit runs against the table's sums, and is reported apart.
const groups: { name: string; styles: Style[] }[] = [
  { name: '分隔文本 / cells set apart', styles: ['pipes', 'spaces', 'tabs', 'broken-labels', 'traditional'] },
  { name: '连写文本 / run together', styles: ['glued', 'glued-fullwidth', 'digit-spaced'] },
]
const reports = fc.sample(arbitraryReport({ blanks: true }), { numRuns: count, seed: 42 })

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

for (const group of groups) {
  const texts = reports.map((r, i) =>
    Buffer.from(
      flatten(r, group.styles[i % group.styles.length]!, { title: `${r.agency}${r.year}年政府信息公开工作年度报告` }),
    ),
  )
  const megabytes = texts.reduce((n, t) => n + t.length, 0) / 1e6
  console.log(
    `报告导入 / report import, ${group.name}: ${count} generated texts, ${megabytes.toFixed(2)} MB, best of 3`,
  )
  let sink = 0
  const baseline = await time('read + normalise (baseline)', async () => {
    for (const t of texts) sink += normaliseText(t.toString('utf8')).split('\n').length
  })
  let wrong = 0
  let unread = 0
  const full = await time('import to interchange JSON', async () => {
    wrong = 0
    unread = 0
    for (let i = 0; i < texts.length; i++) {
      const r = await importReport(texts[i]!, 'r.txt')
      // A row listed as unread (digits run together beyond one reading) is not a wrong one.
      for (const [code, cells] of Object.entries(reports[i]!.applications.rows)) {
        if (r.missing.includes(`applications.${code}`)) unread++
        else if (JSON.stringify(r.applications.rows[code]) !== JSON.stringify(cells)) wrong++
      }
    }
  })
  console.log(
    `  ratio import / baseline: ${(full / baseline).toFixed(1)}× (goal ≤ 10×); ${(count / (full / 1000)).toFixed(0)} reports/s; rows read wrong: ${wrong}; rows listed unread: ${unread}${sink > 0 ? '' : ' '}`,
  )
}
