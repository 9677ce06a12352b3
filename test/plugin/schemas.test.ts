/**
 * The schemas of protocol version 1 are complete and agree with the contract and with
 * docs/protocol.md and docs/halves.md: one file per command (every contract method but `close`,
 * plus hello, reset and shutdown; every method of a half, `guest.<method>` and `host.<method>`), each
 * with the same root (its `$defs.request` and the `cmd` const) and its `$defs.response`, every
 * property described, the half commands that are whole commands generated and up to date, and the
 * pages linking every file and listing every command.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_METHODS } from '../../src/contract/index.js';
import { HALF_NAMES } from '../../src/contract/halves.js';
import { generatedHalfSchemas, outOfDateHalfSchemas, wholeCommandOf } from '../../src/plugin/halfSchemas.js';
import { GUEST_COMMANDS, HALF_CODECS, HOST_COMMANDS } from '../../src/plugin/halvesCodec.js';
import { COMMANDS, CONTRACT_COMMANDS, FRAME_COMMANDS, PROTOCOL_VERSIONS } from '../../src/plugin/protocol.js';
import { commandSchemaId, loadSchemas, PROTOCOL_SCHEMA_ID, protocolValidator, schemaDir, schemaIdOf, SCHEMA_COMMANDS } from '../../src/plugin/validate.js';

const schemas = loadSchemas();
const filesIn = (folder: string) => [...schemas.keys()].filter((f) => f.startsWith(`${folder}/`)).map((f) => path.basename(f, '.json'));
const commandFiles = filesIn('commands');
/** The schema file of any command, whole or half. */
const fileOf = (cmd: string): string => (cmd.includes('.') ? `${cmd.replace('.', '/')}.json` : `commands/${cmd}.json`);
const ROOT = path.resolve(schemaDir(), '../..');

type Node = Record<string, unknown>;

