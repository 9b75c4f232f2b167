/**
 * Export load for the crash tests: rounds of gRPC clients, each on a connection of its own,
 * making many Export calls several at a time, plus clients that go away abruptly.
 *
 * @module
 */

import { connect as connectHttp2, constants } from "node:http2";
import type * as grpc from "@grpc/grpc-js";
import { createOtlpGrpcClient, exportLogs, LOGS_EXPORT_METHOD } from "./otlp_grpc_client.ts";

/** The shape of the load. */
export interface ExportLoad {
  rounds: number;
  /** Well-behaved clients per round, running at the same time. */
  clientsPerRound: number;
  /** Calls each well-behaved client makes before it closes. */
  callsPerClient: number;
  /** Calls each well-behaved client keeps in flight at once. */
  concurrency: number;
  /**
   * Also, per round: one gRPC client that cancels its calls in flight and closes, and one raw
   * HTTP/2 client that destroys its connection with streams open.
   */
  abrupt: boolean;
  /** Stop starting rounds once this returns true (for example: the server died). */
  stop?: () => boolean;
}

/**
 * The load of the crash tests: 3,000 calls over 30 connections (10 rounds of 3 clients making
 * 100 calls, 30 at a time). On Deno 2.9.6 it killed an unguarded `node:http2` server within two
 * rounds in 29 of 30 trials.
 */
export const MANY_CALLS_LOAD = {
  rounds: 10,
  clientsPerRound: 3,
  callsPerClient: 100,
  concurrency: 30,
} as const satisfies Partial<ExportLoad>;

/** What the well-behaved clients saw. */
export interface LoadResult {
  /** Calls that succeeded. */
  ok: number;
  /** Calls that failed, by error message. */
  failed: Map<string, number>;
  roundsRun: number;
}

/** Runs `load` against the listener on `127.0.0.1:port`. */
export async function driveExportLoad(port: number, load: ExportLoad): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: new Map(), roundsRun: 0 };
  for (let round = 0; round < load.rounds && !load.stop?.(); round++) {
    result.roundsRun++;
    const clients = Array.from(
      { length: load.clientsPerRound },
      () => callRepeatedly(port, load.callsPerClient, load.concurrency, result),
    );
    const abrupt = load.abrupt ? [cancelAndClose(port), destroyWithStreamsOpen(port)] : [];
    await Promise.all([...clients, ...abrupt]);
  }
  return result;
}

async function callRepeatedly(
  port: number,
  calls: number,
  concurrency: number,
  result: LoadResult,
): Promise<void> {
  const client = createOtlpGrpcClient(port);
  let left = calls;
  const worker = async () => {
    while (left-- > 0) {
      try {
        await exportLogs(client).response;
        result.ok++;
      } catch (error) {
        const message = (error as grpc.ServiceError).message;
        result.failed.set(message, (result.failed.get(message) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  client.close();
}

/** A gRPC client with 20 calls in flight cancels those still open after 5 answers, and closes. */
async function cancelAndClose(port: number): Promise<void> {
  const client = createOtlpGrpcClient(port);
  const calls = Array.from({ length: 20 }, () => exportLogs(client));
  let answered = 0;
  const { promise: fiveAnswered, resolve } = Promise.withResolvers<void>();
  for (const call of calls) {
    call.response.then(() => ++answered === 5 && resolve(), () => {});
  }
  await Promise.race([fiveAnswered, Promise.allSettled(calls.map((call) => call.response))]);
  for (const call of calls) call.cancel();
  client.close();
  await Promise.allSettled(calls.map((call) => call.response));
}

/** A raw HTTP/2 client opens 12 Export streams and destroys its connection without waiting. */
async function destroyWithStreamsOpen(port: number): Promise<void> {
  const session = connectHttp2(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  await new Promise<void>((resolve) => {
    session.once("connect", () => resolve());
    session.once("close", () => resolve());
  });
  // An empty gRPC message: not compressed, length 0.
  const emptyMessage = new Uint8Array(5);
  for (let i = 0; i < 12 && !session.destroyed; i++) {
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: "POST",
      [constants.HTTP2_HEADER_PATH]: LOGS_EXPORT_METHOD,
      "content-type": "application/grpc",
      te: "trailers",
    });
    stream.on("error", () => {});
    stream.end(emptyMessage);
  }
  const closed = new Promise<void>((resolve) => session.once("close", () => resolve()));
  session.destroy();
  await closed;
}
