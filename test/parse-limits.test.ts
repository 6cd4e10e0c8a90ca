import { readFileSync } from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { crc32, deflateRawSync, deflateSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { checkOfficeZip, defaultParseLimits } from '../src/files/parse-limits.ts'
import { checkPdf } from '../src/files/pdf-limits.ts'
import { readAttachment } from '../src/confidentiality/extract-text.ts'
import { renderReportPdf } from '../src/reports/render/report-pdf.ts'
import { findAgencyById } from '../src/agencies/agency.store.ts'
import { buildItem } from './support/build-item.ts'
import { arbitraryReport } from './support/report-arbitrary.ts'
import { inWorker, parseWorkersRunning, stopParseWorkers } from '../src/files/parse-worker.ts'
import { listColumns, listItemsOfAgency } from '../src/disclosures/disclosure.store.ts'
import { sanitizeBody } from '../src/disclosures/rich-text.ts'
import { buildStaff, signIn } from './support/builders.ts'
import type { Browserless } from './support/builders.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { multipart } from './support/multipart.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #14 (red team, "High"): an 859 KB XLSX of 10 million cells, a DOCX that expands or nests
// without end and an HTML page of 200,000 nested divs each held the whole server. Each is refused
// 422 with a Chinese reason naming the limit, and /healthz, probed over HTTP every 20 ms while the
// upload is handled, answers every probe within 100 ms; afterwards the server still imports a normal
// file. Past the cheap checks (limits raised), the parse runs in a worker that is stopped at its
// memory or time limit, with the same guarantee for /healthz.

/** A zip written by hand, so that a 160 MB sheet is deflated natively in a second (and a size can lie). */
function zip(files: Record<string, string | Buffer>, claimed: Record<string, number> = {}): Buffer {
  const locals: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content)
    const packed = deflateRawSync(data, { level: 6 })
    const nameBytes = Buffer.from(name)
    const size = claimed[name] ?? data.length
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(crc32(data), 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(0x02014b50, 0)
    entry.writeUInt16LE(20, 4)
    entry.writeUInt16LE(20, 6)
    entry.writeUInt16LE(0x0800, 8)
    entry.writeUInt16LE(8, 10)
    entry.writeUInt32LE(crc32(data), 16)
    entry.writeUInt32LE(packed.length, 20)
    entry.writeUInt32LE(size, 24)
    entry.writeUInt16LE(nameBytes.length, 28)
    entry.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, packed)
    central.push(entry, nameBytes)
    offset += 30 + nameBytes.length + packed.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(files).length, 8)
  end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

const ns = 'http://schemas.openxmlformats.org'
const rel = (type: string, target: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/${type}" Target="${target}"/></Relationships>`

/** `text` `times` over, made as bytes (a 160 MB string would leave the test's own garbage to collect). */
const repeated = (text: string, times: number) => {
  const one = Buffer.from(text)
  return Buffer.alloc(one.length * times, one)
}

/** A workbook of one sheet holding `rows` rows of `cols` numbers (or `sheetRows`), its <dimension> saying so. */
function workbook(rows: number, cols: number, sheetRows?: Buffer): Buffer {
  const last = String.fromCharCode(64 + cols)
  return zip({
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    '_rels/.rels': rel('officeDocument', 'xl/workbook.xml'),
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': rel('worksheet', 'worksheets/sheet1.xml'),
    'xl/worksheets/sheet1.xml': Buffer.concat([
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}/spreadsheetml/2006/main"><dimension ref="A1:${last}${rows}"/><sheetData>`,
      ),
      sheetRows ?? repeated(`<row>${'<c><v>1</v></c>'.repeat(cols)}</row>`, rows),
      Buffer.from('</sheetData></worksheet>'),
    ]),
  })
}

/** The red team's XLSX: about 10 million cells, a few hundred KB compressed. */
const tenMillionCells = () => workbook(1_000_000, 10)

