// Two projects: `unit` (pure code, no cluster) and `integration` (a real kube-apiserver, etcd and
// the aegis-local node, started once per run by test/setup/global-setup.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{src,controllers,webhooks,hack,bench}/**/*.test.ts"],
          environment: "node",
          // Property tests run hundreds of signatures or Cedar evaluations: under a second alone,
          // several on two cores shared with other test files.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["test/setup/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          // Two cores: two test files at a time share the one local cluster.
          maxWorkers: 2,
        },
      },
    ],
  },
});
