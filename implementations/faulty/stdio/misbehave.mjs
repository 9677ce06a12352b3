#!/usr/bin/env node
/**
 * `misbehave.mjs`: a plug-in that breaks the protocol on purpose (Bowtie's "fauxmplementations").
 *
 * It runs the reference model behind `vmbus-conformance-serve inproc:reference`
 * (`dist/src/cli/serve.js`, so build first) and passes the JSON lines through in both directions,
 * except for ONE fault, chosen on the command line:
 *
 *   --crash-on <cmd>        when a <cmd> request arrives: a line to standard error, then exit 3
 *   --hang-on <cmd>         when a <cmd> request arrives: never answer it, nor anything after it
 *   --garbage-on <cmd>      answer a <cmd> request with a line that is not JSON
 *   --wrong-seq-on <cmd>    answer a <cmd> request with the right response under another `seq`
 *   --protocol-version <n>  answer `hello` claiming protocol version <n>
 *
 * <cmd> is a protocol command name (docs/protocol.md), e.g. `setRingBufferPageCount` or `hello`.
 * Use it as `cmd:node implementations/faulty/stdio/misbehave.mjs --crash-on mapGpadl`. The
 * harness must report every scenario that meets the fault as an error, never as a failure, and go
 * on with the run (test/selftest/zoo.test.ts checks that it does).
 *
 * Plain Node.js ESM, no build of its own; exit code 64 (EX_USAGE) for a bad command line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const FAULTS = ['--crash-on', '--hang-on', '--garbage-on', '--wrong-seq-on', '--protocol-version'];
const USAGE = `usage: misbehave.mjs (${FAULTS.map((f) => `${f} <${f === '--protocol-version' ? 'n' : 'cmd'}>`).join(' | ')})`;

function usage(problem) {
  process.stderr.write(`misbehave: ${problem}\n${USAGE}\n`);
  process.exit(64);
}

const [fault, argument, ...rest] = process.argv.slice(2);
if (fault === undefined || !FAULTS.includes(fault)) usage(fault === undefined ? 'no fault given' : `unknown fault ${fault}`);
if (argument === undefined || argument === '') usage(`${fault} needs an argument`);
if (rest.length > 0) usage('exactly one fault at a time');
const claimedVersion = fault === '--protocol-version' ? Number(argument) : undefined;
if (claimedVersion !== undefined && !Number.isInteger(claimedVersion)) usage(`--protocol-version needs an integer, got ${argument}`);
/** The command the fault is about. */
const target = fault === '--protocol-version' ? 'hello' : argument;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const server = spawn(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'serve.js'), 'inproc:reference'], {
  cwd: root,
  stdio: ['pipe', 'pipe', 'inherit'],
});
server.on('error', (error) => {
  process.stderr.write(`misbehave: cannot start the reference server: ${error.message}\n`);
  process.exit(70);
});
// 'close', not 'exit': the server's last answers (to `shutdown`) are forwarded before this process ends.
server.on('close', (code, signal) => process.exit(code ?? (signal === null ? 0 : 70)));

/** The command of every request forwarded and not yet answered, by seq. */
const pending = new Map();
let hung = false;

const send = (line) => process.stdout.write(`${line}\n`);

function parse(line) {
  try {
    const value = JSON.parse(line);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

// Harness -> server.
createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    if (hung) return;
    const request = parse(line);
    const cmd = request?.cmd;
    if (cmd === target && fault === '--crash-on') {
      process.stderr.write(`misbehave: crashing on ${cmd} (seq ${request.seq}), as --crash-on told me to\n`);
      server.kill();
      process.exit(3);
    }
    if (cmd === target && fault === '--hang-on') {
      process.stderr.write(`misbehave: hanging on ${cmd} (seq ${request.seq}), as --hang-on told me to\n`);
      hung = true;
      return;
    }
    if (cmd === target && fault === '--garbage-on') {
      send(`misbehave: this is not JSON, and it is the answer to ${cmd} (seq ${request.seq})`);
      return;
    }
    // Everything else goes to the server; --wrong-seq-on and --protocol-version act on the answer.
    if (request !== undefined && typeof request.seq === 'number') pending.set(request.seq, cmd);
    server.stdin.write(`${line}\n`);
  })
  .on('close', () => server.stdin.end());

// Server -> harness.
createInterface({ input: server.stdout, crlfDelay: Infinity }).on('line', (line) => {
  const response = parse(line);
  const seq = response?.seq;
  const cmd = pending.get(seq);
  pending.delete(seq);
  if (cmd !== target || response === undefined) return send(line);
  if (fault === '--wrong-seq-on') return send(JSON.stringify({ ...response, seq: seq + 1000 }));
  if (fault === '--protocol-version' && response.result !== undefined) {
    return send(JSON.stringify({ ...response, result: { ...response.result, protocol: claimedVersion } }));
  }
  send(line);
});
