#!/usr/bin/env node
// Compiles src/ to JavaScript in dist/, file by file in a mirrored tree (issue #15 §4): the server and
// the CLI then start without transpiling the sources at each start (bin/gongkai.mjs runs dist/ when it
// is at least as new as src/, else the sources through tsx). Run at install (`prepare`) and by hand.
// Each module stays its own file, so the files read beside a module (import.meta.url) are copied next
// to it and still found; relative imports of `.ts`/`.tsx` become `.js`, packages stay imports — but
// for kysely and zod, ES-module packages of 263 and 95 files which Node 20 loads one by one at each
// start: each is bundled once into dist/vendor/<name>.js and imported from there.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src')
const dist = path.join(root, 'dist')
/** The file whose time says when dist/ was built; bin/gongkai.mjs compares the sources' times with it. */
const stampName = '.built'

const isTest = (f) => /\.test\.tsx?$/.test(f)
const files = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => path.join(e.parentPath, e.name))
  .filter((f) => !isTest(f))
const sources = files.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
const assets = files.filter((f) => !/\.tsx?$/.test(f))

const vendored = ['kysely', 'zod']
const vendorFile = (name) => path.join(dist, 'vendor', `${name}.js`)

const started = Date.now()
rmSync(dist, { recursive: true, force: true })
for (const name of vendored)
  await build({
    absWorkingDir: root,
    stdin: { contents: `export * from '${name}'`, resolveDir: root },
    outfile: vendorFile(name),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  })
await build({
  absWorkingDir: root,
  entryPoints: sources,
  outdir: dist,
  outbase: src,
  // bundle is on only so that the plugin below sees every import; every import is left external.
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  charset: 'utf8',
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning',
  plugins: [
    {
      name: 'each-file-its-own-module',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined
          if (args.path.startsWith('.')) return { path: args.path.replace(/\.tsx?$/, '.js'), external: true }
          if (vendored.includes(args.path)) {
            const from = path.join(dist, path.relative(src, path.dirname(args.importer)))
            return {
              path: `./${path.relative(from, vendorFile(args.path))}`.replace(/^\.\/\.\./, '..'),
              external: true,
            }
          }
          return { path: args.path, external: true }
        })
      },
    },
  ],
})
for (const f of assets) {
  const to = path.join(dist, path.relative(src, f))
  mkdirSync(path.dirname(to), { recursive: true })
  copyFileSync(f, to)
}
writeFileSync(path.join(dist, stampName), `${new Date().toISOString()}\n`)
console.log(`dist/: ${sources.length} modules compiled, ${assets.length} files copied, in ${Date.now() - started} ms`)