/** A DOCX whose document nests 100,000 levels deep and expands to a million paragraphs. */
function hostileDocx(): Buffer {
  const w = `${ns}/wordprocessingml/2006/main`
  const depth = 100_000
  const body = Buffer.concat([
    Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${w}"><w:body>`),
    repeated('<w:sdt><w:sdtContent>', depth),
    Buffer.from('<w:p><w:r><w:t>公开</w:t></w:r></w:p>'),
    repeated('</w:sdtContent></w:sdt>', depth),
    repeated('<w:p><w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p>', 1_000_000),
    Buffer.from('</w:body></w:document>'),
  ])
  return zip({
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    '_rels/.rels': rel('officeDocument', 'word/document.xml'),
    'word/document.xml': body,
  })
}

/** The red team's page: 200,000 nested divs, 2.2 MB. */
const nestedDivs = () =>
  Buffer.concat([
    Buffer.from('<html><body>'),
    repeated('<div>', 200_000),
    Buffer.from('公开'),
    repeated('</div>', 200_000),
    Buffer.from('</body></html>'),
  ])

/**
 * A PDF written by hand: `objects` numbered from 1 (object 1 the catalog), a cross-reference table
 * that points at each, and the trailer (with `trailer` added to it).
 */
function pdf(objects: (string | Buffer)[], trailer = ''): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')]
  let at = parts[0]!.length
  const offsets: number[] = []
  objects.forEach((o, i) => {
    const bytes = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.from(o), Buffer.from('\nendobj\n')])
    offsets.push(at)
    parts.push(bytes)
    at += bytes.length
  })
  const xref = [
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('')
  parts.push(
    Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>\nstartxref\n${at}\n%%EOF\n`),
  )
  return Buffer.concat(parts)
}

const stream = (dict: string, data: Buffer | string) => {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1')
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${bytes.length} >>\nstream\n`),
    bytes,
    Buffer.from('\nendstream'),
  ])
}

/** A one-page PDF whose page says `text` in Helvetica, its page tree claiming `pages` pages. */
function onePagePdf(text: string, pages: number | string = 1, more: (string | Buffer)[] = [], trailer = ''): Buffer {
  return pdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      `<< /Type /Pages /Kids [3 0 R] /Count ${pages} >>`,
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      stream('', `BT /F1 12 Tf 72 760 Td (${text}) Tj ET`),
      ...more,
    ],
    trailer,
  )
}

/** A PDF of a million objects: one object stream holds them (deflated, a few MB), its dictionary says so. */
function millionObjects(): Buffer {
  const count = 1_000_000
  const header = Array.from({ length: count }, (_, k) => `${k + 7} ${k * 5}`).join(' ')
  const body = Buffer.concat([Buffer.from(`${header}\n`), repeated('null ', count)])
  const packed = deflateSync(body)
  return onePagePdf('Notice', 1, [
    stream(`/Type /ObjStm /N ${count} /First ${header.length + 1} /Filter /FlateDecode`, packed),
  ])
}

/** A PDF encrypted with the standard security handler (RC4, 40 bits: what "restrict printing" often writes). */
const encryptedPdf = () =>
  onePagePdf(
    'Notice',
    1,
    [`<< /Filter /Standard /V 1 /R 2 /O <${'7a'.repeat(32)}> /U <${'3b'.repeat(32)}> /P -44 >>`],
    `/Encrypt 6 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] `,
  )

const hostilePdfs = [
  {
    what: 'a PDF claiming 100,000 pages',
    file: () => onePagePdf('Notice', 100_000),
    refused: /PDF 文件有 100,000 页，超过上限 2,000 页/,
  },
  {
    what: 'a PDF of 1,000,000 objects',
    file: millionObjects,
    refused: /PDF 文件中有 1,000,00\d 个对象，超过上限 200,000 个/,
  },
  { what: 'an encrypted PDF', file: encryptedPdf, refused: /PDF 文件已加密/ },
]

