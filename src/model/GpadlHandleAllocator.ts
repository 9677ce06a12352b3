/**
 * GPADL handles for one connection (choice G14): a counter from 0xE1E10, as Linux
 * (`next_gpadl_handle`) and FreeBSD (`VMBUS_GPADL_START`) do, shared by all channels, consumed by
 * every GPADL_HEADER sent, never reused while the GPADL lives, and never 0 (FreeBSD skips it on wrap;
 * Linux uses 0 for "no GPADL").
 */
import { gpadlHandle, type GpadlHandle } from '../contract/handles.js';

export const FIRST_GPADL_HANDLE = 0xe1e10;

export class GpadlHandleAllocator {
  private next: number;

  /** `first` exists for tests of the wrap-around; a connection always starts at 0xE1E10. */
  constructor(first: number = FIRST_GPADL_HANDLE) {
    this.next = first;
  }

  allocate(isLive: (handle: GpadlHandle) => boolean): GpadlHandle {
    for (;;) {
      const candidate = gpadlHandle(this.next);
      this.next = (this.next + 1) >>> 0;
      if (candidate !== 0 && !isLive(candidate)) return candidate;
    }
  }
}
