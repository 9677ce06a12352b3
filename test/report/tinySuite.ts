/**
 * A tiny real Cucumber suite in a temp directory: its own features and a plain-JS step file,
 * run through the same API wrapper the CLI uses. Shared by the report and CLI tests.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Steps that pass, fail through node:assert, throw a plain Error, and a capability hook that skips. */
export const TINY_STEPS = `
import { Before, Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';

// What a capability hook does when the implementation lacks one.
Before({ tags: '@requires:mdl' }, function () { return 'skipped'; });

Given('a step that passes', function () {});
Then('an assertion fails with {string}', function (message) { assert.ok(false, message); });
Then('values {int} and {int} are equal', function (a, b) { assert.strictEqual(a, b); });
Then('a plain error is thrown', function () { throw new Error('the implementation crashed'); });
Then('a type error is thrown', function () { null.boom(); });
Then('a step is pending', function () { return 'pending'; });
Then('an ambiguous step', function () {});
Then(/^an ambiguous/, function () {});
`;

/** One rule per verdict case. Lines matter to nothing but the outline's example test. */
export const TINY_FEATURE = `Feature: Tiny conformance

  @PASS-01 @normative @half:guest @spec:KMCL-MAP-1
  Rule: Everything passes | with a pipe
    Source: https://example.com/pass
    Both scenarios pass.

    Scenario: first passes
      Given a step that passes

    Scenario: second passes
      Given a step that passes

  @FAIL-01 @normative @half:guest @choice:G4 @spec:KMCL-MAP-6 @spec:NO-SUCH-1
  Rule: An assertion fails
    Source: vmbus.h

    Scenario: passes anyway
      Given a step that passes

    Scenario: assertion fails
      Given a step that passes
      Then an assertion fails with "expected STATUS_SUCCESS | got *STATUS_BUSY*"

  @ERR-01 @normative @half:guest
  Rule: A plain error
    Source: https://example.com/err

    Scenario: the implementation throws
      Given a step that passes
      Then a plain error is thrown

    Scenario: this one passes
      Given a step that passes

  @TYPE-01 @reference @half:guest
  Rule: A type error
    Source: https://example.com/type

    Scenario: a TypeError
      Then a type error is thrown

  @UND-01 @reference @half:guest
  Rule: An undefined step
    Source: https://example.com/undefined

    Scenario: nobody wrote this step
      Given a step nobody defined

  @PEN-01 @reference @half:guest
  Rule: A pending step
    Source: https://example.com/pending

    Scenario: still pending
      Then a step is pending

  @AMB-01 @reference @half:guest
  Rule: An ambiguous step
    Source: https://example.com/ambiguous

    Scenario: two definitions
      Then an ambiguous step

  @NA-01 @normative @half:guest @requires:mdl
  Rule: Needs a capability
    Source: https://example.com/mdl

    Scenario: skipped by the hook
      Given a step that passes

  @MIX-01 @normative @half:guest
  Rule: One scenario not applicable, one passing
    Source: https://example.com/mix

    @requires:mdl
    Scenario: skipped
      Given a step that passes

    Scenario: passes
      Given a step that passes

  @OUT-01 @reference @half:guest
  Rule: An outline with a failing example
    Source: https://example.com/outline

    Scenario Outline: equal <a> and <b>
      Then values <a> and <b> are equal

      Examples:
        | a | b |
        | 1 | 1 |
        | 2 | 3 |

  @FLT-01 @reference @half:guest
  Rule: Filtered out
    Source: https://example.com/filtered

    @filtered
    Scenario: never runs
      Given a step that passes
`;

/** The line of the failing example row (`| 2 | 3 |`) in TINY_FEATURE. */
export const FAILING_EXAMPLE_LINE = TINY_FEATURE.split('\n').findIndex((l) => l.includes('| 2 | 3 |')) + 1;

/** Collects what is written to it. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface TinySuiteFiles {
  /** Relative path → content; features and step files. */
  readonly [file: string]: string;
}

/** A temp directory with the files and a `node_modules` link to the project's. */
export async function makeTinySuite(files: TinySuiteFiles): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmbus-tiny-'));
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return dir;
}

export async function removeTinySuite(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