// The server shares this process with the test: a full collection of what building the files left
// is done before the probes start, so that its pause is not charged to the server.
v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void

type Answer = { status: number; body: string; location: string | null }

/**
 * Runs `during` while /healthz is asked over HTTP every 20 ms, and answers with what `during` answered
 * and each probe's latency in ms (with its status).
 */
async function probingHealth(base: string, during: () => Promise<Answer>) {
  const probes: { ms: number; status: number }[] = []
  collectGarbage() // the test's own garbage (building the file) is not the server's work
  await (await fetch(`${base}/healthz`)).text() // the client's first connection is not the server's latency
  let stop = false
  const loop = (async () => {
    while (!stop) {
      const started = performance.now()
      const res = await fetch(`${base}/healthz`)
      await res.text()
      probes.push({ ms: performance.now() - started, status: res.status })
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  try {
    return { answer: await during(), probes }
  } finally {
    stop = true
    await loop
  }
}

async function served(t: TestApp) {
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

async function post(
  base: string,
  s: Browserless,
  url: string,
  name: string,
  content: Buffer,
  fields: Record<string, string> = {},
): Promise<Answer> {
  const body = multipart({ _csrf: s.csrf, ...fields }, { name, content })
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { cookie: s.cookie, 'content-type': body.contentType },
    body: body.payload,
    redirect: 'manual',
  })
  return { status: res.status, body: await res.text(), location: res.headers.get('location') }
}

const hostile = [
  {
    what: 'an XLSX of 10 million cells to the powers import',
    url: '/console/activities/powers/import',
    name: '权责清单.xlsx',
    file: tenMillionCells,
    refused: /解压后共 \d+ MB，超过上限 100 MB/,
  },
  {
    what: 'a DOCX nested 100,000 deep and expanding a thousandfold to the report upload',
    url: '/console/reports/upload',
    name: '2023年报.docx',
    file: hostileDocx,
    refused: /解压后是原来的 \d+ 倍，超过上限 100 倍/,
  },
  {
    what: 'an HTML page of 200,000 nested divs to the report upload',
    url: '/console/reports/upload',
    name: '2023年报.html',
    file: nestedDivs,
    refused: /标签嵌套超过 200 层/,
  },
]

/** A normal report and a normal powers XLSX still import, on the server that was just handed the hostile files. */
async function stillWorks(base: string, s: Browserless) {
  const report = readFileSync(path.resolve('test/fixtures/reports/dianjiang-justice-2020.txt'))
  const imported = await post(base, s, '/console/reports/upload', '2020年报.txt', report)
  expect(imported.status, imported.body.slice(0, 300)).toBe(303)
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('权责清单')
  ws.addRow(['事项类型', '事项名称', '生效日期', '失效日期'])
  ws.addRow(['行政许可', '律师事务所设立许可', '2019-01-01', ''])
  const powers = await post(
    base,
    s,
    '/console/activities/powers/import',
    '权责清单.xlsx',
    Buffer.from(await wb.xlsx.writeBuffer()),
  )
  expect(powers.status, powers.body.slice(0, 300)).toBe(303)
  expect(powers.location).toBe('/console/activities?imported=1')
}

// The bound is 100 ms per probe. On the shared 2-core machines these tests run on (other test files
// in the next fork, other engineers' builds, a load of 8–10), the scheduler sometimes holds this
// process from the processor for 100–300 ms whatever it is doing: an idle server shows the same. So
// two probes of an upload may be late, none by a second, and a run that is still unlucky is repeated.
// A server blocked by a parse, as before issue #14, answers no probe for the whole parse: seconds to
// minutes, on every run.
const noisyMachine = { retry: 2, timeout: 180_000 }

function expectAnsweredThroughout(probes: { ms: number; status: number }[], what: string) {
  expect(probes.length, what).toBeGreaterThan(0)
  expect(
    probes.filter((p) => p.status !== 200),
    what,
  ).toEqual([])
  const late = probes.filter((p) => p.ms > 100).map((p) => Math.round(p.ms))
  expect(late.length, `${what}: probes over 100 ms: ${late.join(', ')}`).toBeLessThanOrEqual(2)
  expect(Math.max(...probes.map((p) => p.ms)), what).toBeLessThan(1000)
}

describe.each(databaseKinds)('parse limits on %s', (kind) => {
  test(
    'the three hostile files are refused 422 with the limit named in Chinese, and /healthz answers within 100 ms throughout',
    noisyMachine,
    async () => {
      const t = await testApp(kind)
      try {
        const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
        const base = await served(t)
        await stillWorks(base, s) // each route's first request (module loading, compiling) is not what is measured
        for (const h of hostile) {
          const file = h.file()
          const { answer, probes } = await probingHealth(base, () => post(base, s, h.url, h.name, file))
          expect(answer.status, h.what).toBe(422)
          expect(answer.body, h.what).toMatch(h.refused)
          expect(answer.body, h.what).toContain('拒绝处理')
          expectAnsweredThroughout(probes, h.what)
        }
        await stillWorks(base, s)
      } finally {
        await t.close()
      }
    },
  )

  test(
    'past the cheap checks, the parse worker is stopped at its memory or time limit (422 in Chinese) and /healthz answers within 100 ms throughout',
    noisyMachine,
    async () => {
      // Every limit but the worker's heap and time raised, so that each file reaches its parser.
      const t = await testApp(kind, {
        env: {
          PARSE_MAX_UNCOMPRESSED_MB: '100000',
          PARSE_MAX_RATIO: '1000000',
          PARSE_MAX_ROWS: '1000000000',
          PARSE_MAX_CELLS: '1000000000',
          PARSE_MAX_DEPTH: '10000000',
          PARSE_MEMORY_MB: '128',
          PARSE_TIMEOUT_SECONDS: '8',
        },
      })
      try {
        const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
        const base = await served(t)
        await stillWorks(base, s) // each route's first request (module loading, compiling) is not what is measured
        for (const h of hostile) {
          const file = h.file()
          const { answer, probes } = await probingHealth(base, () => post(base, s, h.url, h.name, file))
          expect(answer.status, h.what).toBe(422)
          // Stopped at a limit, or (a parser that gives up on its own) refused as unreadable: never a hang.
          expect(answer.body, h.what).toMatch(/文件过于复杂，解析(超过 8 秒|所需内存超过 128 MB)，已停止|无法读取/)
          expectAnsweredThroughout(probes, h.what)
        }
        await stillWorks(base, s)
      } finally {
        await t.close()
      }
    },
  )

  test(
    'PDFs claiming 100,000 pages, holding 1,000,000 objects or encrypted are refused 422 with the limit named in Chinese, at the report upload and as an item attachment, and /healthz answers within 100 ms throughout; a normal PDF still works',
    noisyMachine,
    async () => {
      const t = await testApp(kind)
      try {
        const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
        const item = await buildItem(t.deps, { until: 'draft' })
        const base = await served(t)
        // A normal PDF of each kind, first (each route's first request is not what is measured) and last.
        const normalPdfsWork = async () => {
          const report = fc.sample(arbitraryReport(), { numRuns: 1, seed: 7 })[0]!
          report.agency = (await findAgencyById(t.deps.db, t.officeId))!.name
          const imported = await post(
            base,
            s,
            '/console/reports/upload',
            `${report.year}年报.pdf`,
            await renderReportPdf(report),
          )
          expect(imported.status, imported.body.slice(0, 300)).toBe(303)
          const attached = await post(
            base,
            s,
            `/console/items/${item.id}/attachments`,
            '名单.pdf',
            onePagePdf('ID 11010519491231002X'),
          )
          expect(attached.status, attached.body.slice(0, 300)).toBe(303)
          // Read through pdf.js in the worker: the ID number on its page is found by the scan.
          const row = await t.deps.db
            .selectFrom('items')
            .select('findings')
            .where('id', '=', item.id)
            .executeTakeFirstOrThrow()
          expect(row.findings).toContain('id_number')
        }
        await normalPdfsWork()
        for (const h of hostilePdfs) {
          const file = h.file()
          for (const url of ['/console/reports/upload', `/console/items/${item.id}/attachments`]) {
            const what = `${h.what} to ${url}`
            const { answer, probes } = await probingHealth(base, () => post(base, s, url, '2023年报.pdf', file))
            expect(answer.status, what).toBe(422)
            expect(answer.body, what).toMatch(h.refused)
            expect(answer.body, what).toContain('拒绝处理')
            expectAnsweredThroughout(probes, what)
          }
        }
        expect(
          (await t.deps.db.selectFrom('attachments').select('file_name').execute()).map((a) => a.file_name),
        ).toEqual(['名单.pdf'])
        await normalPdfsWork()
      } finally {
        await t.close()
      }
    },
  )

  test('an item body nested 5,000 tags deep is refused 422 in Chinese before the sanitiser parses it; a normal body is kept', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const deep = `${'<blockquote>'.repeat(5000)}公开${'</blockquote>'.repeat(5000)}`
      const preview = await t.app.inject({
        method: 'POST',
        url: '/console/items/preview',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: s.csrf, title: '测试', body: deep }).toString(),
      })
      expect(preview.statusCode).toBe(422)
      expect(preview.body).toContain('正文的标签嵌套超过 100 层')
      // Saved from the item form: refused with the reason beside the body, the input kept, nothing stored.
      const column = (await listColumns(t.deps.db, t.officeId))[0]!.id
      const created = await t.app.inject({
        method: 'POST',
        url: '/console/items',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: s.csrf,
          columnId: String(column),
          title: '关于做好政务公开工作的通知',
          formedOn: '2026-03-01',
          body: deep,
          validity: 'valid',
        }).toString(),
      })
      expect(created.statusCode).toBe(422)
      expect(created.body).toContain('正文的标签嵌套超过 100 层（上限），无法保存')
      expect(created.body).toContain('关于做好政务公开工作的通知')
      expect(await listItemsOfAgency(t.deps.db, t.officeId)).toEqual([])
      expect(sanitizeBody('<p><strong>依申请公开</strong>的<em>答复</em></p><ul><li>一</li><li>二</li></ul>')).toBe(
        '<p><strong>依申请公开</strong>的<em>答复</em></p><ul><li>一</li><li>二</li></ul>',
      )
    } finally {
      await t.close()
    }
  })
})

