// Text from published reports is normalised once before parsing: full-width digits, letters and
// number signs, the Kangxi radicals block (by NFKC), the CJK Radicals Supplement that NFKC leaves
// alone (stack.md pitfall 19), traditional characters of the report's vocabulary, and stray spaces.
// Chinese punctuation （，。：；“”） is kept: narratives are given back as written.

// Traditional → simplified, for the characters that occur in report labels and headings.
const traditional = '開報資訊條請數據結轉處屬國祕機關禁險權護內務過執詢項無現製補經訴復議訟維糾審總計個規範許罰強費採購額單訂廢現張與對應類別種證號門網頁發佈於從為辦當時間區縣鄉鎮處廳廣東陝貴歷團體學術構織會務勞動農業衛計聯繫電話郵傳聞獲這麼麽們來進達運營費用'
const simplified = '开报资讯条请数据结转处属国秘机关禁险权护内务过执询项无现制补经诉复议讼维纠审总计个规范许罚强费采购额单订废现张与对应类别种证号门网页发布于从为办当时间区县乡镇处厅广东陕贵历团体学术构织会务劳动农业卫计联系电话邮传闻获这么么们来进达运营费用'
const t2s = new Map<string, string>()
for (let i = 0; i < traditional.length; i++) {
  const t = traditional[i]!
  const s = simplified[i]
  if (s && t !== s) t2s.set(t, s)
}
for (const [t, s] of Object.entries({ '徵': '征', '佈': '布', '產': '产', '眾': '众', '為': '为', '準': '准', '當': '当', '積': '积', '極': '极', '參': '参', '與': '与', '齊': '齐', '據': '据', '歲': '岁', '變': '变', '關': '关', '應': '应', '舉': '举', '報': '报', '導': '导', '標': '标', '隱': '隐', '際': '际', '萬': '万', '億': '亿', '圍': '围', '礎': '础', '頭': '头', '兩': '两', '蘭': '兰', '嚴': '严', '實': '实', '議': '议', '書': '书', '義': '义', '級': '级', '紙': '纸', '線': '线' })) if ([...t].length === 1) t2s.set(t, s)

// CJK Radicals Supplement code points seen in Chromium-made PDFs, mapped to the ideograph they stand for.
const radicals: Record<string, string> = { '⺠': '民', '⻅': '见', '⻓': '长', '⻔': '门', '⻢': '马', '⻛': '风', '⻜': '飞', '⻆': '角', '⻋': '车', '⻝': '食', '⻘': '青', '⻚': '页', '⻬': '齐', '⻩': '黄', '⻰': '龙', '⻳': '龟', '⺟': '母' }

export function normaliseText(text: string): string {
  let out = text
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0b\uff0d\uff0e\uff0f\uff05]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u2f00-\u2fdf]/g, (c) => c.normalize('NFKC'))
  out = out.replace(/[\u2e80-\u2eff]/g, (c) => radicals[c] ?? c)
  out = out.replace(/[\u3400-\u9fff\uf900-\ufaff]/g, (c) => t2s.get(c) ?? c)
  // Non-breaking and zero-width spaces become plain spaces or nothing.
  out = out.replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ').replace(/[\u200b-\u200d\ufeff]/g, '')
  return out
}

/** Removes all whitespace: labels are compared without it, since published copies insert it anywhere. */
export const squeeze = (text: string) => text.replace(/\s+/g, '')
