/**
 * The migration of one scenario (capability `migration`): starts, finishes, the last report and
 * snapshot reads, through the contract only. Kept beside the World, one per World.
 */
import assert from 'node:assert/strict';
import { formatStatus, hex, ntSuccess, type MigrationReport, type NtStatus } from '../../src/contract/index.js';
import type { VmbusWorld } from './world.js';

class MigrationDriver {
  private report: MigrationReport | undefined;

  constructor(private readonly world: VmbusWorld) {}

  private get impl() {
    const { migrationBegin, migrationFinish, readSnapshot } = this.world.impl;
    assert.ok(migrationBegin !== undefined && migrationFinish !== undefined && readSnapshot !== undefined, 'the implementation claims migration but lacks its methods');
    return { begin: migrationBegin.bind(this.world.impl), finish: migrationFinish.bind(this.world.impl), read: readSnapshot.bind(this.world.impl) };
  }

  async begin(): Promise<NtStatus> {
    return this.world.record('migration start', await this.impl.begin());
  }

  async finish(): Promise<NtStatus> {
    const result = await this.impl.finish();
    this.report = result.report;
    return this.world.record('migration finish', result.status);
  }

  /** The report of the last finish, which must have succeeded. */
  lastReport(): MigrationReport {
    this.world.expectSuccess('migration finish');
    assert.ok(this.report !== undefined, 'the migration finished without a report');
    return this.report;
  }

  /** Reads the snapshot, recording the status as a "snapshot read". */
  async read(buffer: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    const result = await this.impl.read(this.world.buffer(buffer), offset, length);
    this.world.record('snapshot read', result.status);
    return result.data;
  }

  /** The saved bytes, which must be readable. */
  async saved(buffer: string, offset: number, length: number): Promise<Uint8Array> {
    const data = await this.read(buffer, offset, length);
    const status = this.world.lastStatus('snapshot read');
    assert.ok(ntSuccess(status) && data !== undefined && data.length === length, `cannot read the snapshot of buffer "${buffer}": ${formatStatus(status)}`);
    return data;
  }
}

const drivers = new WeakMap<VmbusWorld, MigrationDriver>();

export function migration(world: VmbusWorld): MigrationDriver {
  let driver = drivers.get(world);
  if (driver === undefined) drivers.set(world, (driver = new MigrationDriver(world)));
  return driver;
}

/** The pages of a report list, in hex, as the World names buffer pages. */
export const pagesOf = (list: readonly number[]): Set<string> => new Set(list.map(hex));
