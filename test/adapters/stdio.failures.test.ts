/**
 * The `cmd:` adapter when the implementation misbehaves: every way of breaking gives its typed
 * error, carrying the implementation's last lines of standard error; the process is killed; and the
 * next `start()` starts it again and works.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StdioFactory } from '../../src/adapters/stdio/index.js';
import { endpointHandle } from '../../src/contract/handles.js';
import type { VmbusImplementation } from '../../src/contract/Implementation.js';
import {
  CannotConnect,
  ImplementationErrored,
  ImplementationExited,
  ProtocolError,
  StartupFailed,
  Timeout,
  Unsupported,
  VersionMismatch,
  type PluginError,
} from '../../src/plugin/errors.js';
import { alive, fake, type Misbehaviour } from './_stdioFake.js';

const factories: StdioFactory[] = [];
afterEach(async () => {
  await Promise.all(factories.splice(0).map((f) => f.stop()));
});

/**
 * The fake, connected. Its healthy calls (every call but the one it breaks on) get 10 s: no budget a
 * loaded machine's pauses can use up; the one test of a hang gives its own.
 */
async function connect(mode: Misbehaviour, target = '', options: { timeoutMs?: number; validateProtocol?: boolean } = {}): Promise<StdioFactory> {
  const { command, dir } = await fake(mode, target);
  const factory = await StdioFactory.connect({ command, cwd: dir, timeoutMs: options.timeoutMs ?? 10_000, validateProtocol: options.validateProtocol ?? false, echoStderr: false });
  factories.push(factory);
  return factory;
}

const server = (vmbus: VmbusImplementation) => vmbus.allocateChannel({ role: 'server' });

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise;
  } catch (error) {
    return error as PluginError;
  }
  throw new Error('expected the call to reject');
}

/** After the failure: the process is gone (a killed one may take a while on a loaded machine), and a new start() restarts it and works. */
async function expectRestartWorks(factory: StdioFactory, pid: number | undefined): Promise<void> {
  await expect.poll(() => alive(pid), { timeout: 30_000 }).toBe(false);
  const vmbus = await factory.start();
  expect(factory.restarts).toBe(1);
  expect(factory.pid).not.toBe(pid);
  // (The new process misbehaves on the same command again; another one works.)
  expect(await vmbus.allocateBuffer({ byteCount: 16 })).toEqual({ status: 0, buffer: 9 });
}

