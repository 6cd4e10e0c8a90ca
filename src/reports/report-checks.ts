import { appealColumns, appealGroupLabels, appealGroups, applicantColumns, formats } from './report-format.ts'
import type { AnnualReport, Cell } from './report.ts'
import type { CellRef, CheckResult, Finding, NotChecked, RuleId, Severity } from './report-check-result.ts'
import { checkNarrative } from './report-narrative.ts'
import { cellLabel } from './report-cells.ts'

// The consistency rules of report-interchange.md: R1–R5 are errors, X1–X3 and N1 warnings. A rule
// that needs a part the report lacks is "not checked", never "broken". Blank cells count as 0 and
// are named as blank.

export type { CellRef, CheckResult, Finding, NotChecked, RuleId, Severity } from './report-check-result.ts'

export const severityOf: Record<RuleId, Severity> = {
  R1: 'error',
  R2: 'error',
  R3: 'error',
  R4: 'error',
  R5: 'error',
  X1: 'warning',
  X2: 'warning',
  X3: 'warning',
  N1: 'warning',
}

const v = (c: Cell) => c ?? 0
const colName = (i: number) => applicantColumns[i] ?? `第${i + 1}列`
const rowLabel = (report: AnnualReport, code: string) => {
  if (code === 'OTHER') return '其他处理'
  const row = formats[report.format].applicationRows.find((r) => r.code === code)
  return row ? shortLabel(row.label) : code
}
const shortLabel = (label: string) =>
  label
    .replace(/（区分处理的.*）$/, '')
    .replace(/^[一二三四]、/, '')
    .replace(/政府信息公开申请数量$/, '')

function equation(
  rule: RuleId,
  where: string,
  left: CellRef[],
  right: CellRef[],
  describe: (r: CellRef) => string,
): Finding | undefined {
  const leftSum = round(left.reduce((s, c) => s + v(c.value), 0))
  const rightSum = round(right.reduce((s, c) => s + v(c.value), 0))
  if (leftSum === rightSum) return undefined
  const blankCells = [...left, ...right].filter((c) => c.value === null).map((c) => c.cell)
  const side = (refs: CellRef[], sum: number) =>
    refs.length === 1
      ? `${describe(refs[0]!)} ${show(refs[0]!.value)}`
      : `${refs.map((r) => `${describe(r)} ${show(r.value)}`).join(' + ')} = ${sum}`
  const blankNames = [...left, ...right].filter((c) => c.value === null).map(describe)
  const blanks = blankCells.length ? `（空白单元格按 0 计：${blankNames.join('、')}）` : ''
  return {
    rule,
    severity: severityOf[rule],
    left,
    right,
    leftSum,
    rightSum,
    blankCells,
    message: `${rule}（${where}）：${side(left, leftSum)}，不等于 ${side(right, rightSum)}${blanks}`,
  }
}

/**
 * A total left blank while its parts hold figures, or parts all blank under a filled total: the
 * source did not fill that side in. That is said (not checked), not reported as a wrong sum; a
 * blank beside figures on the same side counts as 0.
 */
const totalLeftBlank = (total: Cell, parts: readonly Cell[]) =>
  (total === null && parts.some((p) => (p ?? 0) !== 0)) || ((total ?? 0) !== 0 && parts.every((p) => p === null))

const show = (c: Cell) => (c === null ? '空白' : String(c))
const round = (n: number) => Math.round(n * 1e6) / 1e6

