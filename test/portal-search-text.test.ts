import { expect, test } from 'vitest'
import { docNumbersIn, titlesIn } from '../src/portal/interpretations.ts'
import { numberSpellings, searchText } from '../src/portal/search-query.ts'

// What the portal makes of typed text: a query cut rather than refused, a 文号 found however its
// year's brackets are typed (GB/T 9704-2012 writes 〔〕), and the 文号 and 《titles》 a 解读 names.

test('a 200-character query is cut to 50 characters instead of refused', () => {
  const long = '政'.repeat(200)
  expect(searchText(long)).toEqual({ q: '政'.repeat(50), cut: true })
  expect(searchText('  政务公开  ')).toEqual({ q: '政务公开', cut: false })
  expect(searchText(undefined)).toEqual({ q: '', cut: false })
})

test('a 文号 typed with [] or （） is also looked up with the 〔〕 of GB/T 9704-2012; an 索引号 in capitals', () => {
  expect(numberSpellings('垫府办发[2026]3号')).toContain('垫府办发〔2026〕3号')
  expect(numberSpellings('垫府办发（2026）3号')).toContain('垫府办发〔2026〕3号')
  expect(numberSpellings('11500231mb15204609/2026-00001')).toContain('11500231MB15204609/2026-00001')
  // Words without digits are not numbers: no exact look-up for them.
  expect(numberSpellings('政务公开')).toEqual([])
})

test('a 解读 names its policy by 文号 in running text, whatever bracket, or by 《title》', () => {
  const text = '近日，县政府办公室印发了垫府办发[2026]3号文件。《垫江县政务公开工作要点》明确了……'
  expect(docNumbersIn(text)).toContain('垫府办发〔2026〕3号')
  expect(titlesIn(text)).toEqual(['垫江县政务公开工作要点'])
  // A short 《》 (a law's abbreviation like 《条例》) is not a title to link.
  expect(titlesIn('依照《条例》第二十条')).toEqual([])
})
