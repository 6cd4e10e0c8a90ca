import { knownApplicants } from '../applications/applicant.service.ts'
import { standingFindings } from '../confidentiality/clearance.ts'
import { scanItem } from '../confidentiality/scan.ts'
import type { Finding, KnownPerson } from '../confidentiality/scan-rules.ts'
import type { Deps } from '../deps.ts'
import { readStoredFile } from '../files/file-store.ts'
import type { Executor } from '../storage/database.ts'
import { findItem, listAttachments, updateItemRow } from './disclosure.store.ts'
import type { ItemRow } from './disclosure.store.ts'
import { sanitizeBody } from './rich-text.ts'

// The confidentiality and privacy scan (保密审查, 条例 art. 17; 个人信息保护法 art. 28) runs on every save, every
// attachment change and every submission for review, not only at publish: its findings stand on the item, so the
// drafter sees them while the text can still be fixed and every reviewer sees them before signing. A finding the
// 保密审查 reviewer cleared stays cleared only while the same text stands in the same place.

/** Every finding of the scan on the item as it stands: title, body, metadata and attachments. */
export async function scanFindings(
  deps: Deps,
  db: Executor,
  item: ItemRow,
  known?: readonly KnownPerson[],
): Promise<Finding[]> {
  // The applicants whose personal data this agency holds (disclosure on request) are looked for too.
  const people = known ?? (await knownApplicants(deps, db, item.agency_id))
  return scanItem(
    {
      title: item.title,
      bodyHtml: sanitizeBody(item.body),
      metadata: Object.fromEntries(
        Object.entries({ 文号: item.doc_number, 主题词: item.keywords, 内容概述: item.summary }).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      ),
      attachments: (await listAttachments(db, item.id)).map((a) => ({
        name: a.file_name,
        bytes: readStoredFile(deps.config.dataDir, a.storage_key),
      })),
    },
    people,
    deps.config.parseLimits,
  )
}

export { standingFindings }

/** Scans the item as it stands now and records its standing findings on it (none: cleared). */
export async function rescanItem(deps: Deps, id: number): Promise<Finding[]> {
  const item = await findItem(deps.db, id)
  if (!item) return []
  const standing = standingFindings(item, await scanFindings(deps, deps.db, item))
  await updateItemRow(deps.db, id, { findings: standing.length ? JSON.stringify(standing) : null })
  return standing
}
