// A differential run over the halves (implementations/python/README.md, "Serving a half"): the same
// random contract calls against both whole stacks (the reference model, this Python stack) and the
// four pairings of their halves, with the harness carrying the wire; results, violations and traces
// are compared after the handles are normalised, and every difference is printed:
//   py×py vs py                 this stack's halves against its whole
//   ref×ref vs ref              the reference's halves (and the pairing) against the reference whole
//   py×ref, ref×py vs ref×ref   one half of this stack against the reference's (ring sizes and the
//                               extra handles of InvalidEndpointHandle ignored)
//
//   npm run build
//   node implementations/python/diff_halves.mjs [cases=50] [steps=40] [seed=1]
//   DUMP=1 ONLY='ref,py×ref' node implementations/python/diff_halves.mjs 1 40 112   # one case, call by call
//
// It drives the harness's own modules from dist/, so it follows the harness as it is built.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { resolveImplementation } = await import(pathToFileURL(path.join(root, 'dist/src/adapters/registry.js')).href);

const PY = `cmd:python3 ${JSON.stringify(path.join(here, 'vmbus_impl.py'))}`;
const REF = 'inproc:reference';
const pair = (g, h) => `pair:${JSON.stringify({ guest: g, host: h })}`;
const SPECS = {
  ref: REF,
  py: PY,
  'ref×ref': pair(REF, REF),
  'py×ref': pair(PY, REF),
  'ref×py': pair(REF, PY),
  'py×py': pair(PY, PY),
};
const only = process.env.ONLY ? process.env.ONLY.split(',') : null;
const cases = Number(process.argv[2] ?? 50), steps = Number(process.argv[3] ?? 40), seed0 = Number(process.argv[4] ?? 1);

