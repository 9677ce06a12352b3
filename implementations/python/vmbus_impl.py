#!/usr/bin/env python3
"""A small VMBus stack in Python that speaks the vmbus-conformance plug-in protocol, version 1.

Written from the KMCL pages, the sources spec/ states and docs/protocol.md, independently of the TypeScript
reference model. Standard library only. One JSON request per line on stdin, one JSON response per
line on stdout (flushed); logs go to stderr.

Layers, bottom up:
  GuestMemory    sparse 4 KiB guest pages, handed out in a scrambled order (nothing is contiguous)
  Migration      a pre-copy migration of those pages and the snapshot it saves (migration, README G28)
  Wire           the channel-message queue between guest and host, recorded in the trace
  Host           the host's VMBus control plane: offers, GPADL_HEADER/BODY reassembly and range
                 validation, GPADL_CREATED, teardown held back while mapped, open/close, revoke;
                 the suite's directives (hostControl: refuse or hold back a GPADL, refuse an open)
  WireHost       the same host on its own, fed raw message bytes by the harness playing the guest
                 (wireHost): a byte codec, devices' views (hostHold/hostRelease), and the
                 connection itself: UNLOAD, INITIATE_CONTACT, REQUESTOFFERS (README G30)
  Guest          the guest's VMBus: handle allocation, GPADL message splitting, create/teardown
                 waits, open (ring-buffer GPADL, OPENCHANNEL), close, rescind
  Connection     the KMCL surface on top (client and server endpoints, map/unmap, MDLs), plus the
                 harness helpers (buffers, MDL chains, operations, violations, trace)

hostControl follows docs/protocol.md and the reference model's choices (README G29): directives
queue up (two deferGpadl hold back two GPADLs; refuseGpadl and deferGpadl apply in the order
given), and a directive also applies to the ring-buffer GPADL of an open, whose open then goes on
when the host answers (implementations/python/README.md).
"""
from __future__ import annotations

import json
import sys
import traceback
from collections import deque

# ----------------------------------------------------------------------------- constants

PAGE_SIZE = 4096
PAGE_SHIFT = 12

STATUS_SUCCESS = 0x00000000
STATUS_PENDING = 0x00000103
STATUS_UNSUCCESSFUL = 0xC0000001
STATUS_INVALID_HANDLE = 0xC0000008
STATUS_INVALID_PARAMETER = 0xC000000D
STATUS_INVALID_DEVICE_REQUEST = 0xC0000010
STATUS_ACCESS_DENIED = 0xC0000022
STATUS_INVALID_PARAMETER_1 = 0xC00000EF
STATUS_INVALID_PARAMETER_2 = 0xC00000F0
STATUS_INVALID_PARAMETER_3 = 0xC00000F1
STATUS_INVALID_DEVICE_STATE = 0xC0000184
STATUS_DEVICE_REMOVED = 0xC00002B6

VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY = 0x1
VMBUS_CHANNEL_GPADL_FLAGS = 0x1

MAX_MESSAGE_SIZE = 240          # HV_MESSAGE_PAYLOAD_BYTE_COUNT
GPADL_HEADER_FIXED = 20         # header, child_relid, gpadl, range_buflen, rangecount
GPADL_BODY_FIXED = 16           # header, msgnumber, gpadl
GPA_RANGE_HEADER = 8            # byte_count, byte_offset
HEADER_U64S = (MAX_MESSAGE_SIZE - GPADL_HEADER_FIXED) // 8   # 27: one range header + 26 PFNs
BODY_U64S = (MAX_MESSAGE_SIZE - GPADL_BODY_FIXED) // 8       # 28 PFNs
MAX_RANGE_BUFLEN = 0xFFFF       # range_buflen is a u16
FIRST_GPADL_HANDLE = 0xE1E10
WIRE_SUCCESS = 0
WIRE_UNSUCCESSFUL = 0x8000FFFF
DEFAULT_RING_PAGES = 4
MAX_BUFFER_BYTES = 1 << 30
# hostControl directives, by the kind of guest request each one answers
DIRECTIVE_KINDS = {'refuseGpadl': 'gpadl', 'deferGpadl': 'gpadl', 'refuseOpen': 'open', 'revokeSilently': 'revoke'}

KMCL_NAMES = {
    'allocateChannel': 'VmbChannelAllocate',
    'setRingBufferPageCount': 'VmbClientChannelInitSetRingBufferPageCount',
    'enableChannel': 'VmbChannelEnable',
    'disableChannel': 'VmbChannelDisable',
    'cleanupChannel': 'VmbChannelCleanup',
    'createGpadlFromBuffer': 'VmbChannelCreateGpadlFromBuffer',
    'createGpadlFromMdl': 'VmbChannelCreateGpadlFromMdl',
    'deleteGpadl': 'VmbChannelDeleteGpadl',
    'mapGpadl': 'VmbChannelMapGpadl',
    'unmapGpadl': 'VmbChannelUnmapGpadl',
}


def log(*parts: object) -> None:
    print('[vmbus_impl]', *parts, file=sys.stderr, flush=True)


class BadRequest(Exception):
    """The harness sent something the protocol does not allow (answered as `errored`)."""


def pages_spanned(byte_offset: int, byte_count: int) -> int:
    return 0 if byte_count == 0 else (byte_offset % PAGE_SIZE + byte_count + PAGE_SIZE - 1) // PAGE_SIZE


class Extent:
    """A run of bytes in guest-physical pages: what one MDL, one GPA range or one buffer describes."""
    __slots__ = ('byte_offset', 'byte_count', 'pfns', 'buffer')

    def __init__(self, byte_offset: int, byte_count: int, pfns: list, buffer: 'Buffer | None' = None):
        self.byte_offset, self.byte_count, self.pfns, self.buffer = byte_offset, byte_count, pfns, buffer

    def sub(self, start: int, length: int) -> 'Extent':
        """`length` bytes from `start` bytes into this extent, with just the pages they touch."""
        absolute = self.byte_offset + start
        first = absolute >> PAGE_SHIFT
        return Extent(absolute & (PAGE_SIZE - 1), length,
                      self.pfns[first:first + pages_spanned(absolute, length)], self.buffer)


# ----------------------------------------------------------------------------- guest memory

PFN_SCRAMBLE = 0x9E3779B1


def page_pieces(extents: list, offset: int, length: int):
    """Where `length` bytes at `offset` of the byte stream the extents form lie in guest memory:
    (pfn, offset in the page, byte count) for each page they touch, in byte-stream order."""
    done, position = 0, 0
    for extent in extents:
        if done >= length:
            break
        if offset + done >= position + extent.byte_count:
            position += extent.byte_count
            continue
        local = offset + done - position
        while local < extent.byte_count and done < length:
            absolute = extent.byte_offset + local
            n = min(PAGE_SIZE - (absolute & (PAGE_SIZE - 1)), extent.byte_count - local, length - done)
            yield extent.pfns[absolute >> PAGE_SHIFT], absolute & (PAGE_SIZE - 1), n
            local += n
            done += n
        position += extent.byte_count


class GuestMemory:
    """Sparse guest-physical memory. Pages never written read as zeros."""

    def __init__(self) -> None:
        self.pages: dict[int, bytearray] = {}
        self.handed_out = 0
        self.dirty_log: set | None = None       # the guest's written pages, while a migration runs

    def allocate(self, count: int) -> list:
        # k * odd constant mod 2^24 is a bijection: unique, and neighbours are never adjacent.
        start, self.handed_out = self.handed_out + 1, self.handed_out + count
        return [0x100000 + ((k * PFN_SCRAMBLE) & 0xFFFFFF) for k in range(start, start + count)]

    def owns(self, pfn: int) -> bool:
        """Whether `allocate` has handed the page out (the inverse of its bijection)."""
        if not 0x100000 <= pfn < 0x100000 + 0x1000000:
            return False
        k = ((pfn - 0x100000) * pow(PFN_SCRAMBLE, -1, 0x1000000)) & 0xFFFFFF
        return 1 <= k <= self.handed_out

    def access(self, extents: list, offset: int, length: int, data: bytes | None = None, by_guest: bool = True) -> bytes:
        """Reads (data None) or writes `length` bytes at `offset` of the byte stream the extents form.
        Only the guest's own writes reach the dirty log: the hypervisor logs writes through the
        guest's page tables, and the host writes through its own mapping of the pages."""
        out = bytearray()
        done = 0
        for pfn, in_page, n in page_pieces(extents, offset, length):
            page = self.pages.get(pfn)
            if data is None:
                out += page[in_page:in_page + n] if page is not None else bytes(n)
            else:
                if page is None:
                    page = self.pages[pfn] = bytearray(PAGE_SIZE)
                page[in_page:in_page + n] = data[done:done + n]
                if by_guest and self.dirty_log is not None:
                    self.dirty_log.add(pfn)
            done += n
        return bytes(out)

    def copy(self) -> 'GuestMemory':
        """Every page as it is now, apart from this memory: what a migration saves."""
        saved = GuestMemory()
        saved.pages = {pfn: bytearray(page) for pfn, page in self.pages.items()}
        return saved

    def copy_page(self, source: 'GuestMemory', pfn: int) -> None:
        page = source.pages.get(pfn)
        if page is None:
            self.pages.pop(pfn, None)           # never written there: zeros here too
        else:
            self.pages[pfn] = bytearray(page)

    def differing(self, other: 'GuestMemory') -> list:
        """The pages whose bytes differ from `other`'s, ascending; an absent page is zeros."""
        zeros = bytes(PAGE_SIZE)
        return sorted(pfn for pfn in self.pages.keys() | other.pages.keys()
                      if self.pages.get(pfn, zeros) != other.pages.get(pfn, zeros))


