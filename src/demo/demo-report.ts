import { readFileSync } from 'node:fs'
import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import { importReport } from '../reports/import/read-file.ts'
import { insertReport } from '../reports/report.store.ts'

// The demo's 垫江县司法局 publishes its 2020 report as the bureau published it (the seed text, the
// same as test/fixtures/reports/dianjiang-justice-2020.txt), so that the portal's 年报 column and
// /reports show a real report from the first start.

const seedName = 'dianjiang-justice-2020.txt'

/** Publishes the seed's 2020 report for the bureau, as an imported report of record. */
export async function publishSeedReport(deps: Deps, actor: StaffActor, agencyName: string): Promise<number> {
  const report = await importReport(readFileSync(new URL(`./${seedName}`, import.meta.url)), seedName)
  report.agency = agencyName
  const year = report.year ?? 2020
  return deps.db.transaction().execute(async (trx) => {
    const now = isoNow(deps.clock)
    const id = await insertReport(trx, {
      agency_id: actor.agencyId,
      year,
      format: report.format,
      source: 'imported',
      status: 'published',
      version: 1,
      report,
      source_name: seedName,
      override_reason: null,
      supersedes_id: null,
      created_at: now,
      created_by: actor.id,
      updated_at: now,
      published_at: now,
      published_by: actor.id,
    })
    await appendAudit(deps, trx, actor, {
      action: 'report.publish',
      objectType: 'annual_report',
      objectId: id,
      result: 'success',
      detail: { year, version: 1, source: seedName },
    })
    await publicContentChanged(trx)
    return id
  })
}
