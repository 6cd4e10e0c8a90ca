import { createRequire } from 'node:module'
import path from 'node:path'

// The rich-text editor of item bodies (issue #12) is Quill (BSD-3-Clause), served as published: its
// dist files straight from the installed package, no build step. Its address carries its version.

const require = createRequire(import.meta.url)
export const quillDir = path.join(path.dirname(require.resolve('quill/package.json')), 'dist')
export const quillVersion = (require('quill/package.json') as { version: string }).version
export const editorAssets = {
  quillScript: `/assets/quill/${quillVersion}/quill.js`,
  quillStyle: `/assets/quill/${quillVersion}/quill.snow.css`,
  script: '/assets/item-editor.js',
}
