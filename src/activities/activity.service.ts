import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { parseCsv } from '../disclosures/item-import.ts'
import { AppError } from '../errors.ts'
import { checkOfficeZip, defaultParseLimits } from '../files/parse-limits.ts'
import type { ParseLimits } from '../files/parse-limits.ts'
import { inWorker } from '../files/parse-worker.ts'
import type { CatalogueItemRecord, DecisionRecord, FeeRecord, ProcurementRecord } from '../reports/report-records.ts'
import type { Executor } from '../storage/database.ts'

// Article-20 activity records (issue #6, law-and-format.md §2.3–2.4): the list of powers, decisions,
// fee revenue and procurement, entered one by one or imported from CSV/XLSX. An import with any bad
// row imports nothing and names every bad row, its column and the reason. Section 二 of the report
// is computed from these records (recordsOf in report.service.ts).

type Staff = Actor & { id: number; agencyId: number }

export const powerTypes = {
  行政许可: 'licensing',
  行政处罚: 'penalties',
  行政强制: 'coercion',
  行政事业性收费: 'fees',
  行政给付: 'payment',
  行政奖励: 'reward',
  行政确认: 'confirmation',
  行政裁决: 'adjudication',
  行政检查: 'inspection',
  行政征收: 'levy',
  其他行政权力: 'otherPower',
  公共服务: 'publicService',
} as const
export const decisionKinds = {
  行政许可: 'licensing',
  其他对外管理服务事项: 'otherServices',
  行政处罚: 'penalties',
  行政强制: 'coercion',
} as const
const powerLabel = Object.fromEntries(Object.entries(powerTypes).map(([k, v]) => [v, k])) as Record<string, string>
const decisionLabel = Object.fromEntries(Object.entries(decisionKinds).map(([k, v]) => [v, k])) as Record<
  string,
  string
>
export const labelOfPower = (type: string) => powerLabel[type] ?? type
export const labelOfDecision = (kind: string) => decisionLabel[kind] ?? kind

export const recordKinds = {
  powers: {
    label: '权责清单事项',
    columns: ['事项类型', '事项名称', '生效日期', '失效日期'],
    example: ['行政许可', '律师事务所设立许可', '2019-01-01', ''],
  },
  decisions: {
    label: '处理决定',
    columns: ['类别', '决定日期', '事项', '件数'],
    example: ['行政处罚', '2020-05-12', '对某律师事务所的行政处罚', '1'],
  },
  fees: {
    label: '行政事业性收费',
    columns: ['收费日期', '收费项目', '金额（元）'],
    example: ['2020-06-30', '公证服务费', '1250.00'],
  },
  procurement: {
    label: '政府集中采购项目',
    columns: ['签订日期', '项目名称', '金额（元）'],
    example: ['2020-08-15', '办公设备采购', '148000.00'],
  },
} as const
export type RecordKind = keyof typeof recordKinds

/** A template the agency fills in: the header, one example row; with a BOM so that Excel reads it as UTF-8. */
export const templateCsv = (kind: RecordKind) =>
  `\ufeff${recordKinds[kind].columns.join(',')}\n${recordKinds[kind].example.join(',')}\n`

type Row = { line: number; cells: Record<string, string> }

/** The rows of a CSV or an XLSX (its first visible sheet), header first, each with its line number. */
export async function readActivityFile(
  bytes: Buffer,
  fileName: string,
  limits: ParseLimits = defaultParseLimits,
): Promise<Row[]> {
  let table: string[][]
  if (/\.xlsx$/i.test(fileName) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    // Measured before it is opened, and opened in a worker with a memory and a time limit (issue #14).
    await checkOfficeZip(bytes, limits, 'head')
    table = await inWorker<string[][]>('activityTable', { bytes }, limits)
  } else {
    table = parseCsv(bytes.toString('utf8').replace(/^\ufeff/, ''))
  }
  const [header, ...rows] = table
  if (!header) throw new AppError('invalid_input', '文件为空', { file: '文件为空' })
  const names = header.map((h) => h.trim())
  return rows
    .map((r, i) => ({ line: i + 2, cells: Object.fromEntries(names.map((n, j) => [n, (r[j] ?? '').trim()])) }))
    .filter((r) => Object.values(r.cells).some((v) => v !== ''))
}

