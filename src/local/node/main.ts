/**
 * CLI of the local node: `node src/local/node/main.ts --kubeconfig … [--tls-cert … --tls-key …]
 * [--client-ca …] [--port 0] [--images map.yaml] [--name aegis-local] [--home .aegis]`.
 * Runs until SIGINT or SIGTERM, then kills its pods' processes and marks the Node NotReady.
 * Prints `aegis-local listening on 127.0.0.1:<port>` on stdout once Ready.
 */
import { pino } from "pino";
import { parseCli } from "./options.ts";
import { startLocalNode } from "./node.ts";
import { exitOnSignals } from "../../runtime/signals.ts";

const parsed = parseCli(process.argv.slice(2), process.env);
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(`aegis-local: ${e}`);
  process.exit(2);
}
const o = parsed.options;
const log = pino({ name: "aegis-local", level: o.logLevel }, pino.destination(2));
process.on("uncaughtException", (err) => log.error({ err }, "Uncaught exception; the node keeps running"));
process.on("unhandledRejection", (err) => log.error({ err }, "Unhandled rejection; the node keeps running"));

try {
  const node = await startLocalNode({
    kubeConfig: o.kubeconfig ?? "",
    name: o.name,
    home: o.home,
    tlsCert: o.tlsCert,
    tlsKey: o.tlsKey,
    clientCA: o.clientCa,
    port: o.port,
    images: o.images,
    log,
  });
  console.log(`aegis-local listening on 127.0.0.1:${node.port}`);
  exitOnSignals(() => node.stop(), log);
} catch (err) {
  console.error(`aegis-local: ${(err as Error).message}`);
  process.exit(1);
}
