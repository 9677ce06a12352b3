#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Corners: a rescind with two creates waiting, malformed messages, a refused open and create."""
import sys, struct
sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from selftest import Half, ToyHost, pump
g, host, log = Half(), ToyHost(), []
g.call('hello', protocol=1, harness={'name': 's', 'version': '0'})
g.call('reset')
ep = g.call('guest.allocateChannel')['result']['endpoint']
pump(g, host, g.call('guest.deliver', message=host.offer(5).hex()), log)
g.call('guest.bindChannel', endpoint=ep, channelId=5)
pump(g, host, g.call('guest.enableChannel', endpoint=ep), log)
b1 = g.call('guest.allocateBuffer', byteCount=4096)['result']['buffer']
b2 = g.call('guest.allocateBuffer', byteCount=4096)['result']['buffer']
# two creates the host does not answer
g.call('guest.createGpadlFromBuffer', endpoint=ep, flags=0, buffer=b1, byteCount=4096)
g.call('guest.createGpadlFromBuffer', endpoint=ep, flags=0, buffer=b2, byteCount=4096)
g.call('guest.createGpadlFromBuffer', endpoint=ep, flags=0, buffer=b2, byteCount=100)
# rescind
a = g.call('guest.deliver', message=struct.pack('<III', 2, 0, 5).hex())
g.call('guest.endpointInfo', endpoint=ep)
g.call('guest.describeBuffer', buffer=b1)
g.call('guest.describeBuffer', buffer=b2)
# garbage
g.call('guest.deliver', message='01')
g.call('guest.deliver', message='ff000000')
g.call('guest.deliver', message='00' * 300)
g.call('guest.deliver', message='0100000000000000')
g.call('guest.deliver', message='0a00000000000000')
g.call('guest.readPages', extents=[{'pfn': 5, 'offset': 0, 'length': 1}])
g.call('guest.deleteGpadl', endpoint=ep, gpadl=1234)
g.call('guest.disableChannel', endpoint=ep)
g.call('guest.cleanupChannel', endpoint=ep)
g.call('reset')
ep = g.call('guest.allocateChannel')['result']['endpoint']
pump(g, host, g.call('guest.deliver', message=host.offer(1).hex()), log)
g.call('guest.bindChannel', endpoint=ep, channelId=1)
a = g.call('guest.enableChannel', endpoint=ep)
# refuse the open
gh = bytes.fromhex(a['events'][0]['send'])
relid, gpadl = struct.unpack_from('<II', gh, 8)
a = g.call('guest.deliver', message=struct.pack('<IIIII', 10, 0, relid, gpadl, 0).hex())
a = g.call('guest.deliver', message=struct.pack('<IIIII', 6, 0, 1, 1, 0xC0000001).hex())
a = g.call('guest.deliver', message=struct.pack('<III', 12, 0, gpadl).hex())
g.call('guest.endpointInfo', endpoint=ep)
# refused create
pump(g, host, g.call('guest.enableChannel', endpoint=ep), log)
a = g.call('guest.createGpadlFromBuffer', endpoint=ep, flags=0, buffer=4096, byteCount=4096)
a = g.call('guest.allocateBuffer', byteCount=4096)
a = g.call('guest.createGpadlFromBuffer', endpoint=ep, flags=0, buffer=4096, byteCount=4096)
gh = bytes.fromhex(a['events'][0]['send'])
relid, gpadl = struct.unpack_from('<II', gh, 8)
g.call('guest.deliver', message=struct.pack('<IIIII', 10, 0, relid, gpadl, 0xC0000001).hex())
g.call('shutdown')
