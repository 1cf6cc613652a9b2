// The few test functions the contract suite needs, typed structurally so that
// vitest's (or jest's) own functions fit without importing any of them here.

/** The matchers the suite uses. */
export type ContractMatchers = {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeGreaterThanOrEqual(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
  toBeUndefined(): void;
};

export type ContractTestApi = {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
  expect(actual: unknown): ContractMatchers;
  beforeEach?(body: () => unknown): void;
  afterEach?(body: () => unknown): void;
};
