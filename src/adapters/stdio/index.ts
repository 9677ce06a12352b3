/** The `cmd:` adapter: implementations in another process, over the plug-in protocol. */
export { connectCommand, DEFAULT_TIMEOUT_MS, harnessIdentity, StdioFactory, STDERR_ENV, takeLastFailure, type StdioOptions } from './connector.js';
export { PluginProcess, SHUTDOWN_GRACE_MS, type Exchange, type ExitStatus, type PluginProcessOptions } from './PluginProcess.js';
export { StderrTail } from './StderrTail.js';
