/**
 * `npx tsx scripts/half-schemas.ts`: writes the schema files of the half commands that are a whole
 * command under a new name (schemas/v1/guest/*.json, schemas/v1/host/*.json), from the codecs of
 * src/plugin/halvesCodec.ts; see src/plugin/halfSchemas.ts. test/plugin/schemas.test.ts fails when
 * they are out of date.
 */
import { writeHalfSchemas } from '../src/plugin/halfSchemas.js';

const changed = writeHalfSchemas();
process.stdout.write(changed.length === 0 ? 'half schemas: up to date\n' : `half schemas: wrote ${changed.join(', ')}\n`);
