import type { Cell } from '../report.ts'

// The rows of section 三 that their own arithmetic could not settle (several cuts of their digits
// add up) are settled, where possible, by the table's column sums: R3 (（七）总计 is the sum of the
// outcome rows) and R1 (一 + 二 = （七）总计 + 四). Every combination of the open rows' readings is
// tried against the relations whose rows are all known or open; a row is settled only when every
// combination that holds gives it the same cells. A relation used so is named, so that
// `report check` does not then claim to have checked it.

export type ColumnRelation = { rule: 'R1' | 'R3'; left: readonly string[]; right: readonly string[] }

const maxCombinations = 200_000

/** Whether a relation holds in every column, each row's cell given by `value` (a blank as 0). */
export function relationHolds(r: ColumnRelation, value: (code: string, col: number) => number, width: number): boolean {
  for (let col = 0; col < width; col++) {
    const left = r.left.reduce((s, c) => s + value(c, col), 0)
    const right = r.right.reduce((s, c) => s + value(c, col), 0)
    if (Math.round(left * 1e6) !== Math.round(right * 1e6)) return false
  }
  return true
}

export type OpenRow = { candidates: Cell[][]; complete: boolean }

/**
 * `irreconcilable`: a relation that no combination of the open rows' readings satisfies, when
 * every open row it involves has all its readings listed. If the source added up, its own reading
 * of each row would be among them; so the source does not add up there, which is reported.
 */
export function settleByColumns(
  known: ReadonlyMap<string, Cell[]>,
  open: ReadonlyMap<string, OpenRow>,
  relations: readonly ColumnRelation[],
  width: number,
): { settled: Map<string, Cell[]>; used: Set<'R1' | 'R3'>; irreconcilable: Map<'R1' | 'R3', string[]> } {
  const settled = new Map<string, Cell[]>()
  const used = new Set<'R1' | 'R3'>()
  const irreconcilable = new Map<'R1' | 'R3', string[]>()
  const attempts: ('R1' | 'R3')[][] = [['R3'], ['R1'], ['R3', 'R1']]
  let progress = true
  while (progress) {
    progress = false
    for (const rules of attempts) {
      const stillOpen = new Map([...open].filter(([code]) => !settled.has(code)))
      if (stillOpen.size === 0) return { settled, used, irreconcilable }
      const rows = (code: string) => settled.get(code) ?? known.get(code)
      const usable = relations.filter(
        (r) => rules.includes(r.rule) && [...r.left, ...r.right].every((c) => rows(c) || stillOpen.has(c)),
      )
      const involved = [...stillOpen.keys()].filter((code) =>
        usable.some((r) => r.left.includes(code) || r.right.includes(code)),
      )
      if (involved.length === 0) continue
      if (rules.length === 1 && irreconcilable.has(rules[0]!)) continue
      const rows_ = involved.map((c) => stillOpen.get(c)!)
      const choices = rows_.map((r) => r.candidates)
      if (choices.some((c) => c.length === 0)) continue
      if (choices.reduce((n, c) => n * c.length, 1) > maxCombinations) continue
      const survivors: Cell[][][] = []
      const pick: Cell[][] = []
      const value = (code: string, col: number) => {
        const at = involved.indexOf(code)
        return (at >= 0 ? pick[at]![col] : rows(code)![col]) ?? 0
      }
      const holds = () => usable.every((r) => relationHolds(r, value, width))
      const walk = (i: number) => {
        if (i === involved.length) {
          if (holds()) survivors.push([...pick])
          return
        }
        for (const c of choices[i]!) {
          pick[i] = c
          walk(i + 1)
        }
      }
      walk(0)
      if (survivors.length === 0) {
        if (rules.length === 1 && rows_.every((r) => r.complete)) irreconcilable.set(rules[0]!, involved)
        continue
      }
      involved.forEach((code, i) => {
        const first = survivors[0]![i]!
        if (survivors.every((s) => s[i]!.every((v, k) => v === first[k]))) {
          settled.set(code, first)
          for (const r of usable) used.add(r.rule)
          progress = true
        }
      })
    }
  }
  return { settled, used, irreconcilable }
}
