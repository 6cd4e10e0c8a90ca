import { expect, test } from 'vitest'
import { documentTokens, queryParts } from './tokenize.ts'

test('Han text becomes overlapping bigrams plus the last character of each run', () => {
  expect(documentTokens('政府信息')).toEqual(['政府', '府信', '信息', '息'])
  expect(documentTokens('2024年政府预算 Budget')).toEqual(['2024', '年政', '政府', '府预', '预算', '算', 'budget'])
})

test('a query of one character is a prefix, of several a phrase, words stay words', () => {
  expect(queryParts('公')).toEqual([{ kind: 'prefix', token: '公' }])
  expect(queryParts('信息公开')).toEqual([{ kind: 'phrase', tokens: ['信息', '息公', '公开'] }])
  expect(queryParts('预算 budget')).toEqual([
    { kind: 'phrase', tokens: ['预算'] },
    { kind: 'word', token: 'budget' },
  ])
  expect(queryParts('！？')).toEqual([])
})
