#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A VMBus guest half made of Linux's own drivers/hv code (see README.md).

Speaks the vmbus-conformance plug-in protocol (docs/protocol.md, docs/halves.md) on stdin and
stdout: JSON lines. Logs go to stderr. The Linux code runs in build/liblinuxguest.so (built by
build.sh); this file is the driver that calls it the way a Linux VSC driver would.
"""
import ctypes
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, 'build')

PAGE_SIZE = 4096
STATUS_SUCCESS = 0
STATUS_PENDING = 0x103
STATUS_UNSUCCESSFUL = 0xC0000001
STATUS_INVALID_HANDLE = 0xC0000008
STATUS_INVALID_PARAMETER = 0xC000000D
STATUS_NO_MEMORY = 0xC0000017
STATUS_NOT_SUPPORTED = 0xC00000BB
STATUS_INVALID_PARAMETER_1 = 0xC00000EF
STATUS_INVALID_PARAMETER_2 = 0xC00000F0
STATUS_INVALID_PARAMETER_3 = 0xC00000F1
STATUS_INVALID_DEVICE_STATE = 0xC0000184
STATUS_DEVICE_REMOVED = 0xC00002B6
MAX_BUFFER_BYTES = 1 << 30
# Offers reach Linux exactly as the host sent them. LG_NAME_ZERO_OFFERS=1 gives an OFFERCHANNEL whose
# if_instance is zero a GUID of its own first, to pair Linux with a host that breaks WHOST-29.
RAW_OFFERS = os.environ.get('LG_NAME_ZERO_OFFERS') != '1'

# Linux errno -> NTSTATUS (README.md, "Statuses").
EPERM, ENOENT, EIO, ENXIO, EAGAIN, ENOMEM, EINVAL, ENODEV, ENOBUFS, EMSGSIZE, EDQUOT = 1, 2, 5, 6, 11, 12, 22, 19, 105, 90, 122
ERRNO_STATUS = {
    0: STATUS_SUCCESS,
    -ENODEV: STATUS_DEVICE_REMOVED,       # the channel was rescinded
    -EDQUOT: STATUS_UNSUCCESSFUL,         # GPADL_CREATED with a failed creation_status
    -EAGAIN: STATUS_UNSUCCESSFUL,         # OPENCHANNEL_RESULT with a failed status
    -ENOMEM: STATUS_NO_MEMORY,
    -EINVAL: STATUS_INVALID_PARAMETER,
}

def errno_status(ret: int) -> int:
    return ERRNO_STATUS.get(ret, STATUS_UNSUCCESSFUL)

OP_ESTABLISH, OP_TEARDOWN, OP_OPEN, OP_CLOSE = 1, 2, 3, 4
CHANNEL_OPENED_STATE = 3  # enum vmbus_channel_state


def load_library():
    lib = ctypes.CDLL(os.path.join(BUILD, 'liblinuxguest.so'))
    u32, u64, vp, i = ctypes.c_uint32, ctypes.c_uint64, ctypes.c_void_p, ctypes.c_int
    lib.lg_reset.restype = None
    lib.lg_take_events.restype = ctypes.c_char_p
    lib.lg_deliver.argtypes = [ctypes.c_char_p, u32]
    lib.lg_deliver.restype = None
    lib.lg_op_start.argtypes = [i, vp, vp, u32, u32, vp]
    lib.lg_op_start.restype = u32
    lib.lg_op_info.argtypes = [u32, ctypes.POINTER(i), ctypes.POINTER(i), ctypes.POINTER(u32), ctypes.POINTER(vp)]
    lib.lg_op_info.restype = i
    lib.lg_find_channel.argtypes = [u32]
    lib.lg_find_channel.restype = vp
    lib.lg_channel_info.argtypes = [vp] + [ctypes.POINTER(i)] * 3 + [ctypes.POINTER(u32)] * 2
    lib.lg_channel_info.restype = None
    lib.lg_set_driver.argtypes = [vp, i]
    lib.lg_set_driver.restype = None
    lib.lg_mem_alloc.argtypes = [u32]
    lib.lg_mem_alloc.restype = vp
    lib.lg_mem_pfns.argtypes = [vp, u32, ctypes.POINTER(u64)]
    lib.lg_mem_pfns.restype = i
    lib.lg_pfn_to_virt.argtypes = [u64]
    lib.lg_pfn_to_virt.restype = vp
    return lib


def linux_source():
    try:
        with open(os.path.join(BUILD, 'linux-source.json')) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {'package': 'linux-source-6.12', 'version': 'unknown', 'sha256': 'unknown'}


class BadRequest(Exception):
    pass


def arg(a: dict, name: str, default=None):
    value = a.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadRequest(f'{name} must be a non-negative integer')
    return value


def hex_arg(a: dict, name: str) -> bytes:
    value = a.get(name)
    if not isinstance(value, str):
        raise BadRequest(f'{name} must be a hex string')
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise BadRequest(f'{name} is not hex')


class Buffer:
    def __init__(self, handle, virt, byte_offset, byte_count, pfns):
        self.handle, self.virt, self.byte_offset, self.byte_count, self.pfns = handle, virt, byte_offset, byte_count, pfns
        self.locks = 0


class Endpoint:
    def __init__(self, handle):
        self.handle = handle
        self.state = 'Disabled'   # Disabled, Enabled (opening or waiting for its offer), Opened
        self.relid = None         # bindChannel
        self.chan = None          # Linux's struct vmbus_channel *
        self.incoming, self.outgoing = 2, 2
        self.freed = False
        # Linux has no ring-size setter (vmbus_open takes the sizes), so the glue follows the
        # suite's choice G6: the setter is for the initial state only, never after an enable.
        self.ever_enabled = False


class Gpadl:
    def __init__(self, handle, endpoint, chan, ptr, buffer):
        self.handle, self.endpoint, self.chan, self.ptr, self.buffer = handle, endpoint, chan, ptr, buffer
        self.deleting = False


class Operation:
    """A Linux call running in its own thread; `kind` says what its return means to the driver."""
    def __init__(self, op_id, kind, endpoint, buffer=None, gpadl=None, report=True):
        self.id, self.kind, self.endpoint, self.buffer, self.gpadl, self.report = op_id, kind, endpoint, buffer, gpadl, report


class LinuxGuest:
    def __init__(self, lib):
        self.lib = lib
        self.reset()

    def reset(self):
        self.lib.lg_reset()
        self.buffers = {}
        self.endpoints = {}
        self.gpadls = {}        # handle -> Gpadl (live, created through a driver call)
        self.ops = {}           # operation id -> Operation still running
        self.next_buffer = 0x1000
        self.next_endpoint = 0x101
        self.events = []

    # ------------------------------------------------------------------ Linux calls and events

    def op_info(self, op_id):
        done, ret, handle, ptr = ctypes.c_int(), ctypes.c_int(), ctypes.c_uint32(), ctypes.c_void_p()
        self.lib.lg_op_info(op_id, ctypes.byref(done), ctypes.byref(ret), ctypes.byref(handle), ctypes.byref(ptr))
        return bool(done.value), ret.value, handle.value, ptr.value

    def drain(self, direct=None):
        """Turns the library's events into protocol events. The call `direct` (the request's own
        call) reports its return in the result, not as a `completed` event."""
        text = self.lib.lg_take_events().decode()
        for line in text.splitlines():
            if line.startswith('S '):
                self.events.append({'send': line[2:]})
            elif line.startswith('C '):
                op_id = int(line[2:])
                op = self.ops.pop(op_id, None)
                if op is None:
                    continue
                result = self.finish(op)
                if op_id != direct and op.report:
                    self.events.append({'completed': op_id, 'result': result})
                if op_id == direct:
                    op.direct_result = result

    def start(self, op: Operation, kind, chan, buf=None, a=0, b=0, gpadl_ptr=None):
        op_id = self.lib.lg_op_start(kind, chan, buf, a, b, gpadl_ptr)
        if op_id == 0:
            raise RuntimeError('lg_op_start failed')
        op.id = op_id
        op.direct_result = None
        self.ops[op_id] = op
        self.drain(direct=op_id)
        return op

    def finish(self, op: Operation) -> dict:
        """A Linux call returned: what the driver makes of it."""
        done, ret, handle, ptr = self.op_info(op.id)
        e = op.endpoint
        if op.kind == 'create':
            if ret == 0:
                self.gpadls[handle] = Gpadl(handle, e, e.chan if e else None, ptr, op.buffer)
                return {'status': STATUS_SUCCESS, 'gpadl': handle}
            op.buffer.locks -= 1
            return {'status': errno_status(ret)}
        if op.kind == 'delete':
            g = op.gpadl
            if self.gpadls.get(g.handle) is g:
                del self.gpadls[g.handle]
                if g.buffer is not None:
                    g.buffer.locks -= 1
            return {}
        if op.kind == 'open':
            if e is not None and e.state == 'Enabled' and e.opening is op:
                e.opening = None
                e.state = 'Opened' if ret == 0 else 'Disabled' if op.report else 'Enabled'
            return {'status': errno_status(ret)}
        return {}

    # ------------------------------------------------------------------ channels

    def channel_info(self, chan):
        state, rescind, removed, ring, relid = ctypes.c_int(), ctypes.c_int(), ctypes.c_int(), ctypes.c_uint32(), ctypes.c_uint32()
        self.lib.lg_channel_info(chan, ctypes.byref(state), ctypes.byref(rescind), ctypes.byref(removed), ctypes.byref(ring), ctypes.byref(relid))
        return {'state': state.value, 'rescind': bool(rescind.value), 'removed': bool(removed.value), 'ring': ring.value}

    def endpoint(self, a) -> Endpoint | None:
        e = self.endpoints.get(arg(a, 'endpoint'))
        return None if e is None or e.freed else e

    def sync(self, e: Endpoint):
        """A rescinded channel's device was removed by Linux (vmbus_device_unregister): the
        driver's endpoint is Disabled and has no channel any more."""
        if e.chan is not None and self.channel_info(e.chan)['removed']:
            e.state = 'Disabled'
            e.opening = None

    def open(self, e: Endpoint, report: bool):
        op = Operation(0, 'open', e, report=report)
        e.opening = op
        self.lib.lg_set_driver(e.chan, 1)
        return self.start(op, OP_OPEN, e.chan, None, e.outgoing * PAGE_SIZE, e.incoming * PAGE_SIZE)

    def cmd_allocateChannel(self, a):
        e = Endpoint(self.next_endpoint)
        e.opening = None
        self.next_endpoint += 1
        self.endpoints[e.handle] = e
        return {'status': STATUS_SUCCESS, 'endpoint': e.handle}

    def cmd_bindChannel(self, a):
        e = self.endpoint(a)
        relid = arg(a, 'channelId')
        if e is None:
            return {'status': STATUS_INVALID_HANDLE}
        chan = self.lib.lg_find_channel(relid)
        if not chan:
            return {'status': STATUS_INVALID_PARAMETER}
        self.sync(e)
        e.relid, e.chan = relid, chan
        self.lib.lg_set_driver(chan, 1)
        if e.state == 'Enabled' and e.opening is None:
            self.open(e, report=False)
        return {'status': STATUS_SUCCESS}

    def cmd_setRingBufferPageCount(self, a):
        e = self.endpoint(a)
        incoming, outgoing = arg(a, 'incomingPages'), arg(a, 'outgoingPages')
        if e is None or e.state != 'Disabled' or e.ever_enabled:
            return {'status': STATUS_INVALID_PARAMETER_1}
        if incoming == 0:
            return {'status': STATUS_INVALID_PARAMETER_2}
        if outgoing == 0:
            return {'status': STATUS_INVALID_PARAMETER_3}
        e.incoming, e.outgoing = incoming, outgoing
        return {'status': STATUS_SUCCESS}

    def cmd_enableChannel(self, a):
        e = self.endpoint(a)
        if e is None:
            return {'status': STATUS_INVALID_HANDLE}
        self.sync(e)
        if e.state != 'Disabled':
            return {'status': STATUS_INVALID_DEVICE_STATE}
        e.state = 'Enabled'
        e.ever_enabled = True
        if e.chan is None or self.channel_info(e.chan)['removed']:
            return {'status': STATUS_SUCCESS}   # waits for its offer (bindChannel)
        op = self.open(e, report=True)
        if op.direct_result is not None:
            return op.direct_result
        return {'status': STATUS_PENDING, 'operation': op.id}

    def close(self, e: Endpoint, report: bool):
        """vmbus_close: what a driver does to disable its channel (or at remove)."""
        op = self.start(Operation(0, 'close', e, report=report), OP_CLOSE, e.chan)
        return op

    def cmd_disableChannel(self, a):
        e = self.endpoint(a)
        if e is None:
            return {}
        self.sync(e)
        if e.state == 'Disabled':
            return {}
        was = e.state
        e.state = 'Disabled'
        e.opening = None
        if e.chan is None:
            return {}
        op = self.close(e, report=True)
        if op.direct_result is not None:
            return {}
        return {'operation': op.id}

    def cmd_cleanupChannel(self, a):
        e = self.endpoint(a)
        if e is None:
            return {}
        self.sync(e)
        if e.state != 'Disabled':
            return {}   # Linux has no endpoint to refuse with; a driver's remove would close first
        e.freed = True
        if e.chan is not None:
            self.lib.lg_set_driver(e.chan, 0)
        return {}

    def cmd_endpointInfo(self, a):
        e = self.endpoint(a)
        if e is None:
            return {'status': STATUS_INVALID_HANDLE}
        self.sync(e)
        channel_id, ring = None, None
        if e.chan is not None:
            info = self.channel_info(e.chan)
            if not info['removed']:
                channel_id = e.relid
            if e.state == 'Opened' and info['state'] == CHANNEL_OPENED_STATE and info['ring']:
                ring = info['ring']
        return {'status': STATUS_SUCCESS, 'info': {'role': 'client', 'state': e.state, 'channelId': channel_id, 'ringGpadl': ring}}

    # ------------------------------------------------------------------ GPADLs

    def cmd_createGpadlFromBuffer(self, a):
        e = self.endpoint(a)
        arg(a, 'flags')
        b = self.buffers.get(arg(a, 'buffer'))
        count = arg(a, 'byteCount')
        if e is None:
            return {'status': STATUS_INVALID_HANDLE}
        if b is None or count > b.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        if b.byte_offset != 0 or count % PAGE_SIZE != 0:
            # vmbus_establish_gpadl describes whole pages of one virtually contiguous buffer.
            return {'status': STATUS_NOT_SUPPORTED}
        self.sync(e)
        if e.chan is None:
            return {'status': STATUS_INVALID_DEVICE_STATE}   # no struct vmbus_channel to call Linux with
        b.locks += 1
        op = self.start(Operation(0, 'create', e, buffer=b), OP_ESTABLISH, e.chan, b.virt, count)
        if op.direct_result is not None:
            return op.direct_result
        return {'status': STATUS_PENDING, 'operation': op.id}

    def cmd_createGpadlFromMdl(self, a):
        return {'status': STATUS_NOT_SUPPORTED}

    def cmd_deleteGpadl(self, a):
        e = self.endpoint(a)
        handle = arg(a, 'gpadl')
        g = self.gpadls.get(handle)
        if e is None or g is None or g.endpoint is not e:
            # Linux's vmbus_teardown_gpadl takes the struct vmbus_gpadl the driver kept; a driver
            # has none for this handle, so nothing is called: it returns at once.
            op_id = self.lib.lg_op_start(0, None, None, 0, 0, None)  # a no-op id, unique
            self.drain(direct=op_id)
            return {'operation': op_id, 'state': 'completed'}
        g.deleting = True
        op = self.start(Operation(0, 'delete', e, gpadl=g), OP_TEARDOWN, g.chan, None, 0, 0, g.ptr)
        if op.direct_result is not None:
            return {'operation': op.id, 'state': 'completed'}
        return {'operation': op.id, 'state': 'pending'}

    def cmd_violations(self, a):
        return {'violations': []}   # Linux records no KMCL misuse (capability violations: false)

    # ------------------------------------------------------------------ messages

    def cmd_deliver(self, a):
        message = hex_arg(a, 'message')
        if RAW_OFFERS is False and len(message) >= 196 and message[0:4] == b'\x01\x00\x00\x00' and message[24:40] == bytes(16):
            # An OFFERCHANNEL with a zero if_instance (the reference host sends zero GUIDs). Linux's
            # vmbus_onoffer -> find_primary_channel_by_offer matches offers by if_instance alone
            # (for resume from hibernation): a second zero-instance offer would take over the
            # first channel (its relid is rewritten) instead of making a new one. The glue gives
            # each such offer an instance GUID made of its child_relid (README.md, "The offer").
            message = message[:24] + b'LGRELID\0' + message[184:188] + b'\0\0\0\0' + message[40:]
        self.lib.lg_deliver(message, len(message))
        self.drain()
        for e in self.endpoints.values():
            if not e.freed:
                self.sync(e)
        return {}

    # ------------------------------------------------------------------ memory

    def cmd_allocateBuffer(self, a):
        count, offset = arg(a, 'byteCount'), arg(a, 'byteOffset', 0)
        if count == 0 or count > MAX_BUFFER_BYTES or offset >= PAGE_SIZE:
            return {'status': STATUS_INVALID_PARAMETER}
        npages = (offset + count + PAGE_SIZE - 1) // PAGE_SIZE
        virt = self.lib.lg_mem_alloc(npages)
        if not virt:
            return {'status': STATUS_NO_MEMORY}
        pfns = (ctypes.c_uint64 * npages)()
        self.lib.lg_mem_pfns(virt, npages, pfns)
        b = Buffer(self.next_buffer, virt, offset, count, list(pfns))
        self.next_buffer += 1
        self.buffers[b.handle] = b
        return {'status': STATUS_SUCCESS, 'buffer': b.handle}

    def cmd_describeBuffer(self, a):
        b = self.buffers.get(arg(a, 'buffer'))
        if b is None:
            return {'status': STATUS_INVALID_PARAMETER}
        return {'status': STATUS_SUCCESS, 'description': {'byteOffset': b.byte_offset, 'byteCount': b.byte_count,
                                                          'pfns': b.pfns, 'locked': b.locks > 0}}

    def cmd_writeBuffer(self, a):
        b, offset, data = self.buffers.get(arg(a, 'buffer')), arg(a, 'offset'), hex_arg(a, 'data')
        if b is None or offset + len(data) > b.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        ctypes.memmove(b.virt + b.byte_offset + offset, data, len(data))
        return {'status': STATUS_SUCCESS}

    def cmd_readBuffer(self, a):
        b, offset, length = self.buffers.get(arg(a, 'buffer')), arg(a, 'offset'), arg(a, 'length')
        if b is None or offset + length > b.byte_count:
            return {'status': STATUS_INVALID_PARAMETER}
        return {'status': STATUS_SUCCESS, 'data': ctypes.string_at(b.virt + b.byte_offset + offset, length).hex()}

    def extents(self, a):
        extents = a.get('extents')
        if not isinstance(extents, list):
            raise BadRequest('extents must be a list')
        out = []
        for x in extents:
            if not isinstance(x, dict):
                raise BadRequest('an extent must be an object')
            pfn, offset, length = arg(x, 'pfn'), arg(x, 'offset'), arg(x, 'length')
            if offset + length > PAGE_SIZE or pfn >= 1 << 64:
                return None
            virt = self.lib.lg_pfn_to_virt(pfn)
            if not virt:
                return None
            out.append((virt + offset, length))
        return out

    def cmd_readPages(self, a):
        extents = self.extents(a)
        if extents is None:
            return {'status': STATUS_INVALID_PARAMETER}
        return {'status': STATUS_SUCCESS, 'data': b''.join(ctypes.string_at(v, n) for v, n in extents).hex()}

    def cmd_writePages(self, a):
        extents, data = self.extents(a), hex_arg(a, 'data')
        if extents is None or sum(n for _, n in extents) != len(data):
            return {'status': STATUS_INVALID_PARAMETER}
        done = 0
        for v, n in extents:
            ctypes.memmove(v, data[done:done + n], n)
            done += n
        return {'status': STATUS_SUCCESS}


