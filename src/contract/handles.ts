/**
 * Handles and numbers that the docs keep apart are kept apart here too: each is a branded u32 with
 * one validating constructor, so a GPADL handle can never be passed where a channel is expected.
 */

declare const brand: unique symbol;
type U32<Name extends string> = number & { readonly [brand]: Name };

/** A VMBCHANNEL: one endpoint (client or server) of a channel, as KMCL hands it to a driver. */
export type EndpointHandle = U32<'EndpointHandle'>;
/** The UINT32 GPADL handle that create writes out and map, unmap and delete take. */
export type GpadlHandle = U32<'GpadlHandle'>;
/** A channel's id on the wire (child_relid). */
export type ChannelId = U32<'ChannelId'>;
/** A guest buffer the harness allocated (its guest virtual address, in the model's terms). */
export type BufferHandle = U32<'BufferHandle'>;
/** An MDL: built by the harness over guest buffers, or returned by VmbChannelMapGpadl. */
export type MdlHandle = U32<'MdlHandle'>;
/** A call that may block (DeleteGpadl), so that its completion can be observed later. */
export type OperationId = U32<'OperationId'>;
/** A guest page frame number, in 4 KiB Hyper-V pages. */
export type Pfn = number & { readonly [brand]: 'Pfn' };

function u32<T>(kind: string, value: number): T {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${kind} must be a 32-bit unsigned integer, got ${value}`);
  }
  return value as T;
}

export const endpointHandle = (value: number): EndpointHandle => u32('EndpointHandle', value);
export const gpadlHandle = (value: number): GpadlHandle => u32('GpadlHandle', value);
export const channelId = (value: number): ChannelId => u32('ChannelId', value);
export const bufferHandle = (value: number): BufferHandle => u32('BufferHandle', value);
export const mdlHandle = (value: number): MdlHandle => u32('MdlHandle', value);
export const operationId = (value: number): OperationId => u32('OperationId', value);

/** PFNs are u64 on the wire; the suite keeps them to the exactly representable range. */
export function pfn(value: number): Pfn {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a page frame number: ${value}`);
  return value as Pfn;
}

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** Pages spanned by `byteCount` bytes that start `byteOffset` bytes into their first page. */
export function pagesSpanned(byteOffset: number, byteCount: number): number {
  return byteCount === 0 ? 0 : Math.ceil((byteOffset % PAGE_SIZE + byteCount) / PAGE_SIZE);
}

export function hex(value: number): string {
  return `0x${value.toString(16).toUpperCase()}`;
}