const date = /^\d{4}-\d{2}-\d{2}$/
const validDate = (v: string) =>
  date.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v
/** 元 with at most two decimals, to 分. */
const fenOf = (v: string) =>
  /^\d+(\.\d{1,2})?$/.test(v.replace(/,/g, '')) ? Math.round(Number(v.replace(/,/g, '')) * 100) : undefined

type Parsed =
  | { kind: 'powers'; type: string; name: string; validFrom: string; validTo: string | null }
  | { kind: 'decisions'; decisionKind: string; decidedOn: string; matter: string; count: number }
  | { kind: 'fees'; collectedOn: string; item: string; amountFen: number }
  | { kind: 'procurement'; contractedOn: string; name: string; amountFen: number }

/** One row checked; a list of Chinese problems (with the column) when it is not valid. */
export function parseActivityRow(
  kind: RecordKind,
  cells: Record<string, string>,
): { value?: Parsed; problems: string[] } {
  const problems: string[] = []
  const need = (col: string) => {
    const v = cells[col] ?? ''
    if (!v) problems.push(`“${col}”不能为空`)
    return v
  }
  const day = (col: string, optional = false) => {
    const v = optional ? (cells[col] ?? '') : need(col)
    if (v && !validDate(v)) problems.push(`“${col}”应为 YYYY-MM-DD 格式的日期`)
    return v
  }
  const money = (col: string) => {
    const v = need(col)
    const f = v ? fenOf(v) : undefined
    if (v && f === undefined) problems.push(`“${col}”应为金额（元，至多两位小数）`)
    return f ?? 0
  }
  let value: Parsed | undefined
  if (kind === 'powers') {
    const typeLabel = need('事项类型')
    const type = powerTypes[typeLabel as keyof typeof powerTypes]
    if (typeLabel && !type) problems.push(`“事项类型”应为 ${Object.keys(powerTypes).join('、')} 之一`)
    const name = need('事项名称')
    const validFrom = day('生效日期')
    const validTo = day('失效日期', true)
    if (validFrom && validTo && validTo <= validFrom) problems.push('“失效日期”应晚于“生效日期”')
    value = { kind, type: type ?? '', name, validFrom, validTo: validTo || null }
  } else if (kind === 'decisions') {
    const k = need('类别')
    const decisionKind = decisionKinds[k as keyof typeof decisionKinds]
    if (k && !decisionKind) problems.push(`“类别”应为 ${Object.keys(decisionKinds).join('、')} 之一`)
    const decidedOn = day('决定日期')
    const matter = need('事项')
    const countText = cells['件数'] || '1'
    if (!/^[1-9]\d{0,6}$/.test(countText)) problems.push('“件数”应为正整数')
    value = { kind, decisionKind: decisionKind ?? '', decidedOn, matter, count: Number(countText) }
  } else if (kind === 'fees') {
    value = { kind, collectedOn: day('收费日期'), item: need('收费项目'), amountFen: money('金额（元）') }
  } else {
    value = { kind, contractedOn: day('签订日期'), name: need('项目名称'), amountFen: money('金额（元）') }
  }
  for (const c of Object.values(cells))
    if (c.length > 500) {
      problems.push('内容过长（每格不超过 500 字）')
      break
    }
  return problems.length ? { problems } : { value: value!, problems }
}

async function insertParsed(trx: Executor, agencyId: number, p: Parsed, at: string): Promise<void> {
  if (p.kind === 'powers')
    await trx
      .insertInto('power_items')
      .values({
        agency_id: agencyId,
        type: p.type,
        name: p.name,
        valid_from: p.validFrom,
        valid_to: p.validTo,
        created_at: at,
      })
      .execute()
  else if (p.kind === 'decisions')
    await trx
      .insertInto('activity_decisions')
      .values({
        agency_id: agencyId,
        kind: p.decisionKind,
        decided_on: p.decidedOn,
        matter: p.matter,
        count: p.count,
        created_at: at,
      })
      .execute()
  else if (p.kind === 'fees')
    await trx
      .insertInto('fee_collections')
      .values({
        agency_id: agencyId,
        collected_on: p.collectedOn,
        item: p.item,
        amount_fen: p.amountFen,
        created_at: at,
      })
      .execute()
  else
    await trx
      .insertInto('procurement_projects')
      .values({
        agency_id: agencyId,
        contracted_on: p.contractedOn,
        name: p.name,
        amount_fen: p.amountFen,
        created_at: at,
      })
      .execute()
}

