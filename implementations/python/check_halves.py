#!/usr/bin/env python3
"""A self-check of vmbus_halves.py without the harness: plays the harness of docs/halves.md, a
pairing that carries every channel message between a guest half and a host half, and walks a few
exchanges through it (an open, a create, a map and the DMA it leads to, a delete held back by a
mapping, a close, a read-only GPADL, a refused and a held-back GPADL, a rescind, a migration).

    python3 implementations/python/check_halves.py                 # both halves in one process
    python3 implementations/python/check_halves.py --two           # one process per half

Standard library only; exits 1 at the first check that fails.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STATUS_PENDING, STATUS_ACCESS_DENIED, STATUS_INVALID_PARAMETER = 0x103, 0xC0000022, 0xC000000D
STATUS_UNSUCCESSFUL, STATUS_DEVICE_REMOVED = 0xC0000001, 0xC00002B6
NAMES = {1: 'OFFERCHANNEL', 2: 'RESCIND_CHANNELOFFER', 5: 'OPENCHANNEL', 6: 'OPENCHANNEL_RESULT', 7: 'CLOSECHANNEL',
         8: 'GPADL_HEADER', 9: 'GPADL_BODY', 10: 'GPADL_CREATED', 11: 'GPADL_TEARDOWN', 12: 'GPADL_TORNDOWN',
         13: 'RELID_RELEASED'}


class Process:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, 'vmbus_impl.py')], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.seq = 0
        hello = self.request('hello', protocol=1, harness={'name': 'check_halves', 'version': '0'})
        assert hello['result']['halves'] == ['guest', 'host'], hello

    def request(self, cmd: str, **args) -> dict:
        self.seq += 1
        self.proc.stdin.write(json.dumps({'seq': self.seq, 'cmd': cmd, **args}) + '\n')
        self.proc.stdin.flush()
        response = json.loads(self.proc.stdout.readline())
        assert response['seq'] == self.seq, response
        if 'result' not in response:
            raise AssertionError(f'{cmd}: {response}')
        return response

    def close(self) -> None:
        self.request('shutdown')
        self.proc.wait(5)


class Pairing:
    """The harness's side: calls a half, then carries the wire until it is quiet."""

    def __init__(self, guest: Process, host: Process):
        self.procs = {'guest': guest, 'host': host}
        self.completed: dict = {}
        self.wire: list = []                    # (direction, message name) as carried

    def reset(self) -> None:
        for proc in {id(p): p for p in self.procs.values()}.values():
            proc.request('reset')
        self.completed, self.wire = {}, []

    def call(self, half: str, cmd: str, **args) -> dict:
        response = self.procs[half].request(f'{half}.{cmd}', **args)
        queue = [(half, e) for e in response.get('events', [])]
        while queue:
            sender, event = queue.pop(0)
            if 'completed' in event:
                self.completed[(sender, event['completed'])] = event['result']
                continue
            data = event['send']
            name = NAMES.get(int.from_bytes(bytes.fromhex(data[:8]), 'little'), data[:8])
            receiver = 'host' if sender == 'guest' else 'guest'
            self.wire.append((sender, name))
            extra = {}
            if name == 'GPADL_HEADER' and receiver == 'host':
                extra['gpadlReadOnly'] = self.read_only
            reply = self.procs[receiver].request(f'{receiver}.deliver', message=data, **extra)
            queue += [(receiver, e) for e in reply.get('events', [])]
            assert len(self.wire) < 10000, 'the wire never went quiet'
        return response['result']

    read_only = False

    def g(self, cmd: str, **args) -> dict:
        return self.call('guest', cmd, **args)

    def h(self, cmd: str, **args) -> dict:
        return self.call('host', cmd, **args)

    # contract-level helpers
    def open_channel(self, incoming: int = 4, outgoing: int = 4):
        server = self.h('allocateChannel')['endpoint']
        assert self.h('enableChannel', endpoint=server)['status'] == 0
        client = self.g('allocateChannel')['endpoint']
        channel = self.h('endpointInfo', endpoint=server)['info']['channelId']
        assert self.g('bindChannel', endpoint=client, channelId=channel)['status'] == 0
        assert self.g('setRingBufferPageCount', endpoint=client, incomingPages=incoming, outgoingPages=outgoing)['status'] == 0
        assert self.g('enableChannel', endpoint=client) == {'status': 0}
        return server, client, channel

    def create(self, client: int, buffer: int, count: int, flags: int = 0) -> dict:
        self.read_only = bool(flags & 1)
        result = self.g('createGpadlFromBuffer', endpoint=client, flags=flags, buffer=buffer, byteCount=count)
        if result['status'] != STATUS_PENDING:
            return result
        return self.completed.get(('guest', result['operation']), {'status': STATUS_PENDING, 'operation': result['operation']})


def check(condition: bool, what: str) -> None:
    print(('ok   ' if condition else 'FAIL ') + what)
    if not condition:
        sys.exit(1)


