/**
 * `validate-protocol`: the served reference model speaks the protocol cleanly (exit 0, one `ok`
 * line per command), the whole protocol and both halves; a fake that breaks the schema gets the
 * violation with its JSON pointer and exit 2, a broken half too; a crash stops the conversation
 * with exit 2; so does a program that does not exit after shutdown; a spec that is not `cmd:` is a usage error.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { GUEST_SCRIPT, HOST_SCRIPT, SCRIPT, validateProtocolCommand } from '../../src/cli/commands/validateProtocol.js';
import { EXIT, ExitError } from '../../src/cli/exit.js';
import { GUEST_COMMANDS, HOST_COMMANDS } from '../../src/plugin/halvesCodec.js';
import { COMMANDS } from '../../src/plugin/protocol.js';
import { fake, ROOT, SERVED_REFERENCE, type Misbehaviour } from '../adapters/_stdioFake.js';
import { brokenHalf } from './_brokenHalf.js';

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

/**
 * Every command's budget, hello's included (which waits for the program to start: two Node processes
 * for the broken half). No program here hangs: the budget is room for a loaded machine, not a limit
 * any test reaches.
 */
const TIMEOUT_MS = 30_000;

async function exitCode(run: Promise<unknown>): Promise<number> {
  try {
    await run;
    return EXIT.CONFORMANT;
  } catch (error) {
    if (error instanceof ExitError) return error.code;
    throw error;
  }
}

async function againstFake(mode: Misbehaviour, target: string, timeoutMs = TIMEOUT_MS) {
  const { command, dir } = await fake(mode, target);
  const { ctx, stdout, stderr } = context(dir);
  const code = await exitCode(validateProtocolCommand({ impl: `cmd:${command}`, timeoutMs }, ctx));
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('validate-protocol', () => {
  it('sends every command once, every guest.* and host.* command too, and passes the served reference model', async () => {
    expect(new Set(['hello', ...SCRIPT.map((s) => s.cmd), 'shutdown'])).toEqual(new Set(COMMANDS));
    expect(new Set(GUEST_SCRIPT.map((s) => s.cmd))).toEqual(new Set(['reset', ...GUEST_COMMANDS]));
    expect(new Set(HOST_SCRIPT.map((s) => s.cmd))).toEqual(new Set(['reset', ...HOST_COMMANDS]));
    const { ctx, stdout } = context(ROOT);
    const checks = await validateProtocolCommand({ impl: `cmd:${SERVED_REFERENCE}`, timeoutMs: TIMEOUT_MS }, ctx);
    expect(checks.map((c) => c.outcome)).toEqual(checks.map(() => 'ok'));
    // The whole script, then each half's, with the deliveries that answer what the half sent in between.
    const sent = checks.map((c) => c.command).filter((cmd) => cmd !== 'guest.deliver' && cmd !== 'host.deliver');
    const scripted = (script: readonly { cmd: string }[]) => script.map((s) => s.cmd).filter((cmd) => cmd !== 'guest.deliver' && cmd !== 'host.deliver');
    expect(sent).toEqual(['hello', ...scripted(SCRIPT), ...scripted(GUEST_SCRIPT), ...scripted(HOST_SCRIPT), 'shutdown']);
    const lines = stdout().trim().split('\n').filter((l) => !l.startsWith('('));
    expect(lines).toHaveLength(checks.length + 1);
    expect(lines[0]).toMatch(/^ok +hello +\{"protocol":1/);
    expect(lines.find((l) => / deleteGpadl /.test(l))).toMatch(/"state":"pending"/);
    // A create that blocks, the GPADL_CREATED the script delivers, and the create's return.
    expect(lines.find((l) => / guest\.createGpadlFromBuffer /.test(l))).toMatch(/"status":259,"operation":\d+\} +events: send GPADL_HEADER$/);
    expect(lines[lines.findIndex((l) => / guest\.createGpadlFromBuffer /.test(l)) + 1]).toMatch(/^ok +guest\.deliver +\{\} +events: completed \d+ \{"status":0,"gpadl":\d+\}$/);
    expect(lines.find((l) => / host\.enableChannel /.test(l))).toMatch(/events: send OFFERCHANNEL$/);
    expect(lines[lines.length - 1]).toBe(`protocol: ok (${checks.length} exchanges valid)`);
  });

  it('reports a half that answers with a bad shape, and sends no whole command to a program whose hello says whole: false', async () => {
    const { command, dir } = await brokenHalf();
    const { ctx, stdout } = context(dir);
    const code = await exitCode(validateProtocolCommand({ impl: `cmd:${command}`, timeoutMs: TIMEOUT_MS }, ctx));
    const out = stdout();
    expect(code, out).toBe(EXIT.HARNESS_ERROR);
    expect(out).toMatch(/^VIOLATION +guest\.bindChannel +\/result: has a property the schema does not allow: "debug"$/m);
    expect(out).toMatch(/^VIOLATION +host\.enableChannel +\/events\/0\/send: must be bytes as lowercase hex, two digits a byte$/m);
    expect(out).toMatch(/^ok +guest\.allocateChannel /m);
    expect(out).toMatch(/^ok +host\.mapGpadl /m);
    expect(out).toContain('(hello says whole: false');
    expect(out).not.toMatch(/^\S+ +(allocateChannel|mapGpadl|trace) /m);
    expect(out).toMatch(/^protocol: 2 problems$/m);
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

  it('reports a program that answers shutdown and does not exit within a command\'s budget, and exits 2', async () => {
    // The one test here whose program keeps the budget waiting, so a budget short enough to wait.
    const { code, stdout } = await againstFake('lingers', '', 5000);
    expect(code).toBe(EXIT.HARNESS_ERROR);
    expect(stdout).toMatch(/^ok +shutdown /m);
    expect(stdout).toMatch(/^VIOLATION +shutdown +the program did not exit within 5000 ms of answering shutdown$/m);
    // The fake leaves much of the contract unsupported: the same fake that exits has one problem fewer.
    const exits = await againstFake('none', '', 5000);
    expect(exits.stdout).not.toMatch(/^VIOLATION +shutdown/m);
    const problems = (out: string) => Number(/^protocol: (\d+) problems?$/m.exec(out)?.[1]);
    expect(problems(stdout)).toBe(problems(exits.stdout) + 1);
  }, 60_000);

  it('reports another protocol version in hello, and exits 2', async () => {
    const { code, stdout } = await againstFake('version', '');
    expect(code).toBe(EXIT.HARNESS_ERROR);
    expect(stdout).toMatch(/^ERROR +hello +protocol version 99; this harness speaks 1$/m);
  });

  it('needs a cmd: implementation (usage, exit 3)', async () => {
    const { ctx, stderr } = context(ROOT);
    expect(await exitCode(validateProtocolCommand({ impl: 'inproc:reference' }, ctx))).toBe(EXIT.USAGE);
    expect(stderr()).toMatch(/cmd:vmbus-conformance-serve inproc:reference/);
  });
});
