#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A small self-test: a toy host on the wire drives the Linux guest half through a channel's
life and a GPADL's, printing every line. Run: python3 selftest.py (after build.sh)."""
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class Half:
    def __init__(self):
        self.p = subprocess.Popen([os.path.join(HERE, 'run')], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.seq = 0

    def call(self, cmd, **args):
        self.seq += 1
        line = json.dumps({'seq': self.seq, 'cmd': cmd, **args})
        print('→', line[:200])
        self.p.stdin.write(line + '\n')
        self.p.stdin.flush()
        answer = json.loads(self.p.stdout.readline())
        print('←', json.dumps(answer)[:300])
        assert answer['seq'] == self.seq, answer
        assert 'result' in answer, answer
        return answer


class ToyHost:
    """Answers every request at once, except GPADL_TEARDOWN of a handle in `hold`."""
    def __init__(self):
        self.hold = set()
        self.held = []
        self.pending = {}

    def offer(self, relid, instance=b'\0' * 16):
        m = bytearray(196)
        struct.pack_into('<I', m, 0, 1)
        m[24:40] = instance
        struct.pack_into('<I', m, 184, relid)
        return bytes(m)

    def receive(self, m: bytes):
        t = struct.unpack_from('<I', m)[0]
        if t == 8:    # GPADL_HEADER
            relid, gpadl, buflen, count = struct.unpack_from('<IIHH', m, 8)
            pages_total = (buflen - 8) // 8
            have = (len(m) - 20 - 8) // 8
            if have >= pages_total:
                return [struct.pack('<IIIII', 10, 0, relid, gpadl, 0)]
            self.pending[gpadl] = [relid, pages_total - have]
            return []
        if t == 9:    # GPADL_BODY
            gpadl = struct.unpack_from('<I', m, 12)[0]
            p = self.pending.get(gpadl)
            if p is None:
                return []
            p[1] -= (len(m) - 16) // 8
            if p[1] <= 0:
                del self.pending[gpadl]
                return [struct.pack('<IIIII', 10, 0, p[0], gpadl, 0)]
            return []
        if t == 5:    # OPENCHANNEL
            relid, openid = struct.unpack_from('<II', m, 8)
            return [struct.pack('<IIIII', 6, 0, relid, openid, 0)]
        if t == 11:   # GPADL_TEARDOWN
            relid, gpadl = struct.unpack_from('<II', m, 8)
            reply = struct.pack('<III', 12, 0, gpadl)
            if gpadl in self.hold:
                self.held.append(reply)
                return []
            return [reply]
        return []


NAMES = {1: 'OFFERCHANNEL', 2: 'RESCIND', 5: 'OPENCHANNEL', 6: 'OPENCHANNEL_RESULT', 7: 'CLOSECHANNEL', 8: 'GPADL_HEADER',
         9: 'GPADL_BODY', 10: 'GPADL_CREATED', 11: 'GPADL_TEARDOWN', 12: 'GPADL_TORNDOWN', 13: 'RELID_RELEASED'}


def pump(g, host, answer, log):
    queue = [bytes.fromhex(e['send']) for e in answer.get('events', []) if 'send' in e]
    completed = [e for e in answer.get('events', []) if 'completed' in e]
    while queue:
        m = queue.pop(0)
        log.append('g→h ' + NAMES.get(struct.unpack_from('<I', m)[0], '?'))
        for r in host.receive(m):
            log.append('h→g ' + NAMES.get(struct.unpack_from('<I', r)[0], '?'))
            a = g.call('guest.deliver', message=r.hex())
            queue += [bytes.fromhex(e['send']) for e in a.get('events', []) if 'send' in e]
            completed += [e for e in a.get('events', []) if 'completed' in e]
    return completed


def main():
    g, host, log = Half(), ToyHost(), []
    g.call('hello', protocol=1, harness={'name': 'selftest', 'version': '0'})
    g.call('reset')
    ep = g.call('guest.allocateChannel')['result']['endpoint']
    pump(g, host, g.call('guest.deliver', message=host.offer(1).hex()), log)
    pump(g, host, g.call('guest.deliver', message=host.offer(2).hex()), log)
    assert g.call('guest.bindChannel', endpoint=ep, channelId=1)['result']['status'] == 0
    a = g.call('guest.enableChannel', endpoint=ep)
    done = pump(g, host, a, log)
    print('enable:', a['result'], done)
    info = g.call('guest.endpointInfo', endpoint=ep)['result']['info']
    assert info['state'] == 'Opened', info
    b = g.call('guest.allocateBuffer', byteCount=3 * 4096)['result']['buffer']
    a = g.call('guest.createGpadlFromBuffer', endpoint=ep, flags=0, buffer=b, byteCount=3 * 4096)
    done = pump(g, host, a, log)
    print('create:', a['result'], done)
    gpadl = done[0]['result']['gpadl']
    assert g.call('guest.describeBuffer', buffer=b)['result']['description']['locked']
    big = g.call('guest.allocateBuffer', byteCount=100 * 4096)['result']['buffer']
    a = g.call('guest.createGpadlFromBuffer', endpoint=ep, flags=0, buffer=big, byteCount=100 * 4096)
    done = pump(g, host, a, log)
    print('create big:', a['result'], done)
    host.hold.add(gpadl)
    a = g.call('guest.deleteGpadl', endpoint=ep, gpadl=gpadl)
    pump(g, host, a, log)
    assert a['result']['state'] == 'pending', a
    a = g.call('guest.deliver', message=host.held.pop().hex())
    print('delete completes:', a.get('events'))
    assert not g.call('guest.describeBuffer', buffer=b)['result']['description']['locked']
    a = g.call('guest.disableChannel', endpoint=ep)
    done = pump(g, host, a, log)
    print('disable:', a['result'], done)
    rescind = struct.pack('<III', 2, 0, 2)
    pump(g, host, g.call('guest.deliver', message=rescind.hex()), log)
    g.call('guest.cleanupChannel', endpoint=ep)
    g.call('shutdown')
    print('\n'.join(log))


if __name__ == '__main__':
    main()
