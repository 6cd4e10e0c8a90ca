#!/usr/bin/env node
// `npm run screenshots`: the README's pictures of the portal home and of a handler's 工作台, taken
// from a fresh demo so they show what the platform looks like today (issue #12). Starts
// `gongkai demo --serve` on a temporary DATA_DIR and a free port, photographs both pages in
// Chromium at 1280 px (playwright-core; Chromium found on PATH or through CHROMIUM_PATH), writes
// docs/screenshots/*.png, stops the server and removes the temporary data.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { chromium } from 'playwright-core'

const root = path.resolve(import.meta.dirname, '..')
const out = path.join(root, 'docs', 'screenshots')
const demoPassword = 'Gongkai-Demo#2026' // src/demo/demo.ts
const handler = 'zjw.handler' // the busy agency's handler: a 工作台 with something in every group

function findChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
      if (found) return found
    } catch {
      // not this one
    }
  }
  throw new Error('找不到 Chromium：请运行 apt-get install chromium，或设置 CHROMIUM_PATH')
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

async function waitUntilUp(base, server, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (server.exitCode !== null) throw new Error(`演示服务已退出（代码 ${server.exitCode}）`)
    try {
      const res = await globalThis.fetch(`${base}/`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  throw new Error(`演示服务 ${seconds} 秒内未启动`)
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'gongkai-screenshots-'))
const port = await freePort()
const base = `http://127.0.0.1:${port}`
// Always the built-in SQLite in the temporary directory, whatever the caller's DATABASE_URL says.
const env = { ...process.env }
delete env.DATABASE_URL
const server = spawn(process.execPath, [path.join(root, 'bin', 'gongkai.mjs'), 'demo', '--serve'], {
  cwd: root,
  env: { ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
  stdio: ['ignore', 'ignore', 'inherit'], // the request log stays out of the way
})
let browser
try {
  await waitUntilUp(base, server, 300)
  browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] })
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  mkdirSync(out, { recursive: true })

  await page.goto(`${base}/`)
  await page.screenshot({ path: path.join(out, 'portal-home.png'), fullPage: true })

  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(handler)
  await page.getByLabel('密码').fill(demoPassword)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((url) => url.pathname.startsWith('/console'))
  await page.goto(`${base}/console`)
  await page.screenshot({ path: path.join(out, 'workbench-handler.png'), fullPage: true })
  console.log(`已写入 ${path.relative(root, out)}/portal-home.png 和 workbench-handler.png`)
} finally {
  await browser?.close()
  server.kill('SIGTERM')
  await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)))
  rmSync(dataDir, { recursive: true, force: true })
}
