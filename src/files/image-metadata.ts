// Images published with an item lose their metadata (FILE-05): a phone's photo carries the place it
// was taken (EXIF GPS), the camera and sometimes a name. JPEG APP1 (EXIF/XMP), APP13 (IPTC) and
// comments are dropped; PNG text, time and eXIf chunks are dropped. The pixels are left as they are.

export function stripJpegMetadata(bytes: Buffer): Buffer {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG')
  const parts: Buffer[] = [bytes.subarray(0, 2)]
  let i = 2
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) throw new Error('JPEG segment expected')
    const marker = bytes[i + 1]!
    // Start of scan: the image data runs to the end.
    if (marker === 0xda) {
      parts.push(bytes.subarray(i))
      return Buffer.concat(parts)
    }
    const length = bytes.readUInt16BE(i + 2)
    const segment = bytes.subarray(i, i + 2 + length)
    const metadata = marker === 0xe1 || marker === 0xed || marker === 0xfe
    if (!metadata) parts.push(segment)
    i += 2 + length
  }
  return Buffer.concat(parts)
}

const keptPngChunks = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'gAMA',
  'cHRM',
  'sRGB',
  'iCCP',
  'pHYs',
  'sBIT',
  'bKGD',
])

export function stripPngMetadata(bytes: Buffer): Buffer {
  const parts: Buffer[] = [bytes.subarray(0, 8)]
  let i = 8
  while (i + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(i)
    const type = bytes.subarray(i + 4, i + 8).toString('latin1')
    const chunk = bytes.subarray(i, i + 12 + length)
    if (keptPngChunks.has(type)) parts.push(chunk)
    i += 12 + length
    if (type === 'IEND') break
  }
  return Buffer.concat(parts)
}

/** The bytes to store for an attachment: images without their metadata, other files as given. */
export function withoutImageMetadata(type: string, bytes: Buffer): Buffer {
  if (type === 'image/jpeg') return stripJpegMetadata(bytes)
  if (type === 'image/png') return stripPngMetadata(bytes)
  return bytes
}
