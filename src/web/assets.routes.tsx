import type { FastifyInstance } from 'fastify'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { quillDir, quillVersion } from '../disclosures/editor-assets.ts'
import { BodyPreviewPage } from '../disclosures/item-editor.views.tsx'
import { sanitizeBody } from '../disclosures/rich-text.ts'
import { AppError } from '../errors.ts'
import { pageContext } from './request-context.ts'

// The editor's files, as published, from the installed package (editor-assets.ts), cached for a
// year: their address carries the version, so an upgrade is a new address.
const quillFiles: Record<string, string> = {
  'quill.js': 'application/javascript; charset=utf-8',
  'quill.snow.css': 'text/css; charset=utf-8',
}

const quillParams = z.object({ version: z.string(), file: z.string() })

export function assetRoutes(app: FastifyInstance): void {
  app.get('/assets/quill/:version/:file', async (request, reply) => {
    const { version, file } = quillParams.parse(request.params)
    const type = quillFiles[file]
    if (version !== quillVersion || !type) throw new AppError('not_found', '文件不存在')
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(await readFile(path.join(quillDir, file)))
  })

  // The body as the portal will show it: the same allow-list sanitiser, the portal's item styling.
  // Nothing is stored; the drafter's form posts here from its 预览 button (with or without script).
  app.post('/console/items/preview', async (request, reply) => {
    const body = String((request.body as { body?: unknown } | undefined)?.body ?? '')
    const title = String((request.body as { title?: unknown } | undefined)?.title ?? '')
    return reply.page(200, <BodyPreviewPage ctx={pageContext(request)} title={title} html={sanitizeBody(body)} />)
  })
}