function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// One op list is generated from abstract counts, then replayed on every implementation.
function genOps(r) {
  const pick = (n) => Math.floor(r() * n);
  const ops = [];
  let servers = 0, clients = 0, buffers = 0, gpadls = 0, mdls = 0, ops_ = 0, mapmdls = 0;
  ops.push({ op: 'allocServer' }); servers++;
  ops.push({ op: 'enable', role: 's', i: 0 });
  ops.push({ op: 'allocClient', s: 0 }); clients++;
  if (r() < 0.3) ops.push({ op: 'setRing', i: 0, inc: 1 + pick(5), out: 1 + pick(5) });
  ops.push({ op: 'enable', role: 'c', i: 0 });
  for (let k = 0; k < steps; k++) {
    const x = r();
    const b = () => pick(Math.max(buffers, 1)), g = () => (r() < 0.1 ? -1 : pick(Math.max(gpadls, 1)));
    if (x < 0.10) { ops.push({ op: 'allocBuffer', count: [100, 4096, 8192, 5000, 163840, 1][pick(6)], offset: [0, 16, 4000][pick(3)] }); buffers++; }
    else if (x < 0.22) { ops.push({ op: 'create', c: pick(clients), flags: [0, 1, 0, 2][pick(4)], b: b(), frac: r() }); gpadls++; ops_++; }
    else if (x < 0.27) { ops.push({ op: 'buildMdl', parts: [{ b: b(), frac: r() }, ...(r() < 0.5 ? [{ b: b(), frac: r() }] : [])] }); mdls++; }
    else if (x < 0.31) { ops.push({ op: 'createMdl', c: pick(clients), flags: pick(2), m: pick(Math.max(mdls, 1)), start: pick(3) * 100, length: [0, 50, 5000][pick(3)] }); gpadls++; ops_++; }
    else if (x < 0.39) { ops.push({ op: 'delete', c: pick(clients), g: g() }); ops_++; }
    else if (x < 0.47) { ops.push({ op: 'map', s: pick(servers), flags: [0, 1, 0, 4][pick(4)], g: g() }); mapmdls++; }
    else if (x < 0.53) { ops.push({ op: 'unmap', s: pick(servers), g: g() }); }
    else if (x < 0.57) { ops.push({ op: 'sysva', m: pick(Math.max(mapmdls, 1)) }); }
    else if (x < 0.61) { ops.push({ op: 'readMdl', m: pick(Math.max(mapmdls, 1)), off: pick(5000), len: pick(64) }); }
    else if (x < 0.64) { ops.push({ op: 'writeMdl', m: pick(Math.max(mapmdls, 1)), off: pick(5000), len: 1 + pick(64) }); }
    else if (x < 0.67) { ops.push({ op: 'writeBuffer', b: b(), off: pick(5000), len: 1 + pick(64) }); }
    else if (x < 0.70) { ops.push({ op: 'disable', role: r() < 0.5 ? 's' : 'c', i: 0 }); }
    else if (x < 0.74) { ops.push({ op: 'enable', role: r() < 0.5 ? 's' : 'c', i: 0 }); }
    else if (x < 0.78) { const role = r() < 0.5 ? 's' : 'c'; if (role === 'c') { ops.push({ op: 'disable', role, i: 0 }); ops.push({ op: 'cleanup', role, i: 0 }); ops.push({ op: 'allocClient', s: 0 }); clients++; } else ops.push({ op: 'cleanup', role, i: 0 }); }
    else if (x < 0.82) { ops.push({ op: 'hostDirect', s: 0, d: ['refuseGpadl', 'deferGpadl', 'refuseOpen', 'deferGpadl'][pick(4)] }); }
    else if (x < 0.85) { ops.push({ op: 'answer', s: 0 }); }
    else if (x < 0.88) { ops.push({ op: 'opState', o: pick(Math.max(ops_, 1)) }); }
    else if (x < 0.90) { ops.push({ op: 'outcome', o: pick(Math.max(ops_, 1)) }); }
    else if (x < 0.93) { ops.push({ op: 'migBegin' }); }
    else if (x < 0.96) { ops.push({ op: 'migFinish' }); }
    else if (x < 0.98) { ops.push({ op: 'snap', b: b(), off: pick(100), len: pick(100) }); }
    else { ops.push({ op: 'info', role: r() < 0.5 ? 's' : 'c', i: pick(clients) }); }
  }
  ops.push({ op: 'bufInfo' });
  return ops;
}

const bytes = (n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + k) & 0xff);

