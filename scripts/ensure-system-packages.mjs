#!/usr/bin/env node
// Makes sure the Debian packages the tests need are present, installing the missing ones with
// apt-get (root on Debian, as on the project's machines). Where that is impossible it stops and
// says what to run: the browser tests never skip silently.
import { execFileSync, spawnSync } from 'node:child_process'

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
const hasCjkFont = () => {
  if (!has('fc-list')) return false
  const out = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).stdout ?? ''
  return /Noto (Sans|Serif) CJK/.test(out)
}

const needs = [
  {
    pkg: 'chromium',
    ok: () => Boolean(process.env.CHROMIUM_PATH) || has('chromium') || has('chromium-browser'),
    why: '浏览器测试 / browser tests',
  },
  { pkg: 'fonts-noto-cjk', ok: hasCjkFont, why: '中文截图 / Chinese screenshots' },
  { pkg: 'poppler-utils', ok: () => has('pdftotext'), why: 'PDF 文本提取 / PDF text checks' },
  {
    pkg: 'postgresql-client',
    ok: () => has('pg_dump') && has('pg_restore'),
    why: 'PostgreSQL 备份 / PostgreSQL backup',
  },
]

const missing = needs.filter((n) => !n.ok())
if (missing.length === 0) process.exit(0)

const names = missing.map((m) => m.pkg)
const canInstall = process.getuid?.() === 0 && has('apt-get')
if (!canInstall) {
  console.error(`测试需要以下系统软件包 / the tests need these Debian packages: ${names.join(' ')}`)
  for (const m of missing) console.error(`  ${m.pkg}: ${m.why}`)
  console.error(`请运行 / please run: sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`)
  process.exit(1)
}
console.log(`正在安装 / installing: ${names.join(' ')}`)
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env })
execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], { stdio: 'inherit', env })
const still = missing.filter((m) => !m.ok())
if (still.length > 0) {
  console.error(`安装后仍缺少 / still missing after install: ${still.map((m) => m.pkg).join(' ')}`)
  process.exit(1)
}