def main() -> None:
    two = '--two' in sys.argv
    guest = Process()
    host = Process() if two else guest
    p = Pairing(guest, host)

    # open, create, map, DMA, delete held back by the mapping, close
    p.reset()
    server, client, channel = p.open_channel()
    check(p.g('endpointInfo', endpoint=client)['info']['state'] == 'Opened', 'the client is Opened after the wire went quiet')
    check(p.h('endpointInfo', endpoint=server)['info'] == {'role': 'server', 'state': 'Opened', 'channelId': channel, 'ringGpadl': None},
          'the server is Opened, its ringGpadl null')
    check([n for _, n in p.wire] == ['OFFERCHANNEL', 'GPADL_HEADER', 'GPADL_CREATED', 'OPENCHANNEL', 'OPENCHANNEL_RESULT'],
          'the open: offer, ring GPADL, OPENCHANNEL')
    buffer = p.g('allocateBuffer', byteCount=8192, byteOffset=16)['buffer']
    p.g('writeBuffer', buffer=buffer, offset=4078, data='a5a5a5a5')
    response = p.procs['guest'].request('guest.createGpadlFromBuffer', endpoint=client, flags=0, buffer=buffer, byteCount=8192)
    check(response['result']['status'] == STATUS_PENDING and 'operation' in response['result']
          and [bytes.fromhex(e['send'])[0] for e in response['events']] == [8], 'a create answers STATUS_PENDING and sends GPADL_HEADER')
    reply = p.procs['host'].request('host.deliver', message=response['events'][0]['send'])
    created = reply['events'][0]['send']
    check(len(bytes.fromhex(created)) == 20 and bytes.fromhex(created)[0] == 10, 'the host answers GPADL_CREATED')
    done = p.procs['guest'].request('guest.deliver', message=created)
    gpadl = done['events'][0]['result'].get('gpadl')
    check(done['events'] == [{'completed': response['result']['operation'], 'result': {'status': 0, 'gpadl': gpadl}}],
          'delivering GPADL_CREATED completes the create with its GPADL')
    check(p.g('describeBuffer', buffer=buffer)['description']['locked'], 'the buffer is locked')
    mdl = p.h('mapGpadl', endpoint=server, flags=0, gpadl=gpadl)['mdl']
    check(p.h('accessMdl', mdl=mdl, offset=0, length=2, write=False)['status'] == 0xC0000184, 'no system VA yet')
    p.h('mapMdlToSystemVa', mdl=mdl)
    access = p.h('accessMdl', mdl=mdl, offset=4078, length=4, write=False)
    check(len(access['extents']) == 2 and access['extents'][0]['offset'] == 4094 and access['extents'][0]['length'] == 2,
          'accessMdl splits at the page boundary')
    check(p.g('readPages', extents=access['extents'])['data'] == 'a5a5a5a5', 'readPages reads the guest bytes')
    access = p.h('accessMdl', mdl=mdl, offset=0, length=3, write=True)
    check(p.g('writePages', extents=access['extents'], data='010203')['status'] == 0, 'writePages writes')
    check(p.g('readBuffer', buffer=buffer, offset=0, length=3)['data'] == '010203', 'the guest sees the host write')
    check(p.g('readPages', extents=[{'pfn': 5, 'offset': 0, 'length': 1}])['status'] == STATUS_INVALID_PARAMETER,
          'a page that is not guest memory fails')
    check(p.h('accessMdl', mdl=mdl, offset=8190, length=4, write=False)['status'] == STATUS_INVALID_PARAMETER, 'a range past the MDL fails')
    delete = p.g('deleteGpadl', endpoint=client, gpadl=gpadl)
    check(delete['state'] == 'pending' and ('guest', delete['operation']) not in p.completed, 'the delete waits for the unmap')
    p.h('unmapGpadl', endpoint=server, gpadl=gpadl)
    check(p.completed.get(('guest', delete['operation'])) == {}, 'the unmap lets the delete complete')
    check(not p.g('describeBuffer', buffer=buffer)['description']['locked'], 'the buffer is unlocked')
    check(p.g('deleteGpadl', endpoint=client, gpadl=gpadl)['state'] == 'completed', 'a second delete completes at once')
    check(p.g('violations')['violations'][0]['kind'] == 'DeleteOfUnknownGpadl', 'and is recorded')
    disable = p.g('disableChannel', endpoint=client)
    check('operation' in disable and p.completed.get(('guest', disable['operation'])) == {}, 'the close blocks until its ring is torn down')
    check(p.h('endpointInfo', endpoint=server)['info']['state'] == 'Closed', 'the server sees the close')

    # a large GPADL (GPADL_BODY), read-only, its map for write denied
    p.reset()
    server, client, channel = p.open_channel(3, 5)
    big = p.g('allocateBuffer', byteCount=163840)['buffer']
    p.wire = []
    result = p.create(client, big, 163840, flags=1)
    check(result['status'] == 0 and [n for _, n in p.wire] == ['GPADL_HEADER'] + ['GPADL_BODY'] + ['GPADL_CREATED'],
          'a 40-page GPADL: header, one body, created')
    check(p.h('mapGpadl', endpoint=server, flags=0, gpadl=result['gpadl'])['status'] == STATUS_ACCESS_DENIED,
          'the host heard the read-only bit beside the header')
    check(p.h('mapGpadl', endpoint=server, flags=1, gpadl=result['gpadl'])['status'] == 0, 'a read-only map')

    # hostControl: a refused GPADL, a held one, and a rescind while a create waits
    p.reset()
    server, client, channel = p.open_channel()
    b = p.g('allocateBuffer', byteCount=4096)['buffer']
    p.h('hostDirect', server=server, directive='refuseGpadl')
    check(p.create(client, b, 4096)['status'] == STATUS_UNSUCCESSFUL, 'a refused create fails')
    p.h('hostDirect', server=server, directive='deferGpadl')
    held = p.create(client, b, 4096)
    check(held['status'] == STATUS_PENDING, 'a held create stays pending when the wire is quiet')
    check(p.h('hostAnswerDeferred', server=server)['status'] == 0
          and p.completed.get(('guest', held['operation']), {}).get('status') == 0, 'the late answer completes it')
    p.h('hostDirect', server=server, directive='deferGpadl')
    held = p.create(client, b, 4096)
    p.wire = []
    p.h('disableChannel', endpoint=server)
    check(p.completed.get(('guest', held['operation'])) == {'status': STATUS_DEVICE_REMOVED}, 'a rescind ends a waiting create')
    check(p.g('endpointInfo', endpoint=client)['info']['state'] == 'Disabled', 'the client is Disabled by the rescind')
    p.g('cleanupChannel', endpoint=client)
    check([n for _, n in p.wire][-1] == 'RELID_RELEASED', 'the cleanup releases the rescinded channel')

    # an endpoint enabled before its device is offered (CHAN-05), and a new offer after a rescind
    p.reset()
    client = p.g('allocateChannel')['endpoint']
    check(p.g('enableChannel', endpoint=client) == {'status': 0}, 'enable before the offer')
    check(p.g('bindChannel', endpoint=client, channelId=7)['status'] == STATUS_INVALID_PARAMETER, 'a channel never offered')
    server = p.h('allocateChannel')['endpoint']
    p.h('enableChannel', endpoint=server)
    channel = p.h('endpointInfo', endpoint=server)['info']['channelId']
    p.g('bindChannel', endpoint=client, channelId=channel)
    check(p.g('endpointInfo', endpoint=client)['info']['state'] == 'Opened', 'the bind opens the waiting endpoint')
    p.h('disableChannel', endpoint=server)
    p.h('enableChannel', endpoint=server)
    channel2 = p.h('endpointInfo', endpoint=server)['info']['channelId']
    p.g('bindChannel', endpoint=client, channelId=channel2)
    p.g('enableChannel', endpoint=client)
    check(p.g('endpointInfo', endpoint=client)['info'] == {'role': 'client', 'state': 'Opened', 'channelId': channel2,
                                                             'ringGpadl': p.g('endpointInfo', endpoint=client)['info']['ringGpadl']}
          and channel2 != channel, 'a new offer opens again')

    # migration: the host says which pages it could write, the guest copies and reports
    p.reset()
    server, client, channel = p.open_channel()
    b = p.g('allocateBuffer', byteCount=4096)['buffer']
    gpadl = p.create(client, b, 4096)['gpadl']
    pfn = p.g('describeBuffer', buffer=b)['description']['pfns'][0]
    check(p.g('migrationBegin')['status'] == 0 and p.h('migrationBegin')['status'] == 0, 'both halves begin')
    mdl = p.h('mapGpadl', endpoint=server, flags=1, gpadl=gpadl)['mdl']
    p.h('mapMdlToSystemVa', mdl=mdl)
    access = p.h('accessMdl', mdl=mdl, offset=0, length=1, write=True)
    p.g('writePages', extents=access['extents'], data='ff')          # a write through a read-only map
    finish = p.h('migrationFinish')
    check(finish == {'status': 0, 'serverWritable': []}, 'a read-only map is not server-writable')
    report = p.g('migrationFinish', serverWritable=finish['serverWritable'])['report']
    check(report == {'recopiedGuestDirty': [], 'recopiedServerWritable': [], 'missed': [pfn]}, 'the snapshot missed the write')
    p.h('unmapGpadl', endpoint=server, gpadl=gpadl)
    p.g('migrationBegin'), p.h('migrationBegin')
    mdl = p.h('mapGpadl', endpoint=server, flags=0, gpadl=gpadl)['mdl']
    finish = p.h('migrationFinish')
    check(finish == {'status': 0, 'serverWritable': [pfn]}, 'a write map is')
    report = p.g('migrationFinish', serverWritable=finish['serverWritable'])['report']
    check(report['recopiedServerWritable'] == [pfn] and report['missed'] == [], 'and is copied again')
    check(p.g('readSnapshot', buffer=b, offset=0, length=1)['data'] == 'ff', 'the snapshot has the write')

    guest.close()
    if two:
        host.close()
    print('all checks pass')


if __name__ == '__main__':
    main()
