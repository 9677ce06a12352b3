"""The guest half and the host half of vmbus_impl.py, each served on its own (docs/halves.md).

The harness pairs a guest with a host and carries every channel message between them as bytes. Each
half here is the whole stack's `Connection` with the other half cut away and its end of the wire in
the harness:

  GuestHalf   guest memory, client endpoints, the client KMCL functions and the guest's VMBus
              (vmbus_impl.Guest). Its messages leave as `{"send": hex}` events; the host's come in
              through `deliver`. A call that waits for the host answers at once with an operation
              and returns later, in a `{"completed": op, "result": {...}}` event.
  HostHalf    server endpoints, the server KMCL functions and the host's VMBus (vmbus_impl.Host).
              It holds no guest bytes: `accessMdl` says where a mapped MDL's bytes lie, and the
              harness moves them with the guest's `readPages` and `writePages`.

Nothing of the GPADL logic is repeated here: both halves run the whole stack's code, whose waits
(`Wire.run_until`) return at once when the other end is across the harness, so every wait goes on
in the continuation the stack already has for a host that holds its answer back.

Blocking (docs/halves.md, "Who owns what"): a create blocks until GPADL_CREATED, a delete until
GPADL_TORNDOWN, and a close (the client's disable) until its ring-buffer GPADL is torn down. An
enable does not wait for its open (README choice G29, as in the whole stack and the reference): it
answers its status at once, and the open goes on with the messages the harness carries. A cleanup
does not wait either: the GPADLs the client leaked are torn down behind it, as the whole stack
does, so that a server still holding one mapped cannot leave the call blocked for ever.
"""
from __future__ import annotations

from vmbus_impl import (
    GUEST_TO_HOST, HOST_TO_GUEST, KMCL_NAMES, MAX_MESSAGE_SIZE, PAGE_SIZE,
    STATUS_INVALID_DEVICE_STATE, STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_SUCCESS,
    BadRequest, ClientEndpoint, Connection, Extent, Guest, Migration, Operation, ServerEndpoint, Wire,
    arg, decode_fields, decode_guest_message, encode_host_message, hex_arg, log, page_pieces, u32le,
)

PREFIXES = ('guest.', 'host.')

# ----------------------------------------------------------------------------- the other codec half
# vmbus_impl's wire host reads guest-to-host messages and writes host-to-guest ones; a guest half
# needs the reverse, from the same tables (Linux include/linux/hyperv.h).

GUEST_TO_HOST_BY_NAME = {name: (msgtype, size, fields) for msgtype, (name, size, fields) in GUEST_TO_HOST.items()}
HOST_TO_GUEST_BY_TYPE = {msgtype: (name, size, fields) for name, (msgtype, size, fields) in HOST_TO_GUEST.items()}


def encode_guest_message(m: dict) -> bytes:
    """A guest-to-host message at its layout's size; GPADL_HEADER and GPADL_BODY carry range bytes after it."""
    msgtype, size, fields = GUEST_TO_HOST_BY_NAME[m['type']]
    out = bytearray(size)
    out[0:4] = u32le(msgtype)
    for field, offset, width in fields:
        out[offset:offset + width] = m.get(field, 0).to_bytes(width, 'little')
    return bytes(out) + bytes(m.get('rangeData', b''))


def decode_host_message(data: bytes) -> dict | None:
    """A host-to-guest message, or None for one the guest cannot read (too long, too short for its
    type, of an unknown or guest-to-host type): Linux's receiver drops those (README G23)."""
    decoded = decode_fields(HOST_TO_GUEST_BY_TYPE, data)
    return None if decoded is None else decoded[0]


class HalfWire(Wire):
    """The wire of a half: what its VMBus posts leaves as a `send` event, for the harness to carry.
    Nothing is ever queued here, so the stack's waits (`run_until`) return at once."""

    def __init__(self, conn: 'HalfConnection', direction: str, encode):
        super().__init__(conn)
        self.direction, self.encode = direction, encode

    def post(self, direction: str, message: dict) -> None:
        assert direction == self.direction, f'a {self.direction} half cannot send {direction}'
        data = self.encode(message)
        if len(data) > MAX_MESSAGE_SIZE:
            raise AssertionError(f'{message["type"]} of {len(data)} bytes exceeds the SynIC payload')
        self.conn.events_out.append({'send': data.hex()})


class HalfConnection(Connection):
    """A Connection that serves one half: `COMMANDS` are the commands it answers (without the
    half's prefix), and `events_out` what it did since the last request, in order."""
    COMMANDS: frozenset = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self.events_out: list = []

    def take_events(self) -> list:
        out, self.events_out = self.events_out, []
        return out

    def run(self, cmd: str, a: dict):
        return super().run(cmd, a) if cmd in self.COMMANDS else None

    def blocked(self, cmd: str) -> Operation:
        """An operation for a call that answers before it returns."""
        op = Operation(self.next_id('operation'), KMCL_NAMES[cmd])
        op.returned_pending = True
        self.operations[op.handle] = op
        return op

    def complete(self, op: Operation) -> None:
        super().complete(op)
        if op.returned_pending:                 # answered with its operation: it returns now
            self.events_out.append({'completed': op.handle, 'result': dict(op.outcome) if op.outcome else {}})


