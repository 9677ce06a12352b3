/**
 * A plug-in error's standard error, completed once the process has gone: the line that explains a
 * bad answer can arrive after the answer (two pipes), and the connector puts it in before the error
 * leaves it (the stdio failure tests show that end to end).
 */
import { describe, expect, it } from 'vitest';
import { ProtocolError, Timeout } from '../../src/plugin/errors.js';

const details = { implementation: 'cmd:fake', stderrTail: 'got allocateChannel' };

describe('PluginError.completeStderrTail', () => {
  it('replaces the tail in stderrTail and in the message, and keeps the summary', () => {
    const error = new ProtocolError('allocateChannel', 'the response breaks the schema', details);
    expect(error.message).toContain('last 1 line ---\ngot allocateChannel');
    error.completeStderrTail('got allocateChannel\nanswering with a debug field');
    expect(error.stderrTail).toBe('got allocateChannel\nanswering with a debug field');
    expect(error.message).toBe(`${error.summary}\n--- the implementation's standard error, last 2 lines ---\ngot allocateChannel\nanswering with a debug field`);
    expect(error.summary).toMatch(/^cmd:fake: protocol error in allocateChannel: the response breaks the schema$/);
  });

  it('rewrites the head of a stack that was already printed with the old message', () => {
    const error = new Timeout('mapGpadl', 300, { implementation: 'cmd:fake', stderrTail: '' });
    expect(error.stack).toContain('(the implementation wrote nothing to standard error)');
    error.completeStderrTail('hanging on mapGpadl');
    expect(error.stack?.startsWith(`Timeout: ${error.message}\n`)).toBe(true);
    expect(error.stack).not.toContain('wrote nothing');
    expect(error.stack).toMatch(/\n\s+at /);
  });

  it('a stack not yet printed is written with the new message', () => {
    const error = new Timeout('mapGpadl', 300, details);
    error.completeStderrTail('hanging on mapGpadl');
    expect(error.stack?.startsWith(`Timeout: ${error.message}\n`)).toBe(true);
  });
});
