import { createHash } from 'node:crypto'
import type { Actor, StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { KnownPerson } from '../confidentiality/scan-rules.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import {
  allowedType,
  cleanFileName,
  readStoredFile,
  readStoredHead,
  removeStoredFile,
  storeFile,
} from '../files/file-store.ts'
import { refuseMalware } from '../files/malware-scan.ts'
import { forgetMailRecipients } from '../notify/outbox.service.ts'
import { readSetting } from '../settings/settings.store.ts'
import type { ApplicationRow, Executor } from '../storage/database.ts'
import type { ApplicantDetails } from './application.ts'
import { defaultRetentionYears, maySeePersonalData, retentionCutoff, shanghaiDate } from './application.ts'
import { findOwnApplication } from './application.policy.ts'
import {
  deleteApplicantFiles,
  deleteCorrectionAnswers,
  erasePersonalData,
  findApplicantFile,
  insertApplicantFile,
  listApplicantFiles,
  listCorrectionAnswers,
  listExpiredPersonalData,
  listAllApplicantFileKeys,
  listFileKeys,
  listPersonApplications,
  setApplicantFileKey,
} from './application.store.ts'
import { decryptApplicant, fieldAad } from './applicant-data.ts'
import { isEncryptedFile } from '../security/crypto.ts'

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

// The applicant's personal data and files: revealed only to the application's own handler and the
// office head, each reveal and each opening audited, and erased once the retention period is over.

/** The full personal data, for the application's own handler and the office head only; each reveal is audited. */
export async function revealApplicant(deps: Deps, actor: StaffActor, id: number): Promise<ApplicantDetails> {
  const application = await findOwnApplication(deps, actor, id)
  const allowed = maySeePersonalData(actor, application)
  await deps.db.transaction().execute((trx) =>
    appendAudit(deps, trx, actor, {
      action: 'application.reveal',
      objectType: 'application',
      objectId: application.number,
      result: allowed ? 'success' : 'denied',
    }),
  )
  if (!allowed) throw new AppError('forbidden', '只有本申请的承办人和公开办负责人可以查看完整的个人信息')
  return decryptApplicant(deps, application)
}

/** The applicants this agency holds, for the pre-publication scan (their names with ID numbers, phones, addresses). */
export async function knownApplicants(deps: Deps, db: Executor, agencyId: number): Promise<KnownPerson[]> {
  const rows = await listPersonApplications(db, agencyId)
  return rows.map((r) => {
    const d = decryptApplicant(deps, r)
    return { name: d.name, idNumber: d.idNumber, phone: d.phone, address: d.address }
  })
}

const applicantFileTypes = new Set(['application/pdf', 'image/jpeg', 'image/png'])
const maxApplicantFiles = 5
/**
 * All of one application's files together (issue #14: the disk is not the applicant's to fill). Each file is at most
 * 10 MB (FILE-01); 20 MB in all is ample for ID copies and a power of attorney [U: no rule; a constant until an
 * agency needs more].
 */
