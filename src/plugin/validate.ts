/**
 * Checks protocol lines against the JSON Schemas in `schemas/v1/`, in both directions: requests
 * against their command's file (`commands/<cmd>.json`, or `guest/<method>.json` and
 * `host/<method>.json` for the half commands `guest.<method>` and `host.<method>` of docs/halves.md),
 * responses against `protocol.json#/$defs/response` and then their `result` against the command's
 * `$defs.response`. Only a half's command may answer `events`. Ajv (draft 2020-12) compiles every
 * schema once per process, on first use. A violation names the JSON pointer of the offending value in
 * the line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { packageRoot } from '../cli/paths.js';
import { HALF_NAMES, type HalfName } from '../contract/halves.js';
import type { SchemaViolation } from './errors.js';
import { GUEST_COMMANDS, HOST_COMMANDS, readHalfCommand } from './halvesCodec.js';
import { COMMANDS, type CommandName } from './protocol.js';

export const SCHEMA_ID_PREFIX = 'tag:vmbus-conformance,2026:protocol:v1';
export const PROTOCOL_SCHEMA_ID = SCHEMA_ID_PREFIX;
export const commandSchemaId = (cmd: string): string => `${SCHEMA_ID_PREFIX}:commands:${cmd}`;
/** The schema of the half command `<half>.<method>`: `schemas/v1/<half>/<method>.json`. */
export const halfSchemaId = (half: HalfName, method: string): string => `${SCHEMA_ID_PREFIX}:${half}:${method}`;

/** Every command the schemas describe: the whole protocol's and the halves'. */
export const SCHEMA_COMMANDS: readonly string[] = [...COMMANDS, ...GUEST_COMMANDS, ...HOST_COMMANDS];

/** The `$id` of a command's schema file, whole or half; undefined for a command of neither. */
export function schemaIdOf(cmd: string): string | undefined {
  if ((COMMANDS as readonly string[]).includes(cmd)) return commandSchemaId(cmd);
  const half = readHalfCommand(cmd);
  return half === undefined ? undefined : halfSchemaId(half.half, half.method);
}

/** `schemas/v1` of this package. */
export function schemaDir(root: string = packageRoot(import.meta.url)): string {
  return path.join(root, 'schemas', 'v1');
}

/** Every schema file of protocol version 1, parsed: protocol.json, types.json, commands/*.json, guest/*.json, host/*.json. */
export function loadSchemas(dir: string = schemaDir()): Map<string, Record<string, unknown>> {
  const folder = (name: string) => readdirSync(path.join(dir, name)).filter((f) => f.endsWith('.json')).sort().map((f) => `${name}/${f}`);
  const files = ['protocol.json', 'types.json', ...folder('commands'), ...HALF_NAMES.flatMap(folder)];
  return new Map(files.map((file) => [file, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>]));
}

export interface ProtocolValidator {
  /** A request line, parsed; an unknown `cmd` is a violation at `/cmd`. */
  request(request: unknown): SchemaViolation[];
  /** A response line, parsed, to a request of `cmd` (a command of the whole protocol or a half's). */
  response(cmd: CommandName | string, response: unknown): SchemaViolation[];
}

let shared: ProtocolValidator | undefined;

/** The process's validator, compiled on first use. */
export function protocolValidator(): ProtocolValidator {
  shared ??= compileValidator(loadSchemas());
  return shared;
}

export function compileValidator(schemas: ReadonlyMap<string, Record<string, unknown>>): ProtocolValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  for (const schema of schemas.values()) ajv.addSchema(schema);
  const compiled = (id: string): ValidateFunction => {
    const validate = ajv.getSchema(id);
    if (validate === undefined) throw new Error(`no schema ${id}`);
    return validate;
  };
  const requests = new Map(SCHEMA_COMMANDS.map((cmd) => [cmd, compiled(schemaIdOf(cmd)!)]));
  const results = new Map(SCHEMA_COMMANDS.map((cmd) => [cmd, compiled(`${schemaIdOf(cmd)!}#/$defs/response`)]));
  const envelope = compiled(`${PROTOCOL_SCHEMA_ID}#/$defs/response`);
  const kinds = {
    result: compiled(`${PROTOCOL_SCHEMA_ID}#/$defs/result`),
    unsupported: compiled(`${PROTOCOL_SCHEMA_ID}#/$defs/unsupported`),
    errored: compiled(`${PROTOCOL_SCHEMA_ID}#/$defs/errored`),
  };

  return {
    request(request) {
      const cmd = typeof request === 'object' && request !== null ? (request as Record<string, unknown>)['cmd'] : undefined;
      const validate = typeof cmd === 'string' ? requests.get(cmd) : undefined;
      if (validate === undefined) {
        if (typeof request !== 'object' || request === null || Array.isArray(request)) return [{ pointer: '', message: 'must be an object' }];
        return [{ pointer: '/cmd', message: `must be one of the commands (${COMMANDS.join(', ')}, or guest.<method> and host.<method> of a half), got ${JSON.stringify(cmd)}` }];
      }
      return check(validate, request);
    },
    response(cmd, response) {
      if (!envelope(response)) {
        // Say which kind it tried to be, rather than the oneOf's three lists of complaints.
        const object = typeof response === 'object' && response !== null && !Array.isArray(response) ? (response as Record<string, unknown>) : undefined;
        const kind = object === undefined ? undefined : (['result', 'unsupported', 'errored'] as const).find((k) => Object.hasOwn(object, k));
        if (kind === undefined) return [{ pointer: '', message: 'must be a response: an object with seq and one of result, unsupported, errored' }];
        return check(kinds[kind], response);
      }
      const validate = results.get(cmd);
      if (validate === undefined) return [{ pointer: '', message: `no schema for a response to ${JSON.stringify(cmd)}: it is no command` }];
      const { result, events } = response as Record<string, unknown>;
      const violations = result === undefined ? [] : check(validate, result, '/result');
      if (events !== undefined && readHalfCommand(cmd) === undefined) violations.push({ pointer: '/events', message: `must not be present: only a half's command (guest.*, host.*) answers events, not ${cmd}` });
      return violations;
    },
  };
}

function check(validate: ValidateFunction, value: unknown, prefix = ''): SchemaViolation[] {
  if (validate(value)) return [];
  return violationsOf(validate.errors ?? [], prefix);
}

/** Ajv's errors as violations, without the ones that only say "an if/then failed". */
export function violationsOf(errors: readonly ErrorObject[], prefix = ''): SchemaViolation[] {
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    const violation = { pointer: `${prefix}${error.instancePath}`, message: describeError(error, prefix) };
    const key = `${violation.pointer}\u0000${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(violation);
  }
  return out;
}

function describeError(error: ErrorObject, prefix: string): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'false schema':
      return prefix === '/result' ? 'must not be present: an out-parameter is present only when status is STATUS_SUCCESS (0)' : 'must not be present here';
    case 'additionalProperties':
      return `has a property the schema does not allow: ${JSON.stringify(params['additionalProperty'])}`;
    case 'const':
      return `must be ${JSON.stringify(params['allowedValue'])}`;
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `must have the property ${JSON.stringify(params['missingProperty'])}`;
    case 'pattern':
      return String(params['pattern']).includes('0-9a-f') ? 'must be bytes as lowercase hex, two digits a byte' : (error.message ?? 'does not match');
    default:
      return error.message ?? error.keyword;
  }
}
