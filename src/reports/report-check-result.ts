import type { Cell } from './report.ts'

// What a consistency check reports, shared by the table rules (report-checks.ts) and the narrative
// rule (report-narrative.ts), so neither imports the other.

export type RuleId = 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'X1' | 'X2' | 'X3' | 'N1'
export type Severity = 'error' | 'warning'

/** What each rule checks, in words (report-interchange.md §"Consistency rules"): pages name a rule by these. */
export const ruleLabels: Record<RuleId, string> = {
  R1: '申请数量衔接（新收＋上年结转＝办理结果总计＋结转下年度）',
  R2: '各类申请人合计',
  R3: '办理结果合计',
  R4: '复议诉讼合计',
  R5: '数值格式',
  X1: '与上年度报告衔接',
  X2: '规范性文件现行有效件数衔接',
  X3: '主动公开信息数量衔接',
  N1: '文字部分与表格一致',
}

export type CellRef = { cell: string; value: Cell }
export type Finding = {
  rule: RuleId
  severity: Severity
  /** The cells on each side of the broken equation (or the one bad cell for R5). */
  left: CellRef[]
  right: CellRef[]
  leftSum: number
  rightSum: number
  blankCells: string[]
  message: string
}
export type NotChecked = { rule: RuleId; reason: string }
export type CheckResult = { findings: Finding[]; notChecked: NotChecked[] }
