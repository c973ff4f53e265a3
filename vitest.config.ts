import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// One runner, four projects. Integration suites loop over both storage engines themselves.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" } },
      {
        plugins: [react()],
        test: { name: "ui", include: ["tests/unit/**/*.test.tsx"], environment: "jsdom", setupFiles: ["tests/fixtures/setup-dom.ts"] },
      },
      { test: { name: "integration", include: ["tests/integration/**/*.test.ts"], environment: "node", testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: "contract", include: ["tests/contract/**/*.test.ts"], environment: "node", testTimeout: 30_000 } },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One browser at a time: CI has 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
