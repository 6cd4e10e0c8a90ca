// The load hook of loaded-modules.mjs (module hooks run on their own thread): one line per ES module.
import { appendFileSync } from 'node:fs'

let file
export function initialize(data) {
  file = data.file
}
export async function load(url, context, next) {
  appendFileSync(file, `${url}\n`)
  return next(url, context)
}