/** Imports every row or none; the refusal names each bad row, its column and why. */
export async function importActivities(
  deps: Deps,
  actor: Staff,
  kind: RecordKind,
  rows: readonly Row[],
  onProgress?: (done: number) => void,
): Promise<number> {
  const missing = recordKinds[kind].columns.filter(
    (c) => c !== '失效日期' && c !== '件数' && rows.length > 0 && !(c in rows[0]!.cells),
  )
  if (missing.length)
    throw new AppError('invalid_input', `导入未执行：缺少列 ${missing.map((c) => `“${c}”`).join('、')}（请使用模板）`, {
      file: '缺少列',
    })
  if (rows.length === 0) throw new AppError('invalid_input', '导入未执行：文件中没有数据行', { file: '没有数据行' })
  const problems: string[] = []
  const values: Parsed[] = []
  for (const r of rows) {
    const p = parseActivityRow(kind, r.cells)
    if (p.problems.length) problems.push(`第 ${r.line} 行：${p.problems.join('；')}`)
    else values.push(p.value!)
  }
  if (problems.length)
    throw new AppError('invalid_input', `导入未执行，请修改后重试：\n${problems.join('\n')}`, {
      file: problems.join('\n'),
    })
  await deps.db.transaction().execute(async (trx) => {
    const at = isoNow(deps.clock)
    for (const [i, v] of values.entries()) {
      await insertParsed(trx, actor.agencyId, v, at)
      if (i % 50 === 0) onProgress?.(i)
    }
    await appendAudit(deps, trx, actor, {
      action: 'activities.import',
      objectType: 'agency',
      objectId: actor.agencyId,
      result: 'success',
      detail: { kind, rows: values.length },
    })
  })
  return values.length
}

/** One record entered through the form. */
export async function addActivity(
  deps: Deps,
  actor: Staff,
  kind: RecordKind,
  cells: Record<string, string>,
): Promise<void> {
  const p = parseActivityRow(kind, cells)
  if (p.problems.length) throw new AppError('invalid_input', p.problems.join('；'), { _form: p.problems.join('；') })
  await deps.db.transaction().execute(async (trx) => {
    await insertParsed(trx, actor.agencyId, p.value!, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'activities.add',
      objectType: 'agency',
      objectId: actor.agencyId,
      result: 'success',
      detail: { kind },
    })
  })
}

const reportItemType = (type: string): CatalogueItemRecord['itemType'] =>
  type === 'licensing' || type === 'penalties' || type === 'coercion' || type === 'fees' ? type : 'otherServices'

/** The agency's activity records as the report engine counts them. */
export async function loadActivityRecords(
  db: Executor,
  agencyId: number,
): Promise<{
  decisions: DecisionRecord[]
  fees: FeeRecord[]
  catalogue: CatalogueItemRecord[]
  procurement: ProcurementRecord[]
}> {
  const [powers, decisions, fees, procurement] = await Promise.all([
    db.selectFrom('power_items').selectAll().where('agency_id', '=', agencyId).execute(),
    db.selectFrom('activity_decisions').selectAll().where('agency_id', '=', agencyId).execute(),
    db.selectFrom('fee_collections').selectAll().where('agency_id', '=', agencyId).execute(),
    db.selectFrom('procurement_projects').selectAll().where('agency_id', '=', agencyId).execute(),
  ])
  return {
    catalogue: powers.map((p) => ({
      id: `power-${p.id}`,
      itemType: reportItemType(p.type),
      validFrom: p.valid_from,
      validTo: p.valid_to,
    })),
    decisions: decisions.map((d) => ({
      id: `decision-${d.id}`,
      kind: d.kind as DecisionRecord['kind'],
      decidedOn: d.decided_on,
      count: Number(d.count),
    })),
    fees: fees.map((f) => ({ id: `fee-${f.id}`, collectedOn: f.collected_on, amountFen: Number(f.amount_fen) })),
    procurement: procurement.map((p) => ({
      id: `procurement-${p.id}`,
      contractedOn: p.contracted_on,
      amountFen: Number(p.amount_fen),
    })),
  }
}
