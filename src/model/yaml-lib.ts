/**
 * The `yaml` library, loaded on first use. Most model files never need it: JSON is parsed natively and
 * plain YAML by `yaml-fast.ts`; the library is for the rest, for positions in messages and for writing
 * YAML. Loading it costs a noticeable part of the CLI's start-up, so it is not imported up front. It is a
 * CommonJS package, so `require` loads it synchronously, and the same module instance as an import.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return lib;
}