class Buffer:
    """A guest buffer: virtually contiguous, physically scattered, starting anywhere in its first page."""

    def __init__(self, handle: int, byte_offset: int, byte_count: int, pfns: list):
        self.handle, self.locks = handle, 0
        self.extent = Extent(byte_offset, byte_count, pfns, self)


class Mdl:
    """An MDL chain. One built by the harness describes buffers; one returned by map describes a GPADL."""

    def __init__(self, handle: int, extents: list, mapping: 'Mapping | None' = None):
        self.handle, self.extents, self.mapping = handle, extents, mapping
        self.system_va = False

    @property
    def byte_count(self) -> int:
        return sum(e.byte_count for e in self.extents)


# ----------------------------------------------------------------------------- migration

class Migration:
    """A live migration or snapshot of guest memory by pre-copy (README G28). The first pass copies
    every page while the guest runs and starts the guest's dirty log, which never sees the server
    writing through a mapping. So the final pass copies again, besides the pages the guest dirtied,
    every page the server could have written: those of a GPADL mapped for write at any time during
    the migration, since a write mapping released before the end may have been written while it
    lasted. A read-only mapping is the server saying it will not write: its pages are not copied
    again (the saving), and a write through it anyway is missed, which the report owns up to."""

    def __init__(self, memory: GuestMemory, mappings: list):
        self.memory = memory
        self.saved = memory.copy()
        memory.dirty_log = set()
        self.server_writable: set = set()
        for mapping in mappings:                # a write mapping held from before the start counts
            self.mapped(mapping)

    def mapped(self, mapping: 'Mapping') -> None:
        if not mapping.read_only:
            self.server_writable.update(pfn for e in mapping.mdl.extents for pfn in e.pfns)

    def finish(self) -> dict:
        """Stop-and-copy: the final pass, and what it copied and missed. `saved` is then the snapshot."""
        dirty, self.memory.dirty_log = self.memory.dirty_log, None
        for pfn in dirty | self.server_writable:
            self.saved.copy_page(self.memory, pfn)
        return {'recopiedGuestDirty': sorted(dirty), 'recopiedServerWritable': sorted(self.server_writable),
                'missed': self.saved.differing(self.memory)}


# ----------------------------------------------------------------------------- wire messages

def u32le(value: int) -> bytes:
    return value.to_bytes(4, 'little')


def encode_ranges(extents: list) -> bytes:
    """The GPA range buffer: per range {u32 byte_count, u32 byte_offset, u64 pfn[]}."""
    out = bytearray()
    for e in extents:
        out += u32le(e.byte_count) + u32le(e.byte_offset)
        for pfn in e.pfns:
            out += pfn.to_bytes(8, 'little')
    return bytes(out)


def decode_ranges(data: bytes, count: int) -> list | None:
    """Validates a complete range buffer as a host must (OpenVMM gparange.rs); None if invalid."""
    values = [int.from_bytes(data[i:i + 8], 'little') for i in range(0, len(data) - len(data) % 8, 8)]
    ranges, at = [], 0
    for _ in range(count):
        if at >= len(values):
            return None
        byte_count, byte_offset = values[at] & 0xFFFFFFFF, values[at] >> 32
        at += 1
        if byte_count == 0 or byte_offset > 0xFFF:
            return None
        n = pages_spanned(byte_offset, byte_count)
        if at + n > len(values):
            return None
        ranges.append(Extent(byte_offset, byte_count, values[at:at + n]))
        at += n
    return ranges


def split_gpadl(relid: int, gpadl: int, extents: list) -> list:
    """GPADL_HEADER with the first 27 u64s of the range buffer (a range header and 26 PFNs), then
    GPADL_BODY messages of up to 28 u64s each; range_buflen is the whole buffer's size."""
    data = encode_ranges(extents)
    head = HEADER_U64S * 8
    messages = [{'type': 'GPADL_HEADER', 'childRelid': relid, 'gpadl': gpadl, 'rangeBufLen': len(data),
                 'rangeCount': len(extents), 'rangeData': data[:head]}]
    for at in range(head, len(data), BODY_U64S * 8):
        messages.append({'type': 'GPADL_BODY', 'msgNumber': 0, 'gpadl': gpadl, 'rangeData': data[at:at + BODY_U64S * 8]})
    return messages


def message_json(message: dict) -> dict:
    return {k: (v.hex() if isinstance(v, (bytes, bytearray)) else v) for k, v in message.items()}


# ----------------------------------------------------------------------------- host side

class HostGpadl:
    def __init__(self, relid: int, handle: int, length: int, count: int, read_only: bool):
        self.relid, self.handle, self.length, self.count = relid, handle, length, count
        self.data = bytearray()
        self.state = 'InProgress'   # InProgress, Held (answer deferred), Accepted, TearingDown, Gone (answered, still mapped)
        self.ranges: list = []
        self.read_only = read_only
        self.mapping: Mapping | None = None
        self.ring_in_use = False     # the ring-buffer GPADL of an open channel
        self.holds = 0               # wireHost: views a device took (hostHold), several at once as in OpenVMM

    def in_use(self) -> bool:
        """Something on the host still reaches the pages, so a teardown must wait for it."""
        return self.ring_in_use or self.holds > 0 or (self.mapping is not None and self.mapping.alive)


class HostChannel:
    def __init__(self, relid: int, server: 'ServerEndpoint'):
        self.relid, self.server = relid, server
        self.state = 'offered'       # offered, open, closed, revoked, released
        self.gpadls: dict[int, HostGpadl] = {}
        self.ring: HostGpadl | None = None
        self.directives: list = []   # hostControl, oldest first; each answers one request of its kind
        self.held: list = []         # GPADLs whose GPADL_CREATED a deferGpadl holds back


class Mapping:
    def __init__(self, gpadl: HostGpadl, server: 'ServerEndpoint', mdl: Mdl, read_only: bool):
        self.gpadl, self.server, self.mdl, self.read_only = gpadl, server, mdl, read_only
        self.alive = True


