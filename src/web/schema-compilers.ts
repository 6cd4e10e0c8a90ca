import type { FastifyServerOptions } from 'fastify'
import { createRequire } from 'node:module'

// Fastify builds its JSON-schema compilers (ajv, fast-json-stringify: some 90 modules) when the app is
// created, though no route here declares a JSON schema (forms are checked with zod): these factories
// load them only if one ever does (issue #15, start-up). They are Fastify's own defaults, required on
// first use; the one difference is that Fastify, seeing a factory given, leaves a `headers` schema's
// keys as written instead of lower-casing them.
const require = createRequire(import.meta.url)

type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type BuildValidator = NonNullable<Compilers['buildValidator']>
type BuildSerializer = NonNullable<Compilers['buildSerializer']>
let validator: BuildValidator | undefined
let serializer: BuildSerializer | undefined

export const lazySchemaCompilers: Compilers = {
  buildValidator: (...args: Parameters<BuildValidator>) =>
    (validator ??= (require('@fastify/ajv-compiler') as () => BuildValidator)())(...args),
  buildSerializer: (...args: Parameters<BuildSerializer>) =>
    (serializer ??= (require('@fastify/fast-json-stringify-compiler') as () => BuildSerializer)())(...args),
}
