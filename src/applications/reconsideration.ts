// Where an applicant applies for 行政复议 against this agency's decision (行政复议法, revised 2023,
// in force 2024-01-01): the letters print the body by name (art. 23 para. 2 asks the agency to tell).

/** Vertically managed organs: 复议 goes to the next-higher organ of the same system (art. 27). */
export const verticalSystems = {
  customs: '海关',
  finance: '金融',
  forex: '外汇管理',
  tax: '税务',
  security: '国家安全',
} as const
export type VerticalSystem = keyof typeof verticalSystems

/** An agency's place in the region, as the agency register records it. */
export type AgencyPlace = { kind: string; level: string }

// A region's name is its chain of divisions, e.g. 重庆市垫江县 or 浙江省杭州市西湖区.
const divisions = /.+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|区|旗)/gu

/** The next-higher division of a region (重庆市垫江县 → 重庆市), when its name shows it. */
export const higherDivision = (region: string): string | undefined => {
  const parts = region.match(divisions) ?? []
  return parts.length >= 2 && parts.join('') === region ? parts.slice(0, -1).join('') : undefined
}

/**
 * The 复议机关 art. 24 gives an agency of the region, or undefined when only the office head can
 * name it (a vertically managed organ, art. 27; a government whose higher government the region's
 * name does not show).
 */
export function defaultReconsiderationBody(
  place: AgencyPlace,
  region: string | undefined,
  vertical: VerticalSystem | undefined,
): string | undefined {
  if (vertical || !region) return undefined
  if (place.kind === '人民政府') {
    // A province-level government handles the cases against itself (art. 24 para. 2); a township
    // government's next-higher government is the county's (art. 24 para. 1 (二)).
    if (place.level === '省级' || place.level === '乡级') return `${region}人民政府`
    const higher = higherDivision(region)
    return higher ? `${higher}人民政府` : undefined
  }
  // A department or office of the region's government (art. 24 para. 1 (一)), a township or street
  // office (一)/(三), an organisation it or its departments manage (四): the region's government.
  return `${region}人民政府`
}
