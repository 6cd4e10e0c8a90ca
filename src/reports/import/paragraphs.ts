// Text copied out of a PDF comes one printed line at a time: a paragraph of the 总体情况 is cut every 28 or so
// characters. Read as a person would, the lines of a paragraph run on (issue #12: "a PDF's text keeps its
// paragraphs"). Text from a web page or a document has one line per paragraph and is left as it is.

const heading = /^[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]/
const ended = /[。！？!?]['"”’」』）)]*$/
/** Lines up to this long may be printed lines; a paragraph of a web page is longer than a printed line. */
const printedLineMax = 60

/**
 * The paragraphs of a run of lines: where most lines have the same, printed width, a line that fills that width runs
 * on into the next unless the next one starts a heading ("（二）", "2.").
 */
export function rejoinWrappedLines(lines: readonly string[]): string[] {
  const lengths = lines.map((l) => [...l].length)
  // The printed width is the most common line length; a full line is within a character or two of it (a line may
  // end early on a wide character, and half-width digits fit more characters in).
  const counts = new Map<number, number>()
  for (const n of lengths) counts.set(n, (counts.get(n) ?? 0) + 1)
  const width = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0
  const full = (n: number) => n >= width - 2 && n <= width + 6
  // A line that ends a sentence ends its paragraph (a printed line may end on 。 by chance; the next is then a new
  // paragraph, a small error against splitting every line).
  const cut = (i: number) => full(lengths[i]!) && !ended.test(lines[i]!)
  // Wrapped text shows itself by several lines of one width cut mid-sentence; otherwise these are paragraphs already.
  const cuts = lines.filter((_, i) => cut(i)).length
  if (width < 10 || width > printedLineMax || cuts < 3) return [...lines]
  const out: string[] = []
  let runOn = false
  lines.forEach((line, i) => {
    if (runOn && !heading.test(line)) out[out.length - 1] += line
    else out.push(line)
    runOn = cut(i)
  })
  return out
}
