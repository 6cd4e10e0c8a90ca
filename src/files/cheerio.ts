import { createRequire } from 'node:module'
import path from 'node:path'
import type * as Cheerio from 'cheerio'

// cheerio brings some seventy modules (parse5, css-select, undici…): it is loaded at its first use,
// not when the server or the CLI starts (issue #15). Its callers are synchronous, hence require
// (cheerio ships a CommonJS build with the same API).
//
// Only its `load` is loaded (dist/commonjs/load-parse.js, the parse5 + htmlparser2 `load` that the
// package's main entry re-exports): the main entry also brings undici, encoding sniffing and stream
// parsing for `fromURL`, which we never use — half of its 200–280 ms. The file is reached by its
// path, past the package's exports map; cheerio is pinned (package.json), and every caller's tests
// load it.
//
// Loading it at once holds the event loop for 100 ms or more: the first publication after a start
// (which sanitises the body and scans it) froze the server for 270–540 ms at 1,000,000 items (issue
// #15, stalls bench). A server therefore loads it after it starts listening, one module a turn
// (`preloadCheerio`), each step a few milliseconds.
const require = createRequire(import.meta.url)
const loadParse = path.join(path.dirname(require.resolve('cheerio')), 'load-parse.js')
const fromCheerio = createRequire(loadParse)

/** cheerio's modules in dependency order, leaves first: each one a step of the preload. */
const steps = [
  'entities',
  'domelementtype',
  'domhandler',
  'domutils',
  'dom-serializer',
  'htmlparser2',
  'parse5',
  'parse5-htmlparser2-tree-adapter',
  'css-what',
  'boolbase',
  'nth-check',
  'css-select',
  'cheerio-select',
  loadParse,
]

/** cheerio's `load`, loading cheerio on the first call. */
export const cheerio = {
  load: (...args: Parameters<typeof Cheerio.load>): Cheerio.CheerioAPI =>
    (fromCheerio(loadParse) as { load: typeof Cheerio.load }).load(...args),
}

/**
 * After `delayMs`, loads cheerio one module per turn of the event loop, `gapMs` apart, so that no turn holds the server; resolves when
 * it is loaded (a module already loaded costs nothing). `stopped` ends it early (the server is closing).
 */
export async function preloadCheerio(delayMs: number, gapMs = 10, stopped: () => boolean = () => false): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, delayMs).unref())
  for (const step of steps) {
    if (stopped()) return
    await new Promise<void>((resolve) => setTimeout(resolve, gapMs).unref())
    fromCheerio(step)
  }
}
