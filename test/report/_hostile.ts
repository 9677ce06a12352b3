/**
 * The worst strings an implementation can send, and a fake implementation that sends them: a
 * proxy in front of the served reference model (`vmbus-conformance-serve inproc:reference`) that
 * puts them in its name, version and language, answers `errored` with them for `mapGpadl`, and
 * writes them to standard error before every answer.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './tinySuite.js';

/** One string with everything: CR alone, NUL, ESC, BEL, C1, bidi override, `]]>` thrice, pipes, backticks, HTML, Markdown line starters. */
export const HOSTILE =
  'a]]>b]]>]]>c\r<script>window.__pwned=1</script>\r\n# heading\n- item\n1. one\n> quote\n| x | y |\n|---|---|\n```\nfenced\n```\n' +
  '<img src=x onerror="window.__pwned=1"> <details open><summary>s</summary></details> [link](javascript:alert(1)) ' +
  '\u0000nul \u001b[31mred\u001b[0m \u0007bel \u009bcsi \u202eevil\u202c `tick` ``double`` ~~strike~~ *em* _em_ &lt;entity&gt; &#60;b&#62; $math$ \\back\r';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>|`name`|\r\u0000\u001b]0;title\u0007';
export const HOSTILE_VERSION = '1.0\r<script>alert(1)</script>]]>]]>';

const PROXY = String.raw`
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const [served, hostile, name, version] = JSON.parse(process.argv[2]);
const child = spawn('/bin/sh', ['-c', served], { stdio: ['pipe', 'pipe', 'inherit'] });
const pending = new Map();
readline.createInterface({ input: child.stdout }).on('line', (line) => {
  const response = JSON.parse(line);
  const cmd = pending.get(response.seq);
  pending.delete(response.seq);
  if (cmd === 'hello' && response.result) {
    response.result.implementation = { name, version, language: hostile.slice(0, 60) };
  }
  process.stdout.write(JSON.stringify(response) + '\n');
});
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line);
  process.stderr.write('stderr says: ' + hostile + '\n');
  if (request.cmd === 'mapGpadl') {
    return process.stdout.write(JSON.stringify({ seq: request.seq, errored: { message: hostile, traceback: hostile } }) + '\n');
  }
  pending.set(request.seq, request.cmd);
  child.stdin.write(line + '\n');
});
// Ends with the served model (at shutdown): once its pipes close, its answer to shutdown has been passed on.
child.on('close', () => process.exit(0));
process.stdin.on('end', () => { child.kill(); process.exit(0); });
`;

/** Writes the hostile fake; returns its `cmd:` spec. */
export async function hostileImplementation(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-hostile-'));
  await writeFile(path.join(dir, 'hostile.cjs'), PROXY);
  const served = `node ${JSON.stringify(path.join(PROJECT_ROOT, 'dist/src/cli/serve.js'))} inproc:reference`;
  const args = JSON.stringify([served, HOSTILE, HOSTILE_NAME, HOSTILE_VERSION]);
  return `cmd:node ${JSON.stringify(path.join(dir, 'hostile.cjs'))} '${args.replace(/'/g, `'\\''`)}'`;
}
