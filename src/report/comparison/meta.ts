/**
 * Constants the comparison report states about the run: which plug-in protocol, and which
 * versions of the sources the statements of spec/ were checked against.
 */

/** Version of the stdio plug-in protocol (docs/protocol.md, schemas/v1). */
export { PROTOCOL_VERSION as PLUGIN_PROTOCOL_VERSION } from '../../plugin/protocol.js';

/**
 * The sources the statements of spec/ were checked against (spec/openvmm.md, spec/linux.md,
 * spec/freebsd.md name them): the newest is OpenVMM's vmbus_server at commit 418ac21.
 */
export const SPEC_VERSION = 'spec/ (OpenVMM 418ac21, Linux mainline v6, FreeBSD main, KMCL pages and WDK header)';
