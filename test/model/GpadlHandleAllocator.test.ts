import { describe, expect, it } from 'vitest';
import { gpadlHandle } from '../../src/contract/handles.js';
import { FIRST_GPADL_HANDLE, GpadlHandleAllocator } from '../../src/model/GpadlHandleAllocator.js';

describe('GpadlHandleAllocator (choice G14)', () => {
  it('counts up from 0xE1E10', () => {
    const handles = new GpadlHandleAllocator();
    expect([handles.allocate(() => false), handles.allocate(() => false)]).toEqual([FIRST_GPADL_HANDLE, FIRST_GPADL_HANDLE + 1]);
  });

  it('wraps past 0xFFFFFFFF without ever handing out 0', () => {
    const handles = new GpadlHandleAllocator(0xfffffffe);
    expect([0, 1, 2].map(() => handles.allocate(() => false))).toEqual([0xfffffffe, 0xffffffff, 1]);
  });

  it('skips handles that are still live after a wrap', () => {
    const handles = new GpadlHandleAllocator(5);
    const live = new Set([gpadlHandle(5), gpadlHandle(6)]);
    expect(handles.allocate((h) => live.has(h))).toBe(7);
  });
});
