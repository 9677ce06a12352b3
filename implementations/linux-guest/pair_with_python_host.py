#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The Linux guest half paired with the Python implementation's host half (implementations/python),
carried as check_halves.py carries the wire. Prints what happens; it asserts nothing."""
import json
import os
import subprocess
import sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'python'))
import check_halves as ch
class LinuxProc(ch.Process):
    def __init__(self):
        self.proc = subprocess.Popen([os.path.join(HERE, 'run')], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.seq = 0
        print(self.request('hello', protocol=1, harness={'name': 'x', 'version': '0'})['result']['halves'])
def check(c, what):
    print(('ok   ' if c else 'FAIL ') + what)
ch.check = check
def open_channel(self, incoming=4, outgoing=4):
    server = self.h('allocateChannel')['endpoint']
    assert self.h('enableChannel', endpoint=server)['status'] == 0
    client = self.g('allocateChannel')['endpoint']
    channel = self.h('endpointInfo', endpoint=server)['info']['channelId']
    assert self.g('bindChannel', endpoint=client, channelId=channel)['status'] == 0
    assert self.g('setRingBufferPageCount', endpoint=client, incomingPages=incoming, outgoingPages=outgoing)['status'] == 0
    r = self.g('enableChannel', endpoint=client)
    print('enable', r, self.completed)
    return server, client, channel
ch.Pairing.open_channel = open_channel
g = LinuxProc(); h = ch.Process()
p = ch.Pairing(g, h)
p.reset()
server, client, channel = p.open_channel()
print(p.wire)
print(p.g('endpointInfo', endpoint=client))
buffer = p.g('allocateBuffer', byteCount=8192)['buffer']
p.g('writeBuffer', buffer=buffer, offset=4094, data='a5a5a5a5')
r = p.create(client, buffer, 8192); print(r)
gpadl = r['gpadl']
mdl = p.h('mapGpadl', endpoint=server, flags=0, gpadl=gpadl)['mdl']
p.h('mapMdlToSystemVa', mdl=mdl)
access = p.h('accessMdl', mdl=mdl, offset=4094, length=4, write=False)
print(access, p.g('readPages', extents=access['extents']))
delete = p.g('deleteGpadl', endpoint=client, gpadl=gpadl); print(delete)
p.h('unmapGpadl', endpoint=server, gpadl=gpadl)
print(p.completed)
print(p.g('describeBuffer', buffer=buffer))
disable = p.g('disableChannel', endpoint=client); print(disable, p.completed, p.h('endpointInfo', endpoint=server))
# hostControl corners
p.reset()
server, client, channel = p.open_channel()
b = p.g('allocateBuffer', byteCount=4096)['buffer']
p.h('hostDirect', server=server, directive='refuseGpadl')
print('refused', p.create(client, b, 4096))
p.h('hostDirect', server=server, directive='deferGpadl')
held = p.create(client, b, 4096); print('held', held)
p.h('hostAnswerDeferred', server=server); print(p.completed)
p.h('hostDirect', server=server, directive='deferGpadl')
held = p.create(client, b, 4096)
p.wire = []
p.h('disableChannel', endpoint=server)
print('rescind', p.completed, p.wire)
print(p.g('endpointInfo', endpoint=client))
p.g('cleanupChannel', endpoint=client)
print(p.wire)
# CHAN-05
p.reset()
client = p.g('allocateChannel')['endpoint']
print(p.g('enableChannel', endpoint=client))
print(p.g('bindChannel', endpoint=client, channelId=7))
server = p.h('allocateChannel')['endpoint']
p.h('enableChannel', endpoint=server)
channel = p.h('endpointInfo', endpoint=server)['info']['channelId']
p.g('bindChannel', endpoint=client, channelId=channel)
print(p.g('endpointInfo', endpoint=client))
p.h('disableChannel', endpoint=server)
p.h('enableChannel', endpoint=server)
channel2 = p.h('endpointInfo', endpoint=server)['info']['channelId']
print(p.g('bindChannel', endpoint=client, channelId=channel2))
print(p.g('enableChannel', endpoint=client))
print(p.g('endpointInfo', endpoint=client), p.wire)
g.close(); h.close()
