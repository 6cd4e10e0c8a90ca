import { createRequire } from 'node:module'
import type * as Cheerio from 'cheerio'

// cheerio brings some seventy modules (parse5, css-select, undici…): it is loaded at its first use,
// not when the server or the CLI starts (issue #15). Its callers are synchronous, hence require
// (cheerio ships a CommonJS build with the same API).
const require = createRequire(import.meta.url)

/** cheerio's `load`, loading cheerio on the first call. */
export const cheerio = {
  load: (...args: Parameters<typeof Cheerio.load>): Cheerio.CheerioAPI =>
    (require('cheerio') as typeof Cheerio).load(...args),
}
