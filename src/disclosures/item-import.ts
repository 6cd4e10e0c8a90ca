import { z } from 'zod'
import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { findAgencyById } from '../agencies/agency.store.ts'
import { formatShanghai } from '../clock.ts'
import { scanItem } from '../confidentiality/scan.ts'
import { findingLabels } from '../confidentiality/scan-rules.ts'
import { auditedFindings } from '../confidentiality/clearance.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { removeStoredFile, storeFile } from '../files/file-store.ts'
import { allowedType } from '../files/file-store.ts'
import { withoutImageMetadata } from '../files/image-metadata.ts'
import { malwareRefusal, scanForMalware } from '../files/malware-scan.ts'
import { knownApplicants } from '../applications/applicant.service.ts'
import { indexItemsText, unindexItem } from '../search/search.store.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import { formatIndexNumber, indexPrefix } from './column-tree.ts'
import { readIndexFormat } from './index-format.ts'
import { genres } from './disclosure.ts'
import { searchableText, cleanFileName } from './disclosure.service.ts'
import { sanitizeBody } from './rich-text.ts'
import { listChannels, listColumns, nextSerial } from './disclosure.store.ts'

// Moving from an old site: existing items come in with their original publication dates and 索引号, marked as
// imported and audited — the only way a past publication date enters the platform. They were public on the old site,
// so they skip the review rounds, but not the scan (条例 art. 17: no information is published without 保密审查; issue
// #14): a clean row is published at its original date; a row with findings waits unpublished as an item the scan
// blocked (审核通过、发布被拦截), for the 保密审查 reviewer to clear and the publisher to publish — still at its original
// date — or to return for editing; a secret marking (密级标志) quarantines it for the office head and can never be
// cleared in the system. The whole file goes in or nothing does, and every bad line is named.

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const optional = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), s.optional())

export const importRow = z.object({
  column: z.string({ error: '缺少栏目' }).trim().min(1, '缺少栏目'),
  title: z.string({ error: '缺少名称' }).trim().min(2, '名称至少 2 个字').max(200, '名称不得超过 200 个字'),
  publishedAt: z
    .string({ error: '缺少发布日期' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/, '发布日期格式应为 YYYY-MM-DD 或 YYYY-MM-DD HH:mm'),
  body: z.string({ error: '缺少正文' }).trim().min(1, '缺少正文'),
  docNumber: optional(z.string().max(60)),
  writtenOn: optional(date),
  formedOn: optional(date),
  topic: optional(z.string().max(60)),
  genre: optional(z.enum(genres, { error: '体裁不在公文种类之列' })),
  keywords: optional(z.string().max(100)),
  summary: optional(z.string().max(500)),
  /** The channel it was first published on (an agency channel's name); the portal when absent. */
  channel: optional(z.string().max(60)),
  attachments: z.array(z.object({ name: z.string().min(1), base64: z.string().min(1) })).optional(),
})
export type ImportRow = z.infer<typeof importRow>

/**
 * The CSV's column names as staff write them (issue #12), first the required ones; the English field names are
 * accepted too, as earlier files used them.
 */
export const importColumnNames: Record<string, keyof ImportRow> = {
  栏目: 'column',
  名称: 'title',
  发布日期: 'publishedAt',
  正文: 'body',
  文号: 'docNumber',
  成文日期: 'writtenOn',
  形成日期: 'formedOn',
  主题分类: 'topic',
  体裁: 'genre',
  主题词: 'keywords',
  内容概述: 'summary',
  发布渠道: 'channel',
}
const aliases: Record<string, keyof ImportRow> = {
  标题: 'title',
  发布时间: 'publishedAt',
  形成或变更日期: 'formedOn',
  附件: 'attachments',
}
const columnKeys: Record<string, keyof ImportRow> = {
  ...importColumnNames,
  ...aliases,
  ...Object.fromEntries(Object.values(importColumnNames).map((k) => [k, k])),
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const src = text.replace(/^\ufeff/, '')
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''))
}

