#!/usr/bin/env node
// Fails when a route file under src/ runs a query or opens a transaction itself (issue #10): routes
// parse, call a service and render; queries live in stores, transactions in services. Comments are
// not read. Each finding is printed as file:line.
// Usage: node scripts/check-thin-routes.mjs [root=src]
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(process.argv[2] ?? 'src')
const routeFile = /\.routes\.tsx?$/
const forbidden = [/\.selectFrom\(/, /\.updateTable\(/, /\.insertInto\(/, /\.deleteFrom\(/, /\.transaction\(/, /\bsql`/]

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? listFiles(full) : routeFile.test(name) ? [full] : []
  })
}

const findings = []
for (const file of listFiles(root)) {
  const lines = readFileSync(file, 'utf8').split('\n')
  let inBlockComment = false
  lines.forEach((line, i) => {
    let code = line
    if (inBlockComment) {
      const end = code.indexOf('*/')
      if (end === -1) return
      code = code.slice(end + 2)
      inBlockComment = false
    }
    code = code.replace(/\/\*.*?\*\//g, '')
    const open = code.indexOf('/*')
    if (open !== -1) {
      code = code.slice(0, open)
      inBlockComment = true
    }
    code = code.replace(/^\s*\/\/.*$/, '')
    const hit = forbidden.find((pattern) => pattern.test(code))
    if (hit) findings.push(`${path.relative(process.cwd(), file)}:${i + 1}: ${line.trim()}`)
  })
}

if (findings.length > 0) {
  console.error('Route files that run a query or open a transaction (move it into a store or service):')
  for (const finding of findings) console.error(`  ${finding}`)
  process.exit(1)
}
console.log('No route file under src/ runs a query or opens a transaction.')