describe('cheap checks on a workbook, before it is parsed', () => {
  test('a sheet that claims more cells than the limit in its <dimension> is refused, naming the limit', async () => {
    const claims = workbook(100_000, 26, Buffer.from('<row><c><v>1</v></c></row>'))
    await expect(checkOfficeZip(claims)).rejects.toThrow(/单元格数超过上限 1,000,000 个/)
  })

  test('a sheet holding more rows than the limit is refused, whatever its <dimension> says', async () => {
    const rows = workbook(1, 1, repeated('<row/>', defaultParseLimits.maxRows + 1))
    await expect(checkOfficeZip(rows)).rejects.toThrow(/行数超过上限 200,000 行/)
  })

  test('a zip whose directory understates what an entry expands to is caught while it inflates', async () => {
    const big = repeated('x', 3 * 1024 * 1024)
    const lying = zip({ 'word/document.xml': big }, { 'word/document.xml': 100 })
    await expect(checkOfficeZip(lying, { ...defaultParseLimits, maxUncompressedMb: 2 })).rejects.toThrow(
      /解压后超过上限 2 MB/,
    )
  })

  test('a DOCX nested deeper than the limit is refused while it inflates, naming the limit', async () => {
    const deep = zip({
      'word/document.xml': Buffer.concat([
        Buffer.from('<w:document><w:body>'),
        repeated('<w:sdt><w:sdtContent>', 1000),
        repeated('</w:sdtContent></w:sdt>', 1000),
        Buffer.from('</w:body></w:document>'),
      ]),
    })
    await expect(checkOfficeZip(deep)).rejects.toThrow(/标签嵌套超过 200 层/)
  })

  test('a normal workbook passes', async () => {
    await expect(checkOfficeZip(workbook(500, 8))).resolves.toBeUndefined()
  })
})