def hello(_a):
    source = linux_source()
    return {
        'protocol': 1,
        'implementation': {
            'name': 'Linux drivers/hv guest (linux-source-6.12, unmodified)',
            # The exact package and its checksum reach every report of the run through the version.
            'version': f"{source.get('version', 'unknown')} (sha256 {source.get('sha256', 'unknown')})",
            'language': 'C (Linux) with Python glue',
            'homepage': 'https://packages.debian.org/bookworm/linux-source-6.12',
        },
        'capabilities': {'trace': False, 'violations': False, 'mdl': False, 'lifecycle': True,
                         'wireHost': False, 'migration': False, 'hostControl': False},
        'halves': ['guest'],
        'whole': False,
    }


def main():
    sys.stdout.reconfigure(line_buffering=True)
    lib = load_library()
    guest = LinuxGuest(lib)
    for line in sys.stdin:
        if not line.strip():
            continue
        seq = None
        try:
            request = json.loads(line)
            seq, cmd = request.get('seq'), request.get('cmd')
            guest.events = []
            if cmd == 'hello':
                response = {'seq': seq, 'result': hello(request)}
            elif cmd == 'reset':
                guest.reset()
                response = {'seq': seq, 'result': {}}
            elif cmd == 'shutdown':
                print(json.dumps({'seq': seq, 'result': {}}), flush=True)
                break
            elif isinstance(cmd, str) and cmd.startswith('guest.') and hasattr(guest, 'cmd_' + cmd[6:]):
                result = getattr(guest, 'cmd_' + cmd[6:])(request)
                response = {'seq': seq, 'result': result}
                if guest.events:
                    response['events'] = guest.events
            else:
                response = {'seq': seq, 'unsupported': {'message': f'{cmd} is not served by the Linux guest half'}}
        except Exception as error:  # a broken request is an answer, not an exit
            response = {'seq': seq, 'errored': {'message': str(error), 'traceback': traceback.format_exc()}}
        print(json.dumps(response, separators=(',', ':')), flush=True)
    sys.stdout.flush()
    os._exit(0)   # threads blocked in Linux code must not keep the process alive


if __name__ == '__main__':
    main()
