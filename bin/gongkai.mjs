#!/usr/bin/env node
// The `gongkai` command. It runs the JavaScript compiled into dist/ at install (scripts/build.mjs,
// issue #15: no transpiling at each start) when dist/ was built after the last change to any source;
// otherwise — before a build, after an edit, under `node --watch` — the TypeScript sources through tsx
// (Node 20 cannot strip types), so development and the tests never run stale code.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

function distIsCurrent() {
  // node --watch restarts on changes to the modules it saw loaded: those must be the sources.
  if (process.env.WATCH_REPORT_DEPENDENCIES) return false
  let built
  try {
    built = statSync(path.join(root, 'dist', '.built')).mtimeMs
  } catch {
    return false
  }
  const src = path.join(root, 'src')
  return readdirSync(src, { recursive: true, withFileTypes: true }).every(
    (e) => !e.isFile() || /\.test\.tsx?$/.test(e.name) || statSync(path.join(e.parentPath, e.name)).mtimeMs <= built,
  )
}

let cli
if (distIsCurrent()) {
  cli = await import('../dist/cli/gongkai.js')
} else {
  const { register } = await import('tsx/esm/api')
  register()
  cli = await import('../src/cli/gongkai.ts')
}
process.exitCode = await cli.runCli(process.argv.slice(2))
