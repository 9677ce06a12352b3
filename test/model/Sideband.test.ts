import { describe, expect, it } from 'vitest';
import { channelId, gpadlHandle } from '../../src/contract/handles.js';
import { Sideband } from '../../src/model/Sideband.js';

describe('Sideband (choice G17)', () => {
  const channel = channelId(1);
  const gpadl = gpadlHandle(0xe1e10);

  it('hands a read-only declaration to the host once: taking it forgets it, so a long run keeps nothing', () => {
    const sideband = new Sideband();
    sideband.declare(channel, gpadl, true);
    expect(sideband.take(channel, gpadl)).toBe(true);
    expect(sideband.take(channel, gpadl)).toBe(false);
  });

  it('keys the declaration by channel and GPADL id, and a read-write declaration clears an earlier one', () => {
    const sideband = new Sideband();
    sideband.declare(channel, gpadl, true);
    expect(sideband.take(channelId(2), gpadl)).toBe(false);
    sideband.declare(channel, gpadl, false);
    expect(sideband.take(channel, gpadl)).toBe(false);
  });
});
