import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { importReport } from './read-file.ts'
import { rejoinWrappedLines } from './paragraphs.ts'

// Issue #12: a report imported from a PDF keeps its paragraphs, not one paragraph per printed line.

describe('paragraphs of text copied from a PDF', () => {
  test('printed lines of one width run on until a short line or a heading; web-page paragraphs stay as they are', () => {
    const printed = [
      '2024年，我市坚持以习近平新时代中国特色社会主义思想为',
      '指导，认真学习宣传贯彻党的二十大和二十届二中、三中全会精',
      '神，按照党中央国务院、省委省政府决策部署和市委工作要求，',
      '完成了各项任务。',
      '（一）主动公开情况。2024年，市政府网站主动公开各类政',
      '府信息5500余条。',
    ]
    expect(rejoinWrappedLines(printed)).toEqual([
      '2024年，我市坚持以习近平新时代中国特色社会主义思想为指导，认真学习宣传贯彻党的二十大和二十届二中、三中全会精神，按照党中央国务院、省委省政府决策部署和市委工作要求，完成了各项任务。',
      '（一）主动公开情况。2024年，市政府网站主动公开各类政府信息5500余条。',
    ])
    const web = [
      '一、总体情况',
      '2020年，我局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。',
      '（一）主动公开。按照条例要求，通过门户网站、微信公众号等渠道主动公开政府信息296条。',
    ]
    expect(rejoinWrappedLines(web)).toEqual(web)
  })

  const pdf = path.resolve('../shared/examples/huaian-2024.pdf')
  test.skipIf(!existsSync(pdf))(
    'the 淮安 2024 report (PDF) reads as six paragraphs in 总体情况 (skipped when ../shared/examples is absent)',
    async () => {
      const report = await importReport(readFileSync(pdf), 'huaian-2024.pdf')
      const paragraphs = (report.sections.overview ?? '').split('\n')
      expect(paragraphs).toHaveLength(6)
      expect(paragraphs[0]).toMatch(/^2024年，我市坚持.*完成了各项任务。$/)
      expect(paragraphs.slice(1).map((p) => p.slice(0, 3))).toEqual(['（一）', '（二）', '（三）', '（四）', '（五）'])
    },
  )
})
