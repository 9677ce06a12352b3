/**
 * `validate-protocol`: the served reference model speaks the protocol cleanly (exit 0, one `ok`
 * line per command); a fake that breaks the schema gets the violation with its JSON pointer and
 * exit 2; a crash stops the conversation with exit 2; a spec that is not `cmd:` is a usage error.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { SCRIPT, validateProtocolCommand } from '../../src/cli/commands/validateProtocol.js';
import { EXIT, ExitError } from '../../src/cli/exit.js';
import { COMMANDS } from '../../src/plugin/protocol.js';
import { fake, ROOT, SERVED_REFERENCE, type Misbehaviour } from '../adapters/_stdioFake.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function context(cwd: string) {
  const stdout = capture();
  const stderr = capture();
  const ctx: CommandContext = {
    io: { cwd, stdout: stdout.stream, stderr: stderr.stream, isTTY: false, ci: true, env: {} },
    root: ROOT,
    describeImplementation: async () => {
      throw new Error('not used');
    },
    runCucumber: async () => {
      throw new Error('not used');
    },
  };
  return { ctx, stdout: stdout.text, stderr: stderr.text };
}

async function exitCode(run: Promise<unknown>): Promise<number> {
  try {
    await run;
    return EXIT.CONFORMANT;
  } catch (error) {
    if (error instanceof ExitError) return error.code;
    throw error;
  }
}

async function againstFake(mode: Misbehaviour, target: string) {
  const { command, dir } = await fake(mode, target);
  const { ctx, stdout, stderr } = context(dir);
  const code = await exitCode(validateProtocolCommand({ impl: `cmd:${command}`, timeoutMs: 1000 }, ctx));
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('validate-protocol', () => {
  it('sends every command once, and passes the served reference model', async () => {
    expect(new Set(['hello', ...SCRIPT.map((s) => s.cmd), 'shutdown'])).toEqual(new Set(COMMANDS));
    const { ctx, stdout } = context(ROOT);
    const checks = await validateProtocolCommand({ impl: `cmd:${SERVED_REFERENCE}` }, ctx);
    expect(checks.map((c) => c.outcome)).toEqual(checks.map(() => 'ok'));
    expect(checks.map((c) => c.command)).toEqual(['hello', ...SCRIPT.map((s) => s.cmd), 'shutdown']);
    const lines = stdout().trim().split('\n');
    expect(lines).toHaveLength(checks.length + 1);
    expect(lines[0]).toMatch(/^ok +hello +\{"protocol":1/);
    expect(lines.find((l) => / deleteGpadl /.test(l))).toMatch(/"state":"pending"/);
    expect(lines[lines.length - 1]).toBe(`protocol: ok (${checks.length} exchanges valid)`);
  });

  it('prints a violation with its JSON pointer, and exits 2', async () => {
    const { code, stdout, stderr } = await againstFake('extra-field', 'enableChannel');
    expect(code).toBe(EXIT.HARNESS_ERROR);
    expect(stdout).toMatch(/^VIOLATION +enableChannel +\/result: has a property the schema does not allow: "debug"$/m);
    expect(stdout).toMatch(/^ok +allocateChannel /m);
    expect(stdout).toMatch(/^skipped +buildMdl +capability "mdl" not claimed$/m);
    expect(stdout).toMatch(/^protocol: \d+ problems$/m);
    expect(stderr).toContain('got enableChannel');
  });

  it('stops at a crash, lists what did not run, and exits 2', async () => {
    const { code, stdout, stderr } = await againstFake('crash', 'mapGpadl');
    expect(code).toBe(EXIT.HARNESS_ERROR);
    expect(stdout).toMatch(/^ERROR +mapGpadl +cmd:node fake\.cjs crash mapGpadl exited with code 139 while answering mapGpadl$/m);
    expect(stdout).toMatch(/^not run +unmapGpadl/m);
    expect(stdout).toMatch(/^not run +shutdown/m);
    expect(stderr).toContain('Segmentation fault in mapGpadl');
  });

  it('reports another protocol version in hello, and exits 2', async () => {
    const { code, stdout } = await againstFake('version', '');
    expect(code).toBe(EXIT.HARNESS_ERROR);
    expect(stdout).toMatch(/^ERROR +hello +protocol version 2; this harness speaks 1$/m);
  });

  it('needs a cmd: implementation (usage, exit 3)', async () => {
    const { ctx, stderr } = context(ROOT);
    expect(await exitCode(validateProtocolCommand({ impl: 'inproc:reference' }, ctx))).toBe(EXIT.USAGE);
    expect(stderr()).toMatch(/cmd:vmbus-conformance-serve inproc:reference/);
  });
});
