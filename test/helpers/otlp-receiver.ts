/**
 * A local OTLP/HTTP trace receiver for tests: node:http accepting POST /v1/traces with the JSON
 * encoding (what @opentelemetry/exporter-trace-otlp-http sends; gzip accepted), answering 200,
 * and keeping every span flattened with its service name. Protobuf bodies are refused with 415:
 * the services export JSON, so one arriving would be a configuration change the test should see.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export type AttributeValue = string | number | boolean;

export interface ReceivedSpan {
  readonly service: string;
  readonly scope: string;
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  readonly status: number;
}

export interface OtlpReceiver {
  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  spans(): ReceivedSpan[];
  /** The raw bodies received, for checks on everything that was exported. */
  bodies(): string[];
  stop(): Promise<void>;
}

interface OtlpValue { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean }
interface OtlpAttribute { key: string; value?: OtlpValue }
interface OtlpSpan {
  traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number;
  attributes?: OtlpAttribute[]; status?: { code?: number };
}
interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[] }[];
}

const valueOf = (v: OtlpValue | undefined): AttributeValue =>
  v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined) ?? v?.doubleValue ?? v?.boolValue ?? "";

const attributesOf = (list: OtlpAttribute[] | undefined): Record<string, AttributeValue> =>
  Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));

/** Pure: the spans of one OTLP/JSON export request. */
export function flattenTraces(body: OtlpTraces): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs) => {
    const service = String(attributesOf(rs.resource?.attributes)["service.name"] ?? "");
    return (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => ({
      service, scope: ss.scope?.name ?? "", traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? "", name: s.name,
      kind: s.kind ?? 0, attributes: attributesOf(s.attributes), status: s.status?.code ?? 0,
    })));
  });
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method !== "POST" || req.url !== "/v1/traces") return void answer(404, { message: "only POST /v1/traces" });
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return void answer(415, { message: "JSON only" });
    bodyOf(req).then((text) => {
      bodies.push(text);
      spans.push(...flattenTraces(JSON.parse(text) as OtlpTraces));
      answer(200, {});
    }).catch((error: unknown) => answer(400, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...spans],
    bodies: () => [...bodies],
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
