// Scores the importer on ../shared/examples/reports (index.json): cells right, missing, wrong.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { importReportFile } from '../src/reports/import/read-file.ts'
import { checkReport } from '../src/reports/report-checks.ts'
import { applicantColumns } from '../src/reports/report-format.ts'
import type { AnnualReport } from '../src/reports/report.ts'

const dir = process.argv[2] ?? '../shared/examples/reports'
const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
  reports: {
    id: string
    file: string
    kind: string
    expected: Record<string, number | null>
    true_inconsistencies: string[]
    expect_import_error?: boolean
  }[]
}
function valueOf(r: AnnualReport, key: string): number | null | undefined {
  const [a, b, c] = key.split('.')
  if (a === 'article20') return r.article20[b!]?.[c!]
  if (a === 'reconsideration' || a === 'litigationDirect' || a === 'litigationAfterReconsideration')
    return r.appeals[a]?.[['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'].indexOf(b!)]
  return r.applications.rows[a!]?.[applicantColumns.indexOf(b as never)]
}
for (const rep of index.reports) {
  try {
    const r = await importReportFile(path.join(dir, rep.file))
    let right = 0
    const wrong: string[] = []
    const unread: string[] = []
    for (const [k, v] of Object.entries(rep.expected)) {
      const a = valueOf(r, k)
      const listed = r.missing.some(
        (m) =>
          k.startsWith(m.replace(/^applications\./, '') + '.') ||
          (m === 'appeals' && /^(reconsideration|litigation)/.test(k)) ||
          (m === 'applications' && /^[A-Z]/.test(k)) ||
          k.startsWith(m + '.'),
      )
      if (a === v && !listed) right++
      else if (listed) unread.push(k)
      else wrong.push(`${k}=${a} (want ${v})`)
    }
    const res = checkReport(r)
    console.log(
      `${rep.id} ${rep.kind} year=${r.year} fmt=${r.format} agency=${r.agency} right=${right}/${Object.keys(rep.expected).length} unread=${unread.length} wrong=${wrong.length} missing=${JSON.stringify(r.missing)}`,
    )
    if (wrong.length) console.log('   wrong:', wrong.slice(0, 12).join('; '))
    console.log(
      '   findings:',
      res.findings
        .map((f) => f.message)
        .join(' | ')
        .slice(0, 600),
    )
    console.log('   truth:', rep.true_inconsistencies.join(' | '), rep.expect_import_error ? 'EXPECT ERROR' : '')
  } catch (e) {
    console.log(`${rep.id} ERROR ${(e as Error).message}`, rep.expect_import_error ? '(expected)' : '')
  }
}
