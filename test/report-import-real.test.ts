import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { importReportFile } from '../src/reports/import/read-file.ts'
import { checkReport } from '../src/reports/report-checks.ts'
import { gongkai } from './support/cli.ts'
import { cellOf, listedAsUnread } from './support/report-cells.ts'

// The published reports of ../shared/examples/reports (real files as found, files derived from real
// ones, and probes), each with cells verified by hand in index.json and the inconsistencies that are
// really in it (issue #13). Every verified cell must be read exactly; every listed inconsistency,
// and nothing else, must be found; probes must be refused with exit 2.

const dir = path.resolve('../shared/examples/reports')
const present = existsSync(path.join(dir, 'index.json'))

type Entry = {
  id: string
  file: string
  kind: 'real' | 'derived' | 'probe'
  year: number | null
  expected: Record<string, number | null>
  expect_missing?: string[]
  expect_import_error?: boolean
  true_inconsistencies: string[]
}
const entries: Entry[] = present
  ? (JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as { reports: Entry[] }).reports
  : []

/** "R4 reconsideration: 总计 printed 0, …" → "R4 reconsideration"; "N1 (warning): …" → "N1". */
const inconsistencyKey = (s: string) => {
  const rule = /^([RXN]\d)/.exec(s)![1]!
  const group = /^R4\s+(reconsideration|litigationDirect|litigationAfterReconsideration)/.exec(s)?.[1]
  return group ? `${rule} ${group}` : rule
}

const readable = entries.filter((e) => !e.expect_import_error && e.kind !== 'probe')
const refused = entries.filter((e) => e.expect_import_error || e.kind === 'probe')

describe.skipIf(!present)('published reports in ../shared/examples/reports (skipped when ../shared is absent)', () => {
  test.each(readable.map((e) => [e.file, e] as const))('%s: every verified cell is read exactly', async (_, e) => {
    const report = await importReportFile(path.join(dir, e.file))
    const wrong: string[] = []
    for (const [key, want] of Object.entries(e.expected)) {
      // A part the index says cannot be read (pictured tables) may only be listed as missing.
      if (e.expect_missing?.some((m) => listedAsUnread([m], key))) continue
      if (listedAsUnread(report.missing, key)) wrong.push(`${key}: 未读出（应为 ${want}）`)
      else if (cellOf(report, key) !== want) wrong.push(`${key}: ${cellOf(report, key)}（应为 ${want}）`)
    }
    expect(wrong).toEqual([])
    if (e.year !== null) expect(report.year).toBe(e.year)
    for (const m of e.expect_missing ?? []) expect(report.missing).toContain(m)
  })

  test.each(readable.map((e) => [e.file, e] as const))(
    '%s: report check finds exactly the inconsistencies really in it',
    async (_, e) => {
      const report = await importReportFile(path.join(dir, e.file))
      const found = checkReport(report).findings.map((f) =>
        f.rule === 'R4' ? `R4 ${/^appeals\.(\w+)\[/.exec(f.left[0]!.cell)![1]}` : f.rule,
      )
      expect([...new Set(found)].sort()).toEqual(e.true_inconsistencies.map(inconsistencyKey).sort())
    },
  )

  test.each(refused.map((e) => [e.file, e] as const))(
    '%s: is refused with exit 2 and a reason in Chinese',
    async (_, e) => {
      const r = await gongkai(['report', 'check', path.join(dir, e.file)], { DATA_DIR: '/nonexistent' })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/无法读取：.*[\p{Script=Han}]{4}/u)
    },
  )
})
