/** Outcomes of status-returning calls: "Then the map fails with STATUS_ACCESS_DENIED". */
import { Then } from '@cucumber/cucumber';
import type { NtStatus } from '../src/contract/index.js';
import type { CallKind, VmbusWorld } from './support/world.js';

Then('the {call} succeeds', function (this: VmbusWorld, call: CallKind) {
  this.expectSuccess(call);
});

Then('the {call} fails', function (this: VmbusWorld, call: CallKind) {
  this.expectFailure(call);
});

Then('the {call} fails with {status}', function (this: VmbusWorld, call: CallKind, status: NtStatus) {
  this.expectFailure(call, status);
});