/** Every subschema with a path, depth first; not the conditions (if/then/else), which constrain properties declared elsewhere. */
function* walk(node: unknown, at: string): Generator<[string, Node]> {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${at}/${i}`);
    return;
  }
  yield [at, node as Node];
  for (const [key, value] of Object.entries(node)) if (!['if', 'then', 'else'].includes(key)) yield* walk(value, `${at}/${key}`);
}

describe('the protocol schemas', () => {
  it('have one command file per contract method (but close) and per frame command, and no other', () => {
    expect(CONTRACT_COMMANDS).toEqual(CONTRACT_METHODS.filter((m) => m !== 'close'));
    expect(commandFiles.sort()).toEqual([...COMMANDS].sort());
    expect(FRAME_COMMANDS).toEqual(['hello', 'reset', 'shutdown']);
  });

  it('have one file per method of each half, guest/<method>.json and host/<method>.json, and no other', () => {
    for (const half of HALF_NAMES) expect(filesIn(half).sort(), half).toEqual(Object.keys(HALF_CODECS[half]).sort());
    expect(SCHEMA_COMMANDS).toEqual([...COMMANDS, ...GUEST_COMMANDS, ...HOST_COMMANDS]);
  });

  it('give each command, whole or half, the same root: its $defs.request named by the cmd const, and its $defs.response', () => {
    for (const cmd of SCHEMA_COMMANDS) {
      const schema = schemas.get(fileOf(cmd))!;
      expect(schema['$id'], cmd).toBe(schemaIdOf(cmd));
      expect(schema['$schema'], cmd).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema, cmd).toMatchObject({ type: 'object', $ref: '#/$defs/request', properties: { cmd: { const: cmd } } });
      expect(Object.keys(schema['properties'] as Node), cmd).toEqual(['cmd']);
      expect(Object.keys(schema).filter((k) => !['$schema', '$id', '$comment', 'title', 'description', 'type', '$ref', 'properties', '$defs'].includes(k)), cmd).toEqual([]);
      const defs = schema['$defs'] as Record<string, Node>;
      expect(defs['request'], cmd).toBeDefined();
      expect(defs['response'], cmd).toBeDefined();
      // A request of its own lists seq and cmd (cmd only as a string: the root fixes it); a referred one is another command's.
      if (defs['request']!['$ref'] === undefined) {
        expect(defs['request'], cmd).toMatchObject({ type: 'object', additionalProperties: false, properties: { cmd: { type: 'string' } } });
        expect(defs['request']!['required'], cmd).toEqual(expect.arrayContaining(['seq', 'cmd']));
      } else {
        expect(defs['request']!['$ref'], cmd).toMatch(/#\/\$defs\/request$/);
      }
      if (defs['response']!['$ref'] === undefined) expect(defs['response'], cmd).toMatchObject({ type: 'object' });
    }
  });

  it('generate the half commands that are whole commands from the codecs, up to date, and refer to the whole command for everything', () => {
    expect(outOfDateHalfSchemas(), 'run: npx tsx scripts/half-schemas.ts').toEqual([]);
    const generated = generatedHalfSchemas();
    for (const half of HALF_NAMES) {
      for (const method of Object.keys(HALF_CODECS[half])) {
        const file = `${half}/${method}.json`;
        const whole = wholeCommandOf(half, method);
        expect(generated.has(file), file).toBe(whole !== undefined);
        const defs = schemas.get(file)!['$defs'] as Record<string, Node>;
        if (whole !== undefined) {
          expect(defs['request']!['$ref'], file).toBe(`${commandSchemaId(whole)}#/$defs/request`);
          expect(defs['response']!['$ref'], file).toBe(`${commandSchemaId(whole)}#/$defs/response`);
        } else {
          expect(JSON.stringify(schemas.get(file)), file).not.toContain('Generated by');
        }
      }
    }
    // The half commands that are whole commands: most of them.
    expect(generated.size).toBeGreaterThanOrEqual(30);
  });

  it('list every command in protocol.json, with the versions of PROTOCOL_VERSIONS and three kinds of response', () => {
    const protocol = schemas.get('protocol.json')!;
    expect(protocol['$id']).toBe(PROTOCOL_SCHEMA_ID);
    const defs = protocol['$defs'] as Record<string, Node>;
    expect(defs['version']).toMatchObject({ enum: [...PROTOCOL_VERSIONS] });
    const refs = (defs['request']!['oneOf'] as Node[]).map((s) => s['$ref']);
    expect(refs.sort()).toEqual(SCHEMA_COMMANDS.map((cmd) => schemaIdOf(cmd)).sort());
    expect(defs['response']!['oneOf']).toEqual([{ $ref: '#/$defs/result' }, { $ref: '#/$defs/unsupported' }, { $ref: '#/$defs/errored' }]);
    for (const kind of ['result', 'unsupported', 'errored']) expect(defs[kind]!['required'], kind).toEqual(['seq', kind]);
  });

  it('describe every property and every definition', () => {
    const undescribed: string[] = [];
    for (const [file, schema] of schemas) {
      for (const [at, node] of walk(schema, file)) {
        for (const [name, property] of Object.entries((node['properties'] ?? {}) as Record<string, Node>)) {
          if (typeof property['description'] !== 'string' || property['description'] === '') undescribed.push(`${at}/properties/${name}`);
        }
        for (const [name, def] of Object.entries((node['$defs'] ?? {}) as Record<string, Node>)) {
          if (typeof def['description'] !== 'string') undescribed.push(`${at}/$defs/${name}`);
        }
      }
    }
    expect(undescribed).toEqual([]);
  });

  it('compile under Ajv strict mode', () => {
    expect(() => protocolValidator()).not.toThrow();
  });

  it('agree with docs/protocol.md: every command in its table, every schema file of the whole protocol linked', () => {
    const page = readFileSync(path.join(ROOT, 'docs/protocol.md'), 'utf8');
    const table = new Set([...page.matchAll(/^\| \[`([a-zA-Z]+)`\]\(\.\.\/schemas\/v1\/commands\//gm)].map((m) => m[1]));
    expect([...table].sort()).toEqual([...COMMANDS].sort());
    for (const file of schemas.keys()) if (!HALF_NAMES.some((half) => file.startsWith(`${half}/`))) expect(page, file).toContain(`../schemas/v1/${file}`);
    expect(page).toContain('(halves.md)');
  });

  it('agree with docs/halves.md: every half command in its tables, linked to its schema file', () => {
    const page = readFileSync(path.join(ROOT, 'docs/halves.md'), 'utf8');
    const linked = new Set([...page.matchAll(/\[`((?:guest|host)\.[a-zA-Z]+)`\]\(\.\.\/schemas\/v1\/(guest|host)\/([a-zA-Z]+)\.json\)/g)].map((m) => {
      expect(m[1], m[0]).toBe(`${m[2]}.${m[3]}`);
      return m[1];
    }));
    expect([...linked].sort()).toEqual([...GUEST_COMMANDS, ...HOST_COMMANDS].sort());
  });
});
