import { expect, test } from 'vitest'
import { bodyText, sanitizeBody } from './rich-text.ts'

test('plain text becomes escaped paragraphs', () => {
  expect(sanitizeBody('第一段 <不是标签\n\n第二段 & 符号')).toBe('<p>第一段 &lt;不是标签</p><p>第二段 &amp; 符号</p>')
})

test('the allowed formatting stays: paragraphs, emphasis, lists, tables with spans, safe links', () => {
  const html =
    '<h2>标题</h2><p><strong>重点</strong>内容</p><ul><li>一</li></ul><table><tr><td colspan="2">合并</td></tr></table><a href="https://www.gov.cn/">中国政府网</a>'
  expect(sanitizeBody(html)).toBe(
    '<h2>标题</h2><p><strong>重点</strong>内容</p><ul><li>一</li></ul><table><tbody><tr><td colspan="2">合并</td></tr></tbody></table><a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>',
  )
})

test('no payload of an XSS corpus survives: scripts, handlers, javascript: links, frames, styles, SVG', () => {
  const corpus = [
    '<script>alert(1)</script>正文',
    '<img src=x onerror=alert(1)>正文',
    '<p onclick="alert(1)" style="background:url(javascript:alert(1))">正文</p>',
    '<a href="javascript:alert(1)">链接</a>',
    '<a href=" JaVaScRiPt:alert(1)">链接</a>',
    '<a href="//evil.example/">链接</a>',
    '<iframe src="https://evil.example"></iframe>正文',
    '<svg><script>alert(1)</script></svg>正文',
    '<style>body{display:none}</style>正文',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<!--<img src=x onerror=alert(1)>-->正文',
    '<td rowspan="1 onmouseover=alert(1)">x</td>',
  ]
  for (const payload of corpus) {
    const out = sanitizeBody(payload)
    expect(out, payload).not.toMatch(/<script|<iframe|<svg|<style|<img|<math|\son\w+=|javascript:|href="\/\//i)
  }
})

test('the text of a body reads as the text people see', () => {
  expect(bodyText('<p>第一段</p><ul><li>要点</li></ul><p>第二段</p>')).toBe('第一段\n要点\n第二段')
})

test('OUT-01: what Word pastes is cleaned: its h1 becomes a body heading (h2), its blank lines (<o:p>&nbsp;</o:p>) go, spans, classes and mso- styles go', () => {
  const word =
    '<h1 style="mso-margin-top-alt:auto"><span lang=EN-US>通知</span></h1><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal style="mso-char-indent-count:2.0"><span style="font-family:仿宋">正文<o:p></o:p></span></p><h6>小标题</h6>'
  expect(sanitizeBody(word)).toBe('<h2>通知</h2><p>正文</p><h4>小标题</h4>')
})
