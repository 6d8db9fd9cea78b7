import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

// SARIF 2.1.0 (the rtm.5 JSON schema, draft-04), vendored so the tests run offline. Its `language` pattern
// is valid only without the `u` flag (`]?` is a lone bracket in unicode mode), hence unicodeRegExp: false.
const schema = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '../formats/__fixtures__/sarif-schema-2.1.0.json'),
    'utf8',
  ),
);
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema's complaints about a SARIF log; empty when the log is valid SARIF 2.1.0. */
export function sarifSchemaErrors(log: unknown): unknown[] {
  return validate(log) ? [] : [...(validate.errors ?? [])];
}
