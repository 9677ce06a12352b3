/**
 * Model-based properties of the reference VMBus: random sequences of GPADL calls, valid and
 * invalid, against a small independent oracle (test/model/_helpers/gpadlRun.ts), with every
 * invariant checked after every step:
 *
 *  1. no operation throws;
 *  2. at most one mapping per GPADL: map succeeds exactly when the oracle says the GPADL is live,
 *     not mapped, not being deleted, of this channel and (for a write map) not read-only;
 *  3. handles are never 0 and never issued twice; a deleted handle is never valid again;
 *  4. an MDL describes exactly its pages (PFNs, byte offset, byte count), a mapped one its GPADL's;
 *  5. a delete of a mapped GPADL is pending until the unmap, else complete at once (on a rescinded
 *     channel it completes at once, G7); a buffer is locked while a live, pending-create or
 *     pending-delete GPADL describes it and unlocked once none was created over it (the stricter
 *     "locked only while described", G22, is its own property below);
 *  6. bytes written through a mapped MDL are read back from the buffer, and the other way round;
 *  7. a failed call is not NT_SUCCESS, returns the code README "Choices" names, and no out-parameter;
 *
 * plus the violations the void functions record (G1, G3, G5, G7) and the endpoint states.
 *
 * With capability hostControl the sequences also steer the host (docs/protocol.md "A host that
 * refuses or is slow", README choice G29): directives that refuse or hold back GPADLs (the
 * ring-buffer GPADL of an open included) or refuse opens, late answers, rescinds while creates wait,
 * and createOutcome; the oracle predicts every status, operation state, outcome and handle value
 * (G14), and the buffer locks of creates that pend or fail.
 *
 * Reproduce a failure with FC_SEED=<seed> (and FC_RUNS=<n>); the failure message lists the shrunk
 * command sequence with what each call returned.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import type { HostToGuestMessage } from '../../src/protocol/messages.js';
import {
  formatStatus,
  gpadlFlags,
  gpadlHandle,
  hex,
  mdlHandle,
  ntSuccess,
  STATUS_DEVICE_BUSY,
  STATUS_DEVICE_REMOVED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
  type BufferHandle,
  type EndpointHandle,
  type GpadlFlags,
  type GpadlHandle,
  type MdlHandle,
} from '../../src/contract/index.js';
import { flagsArb, hostScenarioArb, scenarioArb, showCmd, type Scenario } from './_helpers/gpadlCommands.js';
import { GpadlRun, type RunOptions } from './_helpers/gpadlRun.js';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 0x6a0d1;
const RUNS = process.env.FC_RUNS !== undefined ? Number(process.env.FC_RUNS) : 200;
const FIRST_GPADL_HANDLE = 0xe1e10;

function runScenario(scenario: Scenario, options: RunOptions, stats?: Map<string, number>): void {
  const run = new GpadlRun(options);
  run.setup(scenario.buffers, scenario.chain);
  for (const cmd of scenario.cmds) run.run(cmd);
  if (stats !== undefined) for (const [key, n] of run.stats) stats.set(key, (stats.get(key) ?? 0) + n);
}

/** fast-check prints the scenario; this makes the command list in it read as calls. */
function printable(scenario: Scenario): Scenario {
  const cmds = scenario.cmds.map((cmd) => Object.assign(Object.create({ [fc.toStringMethod]: () => showCmd(cmd) }), cmd));
  return { ...scenario, cmds };
}

/** Scenarios with and without the host steered, half and half. */
const anyScenarioArb = fc.oneof(scenarioArb, hostScenarioArb);

