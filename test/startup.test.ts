import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, expect, test } from 'vitest'

// Start-up (issue #15 §4): `gongkai --help` and a server answering /healthz load none of the heavy
// document, chart and mail libraries (each is loaded where it is used), and the JavaScript compiled at
// install (dist/, scripts/build.mjs) runs. Speed itself is measured by `npm run bench -- startup`.

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'bin', 'gongkai.mjs')
const hook = path.join(root, 'test', 'support', 'loaded-modules.mjs')
const heavy =
  /node_modules\/(echarts|zrender|exceljs|cheerio|parse5|docx|jszip|mammoth|pdfjs-dist|pdfmake|nodemailer|qrcode|ajv)\//

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

function scratch(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

/** The packages (by directory under node_modules) in a list written by loaded-modules.mjs. */
function packagesIn(list: string): Set<string> {
  const names = [...list.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]!)
  return new Set(names)
}

/** Starts `node <args> serve`, waits for /healthz to answer 200, stops it (SIGTERM) and waits for its exit. */
async function serveOnce(
  args: string[],
  env: Record<string, string>,
  { stayMs = 0 } = {},
): Promise<{ health: unknown; home: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, [...args, 'serve'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    const started = Date.now()
    for (;;) {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)
      if (r?.ok) {
        const home = await fetch(`http://127.0.0.1:${port}/`)
        const answer = { health: await r.json(), home: await home.text() }
        // Left running a while longer, for what it does in the background.
        if (stayMs) await new Promise((resolve) => setTimeout(resolve, stayMs))
        return answer
      }
      if (child.exitCode !== null) throw new Error(`gongkai serve exited: ${stderr}`)
      if (Date.now() - started > 50_000) throw new Error(`gongkai serve did not answer /healthz: ${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

test('gongkai --help loads none of the document, chart or mail libraries', async () => {
  const list = path.join(scratch('gongkai-loaded-'), 'modules.txt')
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', hook, bin, '--help'], {
    env: { ...process.env, LOADED_MODULES_FILE: list },
  })
  expect(stdout).toContain('用法：gongkai <命令>')
  const loaded = readFileSync(list, 'utf8')
  expect(loaded).toMatch(/cli\/gongkai\.(ts|js)/) // the list is the command's own
  expect([...packagesIn(loaded)].filter((p) => heavy.test(`node_modules/${p}/`))).toEqual([])
})

test('a started server answers /healthz without having loaded echarts, exceljs, cheerio, docx, mail or PDF libraries', async () => {
  const list = path.join(scratch('gongkai-loaded-'), 'modules.txt')
  const { health } = await serveOnce(['--import', hook, bin], {
    DATA_DIR: scratch('gongkai-startup-'),
    LOADED_MODULES_FILE: list,
    PRELOAD_DELAY_MS: '600000', // the background preload below must not come into this list
  })
  expect(health).toMatchObject({ status: 'ok', database: 'sqlite' })
  const packages = packagesIn(readFileSync(list, 'utf8'))
  expect(packages).toContain('fastify') // the list covers the server
  expect([...packages].filter((p) => heavy.test(`node_modules/${p}/`))).toEqual([])
})

test('a started server loads the HTML library in the background, without the parts for fetching pages (undici)', async () => {
  // The first publication after a start loaded cheerio at once and held the server for 270–540 ms at 1,000,000 items;
  // the server now loads it a module at a time after it starts listening (files/cheerio.ts).
  const list = path.join(scratch('gongkai-loaded-'), 'modules.txt')
  const { health } = await serveOnce(
    ['--import', hook, bin],
    {
      DATA_DIR: scratch('gongkai-preload-'),
      LOADED_MODULES_FILE: list,
      PRELOAD_DELAY_MS: '0',
    },
    { stayMs: 2500 },
  )
  expect(health).toMatchObject({ status: 'ok', database: 'sqlite' })
  const loaded = readFileSync(list, 'utf8')
  const packages = packagesIn(loaded)
  expect(packages).toContain('parse5')
  expect(packages).toContain('htmlparser2')
  expect(loaded).toMatch(/node_modules\/cheerio\/dist\/commonjs\/load-parse\.js/)
  expect(packages).not.toContain('undici')
})

const built = existsSync(path.join(root, 'dist', '.built'))

test.skipIf(!built)('the JavaScript compiled at install prints the Chinese help', async () => {
  const run = `const { runCli } = await import(${JSON.stringify(path.join(root, 'dist', 'cli', 'gongkai.js'))})
process.exitCode = await runCli(process.argv.slice(1))`
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', run, '--', '--help'])
  expect(stdout).toContain('用法：gongkai <命令> [选项]')
  expect(stdout).toContain('启动平台')
})

test.skipIf(!built)(
  'the compiled server starts on an empty data directory and shows the Chinese set-up page',
  async () => {
    const run = `const { runCli } = await import(${JSON.stringify(path.join(root, 'dist', 'cli', 'gongkai.js'))})
process.exitCode = await runCli(process.argv.slice(1))`
    const { health, home } = await serveOnce(['--input-type=module', '-e', run, '--'], {
      DATA_DIR: scratch('gongkai-dist-'),
    })
    expect(health).toMatchObject({ status: 'ok', database: 'sqlite' })
    expect(home).toContain('平台初始化')
  },
)
