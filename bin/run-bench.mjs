#!/usr/bin/env node
// npm run bench -- <area>: runs bench/<area>.bench.ts through tsx.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench')
const areas = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f !== 'report-compute.bench.ts')
  .map((f) => f.replace('.bench.ts', ''))
const area = process.argv[2]
if (!area || !existsSync(path.join(dir, `${area}.bench.ts`))) {
  console.error(`用法 / usage: npm run bench -- <${areas.join('|')}>`)
  process.exit(2)
}
register()
await import(path.join(dir, `${area}.bench.ts`))
// The reports area also measures computing a region-year's report.
if (area === 'reports') await import(path.join(dir, 'report-compute.bench.ts'))
