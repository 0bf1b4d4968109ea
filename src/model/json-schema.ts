/** The committed JSON Schema text (schema/threatkrew.schema.json), generated from the runtime schema. */
import { modelJsonSchema } from './schema.js';

export const SCHEMA_FILE = 'schema/threatkrew.schema.json';

export function modelSchemaText(): string {
  return `${JSON.stringify(modelJsonSchema(), null, 2)}\n`;
}
