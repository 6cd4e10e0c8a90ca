#!/usr/bin/env node
// Fails when any file under src/ is part of an import cycle (issue #10). Every static import and
// re-export counts, type-only ones included (as madge counts them), and so does a dynamic import()
// with a literal path: a cycle of types still ties two modules' designs together.
// Usage: node scripts/check-import-cycles.mjs [root=src]
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(process.argv[2] ?? 'src')
const sourceFile = /\.(?:ts|tsx|mts|js|mjs)$/

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? listFiles(full) : sourceFile.test(name) ? [full] : []
  })
}

const specifiers = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/g

function importsOf(file) {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
  const found = new Set()
  for (const match of text.matchAll(specifiers)) {
    const spec = match[1] ?? match[2]
    if (!spec.startsWith('.')) continue
    const target = path.resolve(path.dirname(file), spec)
    if (target.startsWith(root)) found.add(target)
  }
  return [...found]
}

const files = listFiles(root)
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => graph0Has(t))]))
function graph0Has(target) {
  return files.includes(target)
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0
const stack = []
const state = new Map()
const cycles = []
function visit(v) {
  state.set(v, { index, low: index, onStack: true })
  index++
  stack.push(v)
  for (const w of graph.get(v)) {
    if (!state.has(w)) {
      visit(w)
      state.get(v).low = Math.min(state.get(v).low, state.get(w).low)
    } else if (state.get(w).onStack) {
      state.get(v).low = Math.min(state.get(v).low, state.get(w).index)
    }
  }
  if (state.get(v).low === state.get(v).index) {
    const component = []
    let w
    do {
      w = stack.pop()
      state.get(w).onStack = false
      component.push(w)
    } while (w !== v)
    if (component.length > 1 || graph.get(v).includes(v)) cycles.push(component)
  }
}
for (const f of files) if (!state.has(f)) visit(f)

if (cycles.length === 0) {
  console.log(`No import cycles among ${files.length} files in ${path.relative(process.cwd(), root) || '.'}.`)
} else {
  console.error(
    `Import cycles in ${path.relative(process.cwd(), root)} (each group imports itself through its members):`,
  )
  for (const component of cycles) {
    console.error(
      `- ${component
        .map((f) => path.relative(process.cwd(), f))
        .sort()
        .join('\n  ')}`,
    )
  }
  process.exitCode = 1
}