async function replay(impl, ops) {
  const h = { s: [], c: [], b: [], g: [], m: [], mm: [], o: [], bsize: [] };
  const out = [];
  const at = (list, i) => (i < 0 ? 0xdead : list[i] ?? 0xbeef);
  const bufIndex = new Map();
  const norm = (v) => JSON.parse(JSON.stringify(v, (k, x) => (x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x)));
  for (const o of ops) {
    let res;
    try {
      switch (o.op) {
        case 'allocServer': res = await impl.allocateChannel({ role: 'server' }); if (res.endpoint !== undefined) h.s.push(res.endpoint); res = { status: res.status }; break;
        case 'allocClient': res = await impl.allocateChannel({ role: 'client', server: at(h.s, o.s) }); if (res.endpoint !== undefined) h.c.push(res.endpoint); res = { status: res.status }; break;
        case 'setRing': res = await impl.setRingBufferPageCount(at(h.c, o.i), o.inc, o.out); break;
        case 'enable': res = await impl.enableChannel(at(o.role === 's' ? h.s : h.c, o.role === 's' ? o.i : h.c.length - 1)); break;
        case 'disable': res = await impl.disableChannel(at(o.role === 's' ? h.s : h.c, o.role === 's' ? o.i : h.c.length - 1)); break;
        case 'cleanup': res = await impl.cleanupChannel(at(o.role === 's' ? h.s : h.c, o.role === 's' ? 0 : h.c.length - 1)); break;
        case 'info': { const r = await impl.endpointInfo(at(o.role === 's' ? h.s : h.c, o.i)); res = r.info ? { status: r.status, state: r.info.state, ch: r.info.channelId, ring: o.role === 's' ? null : r.info.ringGpadl !== null } : r; break; }
        case 'allocBuffer': res = await impl.allocateBuffer({ byteCount: o.count, byteOffset: o.offset }); if (res.buffer !== undefined) { h.b.push(res.buffer); h.bsize.push(o.count); } res = { status: res.status }; break;
        case 'writeBuffer': res = await impl.writeBuffer(at(h.b, o.b), o.off, bytes(o.len, o.off)); break;
        case 'create': { const n = Math.max(1, Math.floor((h.bsize[o.b] ?? 1) * o.frac)); res = await impl.createGpadlFromBuffer(at(h.c, o.c), o.flags, at(h.b, o.b), n); h.g.push(res.gpadl ?? 0xfeed); if (res.operation !== undefined) h.o.push(res.operation); res = { status: res.status, gpadl: res.gpadl }; break; }
        case 'buildMdl': { const parts = o.parts.map((p) => ({ buffer: at(h.b, p.b), byteOffset: Math.floor((h.bsize[p.b] ?? 1) * p.frac / 2) })); res = await impl.buildMdl(parts); if (res.mdl !== undefined) h.m.push(res.mdl); res = { status: res.status }; break; }
        case 'createMdl': res = await impl.createGpadlFromMdl(at(h.c, o.c), o.flags, at(h.m, o.m), o.start, o.length); h.g.push(res.gpadl ?? 0xfeed); if (res.operation !== undefined) h.o.push(res.operation); res = { status: res.status, gpadl: res.gpadl }; break;
        case 'delete': res = await impl.deleteGpadl(at(h.c, o.c), at(h.g, o.g)); h.o.push(res.operation); res = { state: res.state }; break;
        case 'map': res = await impl.mapGpadl(at(h.s, o.s), o.flags, at(h.g, o.g)); if (res.mdl !== undefined) h.mm.push(res.mdl); res = { status: res.status }; break;
        case 'unmap': res = await impl.unmapGpadl(at(h.s, o.s), at(h.g, o.g)); break;
        case 'sysva': res = await impl.mapMdlToSystemVa(at(h.mm, o.m)); break;
        case 'readMdl': res = await impl.readMdl(at(h.mm, o.m), o.off, o.len); break;
        case 'writeMdl': res = await impl.writeMdl(at(h.mm, o.m), o.off, bytes(o.len, 3)); break;
        case 'hostDirect': res = await impl.hostDirect(at(h.s, o.s), o.d); break;
        case 'answer': res = await impl.hostAnswerDeferred(at(h.s, o.s)); break;
        case 'opState': res = await impl.operationState(at(h.o, o.o)); break;
        case 'outcome': res = await impl.createOutcome(at(h.o, o.o)); break;
        case 'migBegin': res = await impl.migrationBegin(); break;
        case 'migFinish': { const r = await impl.migrationFinish(); res = r.report ? { status: r.status, dirty: r.report.recopiedGuestDirty.length, writable: r.report.recopiedServerWritable.length, missed: r.report.missed.length } : r; break; }
        case 'snap': res = await impl.readSnapshot(at(h.b, o.b), o.off, o.len); break;
        case 'bufInfo': { res = []; for (const b of h.b) { const d = await impl.describeBuffer(b); res.push(d.description ? d.description.locked : d.status); } break; }
      }
    } catch (e) {
      res = { error: String(e.message ?? e).slice(0, 200) };
    }
    out.push(norm(res ?? null));
  }
  const viol = (await impl.violations()).map((v) => `${v.kind}/${v.fn}/e${h.s.includes(v.endpoint) ? 's' + h.s.indexOf(v.endpoint) : h.c.includes(v.endpoint) ? 'c' + h.c.indexOf(v.endpoint) : v.endpoint}/g${v.gpadl}/m${v.mdl === undefined ? '' : h.mm.indexOf(v.mdl)}`).sort();
  const trace = (await impl.trace()).map((e) => {
    if (e.kind === 'message') { const m = e.message; return `${e.direction === 'guest-to-host' ? '>' : '<'}${m.type}${m.childRelid !== undefined ? ' r' + m.childRelid : ''}${m.gpadl !== undefined ? ' g' + m.gpadl : ''}${m.creationStatus !== undefined ? ' s' + m.creationStatus : ''}${m.status !== undefined ? ' s' + m.status : ''}${m.rangeCount !== undefined ? ' n' + m.rangeCount + '/' + m.rangeBufLen : ''}${m.downstreamRingBufferPageOffset !== undefined ? ' d' + m.downstreamRingBufferPageOffset : ''}`; }
    if (e.kind === 'call') return `call ${e.fn}`;
    if (e.kind === 'return') return `ret ${e.fn}${e.status !== undefined ? ' ' + e.status : ''}`;
    return `${e.kind} ${e.fn}`;
  });
  return { out, viol, trace };
}

