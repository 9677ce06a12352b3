/**
 * The schemas of protocol version 1 are complete and agree with the contract and with
 * docs/protocol.md: one file per command (every contract method but `close`, plus hello, reset and
 * shutdown), each with its request and `$defs.response`, every property described, and the page
 * linking every file and listing every command.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_METHODS } from '../../src/contract/index.js';
import { COMMANDS, CONTRACT_COMMANDS, FRAME_COMMANDS } from '../../src/plugin/protocol.js';
import { commandSchemaId, loadSchemas, PROTOCOL_SCHEMA_ID, protocolValidator, schemaDir } from '../../src/plugin/validate.js';

const schemas = loadSchemas();
const commandFiles = [...schemas.keys()].filter((f) => f.startsWith('commands/')).map((f) => path.basename(f, '.json'));
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

  it('give each command its request, named by cmd, and its $defs.response', () => {
    for (const cmd of COMMANDS) {
      const schema = schemas.get(`commands/${cmd}.json`)!;
      expect(schema['$id'], cmd).toBe(commandSchemaId(cmd));
      expect(schema['$schema'], cmd).toBe('https://json-schema.org/draft/2020-12/schema');
      const properties = schema['properties'] as Record<string, Node>;
      expect(properties['cmd']?.['const'], cmd).toBe(cmd);
      expect(schema['required'], cmd).toEqual(expect.arrayContaining(['seq', 'cmd']));
      expect((schema['$defs'] as Node)['response'], cmd).toMatchObject({ type: 'object' });
    }
  });

  it('list every command in protocol.json, with the version const 1 and three kinds of response', () => {
    const protocol = schemas.get('protocol.json')!;
    expect(protocol['$id']).toBe(PROTOCOL_SCHEMA_ID);
    const defs = protocol['$defs'] as Record<string, Node>;
    expect(defs['version']).toMatchObject({ const: 1 });
    const refs = (defs['request']!['oneOf'] as Node[]).map((s) => s['$ref']);
    expect(refs.sort()).toEqual(COMMANDS.map(commandSchemaId).sort());
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

  it('agree with docs/protocol.md: every command in its table, every schema file linked', () => {
    const page = readFileSync(path.join(ROOT, 'docs/protocol.md'), 'utf8');
    const table = new Set([...page.matchAll(/^\| \[?`([a-zA-Z]+)`/gm)].map((m) => m[1]));
    expect([...table].sort()).toEqual([...COMMANDS].sort());
    for (const file of schemas.keys()) expect(page, file).toContain(`../schemas/v1/${file}`);
  });
});
