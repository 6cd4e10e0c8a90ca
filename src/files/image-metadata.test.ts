import { deflateSync } from 'node:zlib'
import { crc32 } from 'node:zlib'
import { expect, test } from 'vitest'
import { stripJpegMetadata, stripPngMetadata } from './image-metadata.ts'

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.alloc(4)
  head[0] = 0xff
  head[1] = marker
  head.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([head, payload])
}

test('a JPEG loses its EXIF (with GPS) and comments, and keeps JFIF and the image data', () => {
  const jfif = segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'))
  const exif = segment(0xe1, Buffer.from('Exif\0\0GPSLatitude 29.67 GPSLongitude 107.33 张三的手机', 'utf8'))
  const comment = segment(0xfe, Buffer.from('拍摄者：张三', 'utf8'))
  const scan = Buffer.from([0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0x33, 0xff, 0xd9])
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, exif, comment, scan])
  const out = stripJpegMetadata(jpeg)
  expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false)
  expect(out.includes(Buffer.from('张三', 'utf8'))).toBe(false)
  expect(out.includes(Buffer.from('JFIF'))).toBe(true)
  expect(out.subarray(-9)).toEqual(scan)
})

const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])) >>> 0)
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, crc])
}

test('a PNG loses its text and eXIf chunks and stays a PNG', () => {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0)
  ihdr.writeUInt32BE(1, 4)
  ihdr[8] = 8
  ihdr[9] = 0
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Author\0张三', 'utf8')),
    chunk('eXIf', Buffer.from('GPS', 'latin1')),
    chunk('IDAT', deflateSync(Buffer.from([0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ])
  const out = stripPngMetadata(png)
  expect(out.includes(Buffer.from('tEXt'))).toBe(false)
  expect(out.includes(Buffer.from('eXIf'))).toBe(false)
  expect(out.subarray(0, 8)).toEqual(png.subarray(0, 8))
  expect(out.subarray(-12, -4).toString('latin1')).toBe('\0\0\0\0IEND')
})
