// The few test functions the contract suite needs, typed structurally so that
// vitest's (or jest's) own functions fit without importing any of them here.

/** The matchers the suite uses. */
export type ContractMatchers = {
  /** `Object.is` equality. */
  toBe(expected: unknown): void;
  /** Deep equality. */
  toEqual(expected: unknown): void;
  /** `actual >= expected`. */
  toBeGreaterThanOrEqual(expected: number): void;
  /** `actual <= expected`. */
  toBeLessThanOrEqual(expected: number): void;
  /** `actual === undefined`. */
  toBeUndefined(): void;
};

/**
 * The test functions the contract suite runs on: vitest's (or jest's) fit as they are.
 *
 * @example
 * ```ts
 * import {afterEach, beforeEach, describe, expect, it} from 'vitest';
 * runPersisterContract(harness, {describe, it, expect, beforeEach, afterEach});
 * ```
 */
export type ContractTestApi = {
  /** Groups tests. */
  describe(name: string, body: () => void): void;
  /** One test. */
  it(name: string, body: () => Promise<void>): void;
  /** Starts an assertion. */
  expect(actual: unknown): ContractMatchers;
  /** Runs before each test. */
  beforeEach?(body: () => unknown): void;
  /** Runs after each test. */
  afterEach?(body: () => unknown): void;
};
