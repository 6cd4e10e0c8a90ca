import { parseArgs } from 'node:util'
import { listAgencies } from '../agencies/agency.store.ts'
import type { Deps } from '../deps.ts'
import { computeReport } from '../reports/report-compute.ts'
import { formatForYear } from '../reports/report-format.ts'
import { recordsOf } from '../reports/report.service.ts'
import { appealsScopeOf } from '../reports/report-settings.service.ts'

type Out = { log: (s: string) => void; error: (s: string) => void }

/** `report compute`: the agency's report of a year computed from its records, as interchange JSON. */
export async function reportCompute(deps: Deps, args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { agency: { type: 'string' }, year: { type: 'string' } },
    allowPositionals: false,
    strict: false,
  })
  const year = Number(values.year)
  if (typeof values.agency !== 'string' || !Number.isInteger(year) || year < 2008 || year > 2100) {
    out.error('用法：gongkai report compute --agency <机关名称、ID或统一社会信用代码> --year <年份>')
    return 2
  }
  const key = values.agency
  const agency = (await listAgencies(deps.db)).find(
    (a) => a.name === key || String(a.id) === key || a.creditCode === key.toUpperCase(),
  )
  if (!agency) {
    out.error(`找不到机关：${key}`)
    return 2
  }
  const { report } = computeReport(await recordsOf(deps, agency.id, year), {
    year,
    agency: agency.name,
    format: formatForYear(year),
    appealsScope: await appealsScopeOf(deps.db),
  })
  out.log(JSON.stringify(report, null, 2))
  return 0
}
