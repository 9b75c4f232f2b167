/**
 * The request paths of the OTLP Export RPCs (Connect and gRPC-Web on the HTTP/1.1 listener),
 * known without loading the RPC framework: the collector loads it only for one of these.
 *
 * @module
 */

/** `/opentelemetry.proto.collector.logs.v1.LogsService/Export` and its trace and metrics twins. */
export const OTLP_RPC_PATHS: ReadonlySet<string> = new Set(
  [
    "opentelemetry.proto.collector.logs.v1.LogsService",
    "opentelemetry.proto.collector.trace.v1.TraceService",
    "opentelemetry.proto.collector.metrics.v1.MetricsService",
  ].map((service) => `/${service}/Export`),
);
