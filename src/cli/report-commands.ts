import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { checkReport, hasErrors } from '../reports/report-checks.ts'
import { describeCheck } from '../reports/report-findings.ts'
import { importReportFile } from '../reports/import/read-file.ts'

type Out = { log: (s: string) => void; error: (s: string) => void }

const readable = /\.(txt|html?|docx|pdf|xlsx|json)$/i

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
      const names = (await readdir(arg)).filter((n) => readable.test(n)).sort()
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
  for (const file of files) {
    try {
      const report = await importReportFile(file)
      const result = checkReport(report)
      if (json)
        out.log(
          JSON.stringify({
            file,
            format: report.format,
            year: report.year,
            agency: report.agency,
            missing: report.missing,
            ...result,
          }),
        )
      else out.log(`${file}\n${describeCheck(report, result).join('\n')}`)
      if (hasErrors(result)) errors = true
    } catch (e) {
      unreadable = true
      const reason = e instanceof Error ? e.message : String(e)
      if (json) out.log(JSON.stringify({ file, error: reason }))
      else out.error(`${file}\n  无法读取：${reason}`)
    }
  }
  return unreadable ? 2 : errors ? 1 : 0
}