/** Checks one report on its own (R1–R5) and, given last year's, across years (X1–X3). */
export function checkReport(report: AnnualReport, previous?: AnnualReport): CheckResult {
  const findings: Finding[] = []
  const notChecked: NotChecked[] = []
  const rows = report.applications.rows
  const f = formats[report.format]
  const ref = (code: string, col: number): CellRef => ({
    cell: `applications.${code}[${col}]`,
    value: rows[code]?.[col] ?? null,
  })
  const has = (...codes: string[]) => codes.every((c) => rows[c] !== undefined)
  const rowNames = (codes: readonly string[]) => codes.map((c) => rowLabel(report, c)).join('、')
  // A row not read is named, and why: absent from the source, or its digits ran together beyond one reading.
  const unread = (codes: readonly string[]) => {
    if (report.missing.includes('applications')) return '缺少第三部分“收到和处理政府信息公开申请情况”的表格'
    const names = codes.filter((c) => rows[c] === undefined)
    const tangled = names.filter((c) => report.ambiguous?.includes(`applications.${c}`))
    const absent = names.filter((c) => !tangled.includes(c))
    return [
      absent.length ? `缺少${rowNames(absent)}` : '',
      tangled.length ? `${rowNames(tangled)}的数字连在一起，无法唯一、可靠地拆分` : '',
    ]
      .filter(Boolean)
      .join('；')
  }

  const relied = report.relied ?? {}
  const reliedReason = (codes: readonly string[]) =>
    `读取时已用于拆分连在一起的数字（${rowNames(codes)}），未再据以检查`
  // A 2021 report printing （六）其他处理 as one row: that row stands for its three sub-rows.
  const applicationRows = f.applicationRows.flatMap((r) =>
    report.notItemised?.includes(r.code)
      ? r.code === report.notItemised[0] && rows.OTHER
        ? [{ ...r, code: 'OTHER', label: '（六）其他处理' }]
        : []
      : [r],
  )

  // R1 (stated in the format's header cell): 一 + 二 = 三（七）总计 + 四, in every column.
  if (relied.R1) notChecked.push({ rule: 'R1', reason: reliedReason(relied.R1) })
  else if (has('NEW', 'CARRIED_IN', 'TOTAL', 'CARRIED_OUT')) {
    for (let col = 0; col < 7; col++) {
      const fnd = equation(
        'R1',
        `${colName(col)}列`,
        [ref('NEW', col), ref('CARRIED_IN', col)],
        [ref('TOTAL', col), ref('CARRIED_OUT', col)],
        (r) => rowLabel(report, r.cell.split('.')[1]!.split('[')[0]!),
      )
      if (fnd) findings.push(fnd)
    }
  } else notChecked.push({ rule: 'R1', reason: unread(['NEW', 'CARRIED_IN', 'TOTAL', 'CARRIED_OUT']) })

  // R2: in every row, 总计 = the six applicant columns.
  const blankTotals: string[] = []
  for (const row of applicationRows) {
    if (!rows[row.code] || relied.R2?.includes(row.code)) continue
    if (totalLeftBlank(rows[row.code]![6] ?? null, rows[row.code]!.slice(0, 6))) {
      blankTotals.push(row.code)
      continue
    }
    const fnd = equation(
      'R2',
      `${shortLabel(row.label)}行`,
      [ref(row.code, 6)],
      [0, 1, 2, 3, 4, 5].map((c) => ref(row.code, c)),
      (r) => colName(Number(/\[(\d)\]/.exec(r.cell)![1])),
    )
    if (fnd) findings.push(fnd)
  }
  if (relied.R2?.length) notChecked.push({ rule: 'R2', reason: reliedReason(relied.R2) })
  if (blankTotals.length)
    notChecked.push({
      rule: 'R2',
      reason: `${rowNames(blankTotals)}：总计栏或六类申请人栏整栏空白（未填写），未据以检查`,
    })
  const unreadRows = applicationRows.filter((r) => !rows[r.code]).map((r) => r.code)
  if (unreadRows.length) notChecked.push({ rule: 'R2', reason: unread(unreadRows) })

  // R3: （七）总计 = the sum of every outcome row, in every column.
  const outcomes = applicationRows.filter((r) => r.outcome).map((r) => r.code)
  if (relied.R3) notChecked.push({ rule: 'R3', reason: reliedReason(relied.R3) })
  else if (has('TOTAL', ...outcomes)) {
    const blankColumns: string[] = []
    for (let col = 0; col < 7; col++) {
      if (
        totalLeftBlank(
          rows.TOTAL![col] ?? null,
          outcomes.map((c) => rows[c]![col] ?? null),
        )
      ) {
        blankColumns.push(colName(col))
        continue
      }
      const fnd = equation(
        'R3',
        `${colName(col)}列`,
        [ref('TOTAL', col)],
        outcomes.map((c) => ref(c, col)),
        (r) => rowLabel(report, r.cell.split('.')[1]!.split('[')[0]!),
      )
      if (fnd) findings.push(fnd)
    }
    if (blankColumns.length)
      notChecked.push({
        rule: 'R3',
        reason: `${blankColumns.join('、')}列：（七）总计或全部办理结果空白（未填写），未据以检查`,
      })
  } else notChecked.push({ rule: 'R3', reason: unread(['TOTAL', ...outcomes]) })

  // Rows whose run-together digits were tried every way, none making a column sum hold: the
  // source does not add up there, whichever way its digits are read.
  for (const [rule, codes] of Object.entries(report.irreconcilable ?? {}) as ['R1' | 'R3', string[]][]) {
    const what = rule === 'R3' ? '（七）总计等于各项办理结果之和' : '本年新收加上年结转等于（七）总计加结转下年度'
    findings.push({
      rule,
      severity: severityOf[rule],
      left: [],
      right: [],
      leftSum: 0,
      rightSum: 0,
      blankCells: [],
      message: `${rule}（表格）：${rowNames(codes.filter((c) => !rows[c]))}的数字连在一起；每一种可能的拆分都已试过，没有一种能使${what}，原表数字有误`,
    })
  }

  // R4: each appeals group, 总计 = 维持 + 纠正 + 其他 + 尚未审结.
  for (const g of appealGroups) {
    const cells = report.appeals[g]
    if (!cells) {
      notChecked.push({
        rule: 'R4',
        reason: report.ambiguous?.includes('appeals')
          ? `${appealGroupLabels[g]}：数字连在一起，无法唯一、可靠地拆分`
          : report.missing.includes('appeals')
            ? `缺少第四部分“行政复议、行政诉讼情况”的表格（${appealGroupLabels[g]}）`
            : `缺少${appealGroupLabels[g]}数据`,
      })
      continue
    }
    if (relied.R4?.includes(g)) {
      notChecked.push({ rule: 'R4', reason: `${appealGroupLabels[g]}：读取时已用于拆分连在一起的数字，未再据以检查` })
      continue
    }
    if (totalLeftBlank(cells[4] ?? null, cells.slice(0, 4))) {
      notChecked.push({ rule: 'R4', reason: `${appealGroupLabels[g]}：总计或四项结果全部空白（未填写），未据以检查` })
      continue
    }
    const r = (i: number): CellRef => ({ cell: `appeals.${g}[${i}]`, value: cells[i] ?? null })
    const fnd = equation(
      'R4',
      appealGroupLabels[g],
      [r(4)],
      [0, 1, 2, 3].map(r),
      (x) => appealColumns[Number(/\[(\d)\]/.exec(x.cell)![1])]!,
    )
    if (fnd) findings.push(fnd)
  }

  findings.push(...nonNegativeIntegers(report))
  findings.push(...checkNarrative(report))
  if (previous) {
    findings.push(...acrossYears(report, previous))
    if (!report.applications.rows.CARRIED_IN || !previous.applications.rows.CARRIED_OUT)
      notChecked.push({
        rule: 'X1',
        reason: !report.applications.rows.CARRIED_IN
          ? '本报告的上年结转行未能读取'
          : '上一年度报告的结转下年度继续办理行未能读取',
      })
  } else notChecked.push({ rule: 'X1', reason: '未提供上一年度报告' })
  return { findings, notChecked }
}

