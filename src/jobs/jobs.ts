import type { Actor } from '../audit/audit.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readStoredFile, storeFile } from '../files/file-store.ts'

// Long-running work (issue #6): started by a request, run after it in this process, its progress
// kept in memory while it runs (the work may hold the database for its whole transaction) and its
// end written to the jobs table. While it runs, its process renews the job's lease every few
// seconds (a heartbeat, which also writes the progress so that every process shows it); a process
// that starts marks as interrupted only the running jobs whose lease has run out — the ones whose
// process ended — not those another process is still running (issue #14).

type Staff = Actor & { id: number; agencyId: number }

/** Import files with more rows than this run as a job with their progress shown. */
export const largeImport = 200
/** Regions with more agencies than this export their overview as a job. */
export const bulkExportAgencies = 20
const live = new Map<number, { done: number; total: number }>()
/** A running job's lease: renewed every `heartbeatMs`, so only a process that ended lets it run out. */
export const jobLeaseMs = 30_000
const heartbeatMs = 5_000
const leaseFrom = (deps: Deps) => new Date(deps.clock.now().getTime() + jobLeaseMs).toISOString()

export type JobView = {
  id: number
  label: string
  status: 'running' | 'done' | 'failed' | 'interrupted'
  done: number
  total: number
  message: string | null
  file: string | null
}
export type JobOutcome = string | { message: string; file: { name: string; type: string; bytes: Buffer } }

/** Starts `work` after this request; it reports its progress and returns the message shown at the end. */
export async function startJob(
  deps: Deps,
  actor: Staff,
  kind: string,
  label: string,
  total: number,
  work: (progress: (done: number) => void) => Promise<JobOutcome>,
): Promise<number> {
  const at = isoNow(deps.clock)
  const row = await deps.db
    .insertInto('jobs')
    .values({
      agency_id: actor.agencyId,
      kind,
      label,
      status: 'running',
      done: 0,
      total,
      message: null,
      file_key: null,
      file_name: null,
      file_type: null,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
      lease_until: leaseFrom(deps),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  live.set(row.id, { done: 0, total })
  const heartbeat = setInterval(() => {
    deps.db
      .updateTable('jobs')
      .set({ lease_until: leaseFrom(deps), done: live.get(row.id)?.done ?? 0 })
      .where('id', '=', row.id)
      .where('status', '=', 'running')
      .execute()
      .catch((err: unknown) => deps.log.error({ err, job: row.id }, 'job heartbeat failed'))
  }, heartbeatMs)
  heartbeat.unref()
  setImmediate(() => {
    void (async () => {
      let status: JobView['status'] = 'done'
      let message: string
      let file: { key: string; name: string; type: string } | undefined
      try {
        const outcome = await work((done) => live.set(row.id, { done, total }))
        if (typeof outcome === 'string') message = outcome
        else {
          message = outcome.message
          file = {
            key: storeFile(deps.config.dataDir, outcome.file.bytes, deps.clock.now()).key,
            name: outcome.file.name,
            type: outcome.file.type,
          }
        }
      } catch (e) {
        status = 'failed'
        message = e instanceof AppError ? e.message : '任务出现意外错误，已记录。'
        if (!(e instanceof AppError)) deps.log.error({ err: e, job: row.id }, 'job failed')
      }
      clearInterval(heartbeat)
      // Its true end is written even if a starting process took it for cut off meanwhile.
      await deps.db
        .updateTable('jobs')
        .set({
          status,
          message,
          done: status === 'done' ? total : (live.get(row.id)?.done ?? 0),
          file_key: file?.key ?? null,
          file_name: file?.name ?? null,
          file_type: file?.type ?? null,
          updated_at: isoNow(deps.clock),
          lease_until: null,
        })
        .where('id', '=', row.id)
        .execute()
      live.delete(row.id)
    })()
  })
  return row.id
}

export async function findJob(deps: Deps, actor: Staff, id: number): Promise<JobView> {
  const row = await deps.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row || row.agency_id !== actor.agencyId) throw new AppError('not_found', '任务不存在')
  const progress = live.get(id)
  return {
    id,
    label: row.label,
    status: row.status as JobView['status'],
    done: progress?.done ?? Number(row.done),
    total: Number(row.total),
    message: row.message,
    file: row.file_name,
  }
}

/** The file a finished job made, for anyone of its agency. */
export async function jobFile(
  deps: Deps,
  actor: Staff,
  id: number,
): Promise<{ name: string; type: string; bytes: Buffer }> {
  const row = await deps.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row || row.agency_id !== actor.agencyId || !row.file_key) throw new AppError('not_found', '文件不存在')
  return { name: row.file_name!, type: row.file_type!, bytes: readStoredFile(deps.config.dataDir, row.file_key) }
}

export async function listJobs(deps: Deps, actor: Staff): Promise<JobView[]> {
  const rows = await deps.db
    .selectFrom('jobs')
    .selectAll()
    .where('agency_id', '=', actor.agencyId)
    .orderBy('id', 'desc')
    .limit(50)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    status: r.status as JobView['status'],
    done: live.get(r.id)?.done ?? Number(r.done),
    total: Number(r.total),
    message: r.message,
    file: r.file_name,
  }))
}

/**
 * At start, and then every minute: work left running by a process that ended — its lease ran out —
 * is marked as cut off. A job whose lease another process keeps renewing is left to it, and so is
 * any job of this process (on SQLite its own long transaction may hold back its heartbeat).
 */
export async function markInterruptedJobs(deps: Deps): Promise<number> {
  const now = isoNow(deps.clock)
  const ours = [...live.keys()]
  const marked = await deps.db
    .updateTable('jobs')
    .set({ status: 'interrupted', message: '平台重启，任务中断；请重新提交。', updated_at: now, lease_until: null })
    .where('status', '=', 'running')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .$if(ours.length > 0, (q) => q.where('id', 'not in', ours))
    .executeTakeFirst()
  return Number(marked.numUpdatedRows)
}

/** Marks the jobs of processes that ended while this one runs; returns the function that stops it. */
export function startJobSweeper(deps: Deps, onError: (err: unknown) => void, everyMs = 60_000): () => void {
  const timer = setInterval(() => void markInterruptedJobs(deps).catch(onError), everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