/** Rows of a CSV (header line first) or a JSON array, each with its line number for messages. */
export function readImportFile(text: string, fileName: string): { line: number; value: Record<string, unknown> }[] {
  if (/\.json$/i.test(fileName) || text.trimStart().startsWith('[')) {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch {
      throw new AppError('invalid_input', 'JSON 格式错误，无法读取', { file: 'JSON 格式错误' })
    }
    if (!Array.isArray(data)) throw new AppError('invalid_input', 'JSON 应为信息数组', { file: 'JSON 应为信息数组' })
    // The keys may be the Chinese column names too; an unknown key is left for the row check to ignore.
    const keyed = (v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [columnKeys[k.trim()] ?? k, x]))
        : (v as Record<string, unknown>)
    return data.map((value, i) => ({ line: i + 1, value: keyed(value) }))
  }
  const [header, ...rows] = parseCsv(text)
  if (!header) throw new AppError('invalid_input', '文件为空', { file: '文件为空' })
  const keys = header.map((h) => columnKeys[h.trim()])
  const unknown = header.filter((_, j) => keys[j] === undefined).map((h) => `“${h.trim()}”`)
  if (unknown.length) {
    const message = `第 1 行：无法识别的列名 ${unknown.join('、')}。可用的列名：${Object.keys(importColumnNames).join('、')}`
    throw new AppError('invalid_input', message, { file: message })
  }
  return rows.map((r, i) => ({ line: i + 2, value: Object.fromEntries(keys.map((k, j) => [k!, r[j] ?? ''])) }))
}

/** One imported row the scan held back: blocked (clearable findings) or quarantined (a secret marking). */
export type HeldRow = { line: number; title: string; findings: string[]; quarantined: boolean }
/** Rows written per transaction (other requests are served between two). */
export const importBatchSize = { rows: 500 }
const batchSize = () => importBatchSize.rows
/** The status of rows written by an import that has not finished: public nowhere (search and counts see 'published'). */
const importing = 'importing'

/**
 * Removes the rows of an import that did not finish: this one's (`stamp`) after a failure, or, at start, every
 * import older than an hour (a process that died mid-import; an import of 30,000 rows takes well under a minute).
 */
export async function discardImports(
  deps: Deps,
  which: { agencyId: number; stamp: string } | { olderThan: string },
): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('items').select(['id', 'published_at']).where('status', '=', importing)
    q =
      'stamp' in which
        ? q.where('agency_id', '=', which.agencyId).where('created_at', '=', which.stamp)
        : q.where('created_at', '<', which.olderThan)
    const rows = await q.execute()
    for (const r of rows) {
      if (r.published_at) await unindexItem(trx, deps.kind, r.id, r.published_at)
      await trx.deleteFrom('item_channels').where('item_id', '=', r.id).execute()
      await trx.deleteFrom('attachments').where('item_id', '=', r.id).execute()
      await trx.deleteFrom('items').where('id', '=', r.id).execute()
    }
    return rows.length
  })
}

export type ImportResult = { imported: number; published: number; findings: HeldRow[] }

