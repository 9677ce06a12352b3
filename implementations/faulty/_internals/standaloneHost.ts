/**
 * For fakes whose lie is the `wireHost` host's (the host the `host*` methods drive, whole or as a
 * host half): the reference model with that host made by `create`, a subclass of the reference
 * host with one behaviour broken.
 */
import { HostVmbus, StandaloneHost, type HostListener } from '../../../src/model/HostVmbus.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../../src/model/ReferenceVmbus.js';
import type { Sideband } from '../../../src/model/Sideband.js';
import type { Wire } from '../../../src/model/Wire.js';

export function withStandaloneHost(create: (wire: Wire, sideband: Sideband, listener: HostListener) => HostVmbus): (options?: ReferenceOptions) => ReferenceVmbus {
  class WithFaultyHost extends ReferenceVmbus {
    protected override createStandaloneHost(): StandaloneHost {
      return new StandaloneHost(create);
    }
  }
  return (options) => new WithFaultyHost(options);
}
