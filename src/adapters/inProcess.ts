/**
 * Puts the asynchronous contract over a synchronous in-process implementation. A throw inside the
 * implementation becomes a rejected promise, which the suite reports as an error of that scenario.
 */
import { CONTRACT_METHODS, type Synchronous, type VmbusImplementation } from '../contract/Implementation.js';

export function inProcess(implementation: Synchronous<VmbusImplementation>): VmbusImplementation {
  const forwarded: Record<string, unknown> = { info: implementation.info };
  for (const method of CONTRACT_METHODS) {
    // An optional method (a capability's) the implementation does not have stays absent.
    if (typeof implementation[method] !== 'function') continue;
    const call = (implementation[method] as (...args: unknown[]) => unknown).bind(implementation);
    forwarded[method] = (...args: unknown[]) => {
      try {
        return Promise.resolve(call(...args));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }
  return forwarded as unknown as VmbusImplementation;
}
