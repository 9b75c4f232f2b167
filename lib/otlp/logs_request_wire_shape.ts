import type { WireShape } from "./count_protobuf_messages.ts";

/**
 * The message-typed fields of an OTLP `ExportLogsServiceRequest`, by hand (OTLP 1.x's
 * `logs_service.proto`, `logs.proto`, `resource.proto`, `common.proto`), so that the hot path can
 * count a request's items before decoding it without loading the generated schemas. A test
 * compares it with the generated schema.
 */
export const LOGS_REQUEST_WIRE_SHAPE: WireShape = (() => {
  const node = (): { children: Map<number, WireShape> } => ({ children: new Map() });
  const request = node();
  const resourceLogs = node();
  const resource = node();
  const entityRef = node();
  const scopeLogs = node();
  const scope = node();
  const logRecord = node();
  const keyValue = node();
  const anyValue = node();
  const arrayValue = node();
  const keyValueList = node();
  request.children.set(1, resourceLogs);
  resourceLogs.children.set(1, resource).set(2, scopeLogs);
  resource.children.set(1, keyValue).set(3, entityRef);
  scopeLogs.children.set(1, scope).set(2, logRecord);
  scope.children.set(3, keyValue);
  logRecord.children.set(5, anyValue).set(6, keyValue);
  keyValue.children.set(2, anyValue);
  anyValue.children.set(5, arrayValue).set(6, keyValueList);
  arrayValue.children.set(1, anyValue);
  keyValueList.children.set(1, keyValue);
  return request;
})();