/** R5: counts are non-negative integers; only amounts in 万元 may be fractional, only the 2019 change negative. */
function nonNegativeIntegers(report: AnnualReport): Finding[] {
  const bad: { cell: string; value: number; why: string }[] = []
  const f = formats[report.format]
  for (const block of f.article20)
    for (const row of block.rows)
      for (const col of row.columns) {
        const value = report.article20[row.key]?.[col.key]
        if (value === null || value === undefined) continue
        if (col.kind === 'amountWan' && value < 0)
          bad.push({ cell: `article20.${row.key}.${col.key}`, value, why: '金额不能为负数' })
        if (col.kind === 'change' && !Number.isInteger(value))
          bad.push({ cell: `article20.${row.key}.${col.key}`, value, why: '增减数应为整数' })
        if (col.kind === 'count' && (!Number.isInteger(value) || value < 0))
          bad.push({ cell: `article20.${row.key}.${col.key}`, value, why: '数量应为非负整数' })
      }
  for (const [code, cells] of Object.entries(report.applications.rows))
    cells.forEach((value, i) => {
      if (value !== null && (!Number.isInteger(value) || value < 0))
        bad.push({ cell: `applications.${code}[${i}]`, value, why: '件数应为非负整数' })
    })
  for (const g of appealGroups)
    report.appeals[g]?.forEach((value, i) => {
      if (value !== null && (!Number.isInteger(value) || value < 0))
        bad.push({ cell: `appeals.${g}[${i}]`, value, why: '件数应为非负整数' })
    })
  return bad.map((b) => ({
    rule: 'R5',
    severity: 'error',
    left: [{ cell: b.cell, value: b.value }],
    right: [],
    leftSum: b.value,
    rightSum: 0,
    blankCells: [],
    message: `R5（${cellLabel(report.format, b.cell)}）：${b.value}，${b.why}`,
  }))
}

