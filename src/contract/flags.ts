/**
 * GPADL flags (VmbChannelCreateGpadlFrom*, VmbChannelMapGpadl).
 *
 * The Create pages call the read-only bit VMBUS_CHANNEL_GPADL_READ_ONLY, the Map page and the one
 * #define in the WDK header call it VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY; both name bit 0x1 (gap G2).
 * Flags are a plain u32 so that negative tests can send bits the API does not define.
 */

declare const flagsBrand: unique symbol;
export type GpadlFlags = number & { readonly [flagsBrand]: true };

export function gpadlFlags(value: number): GpadlFlags {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`GPADL flags must be a 32-bit unsigned integer, got ${value}`);
  }
  return value as GpadlFlags;
}

export const VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY = gpadlFlags(0x1);
/** The name the Create pages use for the same bit. */
export const VMBUS_CHANNEL_GPADL_READ_ONLY = VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY;
/** VMBUS_CHANNEL_GPADL_FLAGS: the mask of every defined GPADL flag. */
export const VMBUS_CHANNEL_GPADL_FLAGS = gpadlFlags(0x1);
export const NO_GPADL_FLAGS = gpadlFlags(0);

export const isReadOnly = (flags: GpadlFlags): boolean => (flags & VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY) !== 0;
export const hasUndefinedBits = (flags: GpadlFlags): boolean => (flags & ~VMBUS_CHANNEL_GPADL_FLAGS) !== 0;

const FLAG_NAMES: Readonly<Record<string, GpadlFlags>> = {
  VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY,
  VMBUS_CHANNEL_GPADL_READ_ONLY,
  '0': NO_GPADL_FLAGS,
};

/**
 * Reads flags as a feature writes them: a number (`0x1`, `0x80000000`) or documented names joined
 * by `|`. Returns undefined for a name the API does not know, so the caller can say so.
 */
export function parseGpadlFlags(text: string): GpadlFlags | undefined {
  let value = 0;
  for (const part of text.split('|').map((p) => p.trim())) {
    const named = FLAG_NAMES[part];
    if (named !== undefined) value |= named;
    else if (/^(0x[0-9a-f]+|\d+)$/i.test(part) && Number(part) <= 0xffffffff) value |= Number(part);
    else return undefined;
  }
  return gpadlFlags(value >>> 0);
}