const factories = {};
for (const [name, spec] of Object.entries(SPECS)) if (!only || only.includes(name)) factories[name] = await resolveImplementation(spec, { timeoutMs: 10000 });
let differences = 0;
for (let c = 0; c < cases; c++) {
  const seed = seed0 + c;
  const ops = genOps(rng(seed));
  const results = {};
  for (const [name, f] of Object.entries(factories)) {
    const impl = await f.start();
    results[name] = await replay(impl, ops);
    await impl.close();
  }
  const loose = (r) => ({ out: r.out, viol: r.viol.map((v) => (v.startsWith('InvalidEndpointHandle') ? v.replace(/\/g[^/]*\//, '/g?/') : v)), trace: r.trace.map((t) => t.replace(/ n\d+\/\d+| d\d+/g, '')) });
  const compare = (name, r, base) => {
    const i = r.out.findIndex((x, k) => JSON.stringify(x) !== JSON.stringify(base.out[k]));
    const vd = JSON.stringify(r.viol) !== JSON.stringify(base.viol);
    const td = r.trace.findIndex((x, k) => x !== base.trace[k]);
    const tlen = r.trace.length !== base.trace.length;
    if (i >= 0 || vd || td >= 0 || tlen) {
      differences++;
      console.log(`seed ${seed} ${name}:`);
      if (i >= 0) console.log(`  step ${i} ${JSON.stringify(ops[i])}: base ${JSON.stringify(base.out[i])} vs ${JSON.stringify(r.out[i])}`);
      if (vd) console.log(`  violations: base ${JSON.stringify(base.viol)}\n          vs ${JSON.stringify(r.viol)}`);
      if (td >= 0 || tlen) { const k = td >= 0 ? td : Math.min(r.trace.length, base.trace.length); console.log(`  trace at ${k}: base ${JSON.stringify(base.trace.slice(Math.max(0, k - 4), k + 4))}\n            vs ${JSON.stringify(r.trace.slice(Math.max(0, k - 4), k + 4))}`); }
    }
  };
  if (process.env.DUMP) { const names = Object.keys(results); ops.forEach((o, k) => { const vals = names.map((n) => JSON.stringify(results[n].out[k])); console.log(k, JSON.stringify(o), vals.every((v) => v === vals[0]) ? vals[0] : names.map((n, j) => n + '=' + vals[j]).join('  ')); }); for (const n of names) console.log(n, results[n].trace.join(' | ')); for (const n of names) console.log('VIOL', n, JSON.stringify(results[n].viol)); continue; }
  compare('py×py vs py', results['py×py'], results.py);
  compare('ref×ref vs ref', results['ref×ref'], results.ref);
  compare('py×ref vs ref×ref (loose)', loose(results['py×ref']), loose(results['ref×ref']));
  compare('ref×py vs ref×ref (loose)', loose(results['ref×py']), loose(results['ref×ref']));
}
console.log(`${cases} cases, ${differences} differences`);
process.exit(0);