describe('the cmd: adapter when a call goes wrong', () => {
  it('a crash is ImplementationExited, with the last words on stderr', async () => {
    const factory = await connect('crash', 'allocateChannel');
    const pid = factory.pid;
    const error = await rejection(server(await factory.start()));
    expect(error).toBeInstanceOf(ImplementationExited);
    expect(error).toMatchObject({ command: 'allocateChannel', exitCode: 139, phase: 'command' });
    expect(error.stderrTail).toContain('Segmentation fault in allocateChannel');
    expect(error.message).toContain('Segmentation fault in allocateChannel');
    await expectRestartWorks(factory, pid);
  });

  it('no answer in time is Timeout, and the process is killed', async () => {
    // 5 s: the hang uses it up, the healthy calls (reset, and after the restart) fit on a loaded machine.
    const factory = await connect('hang', 'allocateChannel', { timeoutMs: 5000 });
    const pid = factory.pid;
    // The fake never answers: the call returns only because the 5 s budget ran out.
    const error = await rejection(server(await factory.start()));
    expect(error).toBeInstanceOf(Timeout);
    expect(error).toMatchObject({ command: 'allocateChannel', timeoutMs: 5000 });
    expect(error.stderrTail).toContain('got allocateChannel');
    await expectRestartWorks(factory, pid);
  });

  it('a line that is not JSON is a ProtocolError quoting the line', async () => {
    const factory = await connect('garbage', 'allocateChannel');
    const pid = factory.pid;
    const error = await rejection(server(await factory.start()));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/not JSON/);
    expect((error as ProtocolError).line).toBe('debug: about to answer allocateChannel');
    expect(error.stderrTail).toContain('got allocateChannel');
    await expectRestartWorks(factory, pid);
  });

  it('an answer to another seq is a ProtocolError naming both', async () => {
    const factory = await connect('wrong-seq', 'allocateChannel');
    const pid = factory.pid;
    const error = await rejection(server(await factory.start()));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/answered seq 4, but the request waiting for an answer is seq 3/);
    await expectRestartWorks(factory, pid);
  });

  it('a schema violation is a ProtocolError naming the JSON pointer, with validation on', async () => {
    const lenient = await connect('extra-field', 'allocateChannel');
    expect(await server(await lenient.start())).toEqual({ status: 0, endpoint: 7 });

    const factory = await connect('extra-field', 'allocateChannel', { validateProtocol: true });
    const pid = factory.pid;
    const error = await rejection(server(await factory.start()));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).violations).toEqual([{ pointer: '/result', message: 'has a property the schema does not allow: "debug"' }]);
    expect(error.message).toContain('/result: has a property the schema does not allow');
    expect(error.stderrTail).toContain('got allocateChannel');
    await expectRestartWorks(factory, pid);
  });

  it('a value the codec cannot read is a ProtocolError even without validation', async () => {
    const factory = await connect('bad-status', 'allocateChannel');
    const pid = factory.pid;
    const error = await rejection(server(await factory.start()));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).violations).toEqual([{ pointer: '/result/status', message: 'expected an unsigned 32-bit integer, got -1' }]);
    await expectRestartWorks(factory, pid);
  });

  it('an errored answer is ImplementationErrored with the implementation\'s message and traceback', async () => {
    const factory = await connect('errored', 'allocateChannel');
    const pid = factory.pid;
    const error = await rejection(server(await factory.start()));
    expect(error).toBeInstanceOf(ImplementationErrored);
    expect(error).toMatchObject({ remoteMessage: 'IndexError: list index out of range', traceback: 'Traceback: in allocateChannel' });
    expect(error.message).toContain('Traceback: in allocateChannel');
    await expectRestartWorks(factory, pid);
  });

  it('an unsupported answer is Unsupported, and the process goes on', async () => {
    const factory = await connect('unsupported', 'enableChannel');
    const pid = factory.pid;
    const vmbus = await factory.start();
    const error = await rejection(vmbus.enableChannel(endpointHandle(7)));
    expect(error).toBeInstanceOf(Unsupported);
    expect(error.message).toContain('enableChannel is not written yet');
    expect(await server(vmbus)).toEqual({ status: 0, endpoint: 7 });
    expect(factory.pid).toBe(pid);
    expect(alive(pid)).toBe(true);
  });

  it('calls queued behind a failing one fail with the same error', async () => {
    const factory = await connect('crash', 'enableChannel');
    const vmbus = await factory.start();
    const results = await Promise.allSettled([vmbus.enableChannel(endpointHandle(7)), server(vmbus), server(vmbus)]);
    const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as Error) : undefined));
    expect(reasons[0]).toBeInstanceOf(ImplementationExited);
    expect(reasons[1]).toBe(reasons[0]);
    expect(reasons[2]).toBe(reasons[0]);
  });

  it('close() leaves the process running for the next scenario', async () => {
    const factory = await connect('none');
    const pid = factory.pid;
    const first = await factory.start();
    await first.close();
    await expect(server(first)).rejects.toThrow(/closed connection/);
    await factory.start();
    expect(factory.pid).toBe(pid);
    expect(factory.restarts).toBe(0);
    await factory.stop();
    await expect.poll(() => alive(pid), { timeout: 30_000 }).toBe(false);
  });
});

describe('the cmd: adapter when the handshake goes wrong', () => {
  it('another protocol version is VersionMismatch', async () => {
    const error = await rejection(connect('version'));
    expect(error).toBeInstanceOf(VersionMismatch);
    expect(error).toMatchObject({ expected: [1, 2], got: 99, phase: 'handshake' });
    expect(error.message).toContain('this harness speaks versions 1 and 2');
    expect(error.stderrTail).toContain('got hello');
  });

  it('an exit before hello is StartupFailed, caused by ImplementationExited, with the stderr tail', async () => {
    const error = await rejection(connect('exit-in-handshake'));
    expect(error).toBeInstanceOf(StartupFailed);
    expect(error.cause).toBeInstanceOf(ImplementationExited);
    expect(error.stderrTail).toContain('fatal: cannot open /dev/vmbus');
    expect(error.message).toContain('fatal: cannot open /dev/vmbus');
  });

  it('a command the shell cannot find is CannotConnect', async () => {
    const { dir } = await fake('none');
    const error = await rejection(StdioFactory.connect({ command: './no-such-program --flag', cwd: dir }));
    expect(error).toBeInstanceOf(CannotConnect);
    expect(error.message).toMatch(/command not found/);
    expect(error.stderrTail).toMatch(/no-such-program/);
  });

  it('a working directory that does not exist is CannotConnect', async () => {
    await expect(StdioFactory.connect({ command: 'true', cwd: '/nonexistent/dir' })).rejects.toBeInstanceOf(CannotConnect);
  });
});
