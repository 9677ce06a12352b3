/** The self-test, whole fakes, the first of two parts (dealt round-robin; see _helpers/judgeZoo.ts). */
import { judgeWhole } from './_helpers/judgeZoo.js';
import { NAMES, part } from './_helpers/zoo.js';

judgeWhole(part(NAMES, 0, 2));
