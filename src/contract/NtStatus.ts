/**
 * NTSTATUS values as the KMCL functions return them.
 *
 * The KMCL pages promise only "STATUS_SUCCESS or an appropriate NTSTATUS error code", so which
 * failure code a function returns is a choice of the implementation (see the README, "Choices").
 * The values below are the ones from ntstatus.h that the suite names; any other u32 is still a
 * valid NtStatus and is printed in hex.
 */

declare const ntStatusBrand: unique symbol;
/** A 32-bit NTSTATUS, kept unsigned (0xC000000D, not -1073741811). */
export type NtStatus = number & { readonly [ntStatusBrand]: true };

/** The one validating constructor: any u32 is an NTSTATUS; anything else is a harness bug. */
export function ntStatus(value: number): NtStatus {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) {
    throw new RangeError(`not a 32-bit NTSTATUS: ${value}`);
  }
  return (value >>> 0) as NtStatus;
}

export const STATUS_SUCCESS = ntStatus(0x00000000);
export const STATUS_PENDING = ntStatus(0x00000103);
export const STATUS_BUFFER_OVERFLOW = ntStatus(0x80000005);
export const STATUS_DEVICE_BUSY = ntStatus(0x80000011);
export const STATUS_UNSUCCESSFUL = ntStatus(0xc0000001);
export const STATUS_NOT_IMPLEMENTED = ntStatus(0xc0000002);
export const STATUS_INVALID_HANDLE = ntStatus(0xc0000008);
export const STATUS_INVALID_PARAMETER = ntStatus(0xc000000d);
export const STATUS_INVALID_DEVICE_REQUEST = ntStatus(0xc0000010);
export const STATUS_MORE_PROCESSING_REQUIRED = ntStatus(0xc0000016);
export const STATUS_NO_MEMORY = ntStatus(0xc0000017);
export const STATUS_ACCESS_DENIED = ntStatus(0xc0000022);
export const STATUS_BUFFER_TOO_SMALL = ntStatus(0xc0000023);
export const STATUS_NOT_SUPPORTED = ntStatus(0xc00000bb);
export const STATUS_INVALID_PARAMETER_1 = ntStatus(0xc00000ef);
export const STATUS_INVALID_PARAMETER_2 = ntStatus(0xc00000f0);
export const STATUS_INVALID_PARAMETER_3 = ntStatus(0xc00000f1);
export const STATUS_CANCELLED = ntStatus(0xc0000120);
export const STATUS_INVALID_DEVICE_STATE = ntStatus(0xc0000184);
export const STATUS_DEVICE_REMOVED = ntStatus(0xc00002b6);

const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries({
    STATUS_SUCCESS,
    STATUS_PENDING,
    STATUS_BUFFER_OVERFLOW,
    STATUS_DEVICE_BUSY,
    STATUS_UNSUCCESSFUL,
    STATUS_NOT_IMPLEMENTED,
    STATUS_INVALID_HANDLE,
    STATUS_INVALID_PARAMETER,
    STATUS_INVALID_DEVICE_REQUEST,
    STATUS_MORE_PROCESSING_REQUIRED,
    STATUS_NO_MEMORY,
    STATUS_ACCESS_DENIED,
    STATUS_BUFFER_TOO_SMALL,
    STATUS_NOT_SUPPORTED,
    STATUS_INVALID_PARAMETER_1,
    STATUS_INVALID_PARAMETER_2,
    STATUS_INVALID_PARAMETER_3,
    STATUS_CANCELLED,
    STATUS_INVALID_DEVICE_STATE,
    STATUS_DEVICE_REMOVED,
  }).map(([name, value]) => [value, name]),
);

/** NT_SUCCESS(): success and informational codes (severity 0 or 1) have the top bit clear. */
export function ntSuccess(status: NtStatus): boolean {
  return status >>> 31 === 0;
}

/** `STATUS_ACCESS_DENIED (0xC0000022)`, or just the hex for a code the suite has no name for. */
export function formatStatus(status: NtStatus): string {
  const hex = `0x${status.toString(16).toUpperCase().padStart(8, '0')}`;
  const name = NAMES.get(status);
  return name === undefined ? hex : `${name} (${hex})`;
}

/** Looks a status up by its ntstatus.h name; undefined for a name the suite does not know. */
export function statusByName(name: string): NtStatus | undefined {
  for (const [value, known] of NAMES) if (known === name) return value as NtStatus;
  return undefined;
}
