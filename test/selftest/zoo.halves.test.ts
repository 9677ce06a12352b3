/** The self-test, the fakes that lie as a guest or as a host, each run as that half with the reference's other (see _helpers/judgeZoo.ts). */
import { describe, expect, it } from 'vitest';
import { judgeGuests, judgeHosts } from './_helpers/judgeZoo.js';
import { GUEST_FAKES, HOST_FAKES, loadFake } from './_helpers/zoo.js';

describe('the zoo\'s halves', () => {
  it('has a fake whose lie only the carried wire shows: a trace that hides the bytes it sends', async () => {
    const fake = await loadFake('guestTraceHidesBodyNumbers');
    expect(fake.catches).toEqual([]);
    expect(fake.catchesAsGuest).toEqual(['CREATE-19']);
  });
});
judgeGuests(GUEST_FAKES);
judgeHosts(HOST_FAKES);
