/**
 * What the guest's KMCL tells the host's KMCL outside the channel messages (choice G17).
 *
 * No public wire struct carries the read-only attribute of a GPADL, yet the host's
 * VmbChannelMapGpadl must know it. The model hands it across here, keyed by channel and GPADL id,
 * set before the GPADL_HEADER is sent and taken (read and forgotten) when the host receives that
 * header, so a long run's read-only GPADLs leave nothing behind.
 */
import type { ChannelId, GpadlHandle } from '../contract/handles.js';

export class Sideband {
  private readonly readOnly = new Set<string>();

  declare(channel: ChannelId, gpadl: GpadlHandle, readOnly: boolean): void {
    const key = `${channel}:${gpadl}`;
    if (readOnly) this.readOnly.add(key);
    else this.readOnly.delete(key);
  }

  /** Whether the GPADL was declared read-only; the declaration is used up. */
  take(channel: ChannelId, gpadl: GpadlHandle): boolean {
    return this.readOnly.delete(`${channel}:${gpadl}`);
  }
}
