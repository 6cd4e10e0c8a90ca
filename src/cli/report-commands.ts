import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { checkReport, hasErrors } from '../reports/report-checks.ts'
import { describeCheck } from '../reports/report-findings.ts'
import { importReportFile, reportFileExtensions } from '../reports/import/read-file.ts'
import type { AnnualReport } from '../reports/report.ts'
import { sameAgency } from '../reports/report.service.ts'

type Out = { log: (s: string) => void; error: (s: string) => void }

/** Files named on the command line, with directories expanded to the report files inside them. */
async function expand(args: string[]): Promise<string[]> {
  const files: string[] = []
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined)
    if (!info) {
      files.push(arg)
      continue
    }
    if (info.isDirectory()) {
      // Every file that looks like a report is taken: those that cannot be read are refused by name, not skipped.
      const names = (await readdir(arg)).filter((n) => reportFileExtensions.test(n)).sort()
      files.push(...names.map((n) => path.join(arg, n)))
    } else files.push(arg)
  }
  return files
}

/** `report import`: the interchange JSON; one object per line, with its file name, for several files. */
export async function reportImport(args: string[], out: Out): Promise<number> {
  const files = await expand(args)
  if (files.length === 0) {
    out.error('用法：gongkai report import <文件…|目录>')
    return 2
  }
  let failed = 0
  for (const file of files) {
    try {
      const report = await importReportFile(file)
      out.log(files.length === 1 ? JSON.stringify(report, null, 2) : JSON.stringify({ file, ...report }))
    } catch (e) {
      failed++
      const reason = e instanceof Error ? e.message : String(e)
      if (files.length === 1) out.error(`无法读取 ${file}：${reason}`)
      else out.log(JSON.stringify({ file, error: reason }))
    }
  }
  return failed > 0 ? 2 : 0
}

/**
 * `report check`: findings for people, or with --json one object per file for programs; exit 1
 * when an error rule is broken, 2 when an input could not be read.
 */
export async function reportCheck(argv: string[], out: Out): Promise<number> {
  const json = argv.includes('--json')
  const files = await expand(argv.filter((a) => a !== '--json'))
  if (files.length === 0) {
    out.error('用法：gongkai report check <文件…|目录|JSON>')
    return 2
  }
  let errors = false
  let unreadable = false
  const read: { file: string; report: AnnualReport }[] = []
  for (const file of files) {
    try {
      read.push({ file, report: await importReportFile(file) })
    } catch (e) {
      unreadable = true
      const reason = e instanceof Error ? e.message : String(e)
      if (json) out.log(JSON.stringify({ file, error: reason }))
      else out.error(`${file}\n  无法读取：${reason}`)
    }
  }
  for (const { file, report } of read) {
    // The same agency's report of the year before, when it is among the files: X1–X3 compare the two.
    const previous = read.find(
      (r) =>
        r.report !== report &&
        report.year !== null &&
        r.report.year === report.year - 1 &&
        r.report.agency !== null &&
        report.agency !== null &&
        sameAgency(r.report.agency, report.agency),
    )
    const result = checkReport(report, previous?.report)
    if (json)
      out.log(
        JSON.stringify({
          file,
          format: report.format,
          year: report.year,
          agency: report.agency,
          missing: report.missing,
          ...(report.undetermined ? { undetermined: report.undetermined } : {}),
          ...(previous ? { previous: previous.file } : {}),
          ...result,
        }),
      )
    else
      out.log(
        `${file}\n${describeCheck(report, result).join('\n')}${previous ? `\n  [比对] 已与上一年度报告 ${previous.file} 比对（X1–X3）` : ''}`,
      )
    if (hasErrors(result)) errors = true
  }
  return unreadable ? 2 : errors ? 1 : 0
}