describe('cheap checks on a PDF, before pdf.js reads it', () => {
  test('a PDF larger than the limit is refused, naming the limit', () => {
    const big = onePagePdf('Notice', 1, [stream('', repeated('0 ', 1024 * 1024))])
    expect(() => checkPdf(big, { ...defaultParseLimits, maxPdfMb: 1 })).toThrow(/PDF 文件大小为 2\.0 MB，超过上限 1 MB/)
  })

  test('a content stream that inflates past the uncompressed limit is refused while it inflates', () => {
    const bomb = onePagePdf('Notice', 1, [stream('/Filter /FlateDecode', deflateSync(repeated(' ', 3 * 1024 * 1024)))])
    expect(() => checkPdf(bomb, { ...defaultParseLimits, maxUncompressedMb: 2 })).toThrow(/数据流解压后超过上限 2 MB/)
  })

  test('a page count the bytes do not show (behind a reference) is refused by the page limit pdf.js reads with', async () => {
    // Eleven real pages (pdf.js counts the page tree when /Count lies), their count in object 3.
    const kids = Array.from({ length: 11 }, (_, k) => `${k + 6} 0 R`).join(' ')
    const page =
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>'
    const hidden = pdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      `<< /Type /Pages /Kids [${kids}] /Count 3 0 R >>`,
      '11',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      stream('', 'BT /F1 12 Tf 72 760 Td (Notice) Tj ET'),
      ...Array.from({ length: 11 }, () => page),
    ])
    const limits = { ...defaultParseLimits, maxPdfPages: 10 }
    expect(() => checkPdf(hidden, limits)).not.toThrow()
    await expect(readAttachment(hidden, '通知.pdf', limits)).rejects.toThrow(/PDF 文件有 11 页，超过上限 10 页/)
    const { readPdf } = await import('../src/reports/import/read-pdf.ts')
    await expect(readPdf(new Uint8Array(hidden), limits)).rejects.toThrow(/PDF 文件有 11 页，超过上限 10 页/)
  })

  test('a normal PDF passes and its text is read', async () => {
    const normal = onePagePdf('Notice 2026')
    expect(() => checkPdf(normal)).not.toThrow()
    expect(await readAttachment(normal, '通知.pdf')).toContain('Notice 2026')
  })
})

describe('shutting down (SIGTERM) while a file is being parsed', () => {
  test('the parse in progress is stopped at once and its caller told why in Chinese, so that the server can exit', async () => {
    const generous = { ...defaultParseLimits, maxUncompressedMb: 100000, maxRatio: 1e6, maxRows: 1e9, maxCells: 1e9 }
    const parsing = inWorker('activityTable', { bytes: tenMillionCells() }, { ...generous, timeoutSeconds: 120 })
    const outcome = parsing.then(
      () => 'parsed',
      (e: Error) => e.message,
    )
    expect(parseWorkersRunning()).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 1500)) // the worker is in the middle of its parse
    await stopParseWorkers() // what src/main.ts does first on SIGTERM and SIGINT
    expect(parseWorkersRunning()).toBe(0)
    expect(await outcome).toBe('服务器正在停止，文件未解析完成，请稍后重试')
  })
})
