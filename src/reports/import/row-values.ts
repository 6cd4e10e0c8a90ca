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
      if (before?.kind === 'digits' && !before.fraction && prevTok && !prevTok.cell && !t.apart) {
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
    if (prev?.kind === 'digits' && !prev.fraction && prevTok && !t.cell && !prevTok.cell && !t.apart) prev.s += t.raw
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
  const seen = new Set<string>()
  const minRest: number[] = Array<number>(atoms.length + 1).fill(0)
  const maxRest: number[] = Array<number>(atoms.length + 1).fill(0)
  for (let i = atoms.length - 1; i >= 0; i--) {
    const [lo, hi] = cellRange(atoms[i]!)
    minRest[i] = minRest[i + 1]! + lo
    maxRest[i] = maxRest[i + 1]! + hi
  }
  // Within a block every part is at most its total, so no part has more digits than the total:
  // the total's length (`cap`) is chosen when the block begins, and bounds every cut inside it.
  const blockOf: number[] = Array<number>(width).fill(-1)
  ;(blocks ?? []).forEach(([start, length], b) => {
    for (let k = start; k < start + length; k++) blockOf[k] = b
  })
  const caps: (number | undefined)[] = (blocks ?? []).map(() => undefined)
  // A block that ends the row, on a run of digits, has for total the run's last `cap` digits: known
  // from the start, it bounds every partial sum.
  const tail = atoms.at(-1)
  // The digit sum mod 9 of every cell of the row, when all are whole numbers (the tail's total included).
  const partsMod9 = atoms.every((a) =>
    a.kind === 'digits' ? !a.fraction && !a.negative : a.kind === 'nulls' || Number.isInteger(a.v ?? 0),
  )
    ? atoms.reduce((m, a) => m + (a.kind === 'digits' ? digitSum(a.s) : a.kind === 'fixed' ? (a.v ?? 0) : 0), 0)
    : undefined
  const totals: (number | undefined)[] = (blocks ?? []).map(() => undefined)
  const totalFor = (b: number, cap: number): number | undefined | false => {
    const [start, length] = blocks![b]!
    // A blank or whole-cell total at the row's end: known, and only its own length is a cap.
    if (start + length === width && tail && tail.kind !== 'digits') {
      const value = tail.kind === 'fixed' ? (tail.v ?? 0) : 0
      return String(Math.trunc(Math.abs(value))).length === cap ? value : false
    }
    if (start + length !== width || tail?.kind !== 'digits' || tail.fraction || tail.negative) return undefined
    if (tail.s.length < cap) return false // a cell never spans two runs
    const digits = tail.s.slice(-cap)
    if (digits.length > 1 && digits.startsWith('0')) return false
    const total = Number(digits)
    // Casting out nines: however digits are cut, the parts' sum ≡ the sum of their digits (mod 9).
    if (start === 0 && partsMod9 !== undefined) {
      const rest = (partsMod9 - digitSum(digits)) % 9
      if ((((total - rest) % 9) + 9) % 9 !== 0) return false
    }
    return total
  }
  const isLast = (k: number) => {
    const b = blockOf[k]!
    return b >= 0 && blocks![b]![0] + blocks![b]![1] - 1 === k
  }
  // What the atoms after each one hold: digits still to cut, and cells (and their sum) already
  // fixed, when every such cell count is fixed; the bounds on what is left to cut use them.
  const later = atoms.map((_, i) => {
    let digits = 0
    let cells = 0
    let sum = 0
    let known = true
    for (const a of atoms.slice(i + 1)) {
      if (a.kind === 'digits') digits += a.s.length
      else if (a.kind === 'fixed') {
        cells++
        sum += a.v ?? 0
      } else if (a.min === a.max) cells += a.min
      else known = false
    }
    return { digits, cells, sum, known }
  })
  let nodes = 0
  let complete = true
  const acc: Cell[] = []
  /** The cell just pushed keeps its block possible: parts within the cap, the total equal to their sum. */
  const fits = (): boolean => {
    const at = acc.length - 1
    const b = blockOf[at]!
    if (b < 0) return true
    const [start] = blocks![b]!
    let sum = 0
    for (let k = start; k < at; k++) sum += acc[k] ?? 0
    if (isLast(at)) {
      // The total has exactly the chosen number of digits (a blank or 0 has one).
      const total = acc[at] ?? 0
      if (String(Math.trunc(Math.abs(total))).length !== caps[b]) return false
      return Math.round(sum * 1e6) === Math.round(total * 1e6)
    }
    const partial = sum + (acc[at] ?? 0)
    return totals[b] === undefined ? partial < 10 ** caps[b]! : partial <= totals[b]!
  }
  const push = (c: Cell) => {
    acc.push(c)
    return !blocks || fits()
  }
  const walk = (i: number, offset: number): void => {
    if (found.length >= limit || !complete) return
    if (++nodes > nodeBudget) {
      complete = false
      return
    }
    const k = acc.length
    const b = k < width ? blockOf[k]! : -1
    if (b >= 0 && caps[b] === undefined) {
      for (let cap = 1; cap <= maxDigits && complete && found.length < limit; cap++) {
        const total = totalFor(b, cap)
        if (total === false) continue
        caps[b] = cap
        totals[b] = total
        walk(i, offset)
      }
      caps[b] = undefined
      totals[b] = undefined
      return
    }
    if (i === atoms.length) {
      if (acc.length === width) {
        const key = acc.join(',')
        if (!seen.has(key)) {
          seen.add(key)
          found.push([...acc])
        }
      }
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
        for (let j = 0; j < n && ok; j++) ok = push(atom.kind === 'fixed' ? atom.v : null)
        if (ok) walk(i + 1, 0)
        acc.length = mark
      }
      return
    }
    const s = atom.s
    if (offset === s.length) return walk(i + 1, 0)
    // Cells still to fill must fit in what is left of this run and the atoms after it; in a block
    // that runs to the end of the row, no cell is longer than the block's total.
    const restChars = s.length - offset
    const cap = b >= 0 ? caps[b]! : maxDigits
    const widest = b >= 0 && blocks![b]![0] + blocks![b]![1] === width ? cap : maxDigits
    if (left < Math.ceil(restChars / widest) + minRest[i + 1]!) return
    if (left > restChars + maxRest[i + 1]!) return
    const longest = s[offset] === '0' ? 1 : Math.min(cap, restChars)
    // A block's total made of these digits has exactly the chosen length.
    const shortest = b >= 0 && isLast(k) && s[offset] !== '0' ? Math.min(cap, restChars) : 1
    // In the last run, with the block's total known: the cells left before the total must be able
    // to make up the difference from the digits left for them.
    const total = b >= 0 && later[i]!.known ? totals[b] : undefined
    const lastIndex = b >= 0 ? blocks![b]![0] + blocks![b]![1] - 1 : -1
    for (let len = shortest; len <= longest; len++) {
      if (total !== undefined && k < lastIndex) {
        // The total itself is the tail: its digits (a run) or its cell (a blank or whole cell) are not parts.
        const tailIsRun = tail?.kind === 'digits'
        const tailCell = tailIsRun ? 0 : 1
        const tailValue = tail?.kind === 'fixed' ? (tail.v ?? 0) : 0
        const cellsLeft = lastIndex - k - 1 - (later[i]!.cells - tailCell)
        const digitsLeft = restChars - len + later[i]!.digits - (tailIsRun ? cap : 0)
        if (digitsLeft < cellsLeft) break
        let partial = Number(s.slice(offset, offset + len)) + later[i]!.sum - tailValue
        for (let j = blocks![b]![0]; j < k; j++) partial += acc[j] ?? 0
        if (partial > total) break
        if (cellsLeft === 0) {
          if (digitsLeft !== 0 || partial !== total) continue
        } else {
          // At most one long number and single digits; at least the digits spread evenly, no leading zeros.
          const most = 10 ** (digitsLeft - cellsLeft + 1) - 1 + (cellsLeft - 1) * 9
          const q = Math.floor(digitsLeft / cellsLeft)
          const r = digitsLeft % cellsLeft
          const least = r * 10 ** q + (cellsLeft - r) * (q >= 2 ? 10 ** (q - 1) : 0)
          if (partial + most < total || partial + least > total) continue
        }
      }
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

const digitCount = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : String(n).length)

const digitSum = (s: string, from = 0, to = s.length) => {
  let n = 0
  for (let i = from; i < to; i++) n += s.charCodeAt(i) - 48
  return n
}

/**
 * The common case made fast: a row that is one run of digits, its cells all in blocks laid end to
 * end (section 三's seven, section 四's three fives). Each block is found by where it ends: its
 * total is the run's digits just before that end, so it is known before its parts are cut, and a
 * cut is pursued only while its parts can still make up that total exactly. Casting out nines
 * (however digits are cut, the parts' sum ≡ their digit sum mod 9) rules out most totals at once.
 */
/**
 * How a lone run of digits cuts into `width` numbers without leading zeros: the one cut when there
 * is exactly one, else two of them (counted, not listed, so a long run costs nothing).
 */
function onlyCut(s: string, width: number): { found: Cell[][]; complete: boolean } {
  const n = s.length
  // ways[i * (width + 1) + k]: the cuts of s[i..] into k numbers, counted up to 2.
  const ways = new Uint8Array((n + 1) * (width + 1))
  ways[n * (width + 1)] = 1
  for (let i = n - 1; i >= 0; i--)
    for (let k = 1; k <= width; k++) {
      let w = 0
      for (let len = 1; len <= Math.min(maxDigits, n - i) && w < 2; len++) {
        if (len > 1 && s[i] === '0') break
        w += ways[(i + len) * (width + 1) + k - 1]!
      }
      ways[i * (width + 1) + k] = Math.min(w, 2)
    }
  const count = ways[width]!
  if (count !== 1) return { found: count === 0 ? [] : [[], []], complete: true }
  const cells: Cell[] = []
  let i = 0
  for (let k = width; k > 0; k--)
    for (let len = 1; ; len++)
      if (ways[(i + len) * (width + 1) + k - 1]) {
        cells.push(Number(s.slice(i, i + len)))
        i += len
        break
      }
  return { found: [cells], complete: true }
}

function splitRun(s: string, sizes: readonly number[], limit: number) {
  const found: Cell[][] = []
  const acc: number[] = []
  const digit = new Uint8Array(s.length)
  const sums = new Int32Array(s.length + 1) // digit sums of every prefix, for casting out nines
  for (let i = 0; i < s.length; i++) {
    digit[i] = s.charCodeAt(i) - 48
    sums[i + 1] = sums[i]! + digit[i]!
  }
  let nodes = 0
  let complete = true
  const after = sizes.map((_, b) => sizes.slice(b + 1).reduce((n, x) => n + x, 0))
  // The least and most that s[pos..head) can make as k numbers of at most `cap` digits, for every
  // pos and k: a cut is pursued only while what is left to make up lies between them.
  type Bounds = { low: Float64Array; high: Float64Array; base: number; k: number }
  const bounds = (p: number, head: number, k: number, cap: number): Bounds => {
    const span = head - p
    const low = new Float64Array((span + 1) * (k + 1)).fill(Infinity)
    const high = new Float64Array((span + 1) * (k + 1)).fill(-Infinity)
    low[span * (k + 1)] = 0
    high[span * (k + 1)] = 0
    for (let i = span - 1; i >= 0; i--) {
      for (let j = 1; j <= k; j++) {
        let lo = Infinity
        let hi = -Infinity
        let v = 0
        for (let len = 1; len <= Math.min(cap, span - i); len++) {
          if (len > 1 && digit[p + i] === 0) break
          v = v * 10 + digit[p + i + len - 1]!
          const at = (i + len) * (k + 1) + j - 1
          if (low[at]! === Infinity) continue
          lo = Math.min(lo, v + low[at]!)
          hi = Math.max(hi, v + high[at]!)
        }
        low[i * (k + 1) + j] = lo
        high[i * (k + 1) + j] = hi
      }
    }
    return { low, high, base: p, k }
  }
  const block = (b: number, p: number): void => {
    if (found.length >= limit || !complete) return
    if (b === sizes.length) {
      if (p === s.length) found.push([...acc])
      return
    }
    const n = sizes[b]!
    // The last block ends where the run ends.
    for (let e = b === sizes.length - 1 ? s.length : p + n; e <= s.length - after[b]!; e++) {
      if (s.length - e > after[b]! * maxDigits) continue
      for (let c = 1; c <= Math.min(maxDigits, e - p - (n - 1)); c++) {
        const head = e - c
        if (c > 1 && digit[head] === 0) continue
        let total = 0
        for (let j = head; j < e; j++) total = total * 10 + digit[j]!
        if ((total - (sums[head]! - sums[p]!)) % 9 !== 0) continue
        const bd = bounds(p, head, n - 1, c)
        if (total < bd.low[n - 1]! || total > bd.high[n - 1]!) continue
        parts(b, p, head, e, n - 1, total, total, bd)
      }
    }
  }
  const parts = (
    b: number,
    from: number,
    head: number,
    e: number,
    k: number,
    remaining: number,
    total: number,
    bd: Bounds,
  ): void => {
    if (found.length >= limit || !complete) return
    if (++nodes > nodeBudget) {
      complete = false
      return
    }
    const digitsLeft = head - from
    const maxLen = Math.min(maxDigits, digitsLeft - (k - 1))
    let v = 0
    for (let len = 1; len <= maxLen; len++) {
      if (len > 1 && digit[from] === 0) break
      v = v * 10 + digit[from + len - 1]!
      if (v > remaining) break
      const dl = digitsLeft - len
      const kl = k - 1
      const rest = remaining - v
      if (kl === 0) {
        if (dl === 0 && rest === 0) {
          acc.push(v, total)
          block(b + 1, e)
          acc.length -= 2
        }
        continue
      }
      // No part exceeds what is left to make up; the rest can make at most one long number and
      // single digits, at least the digits spread evenly without leading zeros.
      if (dl > kl * digitCount(rest)) continue
      const at = (from + len - bd.base) * (bd.k + 1) + kl
      if (rest < bd.low[at]! || rest > bd.high[at]!) continue
      acc.push(v)
      parts(b, from + len, head, e, kl, rest, total, bd)
      acc.pop()
    }
  }
  block(0, 0)
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
  // "5-2" run together in a row without sums: a blank and 2, or 5 and −2? Not guessed.
  if (!blocks && span.some((t) => t.hyphen)) return { candidates: [], complete: false }
  // One number a cell, as printed: taken as read, and a wrong sum in it is the source's, reported.
  if (cells.length === width) return { cells, relied: false }
  const atoms = atomsOf(span)
  const lone = atoms.length === 1 && atoms[0]!.kind === 'digits' && !atoms[0]!.fraction && !atoms[0]!.negative
  const structural = lone ? onlyCut((atoms[0] as { s: string }).s, width) : readings(atoms, width, undefined, 2)
  if (structural.complete && structural.found.length === 1) {
    const only = structural.found[0]!
    // The digits allow one cut only. If it does not add up, a blank cell may have left no trace in
    // the run (an empty table cell copies as nothing): it is not read, rather than read wrong.
    if (!blocks || blockHolds(only, blocks)) return { cells: only, relied: false }
    return { candidates: [], complete: false }
  }
  if (blocks) {
    const only = atoms.length === 1 && atoms[0]!.kind === 'digits' ? atoms[0] : undefined
    const endToEnd = blocks.every(([start], b) => start === (b === 0 ? 0 : blocks[b - 1]![0] + blocks[b - 1]![1]))
    const valid =
      only && !only.fraction && !only.negative && endToEnd && blocks.at(-1)![0] + blocks.at(-1)![1] === width
        ? splitRun(
            only.s,
            blocks.map(([, length]) => length),
            maxCandidates,
          )
        : readings(atoms, width, blocks, maxCandidates)
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
