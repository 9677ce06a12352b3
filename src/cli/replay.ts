/**
 * Cucumber's own HTML and JUnit reports rendered again from a message stream, with the same
 * formatter plugins Cucumber used when it ran (`@cucumber/cucumber`'s `html` formatter and
 * `@cucumber/junit-xml-formatter`, resolved from Cucumber's own dependencies): for `merge`, whose
 * stream is the shards' streams combined, and for a run that had to be abandoned before Cucumber
 * wrote them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { writeFileAtomic } from '../report/atomic.js';

interface FormatterPlugin {
  readonly type: 'formatter';
  readonly optionsKey?: string;
  formatter(context: {
    on: (event: string, handler: (value: Envelope) => void) => void;
    options: Record<string, unknown>;
    logger: Console;
    stream: NodeJS.WritableStream | undefined;
    write: (chunk: string | Uint8Array) => void;
    directory: string | undefined;
  }): void | (() => unknown) | Promise<void | (() => unknown)>;
}

const require = createRequire(import.meta.url);

function cucumberRequire(): NodeRequire {
  return createRequire(require.resolve('@cucumber/cucumber'));
}

function loadPlugin(kind: 'html' | 'junit'): FormatterPlugin {
  const cucumber = cucumberRequire();
  if (kind === 'html') return (cucumber('@cucumber/cucumber/lib/formatter/builtin/html') as { default: FormatterPlugin }).default;
  return (cucumber('@cucumber/junit-xml-formatter') as { default: FormatterPlugin }).default;
}

/** Feeds `envelopes` through a formatter plugin and returns what it wrote. */
export async function renderWithFormatter(kind: 'html' | 'junit', envelopes: readonly Envelope[]): Promise<string> {
  const plugin = loadPlugin(kind);
  const chunks: Buffer[] = [];
  const handlers: ((value: Envelope) => void)[] = [];
  const cleanup = await plugin.formatter({
    on: (event, handler) => {
      if (event === 'message') handlers.push(handler);
    },
    options: {},
    logger: console,
    stream: undefined,
    write: (chunk) => void chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk)),
    directory: undefined,
  });
  for (const envelope of envelopes) for (const handler of handlers) handler(envelope);
  if (typeof cleanup === 'function') await cleanup();
  return Buffer.concat(chunks).toString('utf8');
}

/** The NDJSON text of a message stream, one envelope per line. */
export function renderMessages(envelopes: readonly Envelope[]): string {
  return envelopes.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/**
 * The stream as the formatters need it: they write their report at `testRunFinished`, which a run
 * abandoned in the middle lacks, so one is added (not successful, saying why) for them alone.
 */
function finishedForFormatters(envelopes: readonly Envelope[]): readonly Envelope[] {
  if (envelopes.some((e) => e.testRunFinished !== undefined)) return envelopes;
  const started = envelopes.find((e) => e.testRunStarted !== undefined)?.testRunStarted;
  const now = Date.now();
  return [
    ...envelopes,
    {
      testRunFinished: {
        success: false,
        message: 'the run was stopped before it finished',
        timestamp: { seconds: Math.floor(now / 1000), nanos: (now % 1000) * 1e6 },
        ...(started !== undefined ? { testRunStartedId: started.id } : {}),
      },
    },
  ];
}

/**
 * Writes messages.ndjson, cucumber.html and junit.xml into `outDir` from `envelopes`, each
 * atomically. The messages are written as they are; the HTML and JUnit reports are complete
 * documents also for a stream that ends early.
 */
export async function writeCucumberReports(envelopes: readonly Envelope[], outDir: string, files: { readonly message: string; readonly html: string; readonly junit: string }): Promise<void> {
  await writeFileAtomic(path.join(outDir, files.message), renderMessages(envelopes));
  const finished = finishedForFormatters(envelopes);
  await writeFileAtomic(path.join(outDir, files.html), await renderWithFormatter('html', finished));
  await writeFileAtomic(path.join(outDir, files.junit), await renderWithFormatter('junit', finished));
}
