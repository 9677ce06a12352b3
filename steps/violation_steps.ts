/**
 * Misuse that a void KMCL function cannot report through a status, as the implementation recorded it.
 *
 * These steps run only where the implementation claims the `violations` capability (the scenarios
 * require it), whose contract is that `violations()` returns the misuse the void functions saw.
 * Which kind a misuse is recorded as is the reference model's choice (a plain assertion: an
 * implementation that records another kind made another choice); recording no violation at all
 * for the misuse contradicts the claimed capability: a {@link ContractAssertionError}, which counts
 * under every profile.
 */
import assert from 'node:assert/strict';
import { Then } from '@cucumber/cucumber';
import { hex, type ContractViolation, type Role, type ViolationKind } from '../src/contract/index.js';
import { ContractAssertionError } from './support/contractAssert.js';
import type { VmbusWorld } from './support/world.js';

/** Nothing recorded at all for a misuse: the claimed capability's contract is broken. */
function assertSomethingRecorded(all: readonly ContractViolation[], expected: string): void {
  if (all.length > 0) return;
  throw new ContractAssertionError(
    `no violation was recorded at all, where ${expected} was expected: the implementation claims the violations capability, whose contract is that violations() returns the misuse the void functions saw`,
  );
}

const describe = (violations: readonly ContractViolation[]): string =>
  violations.length === 0 ? 'none' : violations.map((v) => `${v.kind}${v.gpadl === undefined ? '' : ` (${hex(v.gpadl)})`}`).join(', ');

Then('a/an {violation} violation is recorded for {name}', async function (this: VmbusWorld, kind: ViolationKind, gpadl: string) {
  const handle = this.gpadl(gpadl).handle;
  const all = await this.violations();
  assertSomethingRecorded(all, `a ${kind} violation`);
  assert.ok(all.some((v) => v.kind === kind && v.gpadl === handle), `no ${kind} violation for "${gpadl}" (${hex(handle)}); recorded: ${describe(all)}`);
});

Then('a/an {violation} violation is recorded for GPADL handle {handle}', async function (this: VmbusWorld, kind: ViolationKind, handle: number) {
  const all = await this.violations();
  assertSomethingRecorded(all, `a ${kind} violation`);
  assert.ok(all.some((v) => v.kind === kind && v.gpadl === handle), `no ${kind} violation for ${hex(handle)}; recorded: ${describe(all)}`);
});

Then('a/an {violation} violation is recorded for the ring-buffer GPADL', async function (this: VmbusWorld, kind: ViolationKind) {
  const handle = this.ringGpadl();
  const all = await this.violations();
  assertSomethingRecorded(all, `a ${kind} violation`);
  assert.ok(all.some((v) => v.kind === kind && v.gpadl === handle), `no ${kind} violation for the ring-buffer GPADL; recorded: ${describe(all)}`);
});

Then('a/an {violation} violation is recorded for the {role} endpoint', async function (this: VmbusWorld, kind: ViolationKind, role: Role) {
  const endpoint = this.endpoint(role);
  const all = await this.violations();
  assertSomethingRecorded(all, `a ${kind} violation`);
  assert.ok(all.some((v) => v.kind === kind && v.endpoint === endpoint), `no ${kind} violation for the ${role} endpoint; recorded: ${describe(all)}`);
});

Then('no {violation} violation is recorded for the ring-buffer GPADL', async function (this: VmbusWorld, kind: ViolationKind) {
  const handle = this.ringGpadl();
  const all = await this.violations();
  assert.ok(!all.some((v) => v.kind === kind && v.gpadl === handle), `a ${kind} violation was recorded for the ring-buffer GPADL`);
});

Then('no violation is recorded', async function (this: VmbusWorld) {
  const all = await this.violations();
  assert.equal(all.length, 0, `violations were recorded: ${describe(all)}`);
});

Then('a/an {violation} violation is recorded', async function (this: VmbusWorld, kind: ViolationKind) {
  const all = await this.violations();
  assertSomethingRecorded(all, `a ${kind} violation`);
  assert.ok(all.some((v) => v.kind === kind), `no ${kind} violation; recorded: ${describe(all)}`);
});
