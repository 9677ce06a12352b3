/**
 * Throwaway implementations for testing the harness's failure handling (Bowtie's
 * "fauxmplementations"): one small Node script, written to a temp dir, that speaks the plug-in
 * protocol and misbehaves in one named way on one named command. It writes a line to standard
 * error for every request it gets, so that tests can check the stderr tail an error carries.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { procStat } from '../_procStat.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The served reference model, compiled (`npm test` builds dist/ before the unit tests). */
export const SERVED_REFERENCE = `node ${JSON.stringify(path.join(ROOT, 'dist/src/cli/serve.js'))} inproc:reference`;

export type Misbehaviour =
  | 'none'
  | 'crash' // exits with 139 after a last word on stderr
  | 'hang' // never answers
  | 'garbage' // prints a debug line on stdout instead of a response
  | 'wrong-seq' // answers seq + 1
  | 'extra-field' // a result with a property the schema does not allow (only validation sees it)
  | 'bad-status' // a status that is not a u32 (the codec sees it)
  | 'errored' // answers errored
  | 'unsupported' // answers unsupported
  | 'version' // says protocol 99 in hello, a version no harness offered
  | 'exit-in-handshake' // exits before answering hello
  | 'pipelined' // speaks protocol version 2 when offered: answers the requests of a chunk in order, in one write
  | 'lingers'; // answers shutdown, then does not exit

const SCRIPT = String.raw`
const readline = require('node:readline');
const [mode, target] = process.argv.slice(2);
process.stderr.write('fake ' + mode + ' starting (pid ' + process.pid + ')\n');
if (mode === 'exit-in-handshake') {
  process.stderr.write('fatal: cannot open /dev/vmbus\n');
  process.exit(3);
}
const RESULTS = {
  allocateChannel: { status: 0, endpoint: 7 },
  enableChannel: { status: 0 },
  allocateBuffer: { status: 0, buffer: 9 },
  readBuffer: { status: 0, data: 'a5a5' },
  mapGpadl: { status: 0, mdl: 11 },
  operationState: { state: 'completed' },
  violations: { violations: [] },
};
// How the harness's requests arrive (the well-behaved modes only, whose stderr tail no test reads
// for a last word): one stderr line per chunk read, with its count of lines.
if (mode === 'none' || mode === 'pipelined') process.stdin.on('data', (chunk) => process.stderr.write('chunk of ' + (String(chunk).split('\n').length - 1) + ' lines\n'));
let answers = [];
const send = (response) => {
  if (mode !== 'pipelined') return process.stdout.write(JSON.stringify(response) + '\n');
  if (answers.push(JSON.stringify(response)) === 1) process.nextTick(() => process.stdout.write(answers.splice(0).join('\n') + '\n'));
};
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line);
  const seq = request.seq;
  process.stderr.write('got ' + request.cmd + ' (seq ' + seq + ')\n');
  if (request.cmd === 'hello') {
    return send({ seq, result: {
      protocol: mode === 'version' ? 99 : mode === 'pipelined' && (request.versions || []).includes(2) ? 2 : 1,
      implementation: { name: 'fake-' + mode, version: '0.0.1', language: 'JavaScript' },
      capabilities: { trace: false, violations: true, mdl: false, lifecycle: false },
    } });
  }
  if (request.cmd === 'shutdown') {
    send({ seq, result: {} });
    if (mode === 'lingers') return void setInterval(() => {}, 1000);
    return process.nextTick(() => process.exit(0)); // after the answers queued before it
  }
  if (request.cmd === target) {
    switch (mode) {
      case 'crash':
        process.stderr.write('Segmentation fault in ' + target + '\n');
        process.exit(139);
      case 'hang':
        return;
      case 'garbage':
        return process.stdout.write('debug: about to answer ' + target + '\n');
      case 'wrong-seq':
        return send({ seq: seq + 1, result: RESULTS[target] || {} });
      case 'extra-field':
        return send({ seq, result: Object.assign({}, RESULTS[target] || {}, { debug: 'yes' }) });
      case 'bad-status':
        return send({ seq, result: { status: -1 } });
      case 'errored':
        return send({ seq, errored: { message: 'IndexError: list index out of range', traceback: 'Traceback: in ' + target } });
      case 'unsupported':
        return send({ seq, unsupported: { message: target + ' is not written yet' } });
    }
  }
  send({ seq, result: RESULTS[request.cmd] || {} });
});
`;

/** Writes the fake to a temp dir; returns the command line for `cmd:` and the dir. */
export async function fake(mode: Misbehaviour, target = ''): Promise<{ command: string; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-fake-'));
  await writeFile(path.join(dir, 'fake.cjs'), SCRIPT);
  return { command: `node fake.cjs ${mode} ${target}`, dir };
}

/**
 * True while a process with this id runs. A zombie (state Z: dead, not yet reaped, which for an
 * orphan is up to an init that in a container may reap late) runs nothing: not alive.
 */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = procStat(pid);
  if (stat === undefined) return !existsSync('/proc/self/stat'); // gone since the kill above, or no /proc to ask
  return stat.field(3) !== 'Z';
}
