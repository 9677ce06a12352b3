/**
 * A deliberately broken half for validate-protocol: a small Node script, written to a temp dir,
 * that stands in front of the served reference model (`dist/src/cli/serve.js inproc:reference`),
 * passes every line through, and breaks a few answers on the way back: its `hello` says it serves
 * both halves and not the whole (`whole: false`); `guest.bindChannel` answers a result with a
 * property no schema allows; `host.enableChannel` answers its OFFERCHANNEL with a character that is no hex digit.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../adapters/_stdioFake.js';

const SCRIPT = String.raw`
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const served = spawn(process.execPath, [process.argv[2], 'inproc:reference'], { stdio: ['pipe', 'pipe', 'inherit'] });
const commands = new Map();
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  try {
    const request = JSON.parse(line);
    commands.set(request.seq, request.cmd);
  } catch {}
  served.stdin.write(line + '\n');
});
process.stdin.on('end', () => served.stdin.end());
readline.createInterface({ input: served.stdout }).on('line', (line) => {
  const response = JSON.parse(line);
  const cmd = commands.get(response.seq);
  if (cmd === 'hello') response.result.whole = false;
  if (cmd === 'guest.bindChannel' && response.result) response.result.debug = true;
  if (cmd === 'host.enableChannel' && response.events) response.events[0].send += 'Z';
  process.stdout.write(JSON.stringify(response) + '\n');
});
// 'close', not 'exit': the server's last answers (to shutdown) are passed on before this process ends.
served.on('close', (code) => process.exit(code ?? 0));
`;

/** Writes the broken half to a temp dir; returns the command line for `cmd:` and the dir. */
export async function brokenHalf(): Promise<{ command: string; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-broken-half-'));
  await writeFile(path.join(dir, 'broken-half.cjs'), SCRIPT);
  return { command: `node broken-half.cjs ${JSON.stringify(path.join(ROOT, 'dist/src/cli/serve.js'))}`, dir };
}
