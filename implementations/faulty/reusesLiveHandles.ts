/**
 * `faulty:reusesLiveHandles`. The lie: GPADL handles come from a counter that wraps after four
 * values (0xE1E10 to 0xE1E13) without asking which handles are still live, so the fifth GPADL of a
 * connection gets the handle of the first while that one still lives.
 *
 * Must be caught by CREATE-10 (no two live GPADLs of a connection share a handle). The first four
 * handles are the reference model's, so the handle-value rule CREATE-11 does not see it.
 */
import { gpadlHandle, type GpadlHandle } from '../../src/contract/handles.js';
import { FIRST_GPADL_HANDLE, GpadlHandleAllocator } from '../../src/model/GpadlHandleAllocator.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-10'] as const;

const HANDLE_SPACE = 4;

class WrappingAllocator extends GpadlHandleAllocator {
  private issued = 0;

  /** Never asks `isLive`. */
  override allocate(): GpadlHandle {
    return gpadlHandle(FIRST_GPADL_HANDLE + (this.issued++ % HANDLE_SPACE));
  }
}

class ReusesLiveHandles extends ReferenceVmbus {
  protected override createHandleAllocator(): GpadlHandleAllocator {
    return new WrappingAllocator();
  }
}

export default faulty('reusesLiveHandles', 'a new GPADL may get the handle of a live one', catches, (options) => new ReusesLiveHandles(options));
