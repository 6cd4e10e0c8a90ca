import { renderToString } from 'preact-render-to-string'
import type { VNode } from 'preact'

/** A whole HTML document from a page component; Preact escapes every text child (stack.md §2.4). */
export const renderPage = (page: VNode): string => `<!doctype html>${renderToString(page)}`
