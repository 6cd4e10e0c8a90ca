import type { Cell } from '../report.ts'
import type { Token } from './tokens.ts'

// The cells of one row, read as a person reads a flattened table. A row whose values stand apart,
// one a cell, is taken as printed, and a wrong sum in it is reported. Digits run together
// ("412001044", or a page that lost the space between cells) are cut into numbers every way the
// digits allow (no leading zeros); when they allow only one cut that adds up, it is the reading
// (one that does not add up is not read: an empty cell leaves no trace in a run, so the cut may
// be wrong rather than the source). When several cuts are possible, the row's own arithmetic (each
// block's last cell is the sum of the others: 总计 of section 三, each group of section 四) keeps
// those that hold; exactly one left is the reading, and the row is marked as having relied on
// that rule, so `report check` does not claim to have checked it. Otherwise the row is ambiguous,
// with the readings that hold kept for the table's column sums to decide (table-solve.ts).

type ValueToken = Extract<Token, { t: 'value' }>

/** Cells [start, start + length): the last is the sum of the others. */
export type Blocks = readonly (readonly [start: number, length: number])[]

export type RowRead =
  | { cells: Cell[]; relied: boolean }
  /**
   * Not one reading: those that satisfy the row. `complete` when they are all of them (the search
   * neither gave up nor stopped at its limit), so that if the source adds up, its reading is among them.
   */
  | { candidates: Cell[][]; complete: boolean }

type Atom =
  | { kind: 'digits'; s: string; negative?: boolean; fraction?: string }
  | { kind: 'fixed'; v: Cell }
  | { kind: 'nulls'; min: number; max: number }

const maxDigits = 9
const maxCandidates = 64
const nodeBudget = 400_000

const splittable = (t: ValueToken) => t.v !== null && /^\d+$/.test(t.raw)
/** "-10" run on from "10": the sign starts a number, but where the digits after it end is not known. */
const signedRun = (t: ValueToken) => t.v !== null && !t.cell && /^[+-]\d+$/.test(t.raw)
/** "2 5 0 0.3": a decimal set apart by spaces may end a number whose digits went before it. */
const softDecimal = (t: ValueToken) => t.v !== null && !t.cell && /^\d+\.\d+$/.test(t.raw)

/**
 * Tokens to atoms: digits that may be one number or several (a run, or runs joined by a mere
 * space) become one splittable string; a cell known to be whole stays whole; a run of dashes
 * written together stands for one to several blank cells.
 */
function atomsOf(span: readonly ValueToken[]): Atom[] {
  const atoms: Atom[] = []
  span.forEach((t, i) => {
    if (t.v === null) {
      atoms.push(t.nulls ? { kind: 'nulls', min: t.nulls[0], max: t.nulls[1] } : { kind: 'fixed', v: null })
      return
    }
    if (signedRun(t)) {
      atoms.push({ kind: 'digits', s: t.raw.slice(1), negative: t.raw.startsWith('-') })
      return
    }
    if (softDecimal(t)) {
      const [whole, fraction] = t.raw.split('.') as [string, string]
      const before = atoms.at(-1)
      const prevTok = span[i - 1]
      if (before?.kind === 'digits' && !before.fraction && prevTok && !prevTok.cell) {
        before.s += whole
        before.fraction = `.${fraction}`
      } else atoms.push({ kind: 'digits', s: whole, fraction: `.${fraction}` })
      return
    }
    if (!splittable(t)) {
      atoms.push({ kind: 'fixed', v: t.v })
      return
    }
    const prev = atoms.at(-1)
    const prevTok = span[i - 1]
    if (prev?.kind === 'digits' && !prev.fraction && prevTok && !t.cell && !prevTok.cell) prev.s += t.raw
    else atoms.push({ kind: 'digits', s: t.raw })
  })
  return atoms
}

/** How many cells each atom can make, at least and at most. */
const cellRange = (a: Atom): [number, number] =>
  a.kind === 'digits' ? [Math.ceil(a.s.length / maxDigits), a.s.length] : a.kind === 'nulls' ? [a.min, a.max] : [1, 1]

/**
 * Every reading of the atoms as exactly `width` cells, up to `limit`; with `blocks`, only those in
 * which every block adds up. `complete` is false when the search ran out of budget.
 */