export async function importItems(
  deps: Deps,
  actor: Actor,
  agencyId: number,
  rows: { line: number; value: Record<string, unknown> }[],
  onProgress?: (done: number) => void,
): Promise<ImportResult> {
  const agency = await findAgencyById(deps.db, agencyId)
  if (!agency) throw new AppError('not_found', '机关不存在')
  const columns = await listColumns(deps.db, agencyId)
  const channels = await listChannels(deps.db, agencyId)
  const problems: string[] = []
  const parsed: {
    line: number
    row: ImportRow
    columnId: number
    publishedAt: string
    files: { name: string; bytes: Buffer; type: string }[]
    body: string
  }[] = []
  const now = deps.clock.now()
  for (const { line, value } of rows) {
    const r = importRow.safeParse(value)
    if (!r.success) {
      // The column as staff named it in the file: its Chinese name (issue #12: no field code in a message).
      const names = Object.fromEntries(Object.entries(importColumnNames).map(([name, key]) => [key, name]))
      const field = (i: (typeof r.error.issues)[number]) => {
        const key = String(i.path[0] ?? '')
        return key ? `${names[key] ?? (key === 'attachments' ? '附件' : key)}：` : ''
      }
      problems.push(`第 ${line} 行：${r.error.issues.map((i) => `${field(i)}${i.message}`).join('；')}`)
      continue
    }
    const column = columns.find((c) => c.name === r.data.column && !columns.some((x) => x.parent_id === c.id))
    if (!column) {
      problems.push(`第 ${line} 行：栏目“${r.data.column}”不存在`)
      continue
    }
    if (r.data.channel && !channels.some((c) => c.name === r.data.channel)) {
      problems.push(`第 ${line} 行：发布渠道“${r.data.channel}”未登记`)
      continue
    }
    // A date alone is taken as 9:00 Beijing time that day.
    const [day, time = '09:00'] = r.data.publishedAt.split(/[ T]/)
    const publishedAt = new Date(`${day}T${time.length === 5 ? `${time}:00` : time}+08:00`)
    if (Number.isNaN(publishedAt.getTime()) || publishedAt > now) {
      problems.push(`第 ${line} 行：发布日期无效或晚于今天`)
      continue
    }
    const files: { name: string; bytes: Buffer; type: string }[] = []
    for (const a of r.data.attachments ?? []) {
      const bytes = Buffer.from(a.base64, 'base64')
      const type = allowedType(cleanFileName(a.name), bytes)
      const refusal = type ? malwareRefusal(await scanForMalware(deps.config, bytes)) : undefined
      if (!type) problems.push(`第 ${line} 行：附件“${a.name}”类型不允许或内容与扩展名不符`)
      else if (refusal) problems.push(`第 ${line} 行：附件“${a.name}”${refusal}`)
      else files.push({ name: cleanFileName(a.name), bytes: withoutImageMetadata(type, bytes), type })
    }
    // The body as it will be stored; one nested past the sanitiser's limit is this line's problem (rich-text.ts).
    let body: string
    try {
      body = sanitizeBody(r.data.body)
    } catch (e) {
      if (!(e instanceof AppError)) throw e
      problems.push(`第 ${line} 行：正文：${e.message}`)
      continue
    }
    parsed.push({ line, row: r.data, columnId: column.id, publishedAt: publishedAt.toISOString(), files, body })
  }
  if (problems.length)
    throw new AppError('invalid_input', `导入未执行，请修改后重试：\n${problems.join('\n')}`, {
      file: problems.join('\n'),
    })

  const findings: ImportResult['findings'] = []
  const people = await knownApplicants(deps, deps.db, agencyId)
  // Progress: scanning is the first half of the work, writing the second.
  let scannedCount = 0
  const scanned = await Promise.all(
    parsed.map(async (p) =>
      scanItem(
        {
          title: p.row.title,
          bodyHtml: p.body,
          metadata: p.row.docNumber ? { 文号: p.row.docNumber } : {},
          attachments: p.files.map((f) => ({ name: f.name, bytes: f.bytes })),
        },
        people,
        deps.config.parseLimits,
      ).then((f) => {
        onProgress?.(Math.floor(++scannedCount / 2))
        return f
      }),
    ),
  )
  const stored = parsed.map((p) => p.files.map((f) => ({ ...f, ...storeFile(deps.config.dataDir, f.bytes, now) })))
  // Written in batches, each its own transaction, so that other requests are served in between (on SQLite one
  // transaction of 30,000 rows held the only connection for 20 s; issue #14). The rows stay 'importing' — public
  // nowhere — until one last transaction gives them their statuses: the whole file still goes in or nothing does.
  const stamp = now.toISOString()
  const held: { id: number; quarantined: boolean; found: (typeof scanned)[number] }[] = []
  const portal = channels.find((c) => c.kind === 'portal')
  const format = await readIndexFormat(deps.db, agencyId)
  const writeBatch = (from: number) =>
    deps.db.transaction().execute(async (trx) => {
      // The batch's clean rows are indexed together at its end (one pass over the relevance lists; issue #15).
      const toIndex: { itemId: number; publishedAt: string; text: string }[] = []
      for (const [j, p] of parsed.slice(from, from + batchSize()).entries()) {
        const i = from + j
        onProgress?.(Math.floor(parsed.length / 2 + i / 2))
        const year = Number(formatShanghai(p.publishedAt).slice(0, 4))
        const found = scanned[i]!
        const quarantined = found.some((f) => !f.clearable)
        // A held row keeps its original date on the item (published_at), public only once it is published.
        const status = found.length === 0 ? 'published' : quarantined ? 'quarantined' : 'approved'
        const primary = p.row.channel ? channels.find((c) => c.name === p.row.channel) : portal
        const row = await trx
          .insertInto('items')
          .values({
            agency_id: agencyId,
            column_id: p.columnId,
            unit_id: null,
            primary_channel_id: primary?.id ?? null,
            index_number: formatIndexNumber(
              indexPrefix(format, agency.creditCode),
              year,
              await nextSerial(trx, agencyId, year),
              format.period === 'month' ? Number(formatShanghai(p.publishedAt).slice(5, 7)) : undefined,
            ),
            title: p.row.title,
            doc_number: p.row.docNumber ?? null,
            written_on: p.row.writtenOn ?? null,
            formed_on: p.row.formedOn ?? formatShanghai(p.publishedAt).slice(0, 10),
            topic: p.row.topic ?? null,
            genre: p.row.genre ?? null,
            keywords: p.row.keywords ?? null,
            summary: p.row.summary ?? null,
            body: p.body,
            doc_kind: null,
            validity: 'valid',
            effective_on: null,
            repealed_on: null,
            lapsed_on: null,
            status: importing,
            source: 'imported',
            findings: found.length ? JSON.stringify(found) : null,
            cleared_findings: null,
            withdrawn_reason: null,
            created_by: actor.id,
            created_at: stamp,
            updated_at: stamp,
            published_at: p.publishedAt,
            published_by: status === 'published' ? actor.id : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        if (found.length) {
          findings.push({
            line: p.line,
            title: p.row.title,
            findings: found.map((f) => `${findingLabels[f.kind]}：${f.masked}`),
            quarantined,
          })
          held.push({ id: row.id, quarantined, found })
        }
        if (primary && status === 'published')
          await trx
            .insertInto('item_channels')
            .values({
              item_id: row.id,
              channel_id: primary.id,
              published_at: p.publishedAt,
              link: null,
              recorded_by: actor.id,
              recorded_at: now.toISOString(),
            })
            .execute()
        for (const f of stored[i]!) {
          await trx
            .insertInto('attachments')
            .values({
              item_id: row.id,
              agency_id: agencyId,
              file_name: f.name,
              content_type: f.type,
              size: f.size,
              sha256: f.sha256,
              storage_key: f.key,
              created_at: now.toISOString(),
              created_by: actor.id,
            })
            .execute()
        }
        if (status === 'published')
          toIndex.push({
            itemId: row.id,
            publishedAt: p.publishedAt,
            text: searchableText({
              title: p.row.title,
              doc_number: p.row.docNumber ?? null,
              keywords: p.row.keywords ?? null,
              summary: p.row.summary ?? null,
              body: p.row.body,
            }),
          })
      }
      await indexItemsText(trx, deps.kind, toIndex)
    })
  try {
    for (let from = 0; from < parsed.length; from += batchSize()) {
      await writeBatch(from)
      await new Promise((resolve) => setImmediate(resolve))
    }
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('items')
        .set({ status: 'published' })
        .where('agency_id', '=', agencyId)
        .where('status', '=', importing)
        .where('created_at', '=', stamp)
        .where('findings', 'is', null)
        .execute()
      for (const h of held) {
        await trx
          .updateTable('items')
          .set({ status: h.quarantined ? 'quarantined' : 'approved' })
          .where('id', '=', h.id)
          .execute()
        // As at publishing (disclosure.service.ts publishItem): the office head sees it in the audit log.
        await appendAudit(deps, trx, actor, {
          action: h.quarantined ? 'item.quarantine' : 'item.scan_block',
          objectType: 'item',
          objectId: h.id,
          result: 'denied',
          detail: { findings: auditedFindings(h.found), imported: true },
        })
      }
      await publicContentChanged(trx)
      await appendAudit(deps, trx, actor, {
        action: 'item.import',
        objectType: 'agency',
        objectId: agencyId,
        result: 'success',
        detail: { items: parsed.length, published: parsed.length - findings.length, held: findings.length },
      })
    })
  } catch (e) {
    await discardImports(deps, { agencyId, stamp })
    for (const files of stored) for (const f of files) removeStoredFile(deps.config.dataDir, f.key)
    throw e
  }
  return { imported: parsed.length, published: parsed.length - findings.length, findings }
}