export const maxApplicantBytes = 20 * 1024 * 1024
const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`

/** A file from the applicant, checked and stored on disk, not yet recorded on the application. */
export type IncomingFile = { fileName: string; type: string; stored: ReturnType<typeof storeFile> }

/** An applicant's file is personal data: stored encrypted with the field key, bound to its application (CRY-02). */
const fileAad = (application: Pick<ApplicationRow, 'number'>) => fieldAad(application.number, 'file')

/** The five-file and total-size limits, checked before anything is written (and again inside the transaction). */
async function refuseOverLimits(db: Executor, application: ApplicationRow, incoming: number): Promise<void> {
  const files = await listApplicantFiles(db, application.id)
  if (files.length >= maxApplicantFiles)
    throw new AppError('invalid_input', `每件申请最多上传 ${maxApplicantFiles} 份材料`, {
      file: `最多 ${maxApplicantFiles} 份`,
    })
  const total = files.reduce((n, f) => n + f.size, 0)
  if (total + incoming > maxApplicantBytes) {
    const message = `每件申请的材料合计不超过 ${megabytes(maxApplicantBytes)}（已上传 ${megabytes(total)}），本文件未保存`
    throw new AppError('invalid_input', message, { file: message })
  }
}

/** Runs `record` for a file already on disk; if it fails, the file is removed rather than left orphaned. */
export async function keepingFileOnlyIf<T>(deps: Deps, file: IncomingFile | undefined, record: () => Promise<T>) {
  try {
    return await record()
  } catch (e) {
    if (file) removeStoredFile(deps.config.dataDir, file.stored.key)
    throw e
  }
}

/**
 * Checks a file the applicant sends (PDF, JPG or PNG by name and content, malware-checked, while
 * the application is open) and stores its bytes; `recordApplicantFile` then records it.
 */
export async function receiveApplicantFile(
  deps: Deps,
  actor: Actor,
  application: ApplicationRow,
  rawName: string,
  bytes: Buffer,
): Promise<IncomingFile> {
  const fileName = cleanFileName(rawName)
  const type = allowedType(fileName, bytes)
  if (!type || !applicantFileTypes.has(type))
    throw new AppError('invalid_input', '材料仅支持 PDF、JPG、PNG，且文件内容须与扩展名一致', {
      file: '文件类型不允许或内容与扩展名不符',
    })
  if (application.status === 'concluded') throw new AppError('invalid_transition', '申请已办结，不能再上传材料')
  await refuseOverLimits(deps.db, application, bytes.length)
  await refuseMalware(deps, actor, 'application', application.id, fileName, bytes)
  const stored = storeFile(deps.config.dataDir, deps.fields.encryptBytes(bytes, fileAad(application)), deps.clock.now())
  // The row records the file as the applicant sent it: its size and digest, not the ciphertext's.
  return { fileName, type, stored: { ...stored, size: bytes.length, sha256: sha256Hex(bytes) } }
}

/** Records a received file on the application, at most five in all, with its audit entry. */
export async function recordApplicantFile(
  deps: Deps,
  trx: Executor,
  actor: Actor,
  application: ApplicationRow,
  { fileName, type, stored }: IncomingFile,
  correctionAnswerId: number | null = null,
): Promise<void> {
  await refuseOverLimits(trx, application, stored.size)
  await insertApplicantFile(trx, {
    application_id: application.id,
    file_name: fileName,
    content_type: type,
    size: stored.size,
    sha256: stored.sha256,
    storage_key: stored.key,
    created_at: isoNow(deps.clock),
    correction_answer_id: correctionAnswerId,
  })
  await appendAudit(deps, trx, actor, {
    action: 'application.file_add',
    objectType: 'application',
    objectId: application.number,
    result: 'success',
    detail: { size: stored.size, sha256: stored.sha256 },
  })
}

/**
 * A file the applicant adds to the application (a copy of the ID, a power of attorney): PDF, JPG or
 * PNG by name and content, malware-checked, at most five, while the application is open. Such files
 * are never publishable and are shown only to the agency's handlers.
 */
export async function addApplicantFile(
  deps: Deps,
  actor: Actor,
  application: ApplicationRow,
  rawName: string,
  bytes: Buffer,
): Promise<void> {
  const file = await receiveApplicantFile(deps, actor, application, rawName, bytes)
  await keepingFileOnlyIf(deps, file, () =>
    deps.db.transaction().execute((trx) => recordApplicantFile(deps, trx, actor, application, file)),
  )
}

export { listApplicantFiles }

/** A handler opens an applicant's file: personal data, so the opening is audited. */
export async function readApplicantFile(
  deps: Deps,
  actor: StaffActor,
  applicationId: number,
  fileId: number,
): Promise<{ name: string; type: string; bytes: Buffer }> {
  const application = await findOwnApplication(deps, actor, applicationId)
  if (!maySeePersonalData(actor, application))
    throw new AppError('forbidden', '申请人的材料仅本申请的承办人和公开办负责人可以查看')
  const row = await findApplicantFile(deps.db, application.id, fileId)
  if (!row) throw new AppError('not_found', '材料不存在')
  await deps.db.transaction().execute((trx) =>
    appendAudit(deps, trx, actor, {
      action: 'application.file_open',
      objectType: 'application',
      objectId: application.number,
      result: 'success',
      detail: { file: fileId },
    }),
  )
  const raw = readStoredFile(deps.config.dataDir, row.storage_key)
  // Files received before encryption (issue #14) are re-encrypted at start (encryptApplicantFiles); until then as sent.
  const bytes = isEncryptedFile(raw) ? deps.fields.decryptBytes(raw, fileAad(application)) : raw
  return { name: row.file_name, type: row.content_type, bytes }
}

/**
 * Encrypts the applicant files stored before files were encrypted (issue #14), once, at start: each is written anew
 * encrypted under a new name, its row pointed at it, and the plain copy removed. Returns how many were encrypted.
 */
export async function encryptApplicantFiles(deps: Deps): Promise<number> {
  let done = 0
  for (const row of await listAllApplicantFileKeys(deps.db)) {
    if (isEncryptedFile(readStoredHead(deps.config.dataDir, row.storage_key, 16))) continue
    const raw = readStoredFile(deps.config.dataDir, row.storage_key)
    const stored = storeFile(deps.config.dataDir, deps.fields.encryptBytes(raw, fileAad(row)), deps.clock.now())
    await setApplicantFileKey(deps.db, row.id, stored.key)
    removeStoredFile(deps.config.dataDir, row.storage_key)
    done++
  }
  return done
}

/**
 * Retention (a setting, requests.retentionYears, default 10 years [U]: practice follows each
 * archive's own schedule): once an application has been concluded that long, the applicant's ID
 * number, contacts and uploaded files are erased. What the annual report counts, the name and the
 * issued letters stay as the record of the case.
 */
export async function purgeExpiredPersonalData(
  deps: Deps,
  actor: Actor,
  dryRun = false,
): Promise<{ cutoff: string; count: number }> {
  const years = Number((await readSetting(deps.db, 'requests.retentionYears')) ?? defaultRetentionYears)
  const cutoff = retentionCutoff(shanghaiDate(deps.clock.now()), years)
  const expired = await listExpiredPersonalData(deps.db, cutoff)
  if (dryRun || expired.length === 0) return { cutoff, count: expired.length }
  const keys: string[] = []
  await deps.db.transaction().execute(async (trx) => {
    for (const application of expired) {
      keys.push(...(await listFileKeys(trx, application.id)))
      await deleteApplicantFiles(trx, application.id)
      await deleteCorrectionAnswers(trx, application.id)
      await erasePersonalData(trx, application.id)
      await forgetMailRecipients(deps, trx, application.id)
    }
    await appendAudit(deps, trx, actor, {
      action: 'application.purge',
      objectType: 'application',
      objectId: `${expired.length}`,
      result: 'success',
      detail: { cutoff, years, numbers: expired.map((a) => a.number) },
    })
  })
  for (const key of keys) removeStoredFile(deps.config.dataDir, key)
  return { cutoff, count: expired.length }
}

/** What the handler sees of the applicant's online answers: the text and the names of the files. */
export type CorrectionAnswerView = { answeredOn: string; text: string; files: { id: number; name: string }[] }

export async function correctionAnswersOf(deps: Deps, application: ApplicationRow): Promise<CorrectionAnswerView[]> {
  const answers = await listCorrectionAnswers(deps.db, application.id)
  if (!answers.length) return []
  const files = await listApplicantFiles(deps.db, application.id)
  return answers.map((a) => ({
    answeredOn: a.answered_on,
    text: a.text_enc ? deps.fields.decrypt(a.text_enc, fieldAad(application.number, 'correction_answer')) : '',
    files: files.filter((f) => f.correction_answer_id === a.id).map((f) => ({ id: f.id, name: f.file_name })),
  }))
}
