import { toJsonSchema } from '@valibot/to-json-schema';
import { ARTIFACT_NAMES, ARTIFACT_TITLES, artifactSchema, type ArtifactName, type SchemaOptions } from './artifacts.ts';

/** The JSON Schema (draft-07) of one artifact, generated from its valibot schema. */
export function artifactJsonSchema(name: ArtifactName, options: SchemaOptions = {}): Record<string, unknown> {
  const schema = toJsonSchema(artifactSchema(name, options), { target: 'draft-07', errorMode: 'throw' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema: $schema ?? 'http://json-schema.org/draft-07/schema#',
    $id: `https://autopack.dev/schemas/${name}.schema.json`,
    title: ARTIFACT_TITLES[name],
    ...rest,
  };
}

/** Every artifact's JSON Schema, keyed by file name, as committed in docs/schemas. */
export function allJsonSchemaFiles(options: SchemaOptions = {}): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of ARTIFACT_NAMES) {
    files.set(`${name}.schema.json`, `${JSON.stringify(artifactJsonSchema(name, options), null, 2)}\n`);
  }
  return files;
}
