/**
 * `faulty:revokeLeavesHeldGpadlUnanswered`. The lie: when the host revokes a channel, a GPADL whose
 * acknowledgement it holds back gets no answer at all, instead of a failed GPADL_CREATED
 * (OPENVMM-CHANNELS-11). The guest fails its waiting create by itself at the rescind, so only the wire tells.
 *
 * Must be caught by WHOST-20 (a revoke refuses the GPADLs awaiting acknowledgement) and WIRE-19
 * (the guest then releases the channel with a GPADL request still unanswered).
 */
import type { ChannelId } from '../../src/contract/handles.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-20', 'WIRE-19'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-20'] as const;

class RevokeLeavesHeldGpadlUnanswered extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const host = this.host;
    const revoke = host.revoke.bind(host);
    host.revoke = (id: ChannelId): void => {
      const gpadls = host.channel(id)?.gpadls;
      // Hidden from the revoke, then dropped without a word.
      const held = gpadls === undefined ? [] : [...gpadls.values()].filter((g) => g.state.kind === 'Deferred');
      for (const gpadl of held) gpadls!.delete(gpadl.id);
      revoke(id);
    };
  }
}

export default faulty('revokeLeavesHeldGpadlUnanswered', 'a revoke leaves a GPADL awaiting acknowledgement unanswered', catches, (options) => new RevokeLeavesHeldGpadlUnanswered(options), { host: catchesAsHost });
