// Test runner settings: node environment, generous timeouts for the end-to-end suites on loopback fakes.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each file starts its own fakes on port 0; files may run side by side.
    pool: "forks",
  },
});
