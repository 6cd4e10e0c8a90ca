// 统一社会信用代码, GB 32100-2015: 18 characters from a 31-character alphabet (no I, O, Z, S, V);
// the last is a MOD 31 check character over the first 17 with the weights below (§4.2, annex B).

const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(code[i] as string) * (weights[i] as number)
  const check = (31 - (sum % 31)) % 31
  return code[17] === alphabet[check]
}
