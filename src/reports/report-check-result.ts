import type { Cell } from './report.ts'

// What a consistency check reports, shared by the table rules (report-checks.ts) and the narrative
// rule (report-narrative.ts), so neither imports the other.

export type RuleId = 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'X1' | 'X2' | 'X3' | 'N1'
export type Severity = 'error' | 'warning'

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
