/**
 * The node's configuration: CLI flags (with KUBECONFIG, AEGIS_HOME and LOG_LEVEL from the
 * environment as fallbacks), checked with zod once and reported all at once.
 *
 *   --kubeconfig <file>   kubeconfig of the API server (default: $KUBECONFIG, else <home>/kubeconfig)
 *   --name <name>         Node name (default aegis-local)
 *   --home <dir>          state directory (default $AEGIS_HOME, else .aegis in the repository)
 *   --tls-cert <file>     kubelet serving certificate (PEM); self-signed when absent
 *   --tls-key <file>      its private key (PEM)
 *   --client-ca <file>    CA that must have signed the API server's client certificate
 *   --port <n>            kubelet API port on 127.0.0.1 (default 0: any free port)
 *   --images <file>       image map (YAML), merged over the built-in one
 *   --log-level <level>   pino level (default $LOG_LEVEL, else info)
 */
import { parseArgs } from "node:util";
import path from "node:path";
import { z } from "zod";
import { aegisHome } from "../paths.ts";

export const cliSchema = z
  .object({
    kubeconfig: z.string().min(1).optional(),
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a DNS subdomain name")
      .max(253)
      .default("aegis-local"),
    home: z.string().min(1),
    tlsCert: z.string().min(1).optional(),
    tlsKey: z.string().min(1).optional(),
    clientCa: z.string().min(1).optional(),
    port: z.coerce.number().int().min(0).max(65535).default(0),
    images: z.string().min(1).optional(),
    logLevel: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  })
  .refine((o) => (o.tlsCert === undefined) === (o.tlsKey === undefined), { message: "--tls-cert and --tls-key go together", path: ["tlsCert"] });

export type CliOptions = z.infer<typeof cliSchema>;

export type ParsedCli = { ok: true; options: CliOptions } | { ok: false; errors: string[] };

/** Parses argv (without node and script) and the environment. Never throws. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        kubeconfig: { type: "string" },
        name: { type: "string" },
        home: { type: "string" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        "client-ca": { type: "string" },
        port: { type: "string" },
        images: { type: "string" },
        "log-level": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
  const home = path.resolve(values.home ?? aegisHome(env));
  const result = cliSchema.safeParse({
    kubeconfig: values.kubeconfig ?? env.KUBECONFIG ?? path.join(home, "kubeconfig"),
    name: values.name,
    home,
    tlsCert: values["tls-cert"],
    tlsKey: values["tls-key"],
    clientCa: values["client-ca"],
    port: values.port,
    images: values.images,
    logLevel: values["log-level"] ?? env.LOG_LEVEL,
  });
  if (!result.success) {
    return { ok: false, errors: result.error.issues.map((i) => `--${i.path.join(".").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`) };
  }
  return { ok: true, options: result.data };
}