function acrossYears(report: AnnualReport, previous: AnnualReport): Finding[] {
  const out: Finding[] = []
  // X1: this year's 上年结转 = last year's 结转下年度, per column.
  const carriedIn = report.applications.rows.CARRIED_IN
  const carriedOut = previous.applications.rows.CARRIED_OUT
  if (carriedIn && carriedOut) {
    for (let col = 0; col < 7; col++) {
      const fnd = equation(
        'X1',
        `${colName(col)}列`,
        [{ cell: `applications.CARRIED_IN[${col}]`, value: carriedIn[col] ?? null }],
        [{ cell: `previous.applications.CARRIED_OUT[${col}]`, value: carriedOut[col] ?? null }],
        (r) => (r.cell.startsWith('previous') ? '上年报告结转下年度' : '本年上年结转'),
      )
      if (fnd) out.push(fnd)
    }
  }
  // X2 (2021): 现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y); a warning, since documents also lapse.
  if (report.format === '2021' && previous.format === '2021') {
    for (const key of ['rules', 'normativeDocuments']) {
      const now = report.article20[key]
      const before = previous.article20[key]
      if (!now || !before) continue
      const fnd = equation(
        'X2',
        key === 'rules' ? '规章' : '行政规范性文件',
        [
          { cell: `article20.${key}.inForce`, value: now.inForce ?? null },
          { cell: `article20.${key}.repealed`, value: now.repealed ?? null },
        ],
        [
          { cell: `previous.article20.${key}.inForce`, value: before.inForce ?? null },
          { cell: `article20.${key}.issued`, value: now.issued ?? null },
        ],
        (r) =>
          ({
            inForce: r.cell.startsWith('previous') ? '上年现行有效' : '现行有效',
            repealed: '本年废止',
            issued: '本年制发',
          })[r.cell.split('.').at(-1)!] ?? r.cell,
      )
      if (fnd) out.push(fnd)
    }
  }
  // X3 (2019): last year's 上一年项目数量 + 本年增/减 = this year's 上一年项目数量.
  if (report.format === '2019' && previous.format === '2019') {
    for (const key of ['licensing', 'otherServices', 'penalties', 'coercion', 'fees']) {
      const now = report.article20[key]
      const before = previous.article20[key]
      if (!now || !before) continue
      const fnd = equation(
        'X3',
        key,
        [
          { cell: `previous.article20.${key}.previousYearItems`, value: before.previousYearItems ?? null },
          { cell: `previous.article20.${key}.change`, value: before.change ?? null },
        ],
        [{ cell: `article20.${key}.previousYearItems`, value: now.previousYearItems ?? null }],
        (r) =>
          r.cell.startsWith('previous')
            ? r.cell.endsWith('change')
              ? '上年本年增/减'
              : '上年上一年项目数量'
            : '本年上一年项目数量',
      )
      if (fnd) out.push(fnd)
    }
  }
  return out
}

export const hasErrors = (result: CheckResult) => result.findings.some((f) => f.severity === 'error')