function printStats(stats: ReadonlyMap<string, number>): void {
  if (process.env.FC_STATS !== undefined) console.log([...stats].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${String(n).padStart(6)}  ${key}`).join('\n'));
}

function hitsIn(stats: ReadonlyMap<string, number>): (prefix: string) => number {
  return (prefix) => [...stats].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
}

describe('GPADL API: model-based properties of the reference VMBus', () => {
  it(`keeps invariants 1–7 over random valid and invalid call sequences (seed ${SEED}, ${RUNS} runs)`, () => {
    const stats = new Map<string, number>();
    fc.assert(
      fc.property(scenarioArb.map(printable), (scenario) => runScenario(scenario, { trace: false }, stats)),
      { seed: SEED, numRuns: RUNS },
    );
    printStats(stats);
    // Guard against a vacuous property: the interesting paths were taken many times.
    const hits = hitsIn(stats);
    expect(hits('createBuf:STATUS_SUCCESS')).toBeGreaterThan(100);
    expect(hits('createMdl:STATUS_SUCCESS')).toBeGreaterThan(50);
    expect(hits('map:STATUS_SUCCESS')).toBeGreaterThan(100);
    expect(hits('map:STATUS_DEVICE_BUSY')).toBeGreaterThan(10);
    expect(hits('map:STATUS_ACCESS_DENIED')).toBeGreaterThan(10);
    expect(hits('delete:pending')).toBeGreaterThan(20);
    expect(hits('unmap:unmapped')).toBeGreaterThan(50);
    expect(hits('writeMdl:STATUS_SUCCESS')).toBeGreaterThan(20);
    expect(hits('disable:rescinded')).toBeGreaterThan(10);
    expect(hits('disable:closed')).toBeGreaterThan(10);
    expect(hits('cleanup:freed')).toBeGreaterThan(5);
  });

  it(`keeps them when the host refuses, holds back and answers late (hostControl, G14, G29; seed ${SEED + 4}, ${RUNS} runs)`, () => {
    const stats = new Map<string, number>();
    fc.assert(
      fc.property(hostScenarioArb.map(printable), (scenario) => runScenario(scenario, { trace: false }, stats)),
      { seed: SEED + 4, numRuns: RUNS },
    );
    printStats(stats);
    // Guard against a vacuous property: the host's refusals and late answers met creates, opens and rescinds.
    const hits = hitsIn(stats);
    expect(hits('hostDirect:refuseGpadl')).toBeGreaterThan(50);
    expect(hits('hostDirect:deferGpadl')).toBeGreaterThan(50);
    expect(hits('hostDirect:refuseOpen')).toBeGreaterThan(30);
    expect(hits('hostDirect:STATUS_INVALID_DEVICE_STATE')).toBeGreaterThan(5);
    expect(hits('createBuf:STATUS_UNSUCCESSFUL') + hits('createMdl:STATUS_UNSUCCESSFUL')).toBeGreaterThan(20);
    expect(hits('createBuf:STATUS_PENDING')).toBeGreaterThan(15);
    expect(hits('createMdl:STATUS_PENDING')).toBeGreaterThan(5);
    expect(hits('pending create:STATUS_SUCCESS')).toBeGreaterThan(7);
    expect(hits('pending create:STATUS_DEVICE_REMOVED')).toBeGreaterThan(2);
    expect(hits('hostAnswer:STATUS_SUCCESS')).toBeGreaterThan(8);
    expect(hits('hostAnswer:STATUS_INVALID_DEVICE_STATE')).toBeGreaterThan(50);
    expect(hits('map:STATUS_INVALID_PARAMETER (create pending)')).toBeGreaterThan(2);
    expect(hits('delete:completed (h is not created yet')).toBeGreaterThan(0);
    expect(hits('open:refused')).toBeGreaterThan(5);
    expect(hits('open:ring GPADL refused')).toBeGreaterThan(5);
    expect(hits('open:ring GPADL held back')).toBeGreaterThan(5);
    expect(hits('open:ring GPADL answered late')).toBeGreaterThan(1);
    expect(hits('open:ring GPADL rescinded while held back')).toBeGreaterThan(0);
    expect(hits('revoke:directives dropped')).toBeGreaterThan(10);
    expect(hits('createOutcome:STATUS_INVALID_PARAMETER')).toBeGreaterThan(20);
    expect(hits('createBuf:STATUS_SUCCESS')).toBeGreaterThan(100);
    expect(hits('map:STATUS_SUCCESS')).toBeGreaterThan(40);
  });

  it('keeps them with the trace on, and the trace agrees (calls pair with returns, refused creates send nothing, create returns after GPADL_CREATED, a pending one returns nothing)', () => {
    fc.assert(
      fc.property(anyScenarioArb.map(printable), (scenario) => runScenario(scenario, { trace: true })),
      { seed: SEED + 1, numRuns: Math.max(1, Math.ceil(RUNS / 5)) },
    );
  });

  /**
   * The contract's `BufferDescription.locked` says "a live GPADL describes it", and choice G22 locks
   * only the buffers of an MDL chain that the described bytes lie in; a create the host holds back
   * describes its buffers too while it waits (docs/protocol.md, hostControl).
   */
  it('locks only the buffers a live, pending-create or pending-delete GPADL describes (contract BufferDescription.locked, G22)', () => {
    fc.assert(
      fc.property(anyScenarioArb.map(printable), (scenario) => runScenario(scenario, { trace: false, locks: 'strict' })),
      { seed: SEED + 3, numRuns: RUNS },
    );
  });

  /** Sanity check of the oracle itself: seeded bugs in a wrapped reference model must be caught. */
  describe('catches seeded bugs', () => {
    /** `host`: the mutant differs only where the host is steered (hostControl), so it runs the host scenarios. */
    const mutants: Record<string, { invariant: RegExp; make: () => ReferenceVmbus; host?: true }> = {
      'a second map while mapped succeeds': {
        invariant: /invariant 2/,
        make: () =>
          new (class extends ReferenceVmbus {
            override mapGpadl(...args: Parameters<ReferenceVmbus['mapGpadl']>) {
              const result = super.mapGpadl(...args);
              return result.status === STATUS_DEVICE_BUSY ? { status: STATUS_SUCCESS, mdl: mdlHandle(0x2000) } : result;
            }
          })({ trace: false }),
      },
      'delete reports completed while mapped': {
        invariant: /invariant 5/,
        make: () =>
          new (class extends ReferenceVmbus {
            override deleteGpadl(...args: Parameters<ReferenceVmbus['deleteGpadl']>) {
              return { ...super.deleteGpadl(...args), state: 'completed' as const };
            }
          })({ trace: false }),
      },
      'create ignores undefined flag bits': {
        invariant: /invariant 7/,
        make: () =>
          new (class extends ReferenceVmbus {
            override createGpadlFromBuffer(endpoint: EndpointHandle, flags: GpadlFlags, buffer: BufferHandle, byteCount: number) {
              return super.createGpadlFromBuffer(endpoint, gpadlFlags(flags & 1), buffer, byteCount);
            }
          })({ trace: false }),
      },
      'create from MDL ignores the start offset': {
        invariant: /invariant [457]/,
        make: () =>
          new (class extends ReferenceVmbus {
            override createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, _startOffset: number, length: number) {
              return super.createGpadlFromMdl(endpoint, flags, mdl, 0, length === 0 ? 0 : length);
            }
          })({ trace: false }),
      },
      'readMdl returns a stale last byte': {
        invariant: /invariant 6/,
        make: () =>
          new (class extends ReferenceVmbus {
            override readMdl(mdl: MdlHandle, offset: number, length: number) {
              const result = super.readMdl(mdl, offset, length);
              if (result.data !== undefined && length > 0) result.data[length - 1] = 0;
              return result;
            }
          })({ trace: false }),
      },
      'unmap does nothing': {
        invariant: /invariant 5|violations/,
        make: () =>
          new (class extends ReferenceVmbus {
            override unmapGpadl(): void {}
          })({ trace: false }),
      },
      // As faulty:guestTreatsRefusalAsCreated: the guest ignores GPADL_CREATED's creation status.
      'the guest takes a refused GPADL for created (G29)': {
        host: true,
        invariant: /invariant 7 \/ create: createGpadlFrom(Buffer|Mdl) succeeded but must fail|endpoints/,
        make: () =>
          new (class extends ReferenceVmbus {
            constructor() {
              super({ trace: false });
              const receive = this.guest.receive.bind(this.guest);
              this.guest.receive = (message: HostToGuestMessage): void => receive(message.type === 'GPADL_CREATED' ? { ...message, creationStatus: 0 } : message);
            }
          })(),
      },
      'a create the host holds back does not wait (G29)': {
        host: true,
        invariant: /invariant 7 \/ create/,
        make: () =>
          new (class extends ReferenceVmbus {
            override createGpadlFromMdl(...args: Parameters<ReferenceVmbus['createGpadlFromMdl']>) {
              const result = super.createGpadlFromMdl(...args);
              return result.status === STATUS_PENDING ? { status: STATUS_UNSUCCESSFUL } : result;
            }
          })({ trace: false }),
      },
      'createOutcome says STATUS_PENDING after a rescind failed the create (G29)': {
        host: true,
        invariant: /G29 \(createOutcome\)/,
        make: () =>
          new (class extends ReferenceVmbus {
            override createOutcome(...args: Parameters<ReferenceVmbus['createOutcome']>) {
              const result = super.createOutcome(...args);
              return result.status === STATUS_DEVICE_REMOVED ? { status: STATUS_PENDING } : result;
            }
          })({ trace: false }),
      },
      // As faulty:guestCreateOutlivesRescind: a rescind does not wake the creates that wait for GPADL_CREATED.
      'a create still waiting at a rescind waits for ever (G29)': {
        host: true,
        invariant: /G29 \(create pending until the host answers\)|invariant 5 \(buffer unlocked/,
        make: () =>
          new (class extends ReferenceVmbus {
            constructor() {
              super({ trace: false });
              const guest = this.guest;
              const receive = guest.receive.bind(guest);
              guest.receive = (message: HostToGuestMessage): void => {
                if (message.type === 'GPADL_CREATED' && guest.isRescinded(message.childRelid)) return;
                if (message.type !== 'RESCIND_CHANNELOFFER') return receive(message);
                const waiting = [...guest.gpadls].filter(([, g]) => g.channel === message.childRelid && g.state.kind === 'Creating');
                for (const [handle] of waiting) guest.gpadls.delete(handle);
                receive(message);
                for (const [handle, g] of waiting) guest.gpadls.set(handle, g);
              };
            }
          })(),
      },
      'createOutcome of a create answered late has no handle (G29)': {
        host: true,
        invariant: /G29 \(createOutcome\)/,
        make: () =>
          new (class extends ReferenceVmbus {
            override createOutcome(...args: Parameters<ReferenceVmbus['createOutcome']>) {
              const result = super.createOutcome(...args);
              return result.status === STATUS_SUCCESS ? { status: STATUS_SUCCESS, gpadl: gpadlHandle(result.gpadl! + 1) } : result;
            }
          })({ trace: false }),
      },
      'the host forgets refuseOpen': {
        host: true,
        invariant: /endpoints: [CS]\d is Opened, expected (Enabled|Closed)/,
        make: () =>
          new (class extends ReferenceVmbus {
            override hostDirect(...args: Parameters<ReferenceVmbus['hostDirect']>) {
              const status = super.hostDirect(...args);
              if (status === STATUS_SUCCESS && args[1] === 'refuseOpen') this.host.channel(this.endpointInfo(args[0]).info!.channelId!)!.directives.pop();
              return status;
            }
          })({ trace: false }),
      },
    };
    for (const [name, { invariant, make, host }] of Object.entries(mutants)) {
      it(name, () => {
        const details = fc.check(
          fc.property(host ? hostScenarioArb : scenarioArb, (scenario) => runScenario(scenario, { trace: false, implementation: make })),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
        expect(details.failed, `mutant "${name}" survived ${RUNS} runs`).toBe(true);
        expect(String(details.errorInstance)).toMatch(invariant);
      });
    }
  });

  it('issues handles in strictly increasing order from 0xE1E10, one per GPADL_HEADER, ring-buffer GPADLs included (G14)', () => {
    const cmdArb = fc.oneof(
      { weight: 10, arbitrary: fc.record({ op: fc.constant('create' as const), pair: fc.nat(1), server: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), flags: flagsArb, count: fc.integer({ min: 0, max: 3 * 4096 }) }) },
      { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), pair: fc.nat(1), i: fc.nat(8) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('reopenClient' as const), pair: fc.nat(1) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('reopenServer' as const), pair: fc.nat(1) }) },
    );
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 40 }), (cmds) => {
        const vmbus = new ReferenceVmbus({ trace: false });
        const log: string[] = [];
        const check = (ok: boolean, what: string): void => {
          if (!ok) throw new Error(`${what}\n--- steps ---\n${log.join('\n')}`);
        };
        let expected = FIRST_GPADL_HANDLE;
        let last = 0;
        const issued = (h: GpadlHandle | null | undefined, what: string): void => {
          log.push(`  ${what} → ${h == null ? 'none' : hex(h)}`);
          check(h === expected, `${what}: handle ${h == null ? 'none' : hex(h)}, expected ${hex(expected)} (G14)`);
          check(h! > last, `${what}: handle ${hex(h!)} not above the previous ${hex(last)}`);
          last = h!;
          expected++;
        };
        const pairs: Array<{ server: EndpointHandle; client: EndpointHandle }> = [];
        const ringOf = (client: EndpointHandle): GpadlHandle | null | undefined => vmbus.endpointInfo(client).info?.ringGpadl;
        for (let p = 0; p < 2; p++) {
          const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
          const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
          pairs.push({ server, client });
          vmbus.enableChannel(server);
          vmbus.enableChannel(client);
          issued(ringOf(client), `open of channel ${p} (ring-buffer GPADL)`);
        }
        const buffer = vmbus.allocateBuffer({ byteCount: 2 * 4096 + 7, byteOffset: 100 }).buffer!;
        const created: GpadlHandle[] = [];
        for (const cmd of cmds) {
          const { server, client } = pairs[cmd.pair]!;
          if (cmd.op === 'create') {
            const result = vmbus.createGpadlFromBuffer(cmd.server ? server : client, gpadlFlags(cmd.flags), buffer, cmd.count);
            const what = `createGpadlFromBuffer(${cmd.server ? 'S' : 'C'}${cmd.pair}, ${hex(cmd.flags)}, ${cmd.count}) = ${formatStatus(result.status)}`;
            if (ntSuccess(result.status)) {
              issued(result.gpadl, what);
              created.push(result.gpadl!);
            } else {
              log.push(`  ${what}`);
              check(result.gpadl === undefined, `${what} returned a handle`);
            }
          } else if (cmd.op === 'delete') {
            const h = created.length === 0 ? undefined : created[created.length - 1 - (cmd.i % created.length)]!;
            if (h !== undefined) vmbus.deleteGpadl(client, h);
            log.push(`  deleteGpadl(C${cmd.pair}, ${h === undefined ? '-' : hex(h)})`);
          } else {
            const before = ringOf(client);
            if (cmd.op === 'reopenServer') {
              vmbus.disableChannel(server);
              check(vmbus.enableChannel(server) === STATUS_SUCCESS, `re-enable of S${cmd.pair} failed`);
            } else vmbus.disableChannel(client);
            check(vmbus.enableChannel(client) === STATUS_SUCCESS, `re-enable of C${cmd.pair} failed`);
            const after = ringOf(client);
            check(after !== before, `${cmd.op}(${cmd.pair}) kept ring ${String(before)}`);
            issued(after, `${cmd.op}(${cmd.pair}) (new ring-buffer GPADL)`);
          }
        }
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });
});
