/**
 * Constants the comparison report states about the run: which plug-in protocol and which version
 * of the spec digest the suite was written against.
 */

/** Version of the stdio plug-in protocol (docs/protocol.md, schemas/v1). */
export { PROTOCOL_VERSION as PLUGIN_PROTOCOL_VERSION } from '../../plugin/protocol.js';

/**
 * The spec digest the rules were derived from (shared/spec/vmbus-gpadl-digest.md): its newest
 * source, OpenVMM at commit 1488a37 of 2026-08-21.
 */
export const SPEC_DIGEST_VERSION = '2026-08-21 (OpenVMM 1488a37)';
