/**
 * `fuzz`'s defaults, apart from the command, so the command line can show them in its help without
 * loading the fuzzer (and fast-check with it) for a `run`.
 */
export const FUZZ_DEFAULTS = { runs: 100, maxCommands: 40 } as const;