export function readings(atoms: readonly Atom[], width: number, blocks: Blocks | undefined, limit: number) {
  const found: Cell[][] = []
  const minRest: number[] = Array<number>(atoms.length + 1).fill(0)
  const maxRest: number[] = Array<number>(atoms.length + 1).fill(0)
  for (let i = atoms.length - 1; i >= 0; i--) {
    const [lo, hi] = cellRange(atoms[i]!)
    minRest[i] = minRest[i + 1]! + lo
    maxRest[i] = maxRest[i + 1]! + hi
  }
  const blockEnd = new Map<number, number>()
  for (const [start, length] of blocks ?? []) blockEnd.set(start + length - 1, start)
  let nodes = 0
  let complete = true
  const acc: Cell[] = []
  const holds = (): boolean => {
    const at = acc.length - 1
    const start = blockEnd.get(at)
    if (start === undefined) return true
    let sum = 0
    for (let k = start; k < at; k++) sum += acc[k] ?? 0
    return Math.round(sum * 1e6) === Math.round((acc[at] ?? 0) * 1e6)
  }
  const push = (c: Cell) => {
    acc.push(c)
    return !blocks || holds()
  }
  const walk = (i: number, offset: number): void => {
    if (found.length >= limit || !complete) return
    if (++nodes > nodeBudget) {
      complete = false
      return
    }
    if (i === atoms.length) {
      if (acc.length === width) found.push([...acc])
      return
    }
    const atom = atoms[i]!
    const left = width - acc.length
    if (atom.kind !== 'digits') {
      const [lo, hi] = atom.kind === 'fixed' ? [1, 1] : [atom.min, atom.max]
      for (let n = lo; n <= hi; n++) {
        if (left - n < minRest[i + 1]! || left - n > maxRest[i + 1]!) continue
        const mark = acc.length
        let ok = true
        for (let k = 0; k < n && ok; k++) ok = push(atom.kind === 'fixed' ? atom.v : null)
        if (ok) walk(i + 1, 0)
        acc.length = mark
      }
      return
    }
    const s = atom.s
    if (offset === s.length) return walk(i + 1, 0)
    // Cells still to fill must fit in what is left of this run and the atoms after it.
    const restChars = s.length - offset
    if (left < Math.ceil(restChars / maxDigits) + minRest[i + 1]!) return
    if (left > restChars + maxRest[i + 1]!) return
    const longest = s[offset] === '0' ? 1 : Math.min(maxDigits, restChars)
    for (let len = 1; len <= longest; len++) {
      const mark = acc.length
      const end = offset + len === s.length
      const n = Number(s.slice(offset, offset + len) + (end && atom.fraction ? atom.fraction : ''))
      if (push(atom.negative && offset === 0 ? -n : n)) walk(i, offset + len)
      acc.length = mark
      if (found.length >= limit || !complete) return
    }
  }
  walk(0, 0)
  return { found, complete }
}

/**
 * Reads one row. `blocks` gives the row's own arithmetic; without it, a row that does not split
 * exactly one way is ambiguous.
 */
export function readRowValues(whole: readonly ValueToken[], width: number, blocks?: Blocks): RowRead {
  // Empty cells past the row's width are the sheet's or page's padding, not blanks of this row.
  let end = whole.length
  while (end > width && whole[end - 1]!.v === null && whole[end - 1]!.cell) end--
  const span = whole.slice(0, end)
  const cells = span.map((t) => t.v)
  if (cells.length === 0) return { cells: Array<Cell>(width).fill(null), relied: false }
  if (cells.length === width) {
    // One number a cell, as printed: taken as read (a wrong sum is the source's, and is reported).
    const whole = span.every((t) => t.cell || !splittable(t))
    if (whole || !blocks || blockHolds(cells, blocks)) return { cells, relied: false }
    // Values set apart only by spaces whose sum fails: the spaces may have cut a number in two.
    const alt = readings(atomsOf(span), width, blocks, maxCandidates)
    const other = alt.found.filter((c) => !same(c, cells))
    return other.length === 0 ? { cells, relied: false } : { candidates: other, complete: false }
  }
  const atoms = atomsOf(span)
  const structural = readings(atoms, width, undefined, 2)
  if (structural.complete && structural.found.length === 1) {
    const only = structural.found[0]!
    // The digits allow one cut only. If it does not add up, a blank cell may have left no trace in
    // the run (an empty table cell copies as nothing): it is not read, rather than read wrong.
    if (!blocks || blockHolds(only, blocks)) return { cells: only, relied: false }
    return { candidates: [], complete: false }
  }
  if (blocks) {
    const valid = readings(atoms, width, blocks, maxCandidates)
    if (valid.complete && valid.found.length === 1) return { cells: valid.found[0]!, relied: true }
    const complete = valid.complete && valid.found.length < maxCandidates
    if (valid.found.length > 0 || !valid.complete) return { candidates: valid.complete ? valid.found : [], complete }
  }
  // Stray numbers among whole cells (a footnote mark, a page number): the one window that adds up.
  if (cells.length > width && blocks) {
    const windows: number[] = []
    for (let start = 0; start + width <= cells.length; start++)
      if (blockHolds(cells.slice(start, start + width), blocks)) windows.push(start)
    if (windows[0] === 0) return { cells: cells.slice(0, width), relied: true }
    if (windows.length === 1) return { cells: cells.slice(windows[0]!, windows[0]! + width), relied: true }
  }
  return { candidates: [], complete: false }
}

export function blockHolds(cells: readonly Cell[], blocks: Blocks): boolean {
  return blocks.every(([start, length]) => {
    let sum = 0
    for (let k = start; k < start + length - 1; k++) sum += cells[k] ?? 0
    return Math.round(sum * 1e6) === Math.round((cells[start + length - 1] ?? 0) * 1e6)
  })
}

const same = (a: readonly Cell[], b: readonly Cell[]) => a.length === b.length && a.every((x, i) => x === b[i])
