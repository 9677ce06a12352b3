import { describe, expect, it } from 'vitest';
import {
  formatStatus,
  gpadlFlags,
  ntStatus,
  ntSuccess,
  parseGpadlFlags,
  STATUS_ACCESS_DENIED,
  STATUS_DEVICE_BUSY,
  STATUS_PENDING,
  STATUS_SUCCESS,
  statusByName,
  VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY,
  VMBUS_CHANNEL_GPADL_READ_ONLY,
} from '../../src/contract/index.js';

describe('NTSTATUS', () => {
  it('NT_SUCCESS is true for success and informational codes only', () => {
    expect([STATUS_SUCCESS, STATUS_PENDING, STATUS_DEVICE_BUSY, STATUS_ACCESS_DENIED].map(ntSuccess)).toEqual([true, true, false, false]);
  });
  it('names known codes and prints unknown ones in hex', () => {
    expect(formatStatus(STATUS_ACCESS_DENIED)).toBe('STATUS_ACCESS_DENIED (0xC0000022)');
    expect(formatStatus(ntStatus(0xc0001234))).toBe('0xC0001234');
    expect(ntStatus(-1073741811)).toBe(0xc000000d);
    expect(statusByName('STATUS_DEVICE_BUSY')).toBe(STATUS_DEVICE_BUSY);
    expect(statusByName('STATUS_MADE_UP')).toBeUndefined();
  });
  it('refuses what is not a 32-bit value', () => {
    expect(() => ntStatus(2 ** 32)).toThrow(RangeError);
    expect(() => ntStatus(1.5)).toThrow(RangeError);
  });
});

describe('GPADL flags', () => {
  it('gives both documented names of the read-only flag bit 0x1', () => {
    expect(VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY).toBe(1);
    expect(VMBUS_CHANNEL_GPADL_READ_ONLY).toBe(1);
  });
  it('parses names, numbers and unions, and rejects unknown names', () => {
    expect(parseGpadlFlags('VMBUS_CHANNEL_GPADL_READ_ONLY')).toBe(gpadlFlags(1));
    expect(parseGpadlFlags('0x80000000')).toBe(gpadlFlags(0x80000000));
    expect(parseGpadlFlags('VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0x2')).toBe(gpadlFlags(3));
    expect(parseGpadlFlags('VMBUS_CHANNEL_GPADL_WRITE')).toBeUndefined();
    expect(parseGpadlFlags('0x100000000')).toBeUndefined();
  });
});
