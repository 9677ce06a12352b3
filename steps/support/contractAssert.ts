/**
 * An assertion that checks the contract of a capability the implementation claims, not a choice of
 * the reference model. Its failure counts under every profile: a reference rule that fails with it
 * is a failure, never "differs (reference choice)" (README, Verdicts). The report recognises it by
 * the exception type Cucumber records, the constructor name `ContractAssertionError`
 * (`CONTRACT_ASSERTION` in src/report/types.ts).
 */
import { AssertionError } from 'node:assert';

export class ContractAssertionError extends AssertionError {
  constructor(message: string) {
    super({ message });
    this.name = 'ContractAssertionError';
  }
}