class Host:
    """The host's VMBus: answers the guest's channel messages (after OpenVMM's vmbus_server)."""

    def __init__(self, conn: 'Connection'):
        self.conn = conn
        self.channels: dict[int, HostChannel] = {}
        self.next_relid = 1
        self.incomplete: dict[int, HostGpadl] = {}          # GPADL_BODY carries no channel id
        self.read_only_sideband: dict[tuple, bool] = {}    # (relid, gpadl) -> read-only (no wire field)

    def post(self, message: dict) -> None:
        self.conn.wire.post('host-to-guest', message)

    # offers
    def offer(self, server: 'ServerEndpoint') -> HostChannel:
        relid, self.next_relid = self.next_relid, self.next_relid + 1
        channel = self.channels[relid] = HostChannel(relid, server)
        if self.conn.guest is not None:         # a host half's guest is across the harness
            self.conn.guest.instance_of_relid[relid] = server.instance
        self.post({'type': 'OFFERCHANNEL', 'childRelid': relid})
        return channel

    def revoke(self, channel: HostChannel) -> None:
        silent = 'revokeSilently' in channel.directives
        channel.state = 'revoked'
        channel.directives = []                 # a directive is for this offer only
        if channel.ring is not None:
            channel.ring.ring_in_use = False
            channel.ring = None
        if silent:                              # a host that answers nothing at a revoke: what it holds back stays so
            self.post({'type': 'RESCIND_CHANNELOFFER', 'childRelid': channel.relid})
            return
        for g in list(channel.gpadls.values()):
            if g.state == 'InProgress':
                continue
            if g.state == 'TearingDown':       # deletes held back for a mapping are answered now
                self.finish_teardown(g, send=True)
        self.post({'type': 'RESCIND_CHANNELOFFER', 'childRelid': channel.relid})
        # OpenVMM fails the GPADLs still waiting for an answer, so that no guest request on the
        # channel stays unanswered before the guest releases the relid.
        for g in channel.held:
            channel.gpadls.pop(g.handle, None)
            self.created(g.relid, g.handle, WIRE_UNSUCCESSFUL)
        channel.held = []

    # hostControl: the suite steers how this host answers the guest
    def direct(self, channel: HostChannel, directive: str) -> None:
        channel.directives.append(directive)

    def take_directive(self, channel: HostChannel, kind: str) -> str | None:
        for i, directive in enumerate(channel.directives):
            if DIRECTIVE_KINDS[directive] == kind:
                return channel.directives.pop(i)
        return None

    def answer_held(self, channel: HostChannel) -> bool:
        held, channel.held = channel.held, []
        for g in held:
            g.state = 'Accepted'
            self.created(g.relid, g.handle, WIRE_SUCCESS)
        return bool(held)

    def finish_teardown(self, g: HostGpadl, send: bool) -> None:
        channel = self.channels.get(g.relid)
        if g.in_use():
            g.state = 'Gone'                    # only the server's unmap (or the device's release) may still name it
        elif channel is not None:
            channel.gpadls.pop(g.handle, None)
        if send:
            self.post({'type': 'GPADL_TORNDOWN', 'gpadl': g.handle})

    # messages from the guest
    def receive(self, m: dict) -> None:
        handler = getattr(self, 'on_' + m['type'], None)
        if handler is None:
            log('host: dropped', m['type'])
        else:
            handler(m)

    def created(self, relid: int, gpadl: int, status: int) -> None:
        self.post({'type': 'GPADL_CREATED', 'childRelid': relid, 'gpadl': gpadl, 'creationStatus': status})

    def on_GPADL_HEADER(self, m: dict) -> None:
        relid, handle = m['childRelid'], m['gpadl']
        channel = self.channels.get(relid)
        if channel is None or channel.state == 'released' or handle in channel.gpadls or handle in self.incomplete:
            self.created(relid, handle, WIRE_UNSUCCESSFUL)
            return
        g = HostGpadl(relid, handle, m['rangeBufLen'], m['rangeCount'],
                      self.read_only_sideband.pop((relid, handle), False))
        channel.gpadls[handle] = g
        self.append(g, m['rangeData'])

    def on_GPADL_BODY(self, m: dict) -> None:
        g = self.incomplete.get(m['gpadl'])
        if g is None:
            log('host: GPADL_BODY for unknown gpadl', hex(m['gpadl']))
            return
        self.append(g, m['rangeData'])

    def append(self, g: HostGpadl, data: bytes) -> None:
        take = min(len(data) // 8 * 8, g.length - len(g.data))
        g.data += data[:take]
        if len(g.data) < g.length:
            self.incomplete[g.handle] = g
            return
        self.incomplete.pop(g.handle, None)
        channel = self.channels[g.relid]
        ranges = decode_ranges(bytes(g.data), g.count)
        # A directive is for the next GPADL whose page list is complete, whether or not it is valid.
        directive = self.take_directive(channel, 'gpadl')
        if ranges is None or directive == 'refuseGpadl':
            del channel.gpadls[g.handle]
            self.created(g.relid, g.handle, WIRE_UNSUCCESSFUL)
            return
        g.ranges, g.data = ranges, bytearray()
        if directive == 'deferGpadl':
            g.state = 'Held'                    # neither mappable nor torn down until answered
            channel.held.append(g)
            return
        g.state = 'Accepted'
        self.created(g.relid, g.handle, WIRE_SUCCESS)

    def on_GPADL_TEARDOWN(self, m: dict) -> None:
        channel = self.channels.get(m['childRelid'])
        g = channel.gpadls.get(m['gpadl']) if channel is not None else None
        if g is None or g.state != 'Accepted':
            log('host: GPADL_TEARDOWN dropped for', hex(m['gpadl']))
            return
        if channel.state == 'revoked':
            self.finish_teardown(g, send=True)
        elif g.in_use():
            g.state = 'TearingDown'             # GPADL_TORNDOWN waits for the unmap, the close or the release
        else:
            self.finish_teardown(g, send=True)

    def release_hold(self, g: HostGpadl) -> None:
        """A user of the GPADL went away: answer a teardown that was waiting for it."""
        if g.state == 'TearingDown' and not g.in_use():
            self.finish_teardown(g, send=True)
        elif g.state == 'Gone' and not g.in_use():
            channel = self.channels.get(g.relid)
            if channel is not None:
                channel.gpadls.pop(g.handle, None)

    def on_OPENCHANNEL(self, m: dict) -> None:
        channel = self.channels.get(m['childRelid'])
        status = WIRE_UNSUCCESSFUL
        refused = channel is not None and self.take_directive(channel, 'open') == 'refuseOpen'
        if channel is not None and channel.state in ('offered', 'closed') and not refused:
            g = channel.gpadls.get(m['ringBufferGpadlHandle'])
            split = m['downstreamRingBufferPageOffset']
            if (g is not None and g.state == 'Accepted' and len(g.ranges) == 1 and g.ranges[0].byte_offset == 0
                    and g.ranges[0].byte_count % PAGE_SIZE == 0 and 0 < split < len(g.ranges[0].pfns)):
                g.ring_in_use, channel.ring, channel.state = True, g, 'open'
                channel.server.state = 'Opened'
                status = WIRE_SUCCESS
        self.post({'type': 'OPENCHANNEL_RESULT', 'childRelid': m['childRelid'], 'openId': m['openId'], 'status': status})

    def on_CLOSECHANNEL(self, m: dict) -> None:
        channel = self.channels.get(m['childRelid'])
        if channel is not None and channel.state == 'open':
            self.close(channel)

    def close(self, channel: HostChannel) -> None:
        channel.state = 'closed'
        channel.server.state = 'Closed'
        ring, channel.ring = channel.ring, None
        if ring is not None:
            ring.ring_in_use = False
            self.release_hold(ring)

    def on_RELID_RELEASED(self, m: dict) -> None:
        channel = self.channels.get(m['childRelid'])
        # Only a rescinded offer can be released (OpenVMM refuses the rest; this guest never sends them).
        if channel is None or channel.state != 'revoked':
            return
        channel.state = 'released'
        self.forget_gpadls(channel)

    def forget_gpadls(self, channel: HostChannel) -> None:
        """Drops the channel's GPADLs without a reply: those in progress at once, the others once
        nothing on the host uses them any more (they wait as Gone)."""
        for g in list(channel.gpadls.values()):
            if self.incomplete.get(g.handle) is g:
                del self.incomplete[g.handle]
            if g.state != 'InProgress' and g.in_use():
                g.state = 'Gone'
            else:
                del channel.gpadls[g.handle]


# ----------------------------------------------------------------------------- wire host (wireHost)

def vmbus_version(major: int, minor: int) -> int:
    return major << 16 | minor


# What VERSION_RESPONSE accepts (README G30): OpenVMM's versions below 6.0, whose answer is the
# 16-byte VERSION_RESPONSE; 6.0 adds feature flags to it, which this host does not speak.
WIRE_HOST_VERSIONS = frozenset(vmbus_version(*v) for v in (
    (0, 13), (1, 1), (2, 4), (3, 0), (4, 0), (4, 1), (5, 0), (5, 1), (5, 2), (5, 3)))
VERSION_WIN10_V5 = vmbus_version(5, 0)
MESSAGE_CONNECTION_ID = 1       # where a 5.x guest posts its messages (msg_conn_id)

# Guest-to-host messages a host reads, by msgtype: name, fixed size (Linux include/linux/hyperv.h)
# and the fields after the 8-byte header as (name, offset, width). GPADL_HEADER and GPADL_BODY
# carry range-buffer bytes after their fixed part. Anything else a host cannot read (README G23).
GUEST_TO_HOST = {
    3: ('REQUESTOFFERS', 8, ()),
    5: ('OPENCHANNEL', 148, (('childRelid', 8, 4), ('openId', 12, 4), ('ringBufferGpadlHandle', 16, 4),
                             ('targetVp', 20, 4), ('downstreamRingBufferPageOffset', 24, 4))),
    7: ('CLOSECHANNEL', 12, (('childRelid', 8, 4),)),
    8: ('GPADL_HEADER', GPADL_HEADER_FIXED, (('childRelid', 8, 4), ('gpadl', 12, 4), ('rangeBufLen', 16, 2),
                                            ('rangeCount', 18, 2))),
    9: ('GPADL_BODY', GPADL_BODY_FIXED, (('msgNumber', 8, 4), ('gpadl', 12, 4))),
    11: ('GPADL_TEARDOWN', 16, (('childRelid', 8, 4), ('gpadl', 12, 4))),
    13: ('RELID_RELEASED', 12, (('childRelid', 8, 4),)),
    14: ('INITIATE_CONTACT', 40, (('vmbusVersionRequested', 8, 4), ('targetVcpu', 12, 4), ('interruptPage', 16, 8),
                                  ('monitorPage1', 24, 8), ('monitorPage2', 32, 8))),
    16: ('UNLOAD', 8, ()),
}

# Host-to-guest messages, by name: msgtype, size and fields as above. The guest reads exactly
# these sizes, so every message is sent at its full size with the fields not listed zero.
HOST_TO_GUEST = {
    # vmbus_channel_offer_channel: the 176-byte offer (GUIDs, flags, user data, sub-channel index)
    # then child_relid, monitorid, monitor_allocated, is_dedicated_interrupt, connection_id.
    'OFFERCHANNEL': (1, 196, (('interfaceInstance', 24, 4), ('childRelid', 184, 4))),
    'RESCIND_CHANNELOFFER': (2, 12, (('childRelid', 8, 4),)),
    'ALLOFFERS_DELIVERED': (4, 8, ()),
    'OPENCHANNEL_RESULT': (6, 20, (('childRelid', 8, 4), ('openId', 12, 4), ('status', 16, 4))),
    'GPADL_CREATED': (10, 20, (('childRelid', 8, 4), ('gpadl', 12, 4), ('creationStatus', 16, 4))),
    'GPADL_TORNDOWN': (12, 12, (('gpadl', 8, 4),)),
    'VERSION_RESPONSE': (15, 16, (('versionSupported', 8, 1), ('connectionState', 9, 1), ('msgConnId', 12, 4))),
    'UNLOAD_RESPONSE': (17, 8, ()),
}


def decode_fields(by_type: dict, data: bytes) -> tuple[dict, int] | None:
    """The fields of a message of one direction (`by_type`: msgtype -> (name, size, fields)) and its
    fixed size, or None for one that cannot be read: over 240 bytes, shorter than its type's layout,
    of a type not of that direction (README G23)."""
    if len(data) > MAX_MESSAGE_SIZE or len(data) < 8:
        return None
    entry = by_type.get(int.from_bytes(data[:4], 'little'))
    if entry is None or len(data) < entry[1]:
        return None
    name, size, fields = entry
    m = {'type': name}
    for field, offset, width in fields:
        m[field] = int.from_bytes(data[offset:offset + width], 'little')
    return m, size


def decode_guest_message(data: bytes) -> dict | None:
    """A guest-to-host channel message, or None for one a host cannot read (README G23)."""
    decoded = decode_fields(GUEST_TO_HOST, data)
    if decoded is None:
        return None
    m, size = decoded
    name = m['type']
    if name in ('GPADL_HEADER', 'GPADL_BODY'):
        m['rangeData'] = data[size:]
    return m


def encode_host_message(m: dict) -> bytes:
    msgtype, size, fields = HOST_TO_GUEST[m['type']]
    out = bytearray(size)
    out[0:4] = u32le(msgtype)
    for field, offset, width in fields:
        out[offset:offset + width] = m.get(field, 0).to_bytes(width, 'little')
    return bytes(out)


class Device:
    """What stands behind a wire-host channel where the KMCL host has a server endpoint: the
    shared host code tells it when the channel opens and closes."""

    def __init__(self) -> None:
        self.state = 'Disabled'


class WireHost(Host):
    """The host alone, for the harness playing the guest byte for byte (capability wireHost):
    raw guest-to-host messages in, the raw messages they caused out. It starts connected, as if
    the guest had sent INITIATE_CONTACT and REQUESTOFFERS (README G30)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.outbox: list = []
        self.connected = True                   # a version is agreed
        self.offers_sent = True                 # REQUESTOFFERS is answered once per connection
        self.after_disconnect = None            # UNLOAD_RESPONSE or VERSION_RESPONSE waiting for devices
        self.orphaned: dict[tuple, int] = {}    # (relid, gpadl) -> views of GPADLs gone for good, still to be dropped

    def post(self, message: dict) -> None:
        self.outbox.append(encode_host_message(message))

    def replies(self) -> list:
        out, self.outbox = self.outbox, []
        return [b.hex() for b in out]

    # what the harness does on the host's side
    def offer(self, server: 'ServerEndpoint | None' = None) -> HostChannel:
        relid, self.next_relid = self.next_relid, self.next_relid + 1
        channel = self.channels[relid] = HostChannel(relid, Device())
        if self.connected and self.offers_sent:
            self.send_offer(channel)
        # otherwise the next REQUESTOFFERS offers it
        return channel

    def send_offer(self, channel: HostChannel) -> None:
        # A guest tells offers apart by their interface instance, so each gets its own.
        self.post({'type': 'OFFERCHANNEL', 'interfaceInstance': channel.relid, 'childRelid': channel.relid})

    def revoke_relid(self, relid: int) -> None:
        channel = self.channels.get(relid)
        if channel is None or channel.state in ('revoked', 'released'):
            return
        if self.connected:
            self.revoke(channel)
        else:
            # No guest is connected to be told or to release it: it goes at once, as an unload
            # would have taken it (README G30), and a reconnected guest is not offered it.
            channel.state = 'released'
            self.forget_gpadls(channel)

    def hold(self, relid: int, handle: int) -> int:
        channel = self.channels.get(relid)
        g = channel.gpadls.get(handle) if channel is not None else None
        if g is None or g.state != 'Accepted':  # OpenVMM's GpadlMapView::map: unknown or tearing down
            return STATUS_INVALID_PARAMETER
        g.holds += 1
        return STATUS_SUCCESS

    def release(self, relid: int, handle: int) -> int:
        channel = self.channels.get(relid)
        g = channel.gpadls.get(handle) if channel is not None else None
        if g is None or g.holds == 0:
            # A view outlives its GPADL: dropping one never fails in OpenVMM, and sends nothing.
            left = self.orphaned.get((relid, handle), 0)
            if left == 0:
                return STATUS_INVALID_PARAMETER
            self.orphaned[(relid, handle)] = left - 1
            return STATUS_SUCCESS
        g.holds -= 1
        self.release_hold(g)
        self.settle()
        return STATUS_SUCCESS

    def finish_teardown(self, g: HostGpadl, send: bool) -> None:
        if send:
            # Only a revoke answers a GPADL a device still holds: that device went with the
            # revoke, and once GPADL_TORNDOWN is out the guest may reuse the pages and the id.
            self.orphan(g)
        super().finish_teardown(g, send)

    def on_RELID_RELEASED(self, m: dict) -> None:
        channel = self.channels.get(m['childRelid'])
        if channel is not None and channel.state == 'revoked':
            for g in channel.gpadls.values():   # as at a revoke's GPADL_TORNDOWN: the guest is done with them
                self.orphan(g)
        super().on_RELID_RELEASED(m)

    def orphan(self, g: HostGpadl) -> None:
        """Nothing waits for the devices' views of the GPADL any more; each may still be dropped."""
        if g.holds:
            key = (g.relid, g.handle)
            self.orphaned[key] = self.orphaned.get(key, 0) + g.holds
            g.holds = 0

    # what the guest sends
    def hear(self, data: bytes) -> list:
        m = decode_guest_message(data)
        if m is None:
            log('wire host: dropped an unreadable message of', len(data), 'bytes:', data[:8].hex())
        elif not self.connected and m['type'] != 'INITIATE_CONTACT':
            log('wire host: dropped', m['type'], 'out of a connection')   # no version to parse it by
        else:
            self.receive(m)
        return self.replies()

    def on_UNLOAD(self, m: dict) -> None:
        self.disconnect(lambda: self.post({'type': 'UNLOAD_RESPONSE'}))

    def on_INITIATE_CONTACT(self, m: dict) -> None:
        version = m['vmbusVersionRequested']
        if self.connected or self.after_disconnect is not None:
            # On a live connection it is a reset (OpenVMM); while an unload waits, the guest that
            # contacts again waits for this answer instead.
            self.disconnect(lambda: self.answer_contact(version))
        else:
            self.answer_contact(version)

    def answer_contact(self, version: int) -> None:
        accepted = version in WIRE_HOST_VERSIONS
        self.connected, self.offers_sent = accepted, False
        # Below 5.0 the last field holds the version chosen, from 5.0 the connection id (OpenVMM).
        conn_id = 0 if not accepted else MESSAGE_CONNECTION_ID if version >= VERSION_WIN10_V5 else version
        self.post({'type': 'VERSION_RESPONSE', 'versionSupported': int(accepted), 'connectionState': 0,
                   'msgConnId': conn_id})

    def on_REQUESTOFFERS(self, m: dict) -> None:
        if self.offers_sent:
            log('wire host: dropped a second REQUESTOFFERS')
            return
        self.offers_sent = True
        for channel in self.channels.values():  # in the order they were offered
            if channel.state not in ('revoked', 'released'):
                self.send_offer(channel)
        self.post({'type': 'ALLOFFERS_DELIVERED'})

    def disconnect(self, then) -> None:
        """UNLOAD, or INITIATE_CONTACT on a live connection: the guest's GPADLs and opens go
        without a reply, a revoked channel goes as if released, and `then` answers once no device
        uses any of the GPADLs (README G30)."""
        self.connected = False
        for channel in self.channels.values():
            if channel.state == 'open':
                self.close(channel)
            if channel.state == 'revoked':
                channel.state = 'released'
            self.forget_gpadls(channel)
        self.after_disconnect = then
        self.settle()

    def settle(self) -> None:
        if self.after_disconnect is None:
            return
        if any(g.state == 'Gone' for c in self.channels.values() for g in c.gpadls.values()):
            return
        then, self.after_disconnect = self.after_disconnect, None
        then()


# ----------------------------------------------------------------------------- guest side

class GuestGpadl:
    def __init__(self, handle: int, relid: int, extents: list, read_only: bool):
        self.handle, self.relid, self.extents, self.read_only = handle, relid, extents, read_only
        self.state = 'Live'          # Live, TearingDown
        self.waiters: list = []      # delete operations waiting for GPADL_TORNDOWN
        self.owner: ClientEndpoint | None = None


class Creating:
    """A GPADL the guest has sent and waits on GPADL_CREATED for. The wait may outlast the KMCL
    call that started it (hostControl's deferGpadl), so what follows the answer is queued in `then`."""

    def __init__(self, handle: int | None, relid: int, extents: list, read_only: bool):
        self.handle, self.relid, self.extents, self.read_only = handle, relid, extents, read_only
        self.status: int | None = None          # None while waiting
        self.record: GuestGpadl | None = None
        self.then: list = []

    def when_done(self, step) -> None:
        if self.status is None:
            self.then.append(step)
        else:
            step()


class Guest:
    """The guest's VMBus (after Linux drivers/hv/channel.c and channel_mgmt.c)."""

    def __init__(self, conn: 'Connection'):
        self.conn = conn
        self.next_handle = FIRST_GPADL_HANDLE
        self.offers: dict[int, int] = {}                # interface instance -> relid
        self.instance_of_relid: dict[int, int] = {}     # what the offer's GUIDs tell the guest
        self.rescinded: set = set()
        self.creating: dict[tuple, Creating] = {}      # (relid, gpadl) -> the create waiting on it
        self.teardowns: dict[int, GuestGpadl] = {}     # gpadl -> record, matched by gpadl alone
        self.opening: dict[tuple, tuple] = {}           # (relid, open id) -> (endpoint, ring) waiting for OPENCHANNEL_RESULT
        self.next_open_id = 1

    def post(self, message: dict) -> None:
        self.conn.wire.post('guest-to-host', message)

    def allocate_handle(self) -> int:
        handle = self.next_handle
        if handle == 0:
            handle = 1
        self.next_handle = (handle + 1) & 0xFFFFFFFF
        return handle

    def establish(self, relid: int, extents: list, read_only: bool) -> Creating:
        """Sends the page list and waits for GPADL_CREATED as long as the host answers. The result
        has a status once the wait is over; while the host holds its answer back it has none."""
        if relid in self.rescinded:
            creating = Creating(None, relid, extents, read_only)
            creating.status = STATUS_DEVICE_REMOVED
            return creating
        handle = self.allocate_handle()
        key = (relid, handle)
        creating = self.creating[key] = Creating(handle, relid, extents, read_only)
        for e in extents:                       # probed and locked before the host sees the pages
            if e.buffer is not None:
                e.buffer.locks += 1
        if self.conn.host is not None:          # a guest half's host hears it from the harness
            self.conn.host.read_only_sideband[key] = read_only
        for message in split_gpadl(relid, handle, extents):
            self.post(message)
        self.conn.wire.run_until(lambda: creating.status is not None)
        return creating

    def end_create(self, creating: Creating, status: int) -> None:
        self.creating.pop((creating.relid, creating.handle), None)
        if status == STATUS_SUCCESS:
            creating.record = GuestGpadl(creating.handle, creating.relid, creating.extents, creating.read_only)
        else:
            for e in creating.extents:          # no delete will ever come for a GPADL that never was
                if e.buffer is not None and e.buffer.locks > 0:
                    e.buffer.locks -= 1
        creating.status = status
        steps, creating.then = creating.then, []
        for step in steps:
            step()

    def teardown(self, record: GuestGpadl) -> None:
        """Starts the teardown; the record is finished when GPADL_TORNDOWN arrives."""
        record.state = 'TearingDown'
        if record.relid in self.rescinded:
            self.finish(record)                 # Linux: nothing is sent on a rescinded channel
            return
        self.teardowns[record.handle] = record
        self.post({'type': 'GPADL_TEARDOWN', 'childRelid': record.relid, 'gpadl': record.handle})
        self.conn.wire.run_until(lambda: record.handle not in self.teardowns)

    def finish(self, record: GuestGpadl) -> None:
        self.teardowns.pop(record.handle, None)
        for e in record.extents:
            if e.buffer is not None and e.buffer.locks > 0:
                e.buffer.locks -= 1
        owner = record.owner
        if owner is not None:
            if owner.gpadls.get(record.handle) is record:
                del owner.gpadls[record.handle]
            if owner.ring is record:
                owner.ring = None
        for op in record.waiters:
            self.conn.complete(op)
        record.waiters = []

    def open(self, ep: 'ClientEndpoint', relid: int) -> int:
        """__vmbus_open: ring-buffer GPADL first, then OPENCHANNEL, then wait for the result.
        Only what fails before anything is sent is the enable's status: the enable does not wait
        for the open (README G29), so a host that refuses the ring-buffer GPADL or the open, or
        holds the GPADL's answer back, leaves the endpoint Enabled."""
        outgoing, incoming = ep.ring_pages
        pages = outgoing + incoming
        if pages > (MAX_RANGE_BUFLEN - GPA_RANGE_HEADER) // 8:
            return STATUS_INVALID_PARAMETER
        ep.state, ep.relid = 'Enabled', relid
        ring_buffer = self.conn.new_buffer(0, pages * PAGE_SIZE)
        creating = self.establish(relid, [ring_buffer.extent], False)
        creating.when_done(lambda: self.open_channel(ep, relid, creating))
        return STATUS_SUCCESS

    def open_channel(self, ep: 'ClientEndpoint', relid: int, creating: Creating) -> None:
        if creating.status != STATUS_SUCCESS:
            return
        ring = creating.record
        ring.owner = ep
        if ep.state != 'Enabled' or self.conn.endpoints.get(ep.handle) is not ep:
            self.teardown(ring)                 # the endpoint went away while its ring waited
            return
        ep.ring = ring
        outgoing = ep.ring_pages[0]
        open_id, self.next_open_id = self.next_open_id, self.next_open_id + 1
        key = (relid, open_id)
        self.opening[key] = (ep, ring)
        self.post({'type': 'OPENCHANNEL', 'childRelid': relid, 'openId': open_id, 'ringBufferGpadlHandle': ring.handle,
                   'targetVp': 0, 'downstreamRingBufferPageOffset': outgoing})
        self.conn.wire.run_until(lambda: key not in self.opening or relid in self.rescinded)

    def open_result(self, key: tuple, status: int) -> None:
        """OPENCHANNEL_RESULT came (at once with the in-process host, or in a later delivery)."""
        ep, ring = self.opening.pop(key)
        wanted = ep.state == 'Enabled' and self.conn.endpoints.get(ep.handle) is ep
        if status == WIRE_SUCCESS and wanted:
            ep.state = 'Opened'
            return
        if status == WIRE_SUCCESS:              # disabled or freed while OPENCHANNEL waited: give the open up
            self.post({'type': 'CLOSECHANNEL', 'childRelid': key[0]})
        if ep.ring is ring:
            self.teardown(ring)                 # a failed open tears its ring-buffer GPADL down

    def close(self, ep: 'ClientEndpoint') -> None:
        """vmbus_close_internal: CLOSECHANNEL, then the ring-buffer GPADL's teardown."""
        ep.state = 'Disabled'
        if ep.relid in self.rescinded:
            return
        self.post({'type': 'CLOSECHANNEL', 'childRelid': ep.relid})
        if ep.ring is not None:
            self.teardown(ep.ring)

    # messages from the host
    def receive(self, m: dict) -> None:
        kind = m['type']
        if kind == 'GPADL_CREATED':
            creating = self.creating.get((m['childRelid'], m['gpadl']))
            if creating is not None:            # one a rescind already failed is not waited on
                self.end_create(creating, STATUS_SUCCESS if m['creationStatus'] == WIRE_SUCCESS else STATUS_UNSUCCESSFUL)
        elif kind == 'GPADL_TORNDOWN':
            record = self.teardowns.get(m['gpadl'])
            if record is not None:
                self.finish(record)
        elif kind == 'OPENCHANNEL_RESULT':
            key = (m['childRelid'], m['openId'])
            if key in self.opening:
                self.open_result(key, m['status'])
        elif kind == 'OFFERCHANNEL':
            relid = m['childRelid']
            instance = self.instance_of_relid.get(relid)
            self.offers[instance] = relid
            for ep in self.conn.client_endpoints():
                if ep.instance == instance and ep.state == 'Enabled':
                    if self.open(ep, relid) != STATUS_SUCCESS:
                        ep.state = 'Disabled'
        elif kind == 'RESCIND_CHANNELOFFER':
            self.on_rescind(m['childRelid'])

    def on_rescind(self, relid: int) -> None:
        self.rescinded.add(relid)
        for key in [k for k in self.opening if k[0] == relid]:
            del self.opening[key]               # no OPENCHANNEL_RESULT will come: the ring goes below
        instance = self.instance_of_relid.get(relid)
        if self.offers.get(instance) == relid:
            del self.offers[instance]
        for record in [r for r in self.teardowns.values() if r.relid == relid]:
            self.finish(record)                 # the channel is gone: nothing more will answer
        for creating in [c for c in self.creating.values() if c.relid == relid]:
            self.end_create(creating, STATUS_DEVICE_REMOVED)   # Linux: −ENODEV, not the refusal's −EDQUOT
        for ep in self.conn.client_endpoints():
            if ep.relid == relid:
                if ep.ring is not None:
                    self.finish(ep.ring)
                if ep.state in ('Opened', 'Enabled'):
                    ep.state = 'Disabled'


class Wire:
    """Channel messages in flight. Posting records the message in the trace; delivery is FIFO."""

    def __init__(self, conn: 'Connection'):
        self.conn = conn
        self.queue: deque = deque()

    def post(self, direction: str, message: dict) -> None:
        fixed = {'GPADL_HEADER': GPADL_HEADER_FIXED, 'GPADL_BODY': GPADL_BODY_FIXED}.get(message['type'], 0)
        size = fixed + len(message.get('rangeData', b''))
        if size > MAX_MESSAGE_SIZE:
            raise AssertionError(f'{message["type"]} of {size} bytes exceeds the SynIC payload')
        self.conn.record({'kind': 'message', 'direction': direction, 'message': message_json(message)})
        self.queue.append((direction, message))

    def run_until(self, done) -> None:
        while self.queue and not done():
            direction, message = self.queue.popleft()
            if direction == 'guest-to-host':
                self.conn.host.receive(message)
            else:
                self.conn.guest.receive(message)


# ----------------------------------------------------------------------------- KMCL endpoints

class ClientEndpoint:
    role = 'client'

    def __init__(self, handle: int, instance: int):
        self.handle, self.instance = handle, instance
        self.state = 'Disabled'
        self.relid: int | None = None
        self.ring: GuestGpadl | None = None
        self.ring_pages = (DEFAULT_RING_PAGES, DEFAULT_RING_PAGES)   # (outgoing, incoming)
        self.enabled_once = False
        self.gpadls: dict[int, GuestGpadl] = {}


class ServerEndpoint:
    role = 'server'

    def __init__(self, handle: int, instance: int):
        self.handle, self.instance = handle, instance
        self.state = 'Disabled'
        self.channel: HostChannel | None = None
        self.mappings: list = []


class Operation:
    def __init__(self, handle: int, fn: str):
        self.handle, self.fn = handle, fn
        self.state = 'pending'
        self.returned_pending = False
        self.outcome: dict | None = None        # a create's result, once it returned (createOutcome)


class Connection:
    """One guest-host connection and the KMCL functions on top of it."""

    def __init__(self) -> None:
        self.memory = GuestMemory()
        self.events: list = []
        self.violation_list: list = []
        self.wire = Wire(self)
        self.host = Host(self)
        self.guest = Guest(self)
        self.wire_host = WireHost()             # apart from the KMCL endpoints' host
        self.endpoints: dict[int, ClientEndpoint | ServerEndpoint] = {}
        self.buffers: dict[int, Buffer] = {}
        self.mdls: dict[int, Mdl] = {}
        self.operations: dict[int, Operation] = {}
        self.migration: Migration | None = None        # the one running
        self.snapshot: GuestMemory | None = None       # what the last finished one saved
        self.counters = {'endpoint': 0x100, 'buffer': 0x1000, 'mdl': 0x2000, 'operation': 0x3000, 'instance': 1}

    def next_id(self, kind: str) -> int:
        value = self.counters[kind]
        self.counters[kind] = value + 1
        return value

    def record(self, event: dict) -> None:
        self.events.append(event)

    def violation(self, kind: str, fn: str, message: str, endpoint=None, gpadl=None, mdl=None) -> None:
        v = {'kind': kind, 'fn': KMCL_NAMES.get(fn, fn), 'message': message}
        for name, value in (('endpoint', endpoint), ('gpadl', gpadl), ('mdl', mdl)):
            if value is not None:
                v[name] = value
        self.violation_list.append(v)

    def complete(self, op: Operation) -> None:
        op.state = 'completed'
        if op.returned_pending:
            self.record({'kind': 'completed', 'fn': op.fn, 'operation': op.handle})

    def client_endpoints(self) -> list:
        return [e for e in self.endpoints.values() if isinstance(e, ClientEndpoint)]

    def new_buffer(self, byte_offset: int, byte_count: int) -> Buffer:
        pfns = self.memory.allocate(pages_spanned(byte_offset, byte_count))
        buffer = Buffer(self.next_id('buffer'), byte_offset, byte_count, pfns)
        self.buffers[buffer.handle] = buffer
        return buffer

    # --------------------------------------------------------------- guest memory helpers

    def cmd_allocateBuffer(self, a: dict) -> dict:
        count, offset = arg(a, 'byteCount'), arg(a, 'byteOffset', 0)
        if count == 0 or count > MAX_BUFFER_BYTES or offset >= PAGE_SIZE:
            return {'status': STATUS_INVALID_PARAMETER}
        return {'status': STATUS_SUCCESS, 'buffer': self.new_buffer(offset, count).handle}

    def cmd_describeBuffer(self, a: dict) -> dict:
        b = self.buffers.get(arg(a, 'buffer'))
        if b is None:
            return {'status': STATUS_INVALID_PARAMETER}
        e = b.extent
        return {'status': STATUS_SUCCESS, 'description': {'byteOffset': e.byte_offset, 'byteCount': e.byte_count,
                                                          'pfns': list(e.pfns), 'locked': b.locks > 0}}

    def cmd_writeBuffer(self, a: dict) -> dict:
        b, offset, data = self.buffers.get(arg(a, 'buffer')), arg(a, 'offset'), hex_arg(a, 'data')
        if b is None or offset + len(data) > b.extent.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        self.memory.access([b.extent], offset, len(data), data)
        return {'status': STATUS_SUCCESS}

    def cmd_readBuffer(self, a: dict) -> dict:
        b, offset, length = self.buffers.get(arg(a, 'buffer')), arg(a, 'offset'), arg(a, 'length')
        if b is None or offset + length > b.extent.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        return {'status': STATUS_SUCCESS, 'data': self.memory.access([b.extent], offset, length).hex()}

    def cmd_buildMdl(self, a: dict) -> dict:
        parts = a.get('parts')
        if not isinstance(parts, list) or not parts:
            return {'status': STATUS_INVALID_PARAMETER}
        extents = []
        for part in parts:
            if not isinstance(part, dict):
                raise BadRequest('an MDL part must be an object')
            b = self.buffers.get(arg(part, 'buffer'))
            if b is None:
                return {'status': STATUS_INVALID_PARAMETER}
            start = arg(part, 'byteOffset', 0)
            count = arg(part, 'byteCount', b.extent.byte_count - start if start < b.extent.byte_count else 0)
            if count == 0 or start + count > b.extent.byte_count:
                return {'status': STATUS_INVALID_PARAMETER}
            extents.append(b.extent.sub(start, count))
        mdl = Mdl(self.next_id('mdl'), extents)
        self.mdls[mdl.handle] = mdl
        return {'status': STATUS_SUCCESS, 'mdl': mdl.handle}

    def cmd_describeMdl(self, a: dict) -> dict:
        mdl = self.mdls.get(arg(a, 'mdl'))
        if mdl is None or (mdl.mapping is not None and not mdl.mapping.alive):
            return {'status': STATUS_INVALID_PARAMETER}  # an MDL that map returned is freed by the unmap
        return {'status': STATUS_SUCCESS, 'chain': [
            {'byteOffset': e.byte_offset, 'byteCount': e.byte_count, 'pfns': list(e.pfns), 'systemVa': mdl.system_va}
            for e in mdl.extents]}

    # --------------------------------------------------------------- channel life cycle

    def endpoint(self, a: dict):
        return self.endpoints.get(arg(a, 'endpoint'))

    def cmd_allocateChannel(self, a: dict) -> dict:
        role = a.get('role')
        if role == 'server':
            ep = ServerEndpoint(self.next_id('endpoint'), self.next_id('instance'))
        elif role == 'client':
            server = self.endpoints.get(arg(a, 'server'))
            if server is None:
                return {'status': STATUS_INVALID_HANDLE}
            if not isinstance(server, ServerEndpoint):
                return {'status': STATUS_INVALID_PARAMETER}
            ep = ClientEndpoint(self.next_id('endpoint'), server.instance)
        else:
            raise BadRequest(f'unknown role {role!r}')
        self.endpoints[ep.handle] = ep
        return {'status': STATUS_SUCCESS, 'endpoint': ep.handle}

    def cmd_setRingBufferPageCount(self, a: dict) -> dict:
        ep, incoming, outgoing = self.endpoint(a), arg(a, 'incomingPages'), arg(a, 'outgoingPages')
        if not isinstance(ep, ClientEndpoint) or ep.state != 'Disabled' or ep.enabled_once:
            return {'status': STATUS_INVALID_PARAMETER_1}
        if incoming == 0:
            return {'status': STATUS_INVALID_PARAMETER_2}
        if outgoing == 0:
            return {'status': STATUS_INVALID_PARAMETER_3}
        ep.ring_pages = (outgoing, incoming)
        return {'status': STATUS_SUCCESS}

    def cmd_enableChannel(self, a: dict) -> dict:
        ep = self.endpoint(a)
        if ep is None:
            return {'status': STATUS_INVALID_HANDLE}
        if ep.state != 'Disabled':
            return {'status': STATUS_INVALID_DEVICE_STATE}
        if isinstance(ep, ServerEndpoint):
            ep.state = 'Enabled'
            ep.channel = self.host.offer(ep)
            return {'status': STATUS_SUCCESS}
        ep.enabled_once = True
        relid = self.guest.offers.get(ep.instance)
        if relid is None:
            ep.state = 'Enabled'                # waits for the offer; enable does not block
            return {'status': STATUS_SUCCESS}
        status = self.guest.open(ep, relid)
        if status != STATUS_SUCCESS:
            ep.state = 'Disabled'
        return {'status': status}

    def cmd_disableChannel(self, a: dict) -> dict:
        ep = self.endpoint(a)
        fn = 'disableChannel'
        if ep is None:
            self.violation('InvalidEndpointHandle', fn, 'disable of an endpoint that is not allocated', endpoint=a.get('endpoint'))
        elif isinstance(ep, ServerEndpoint):
            if ep.state != 'Disabled':
                for mapping in ep.mappings:
                    self.violation('MappingLiveAtDisable', fn, 'the server disabled its channel with this GPADL mapped',
                                   endpoint=ep.handle, gpadl=mapping.gpadl.handle, mdl=mapping.mdl.handle)
                ep.state = 'Disabled'
                if ep.channel is not None and ep.channel.state != 'revoked':
                    self.host.revoke(ep.channel)
        elif ep.state == 'Opened':
            for g in ep.gpadls.values():
                if g.state == 'Live':
                    self.violation('GpadlLiveAtClose', fn, 'GPADL still live when the channel closed',
                                   endpoint=ep.handle, gpadl=g.handle)
            self.guest.close(ep)
        else:
            ep.state = 'Disabled'
        return {}

    def cmd_cleanupChannel(self, a: dict) -> dict:
        ep = self.endpoint(a)
        fn = 'cleanupChannel'
        if ep is None:
            self.violation('InvalidEndpointHandle', fn, 'cleanup of an endpoint that is not allocated', endpoint=a.get('endpoint'))
            return {}
        if ep.state != 'Disabled':
            self.violation('CleanupOfEnabledChannel', fn, f'cleanup of a {ep.state} endpoint', endpoint=ep.handle)
            return {}
        if isinstance(ep, ServerEndpoint):
            for mapping in list(ep.mappings):
                self.violation('MappingLeakedAtCleanup', fn, 'mapping never unmapped', endpoint=ep.handle,
                               gpadl=mapping.gpadl.handle, mdl=mapping.mdl.handle)
                self.unmap(ep, mapping)
        else:
            for g in list(ep.gpadls.values()):
                if g.state == 'Live':
                    self.violation('GpadlLeakedAtCleanup', fn, 'GPADL never deleted', endpoint=ep.handle, gpadl=g.handle)
                    self.guest.teardown(g)
            if ep.relid is not None and ep.relid in self.guest.rescinded:
                self.guest.post({'type': 'RELID_RELEASED', 'childRelid': ep.relid})
        del self.endpoints[ep.handle]
        return {}

    def cmd_endpointInfo(self, a: dict) -> dict:
        ep = self.endpoint(a)
        if ep is None:
            return {'status': STATUS_INVALID_HANDLE}
        if isinstance(ep, ServerEndpoint):
            relid = ep.channel.relid if ep.channel is not None else None
            ring = ep.channel.ring.handle if ep.channel is not None and ep.channel.ring is not None else None
        else:
            relid = ep.relid if ep.relid not in self.guest.rescinded else None   # the offer is gone
            ring = ep.ring.handle if ep.ring is not None else None
        return {'status': STATUS_SUCCESS, 'info': {'role': ep.role, 'state': ep.state, 'channelId': relid, 'ringGpadl': ring}}

    # --------------------------------------------------------------- client GPADL functions

    def create_checks(self, a: dict):
        """The checks both creates share, in order; returns (status, endpoint)."""
        if arg(a, 'flags') & ~VMBUS_CHANNEL_GPADL_FLAGS:
            return STATUS_INVALID_PARAMETER, None
        ep = self.endpoint(a)
        if ep is None:
            return STATUS_INVALID_HANDLE, None
        if not isinstance(ep, ClientEndpoint):
            return STATUS_INVALID_DEVICE_REQUEST, None
        if ep.state != 'Opened':
            return STATUS_INVALID_DEVICE_STATE, None
        return STATUS_SUCCESS, ep

    def create(self, ep: ClientEndpoint, flags: int, extents: list, cmd: str) -> dict:
        if sum(GPA_RANGE_HEADER + 8 * len(e.pfns) for e in extents) > MAX_RANGE_BUFLEN:
            return {'status': STATUS_INVALID_PARAMETER}
        creating = self.guest.establish(ep.relid, extents, bool(flags & VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY))
        if creating.status is not None:
            return self.created(ep, creating)
        # The host holds GPADL_CREATED back: the call blocks, so it is answered like a blocked delete.
        op = Operation(self.next_id('operation'), KMCL_NAMES[cmd])
        op.returned_pending = True
        self.operations[op.handle] = op

        def returned() -> None:
            op.outcome = self.created(ep, creating)
            self.complete(op)
        creating.when_done(returned)
        return {'status': STATUS_PENDING, 'operation': op.handle}

    def created(self, ep: ClientEndpoint, creating: Creating) -> dict:
        if creating.status != STATUS_SUCCESS:
            return {'status': creating.status}
        record = creating.record
        record.owner = ep
        ep.gpadls[record.handle] = record
        return {'status': STATUS_SUCCESS, 'gpadl': record.handle}

    def cmd_createGpadlFromBuffer(self, a: dict) -> dict:
        status, ep = self.create_checks(a)
        if ep is None:
            return {'status': status}
        b, count = self.buffers.get(arg(a, 'buffer')), arg(a, 'byteCount')
        if b is None or count == 0 or count > b.extent.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        return self.create(ep, a['flags'], [b.extent.sub(0, count)], 'createGpadlFromBuffer')

    def cmd_createGpadlFromMdl(self, a: dict) -> dict:
        status, ep = self.create_checks(a)
        if ep is None:
            return {'status': status}
        mdl, start, length = self.mdls.get(arg(a, 'mdl')), arg(a, 'startOffset'), arg(a, 'length')
        if mdl is None or start >= mdl.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        if length == 0:
            length = mdl.byte_count - start      # DataLengthWithinMdl 0: to the end of the chain
        if start + length > mdl.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        extents, position = [], 0
        for e in mdl.extents:                   # one GPA range per MDL the bytes touch
            lo, hi = max(start, position), min(start + length, position + e.byte_count)
            if lo < hi:
                extents.append(e.sub(lo - position, hi - lo))
            position += e.byte_count
        return self.create(ep, a['flags'], extents, 'createGpadlFromMdl')

    def cmd_deleteGpadl(self, a: dict) -> dict:
        op = Operation(self.next_id('operation'), KMCL_NAMES['deleteGpadl'])
        self.operations[op.handle] = op
        ep, handle, fn = self.endpoint(a), arg(a, 'gpadl'), 'deleteGpadl'
        record = ep.gpadls.get(handle) if isinstance(ep, ClientEndpoint) else None
        if ep is None:
            self.violation('InvalidEndpointHandle', fn, 'delete on an endpoint that is not allocated',
                           endpoint=a.get('endpoint'), gpadl=handle)
            op.state = 'completed'
        elif isinstance(ep, ServerEndpoint):
            self.violation('ClientFunctionOnServer', fn, 'VmbChannelDeleteGpadl on a server endpoint',
                           endpoint=ep.handle, gpadl=handle)
            op.state = 'completed'
        elif record is None:
            self.violation('DeleteOfUnknownGpadl', fn, 'not a live GPADL of this channel', endpoint=ep.handle, gpadl=handle)
            op.state = 'completed'
        elif record.state == 'TearingDown':
            record.waiters.append(op)           # joins the teardown already in flight (one TORNDOWN for both)
        else:
            record.waiters.append(op)
            self.guest.teardown(record)         # completes the operation if GPADL_TORNDOWN came back
        if op.state == 'completed':
            self.record({'kind': 'return', 'fn': op.fn})
        else:
            op.returned_pending = True          # its 'completed' event is its return
        return {'operation': op.handle, 'state': op.state}

    def cmd_operationState(self, a: dict) -> dict:
        op = self.operations.get(arg(a, 'operation'))
        return {'state': op.state if op is not None else 'unknown'}

    # --------------------------------------------------------------- server-only functions

    def cmd_mapGpadl(self, a: dict) -> dict:
        flags, ep, handle = arg(a, 'flags'), self.endpoint(a), arg(a, 'gpadl')
        if flags & ~VMBUS_CHANNEL_GPADL_FLAGS:
            return {'status': STATUS_INVALID_PARAMETER}
        if ep is None:
            return {'status': STATUS_INVALID_HANDLE}
        if not isinstance(ep, ServerEndpoint):
            return {'status': STATUS_INVALID_DEVICE_REQUEST}
        channel = ep.channel
        if ep.state != 'Opened' or channel is None or channel.state != 'open':
            return {'status': STATUS_INVALID_DEVICE_STATE}
        g = channel.gpadls.get(handle)
        if g is None or g.state != 'Accepted' or g.ring_in_use:
            return {'status': STATUS_INVALID_PARAMETER}
        if g.mapping is not None and g.mapping.alive:
            return {'status': STATUS_INVALID_DEVICE_STATE}   # one mapping per GPADL (this stack's code)
        read_only = bool(flags & VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY)
        if g.read_only and not read_only:
            return {'status': STATUS_ACCESS_DENIED}
        mdl = Mdl(self.next_id('mdl'), [Extent(r.byte_offset, r.byte_count, list(r.pfns)) for r in g.ranges])
        mapping = Mapping(g, ep, mdl, read_only)
        mdl.mapping, g.mapping = mapping, mapping
        ep.mappings.append(mapping)
        self.mdls[mdl.handle] = mdl
        if self.migration is not None:
            self.migration.mapped(mapping)
        return {'status': STATUS_SUCCESS, 'mdl': mdl.handle}

    def unmap(self, ep: ServerEndpoint, mapping: Mapping) -> None:
        mapping.alive = False
        mapping.mdl.system_va = False
        ep.mappings.remove(mapping)
        mapping.gpadl.mapping = None
        self.host.release_hold(mapping.gpadl)

    def cmd_unmapGpadl(self, a: dict) -> dict:
        ep, handle, fn = self.endpoint(a), arg(a, 'gpadl'), 'unmapGpadl'
        if ep is None:
            self.violation('InvalidEndpointHandle', fn, 'unmap on an endpoint that is not allocated',
                           endpoint=a.get('endpoint'), gpadl=handle)
        elif not isinstance(ep, ServerEndpoint):
            self.violation('ServerOnlyFunctionOnClient', fn, 'VmbChannelUnmapGpadl on a client endpoint', endpoint=ep.handle, gpadl=handle)
        else:
            mapping = next((m for m in ep.mappings if m.gpadl.handle == handle), None)
            g = ep.channel.gpadls.get(handle) if ep.channel is not None else None
            if mapping is not None:
                self.unmap(ep, mapping)
            elif g is not None and g.state in ('Accepted', 'TearingDown') and not g.ring_in_use:
                self.violation('UnmapWithoutMap', fn, 'the GPADL is not mapped', endpoint=ep.handle, gpadl=handle)
            else:
                self.violation('UnmapOfUnknownGpadl', fn, 'not a live GPADL of this channel', endpoint=ep.handle, gpadl=handle)
        return {}

    def mdl_access(self, a: dict, fn: str):
        """The MDL, or a status: it must be alive and mapped into system space before it is touched."""
        mdl = self.mdls.get(arg(a, 'mdl'))
        if mdl is None:
            return STATUS_INVALID_PARAMETER
        if mdl.mapping is not None and not mdl.mapping.alive:
            self.violation('MdlAccessAfterUnmap', fn, 'the MDL died with the unmap', mdl=mdl.handle,
                           gpadl=mdl.mapping.gpadl.handle, endpoint=mdl.mapping.server.handle)
            return STATUS_INVALID_DEVICE_STATE
        if fn != 'mapMdlToSystemVa' and not mdl.system_va:
            self.violation('MdlAccessWithoutSystemVa', fn, 'the MDL has no system virtual address yet', mdl=mdl.handle)
            return STATUS_INVALID_DEVICE_STATE
        return mdl

    def cmd_mapMdlToSystemVa(self, a: dict) -> dict:
        mdl = self.mdl_access(a, 'mapMdlToSystemVa')
        if isinstance(mdl, int):
            return {'status': mdl}
        mdl.system_va = True
        return {'status': STATUS_SUCCESS}

    def cmd_readMdl(self, a: dict) -> dict:
        mdl, offset, length = self.mdl_access(a, 'readMdl'), arg(a, 'offset'), arg(a, 'length')
        if isinstance(mdl, int):
            return {'status': mdl}
        if offset + length > mdl.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        return {'status': STATUS_SUCCESS, 'data': self.memory.access(mdl.extents, offset, length).hex()}

    def cmd_writeMdl(self, a: dict) -> dict:
        mdl, offset, data = self.mdl_access(a, 'writeMdl'), arg(a, 'offset'), hex_arg(a, 'data')
        if isinstance(mdl, int):
            return {'status': mdl}
        if offset + len(data) > mdl.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        # Read-only maps do not stop writes. An MDL that no map returned describes the guest's own
        # buffers, so a write through it is the guest's.
        self.memory.access(mdl.extents, offset, len(data), data, by_guest=mdl.mapping is None)
        return {'status': STATUS_SUCCESS}

    # --------------------------------------------------------------- hostControl

    def directed_channel(self, a: dict):
        """The offered channel of a server endpoint, or the status that refuses the command."""
        ep = self.endpoints.get(arg(a, 'server'))
        if ep is None:
            return STATUS_INVALID_HANDLE
        if not isinstance(ep, ServerEndpoint):
            return STATUS_INVALID_DEVICE_REQUEST
        if ep.channel is None or ep.channel.state not in ('offered', 'open', 'closed'):
            return STATUS_INVALID_DEVICE_STATE
        return ep.channel

    def cmd_hostDirect(self, a: dict) -> dict:
        directive = a.get('directive')
        if directive not in DIRECTIVE_KINDS:
            raise BadRequest(f'unknown directive {directive!r}')
        channel = self.directed_channel(a)
        if isinstance(channel, int):
            return {'status': channel}
        self.host.direct(channel, directive)
        return {'status': STATUS_SUCCESS}

    def cmd_hostAnswerDeferred(self, a: dict) -> dict:
        channel = self.directed_channel(a)
        if isinstance(channel, int):
            return {'status': channel}
        return {'status': STATUS_SUCCESS if self.host.answer_held(channel) else STATUS_INVALID_DEVICE_STATE}

    def cmd_createOutcome(self, a: dict) -> dict:
        op = self.operations.get(arg(a, 'operation'))
        if op is None or op.fn not in (KMCL_NAMES['createGpadlFromBuffer'], KMCL_NAMES['createGpadlFromMdl']):
            return {'status': STATUS_INVALID_PARAMETER}
        return dict(op.outcome) if op.outcome is not None else {'status': STATUS_PENDING}

    # --------------------------------------------------------------- migration

    def cmd_migrationBegin(self, a: dict) -> dict:
        if self.migration is not None:
            return {'status': STATUS_INVALID_DEVICE_STATE}
        mappings = [m for ep in self.endpoints.values() if isinstance(ep, ServerEndpoint) for m in ep.mappings]
        self.migration = Migration(self.memory, mappings)
        return {'status': STATUS_SUCCESS}

    def cmd_migrationFinish(self, a: dict) -> dict:
        if self.migration is None:
            return {'status': STATUS_INVALID_DEVICE_STATE}
        report = self.migration.finish()
        self.snapshot, self.migration = self.migration.saved, None
        return {'status': STATUS_SUCCESS, 'report': report}

    def cmd_readSnapshot(self, a: dict) -> dict:
        b, offset, length = self.buffers.get(arg(a, 'buffer')), arg(a, 'offset'), arg(a, 'length')
        if self.snapshot is None:
            return {'status': STATUS_INVALID_DEVICE_STATE}
        if b is None or offset + length > b.extent.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        return {'status': STATUS_SUCCESS, 'data': self.snapshot.access([b.extent], offset, length).hex()}

    # --------------------------------------------------------------- wireHost

    def cmd_hostOffer(self, a: dict) -> dict:
        channel = self.wire_host.offer()
        return {'channelId': channel.relid, 'replies': self.wire_host.replies()}

    def cmd_hostReceive(self, a: dict) -> dict:
        return {'replies': self.wire_host.hear(hex_arg(a, 'message'))}

    def cmd_hostHold(self, a: dict) -> dict:
        return {'status': self.wire_host.hold(arg(a, 'channel'), arg(a, 'gpadl'))}

    def cmd_hostRelease(self, a: dict) -> dict:
        status = self.wire_host.release(arg(a, 'channel'), arg(a, 'gpadl'))
        return {'status': status, 'replies': self.wire_host.replies()}

    def cmd_hostRevoke(self, a: dict) -> dict:
        self.wire_host.revoke_relid(arg(a, 'channel'))
        return {'replies': self.wire_host.replies()}

    # --------------------------------------------------------------- observations

    def cmd_violations(self, a: dict) -> dict:
        return {'violations': list(self.violation_list)}

    def cmd_trace(self, a: dict) -> dict:
        return {'events': list(self.events)}

    # --------------------------------------------------------------- dispatch

    def run(self, cmd: str, a: dict):
        handler = getattr(self, 'cmd_' + cmd, None)
        if handler is None:
            return None
        fn = KMCL_NAMES.get(cmd)
        if fn is not None:
            self.record({'kind': 'call', 'fn': fn, 'args': {k: v for k, v in a.items() if k not in ('seq', 'cmd')
                                                             and (v is None or isinstance(v, (int, str, bool)))}})
        result = handler(a)
        self.wire.run_until(lambda: False)      # deliver whatever is still in flight
        # A call answered pending has not returned: its `completed` event will be its return.
        if fn is not None and cmd != 'deleteGpadl' and result.get('status') != STATUS_PENDING:
            event = {'kind': 'return', 'fn': fn}
            if 'status' in result:
                event['status'] = result['status']
            self.record(event)
        return result


def arg(a: dict, name: str, default: int | None = None) -> int:
    value = a.get(name, default)
    if value is None:
        raise BadRequest(f'missing argument {name!r}')
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 0xFFFFFFFF:
        raise BadRequest(f'argument {name!r} must be an unsigned 32-bit integer, got {value!r}')
    return value


def hex_arg(a: dict, name: str) -> bytes:
    value = a.get(name)
    try:
        return bytes.fromhex(value)
    except (TypeError, ValueError):
        raise BadRequest(f'argument {name!r} must be a hex string') from None


# ----------------------------------------------------------------------------- protocol loop

IMPLEMENTATION = {'name': 'vmbus-python', 'version': '1.0.0', 'language': 'Python'}
CAPABILITIES = {'trace': True, 'violations': True, 'mdl': True, 'lifecycle': True, 'hostControl': True,
                'wireHost': True, 'migration': True}


def respond(response: dict) -> None:
    sys.stdout.write(json.dumps(response, separators=(',', ':')) + '\n')
    sys.stdout.flush()


def main() -> int:
    import vmbus_halves                         # the guest half and the host half, each alone (docs/halves.md)
    connection, halves = Connection(), vmbus_halves.Halves()
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        if not line.strip():
            continue
        seq = None
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise BadRequest('a request must be a JSON object')
            seq, cmd = request.get('seq'), request.get('cmd')
            if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
                seq = None
                raise BadRequest('seq must be a non-negative integer')
            if cmd == 'hello':
                result = {'protocol': 1, 'implementation': IMPLEMENTATION, 'capabilities': CAPABILITIES,
                          'halves': ['guest', 'host'], 'whole': True}   # both halves, and the whole as before
            elif cmd == 'reset':
                connection, halves, result = Connection(), vmbus_halves.Halves(), {}
            elif cmd == 'shutdown':
                respond({'seq': seq, 'result': {}})
                return 0
            elif not isinstance(cmd, str):
                raise BadRequest('missing command')
            elif cmd.startswith(vmbus_halves.PREFIXES):
                result, events = halves.run(cmd, request)
                if result is not None and events:
                    respond({'seq': seq, 'result': result, 'events': events})
                    continue
            else:
                result = connection.run(cmd, request)
            if result is None:
                respond({'seq': seq, 'unsupported': {'message': f'command {cmd!r} is not implemented'}})
            else:
                respond({'seq': seq, 'result': result})
        except BrokenPipeError:
            raise
        except Exception as error:  # noqa: BLE001 - the protocol's answer to any breakage is `errored`
            log('errored:', repr(error))
            respond({'seq': seq if seq is not None else 0,   # 0: the request named no usable seq
                     'errored': {'message': f'{type(error).__name__}: {error}', 'traceback': traceback.format_exc()}})


if __name__ == '__main__':
    sys.modules.setdefault('vmbus_impl', sys.modules[__name__])   # vmbus_halves imports this module, not a second copy
    try:
        sys.exit(main())
    except (BrokenPipeError, KeyboardInterrupt):
        # The harness went away: nothing is left to answer.
        try:
            sys.stdout = None
        finally:
            sys.exit(0)