def bool_arg(a: dict, name: str, default: bool | None = None) -> bool:
    value = a.get(name, default)
    if not isinstance(value, bool):
        raise BadRequest(f'argument {name!r} must be a boolean, got {value!r}')
    return value


def list_arg(a: dict, name: str) -> list:
    value = a.get(name)
    if not isinstance(value, list):
        raise BadRequest(f'argument {name!r} must be an array')
    return value


def pfn_arg(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRequest(f'a page frame number must be a non-negative integer, got {value!r}')
    return value


# ----------------------------------------------------------------------------- guest half

class HalfGuest(Guest):
    """The guest's VMBus with its host across the harness. An offer carries no GUID the suite
    shares, so the harness says which client endpoint's device an offer is (`bindChannel`): here
    the offer's channel id stands in for its interface instance."""

    def receive(self, m: dict) -> None:
        if m['type'] == 'OFFERCHANNEL':
            relid = m['childRelid']
            self.instance_of_relid[relid] = relid
            self.rescinded.discard(relid)       # a host may offer a released channel id again
        super().receive(m)


class GuestHalf(HalfConnection):
    COMMANDS = frozenset({
        'allocateBuffer', 'describeBuffer', 'writeBuffer', 'readBuffer', 'buildMdl', 'describeMdl',
        'readPages', 'writePages', 'allocateChannel', 'bindChannel', 'setRingBufferPageCount',
        'enableChannel', 'disableChannel', 'cleanupChannel', 'endpointInfo', 'createGpadlFromBuffer',
        'createGpadlFromMdl', 'deleteGpadl', 'deliver', 'violations', 'migrationBegin', 'migrationFinish',
        'readSnapshot',
    })

    def __init__(self) -> None:
        super().__init__()
        self.host = None                        # across the harness, which carries README G17's read-only bit
        self.wire_host = None
        self.wire = HalfWire(self, 'guest-to-host', encode_guest_message)
        self.guest = HalfGuest(self)

    # the host's DMA into guest memory
    def page_extents(self, a: dict) -> list | None:
        extents = []
        for e in list_arg(a, 'extents'):
            if not isinstance(e, dict):
                raise BadRequest('an extent must be an object')
            pfn, offset, length = pfn_arg(e.get('pfn')), arg(e, 'offset'), arg(e, 'length')
            if offset + length > PAGE_SIZE or not self.memory.owns(pfn):
                return None
            extents.append(Extent(offset, length, [pfn]))
        return extents

    def cmd_readPages(self, a: dict) -> dict:
        extents = self.page_extents(a)
        if extents is None:
            return {'status': STATUS_INVALID_PARAMETER}
        total = sum(e.byte_count for e in extents)
        return {'status': STATUS_SUCCESS, 'data': self.memory.access(extents, 0, total).hex()}

    def cmd_writePages(self, a: dict) -> dict:
        extents, data = self.page_extents(a), hex_arg(a, 'data')
        if extents is None or sum(e.byte_count for e in extents) != len(data):
            return {'status': STATUS_INVALID_PARAMETER}
        self.memory.access(extents, 0, len(data), data, by_guest=False)   # the host's write (README G28)
        return {'status': STATUS_SUCCESS}

    # channels
    def cmd_allocateChannel(self, a: dict) -> dict:
        ep = ClientEndpoint(self.next_id('endpoint'), None)    # no device until bindChannel
        self.endpoints[ep.handle] = ep
        return {'status': STATUS_SUCCESS, 'endpoint': ep.handle}

    def cmd_bindChannel(self, a: dict) -> dict:
        ep, relid = self.endpoint(a), arg(a, 'channelId')
        if ep is None:
            return {'status': STATUS_INVALID_HANDLE}
        if relid not in self.guest.instance_of_relid or relid in self.guest.rescinded:
            return {'status': STATUS_INVALID_PARAMETER}    # not a channel the guest is offered
        ep.instance = relid                     # the offer's stand-in for its interface instance
        # An endpoint enabled before its device was offered opens it now (CHAN-05); one whose
        # open on this channel is already under way or was refused (README G29) is left alone.
        if ep.state == 'Enabled' and ep.relid != relid:
            if self.guest.open(ep, relid) != STATUS_SUCCESS:
                ep.state = 'Disabled'
        return {'status': STATUS_SUCCESS}

    def cmd_disableChannel(self, a: dict) -> dict:
        ep = self.endpoint(a)
        result = super().cmd_disableChannel(a)
        ring = ep.ring if isinstance(ep, ClientEndpoint) else None
        if ring is not None and self.guest.teardowns.get(ring.handle) is ring:
            op = self.blocked('disableChannel')     # the close waits for its ring's GPADL_TORNDOWN
            ring.waiters.append(op)
            return {'operation': op.handle}
        return result

    def cmd_deliver(self, a: dict) -> dict:
        data = hex_arg(a, 'message')
        m = decode_host_message(data)
        if m is None:
            log('guest half: dropped an unreadable message of', len(data), 'bytes:', data[:8].hex())
        else:
            self.guest.receive(m)
        return {}

    # migration: the host says which pages it could write
    def cmd_migrationFinish(self, a: dict) -> dict:
        pages = [pfn_arg(p) for p in list_arg(a, 'serverWritable')]
        if self.migration is not None:
            self.migration.server_writable.update(pages)
        return super().cmd_migrationFinish(a)


# ----------------------------------------------------------------------------- host half

class WriteLog(Migration):
    """A host half's share of a migration: only the pages mapped for write since it began (README
    G28). The guest half copies and reports; the host holds no guest memory."""

    def __init__(self, mappings: list):         # not Migration's: nothing to copy here
        self.server_writable: set = set()
        for mapping in mappings:
            self.mapped(mapping)


class HostHalf(HalfConnection):
    COMMANDS = frozenset({
        'allocateChannel', 'enableChannel', 'disableChannel', 'cleanupChannel', 'endpointInfo',
        'mapGpadl', 'unmapGpadl', 'mapMdlToSystemVa', 'describeMdl', 'accessMdl', 'deliver', 'violations',
        'hostDirect', 'hostAnswerDeferred', 'hostOffer', 'hostReceive', 'hostHold', 'hostRelease',
        'hostRevoke', 'migrationBegin', 'migrationFinish',
    })

    def __init__(self) -> None:
        super().__init__()
        self.memory = None                      # a host never holds guest bytes
        self.guest = None                       # across the harness
        self.wire = HalfWire(self, 'host-to-guest', encode_host_message)
        # Handles apart from the guest half's, so that one process serving both never confuses them.
        self.counters.update(endpoint=0x4100, mdl=0x6000, operation=0x7000)

    def cmd_allocateChannel(self, a: dict) -> dict:
        return super().cmd_allocateChannel({'role': 'server'})

    def cmd_endpointInfo(self, a: dict) -> dict:
        result = super().cmd_endpointInfo(a)
        if 'info' in result:
            result['info']['ringGpadl'] = None  # the ring is the guest's (docs/halves.md)
        return result

    def cmd_accessMdl(self, a: dict) -> dict:
        write = bool_arg(a, 'write')
        mdl, offset, length = self.mdl_access(a, 'writeMdl' if write else 'readMdl'), arg(a, 'offset'), arg(a, 'length')
        if isinstance(mdl, int):
            return {'status': mdl}
        if offset + length > mdl.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        return {'status': STATUS_SUCCESS, 'extents': [{'pfn': pfn, 'offset': at, 'length': n}
                                                      for pfn, at, n in page_pieces(mdl.extents, offset, length)]}

    def cmd_deliver(self, a: dict) -> dict:
        data, read_only = hex_arg(a, 'message'), bool_arg(a, 'gpadlReadOnly', False)
        m = decode_guest_message(data)
        if m is None:
            log('host half: dropped an unreadable message of', len(data), 'bytes:', data[:8].hex())
            return {}
        if m['type'] == 'GPADL_HEADER':
            self.host.read_only_sideband[(m['childRelid'], m['gpadl'])] = read_only
        self.host.receive(m)
        return {}

    def cmd_migrationBegin(self, a: dict) -> dict:
        if self.migration is not None:
            return {'status': STATUS_INVALID_DEVICE_STATE}
        self.migration = WriteLog([m for ep in self.endpoints.values() if isinstance(ep, ServerEndpoint)
                                   for m in ep.mappings])
        return {'status': STATUS_SUCCESS}

    def cmd_migrationFinish(self, a: dict) -> dict:
        if self.migration is None:
            return {'status': STATUS_INVALID_DEVICE_STATE}
        pages, self.migration = sorted(self.migration.server_writable), None
        return {'status': STATUS_SUCCESS, 'serverWritable': pages}


# ----------------------------------------------------------------------------- both, in one process

class Halves:
    """Both halves one process serves; `reset` replaces this object, and so resets both."""

    def __init__(self) -> None:
        self.guest, self.host = GuestHalf(), HostHalf()

    def run(self, cmd: str, request: dict):
        """The result (None: not a command of that half) and the events of the request."""
        prefix, _, name = cmd.partition('.')
        half = self.guest if prefix == 'guest' else self.host
        try:
            return half.run(name, request), half.take_events()
        except Exception:
            half.take_events()                  # an errored request reports nothing it did
            raise
