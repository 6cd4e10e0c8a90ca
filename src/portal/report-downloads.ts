import type { Deps } from '../deps.ts'
import { exportReport } from '../reports/render/report-export.ts'
import type { ExportKind } from '../reports/render/report-export.ts'
import type { Executor } from '../storage/database.ts'
import { publishedReportOf } from './portal.service.ts'

// A published report's downloads (PDF, DOCX, XLSX…) are made once per version and kept (issue #15: a
// PDF took 180–270 ms of the server's time on every download). A file is kept with the state of the
// report row it was made from: when the row changes — a correction supersedes the version, or it is
// published anew — the next download makes the file again and replaces the one kept. Downloads asked
// for while a file is being made wait for that file.

export type ReportDownload = { body: Buffer; type: string; fileName: string }
type Kept = { stamp: string; file: Promise<ReportDownload> }

/** Files kept per process: five kinds of the latest reports of a region's agencies. */
const maxKept = 100
const keptBy = new WeakMap<Executor, Map<string, Kept>>()

/** A published (or superseded) report as a download, and whether it came from the files kept. */
export async function publicReportDownload(
  deps: Deps,
  id: number,
  kind: ExportKind,
): Promise<{ file: ReportDownload; kept: boolean }> {
  const stored = await publishedReportOf(deps, id)
  const stamp = `${stored.status}/${stored.version}/${stored.updated_at}`
  let kept = keptBy.get(deps.db)
  if (!kept) keptBy.set(deps.db, (kept = new Map()))
  const key = `${id}/${kind}`
  const held = kept.get(key)
  if (held?.stamp === stamp) return { file: await held.file, kept: true }
  const file = exportReport(stored.report, kind)
  kept.delete(key)
  if (kept.size >= maxKept) kept.delete(kept.keys().next().value as string)
  const entry = { stamp, file }
  kept.set(key, entry)
  // A file that failed to be made is not kept: the next download tries again.
  file.catch(() => kept.get(key) === entry && kept.delete(key))
  return { file: await file, kept: false }
}
