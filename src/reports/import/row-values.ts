import type { Cell } from '../report.ts'
import type { Token } from './tokens.ts'

type ValueToken = Extract<Token, { t: 'value' }>

/**
 * The cells of one row from the values found for it. Exactly the expected count is taken as read;
 * none at all is a blank row; too many are narrowed to the one window that satisfies the row's
 * arithmetic; too few may be digits run together, split only where exactly one split satisfies the
 * row's arithmetic. Anything else is ambiguous: never guessed, never filled with 0.
 */
export function readRowValues(
  span: readonly ValueToken[],
  width: number,
  check?: (cells: Cell[]) => boolean,
): Cell[] | 'ambiguous' {
  const cells = span.map((t) => t.v)
  if (cells.length === width) return cells
  if (cells.length === 0) return Array<Cell>(width).fill(null)
  if (cells.length > width) {
    if (!check) return cells.slice(0, width)
    const windows: number[] = []
    for (let start = 0; start + width <= cells.length; start++)
      if (check(cells.slice(start, start + width))) windows.push(start)
    if (windows.length >= 1 && windows[0] === 0) return cells.slice(0, width)
    if (windows.length === 1) return cells.slice(windows[0]!, windows[0]! + width)
    return 'ambiguous'
  }
  if (!check) return 'ambiguous'
  const digits = span.map((t) => t.raw)
  if (digits.some((d) => !/^\d+$/.test(d))) return 'ambiguous'
  const readings = splitRunTogether(digits, width, check)
  return readings.length === 1 ? readings[0]! : 'ambiguous'
}

/**
 * Every way to cut each digit string into one or more numbers (no leading zeros) giving `width` cells that pass
 * `check`; stops at two.
 */
export function splitRunTogether(
  pieces: readonly string[],
  width: number,
  check: (cells: Cell[]) => boolean,
): Cell[][] {
  const found: Cell[][] = []
  const walk = (i: number, acc: number[]) => {
    if (found.length > 1) return
    const remainingPieces = pieces.length - i
    if (i === pieces.length) {
      if (acc.length === width && check(acc)) found.push([...acc])
      return
    }
    const room = width - acc.length - (remainingPieces - 1)
    if (room < 1) return
    cuts(pieces[i]!, Math.min(room, pieces[i]!.length), (parts) => walk(i + 1, [...acc, ...parts]))
  }
  walk(0, [])
  return found
}

function cuts(s: string, maxParts: number, emit: (parts: number[]) => void, acc: number[] = []): void {
  if (s.length === 0) {
    if (acc.length > 0) emit(acc)
    return
  }
  if (acc.length === maxParts) return
  for (let len = 1; len <= s.length; len++) {
    const head = s.slice(0, len)
    if (head.length > 1 && head.startsWith('0')) break
    cuts(s.slice(len), maxParts, emit, [...acc, Number(head)])
  }
}
