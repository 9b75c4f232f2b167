/**
 * No test runs an HTTP/2 server inside the `deno test` process. Deno's `node:http2` server can
 * abort the whole process (nghttp2 assertion, denoland/deno#36788; see the header of
 * `lib/collector/grpc/start_grpc_listener.ts`): in the test process that kills the run and every
 * test after it. Servers belong in child processes (`grpc_listener_child.ts`,
 * `tests/support/collector_child.ts`, ...), where an abort fails one test and says so. HTTP/2
 * clients in the test process are fine: the bug is in the server.
 *
 * Scanned: every module under `tests/` and every test module under `lib/` (`*_test.ts` and
 * test-only helpers such as `*_test_fixtures.ts`). Found: imports of `node:http2`'s
 * `createServer`/`createSecureServer`, a `@grpc/grpc-js` `Server`, `startGrpcListener`,
 * `startCollector` called with a `grpc` listener, the `collector run` command module, and a
 * static or dynamic import of a child entry point (which would bring its server back in).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SELF = "tests/collector_grpc/no_in_process_http2_server_test.ts";

/** Modules that run an HTTP/2 server on purpose: each is only ever started as a child process. */
const CHILD_ENTRY_POINTS = [
  "tests/collector_grpc/support/grpc_listener_child.ts",
  "tests/support/collector_child.ts",
  "tests/forward/support/scripted_grpc_gateway_child.ts",
];

/** What in `source` starts an HTTP/2 server (or brings a child entry point in), one reason each. */
function inProcessHttp2Servers(source: string): string[] {
  const found: string[] = [];
  const imports = [...source.matchAll(/import\s+([^;]*?)\s+from\s*["']([^"']+)["']/g)]
    .map(([, clause, specifier]) => ({ clause, specifier }));
  const named = (clause: string) =>
    (/\{([^}]*)\}/.exec(clause)?.[1] ?? "").split(",").map((name) =>
      name.trim().replace(/^type\s+/, "").split(/\s+as\s+/)
    ).filter(([name]) => name).map(([name, alias]) => ({ name, local: alias ?? name }));
  const namespaces = (clause: string) =>
    [
      /\*\s*as\s+(\w+)/.exec(clause)?.[1],
      /^(\w+)\s*(,|$)/.exec(clause.trim())?.[1],
    ].filter((name): name is string => name !== undefined && name !== "type");

  for (const { clause, specifier } of imports) {
    if (/^(node:)?http2$/.test(specifier)) {
      for (const { name } of named(clause)) {
        if (name === "createServer" || name === "createSecureServer") {
          found.push(`imports ${name} from "${specifier}"`);
        }
      }
      for (const ns of namespaces(clause)) {
        if (new RegExp(`\\b${ns}\\s*\\.\\s*create(Secure)?Server\\b`).test(source)) {
          found.push(`calls ${ns}.createServer/createSecureServer ("${specifier}")`);
        }
      }
    }
    if (specifier === "@grpc/grpc-js" || specifier.startsWith("npm:@grpc/grpc-js")) {
      for (const { name } of named(clause)) {
        if (name === "Server") found.push(`imports Server from "@grpc/grpc-js" (a grpc-js server)`);
      }
      for (const ns of namespaces(clause)) {
        if (new RegExp(`new\\s+${ns}\\s*\\.\\s*Server\\b`).test(source)) {
          found.push(`creates new ${ns}.Server() ("@grpc/grpc-js")`);
        }
      }
    }
    if (/start_grpc_listener\.ts$/.test(specifier)) {
      if (named(clause).some(({ name }) => name === "startGrpcListener")) {
        found.push("imports startGrpcListener");
      }
    }
    if (/start_collector\.ts$/.test(specifier)) {
      const local = named(clause).find(({ name }) => name === "startCollector")?.local;
      if (local) {
        for (const args of callArguments(source, local)) {
          if (/\bgrpc\s*:/.test(args) && !/\bgrpc\s*:\s*undefined\b/.test(args)) {
            found.push(`calls ${local}() with a grpc listener`);
          }
        }
      }
    }
    if (/collector_run_command\.ts$/.test(specifier)) {
      found.push("imports the collector run command (it starts the gRPC listener in process)");
    }
  }
  for (const entry of CHILD_ENTRY_POINTS) {
    const base = entry.split("/").pop()!.replace(/\./g, "\\.");
    const importing = new RegExp(
      `(from\\s*|import\\s*\\(\\s*|import\\s+)["'][^"']*\\/${base}["']`,
    );
    if (importing.test(source)) {
      found.push(`imports ${entry}, which must only run as a child process`);
    }
  }
  return found;
}

/** The argument text of each call `name(...)` in `source` (parentheses balanced). */
function callArguments(source: string, name: string): string[] {
  const calls: string[] = [];
  for (const match of source.matchAll(new RegExp(`\\b${name}\\s*\\(`, "g"))) {
    let depth = 1;
    let at = match.index! + match[0].length;
    const start = at;
    for (; at < source.length && depth > 0; at++) {
      if (source[at] === "(") depth++;
      else if (source[at] === ")") depth--;
    }
    calls.push(source.slice(start, at - 1));
  }
  return calls;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && entry.name !== "node_modules" && entry.name !== "gen") {
      yield* walk(path);
    } else if (entry.isFile && /\.(ts|tsx|js|mjs)$/.test(entry.name)) yield path;
  }
}

/** Every module the guard reads: all of `tests/`, and the test modules of `lib/`. */
async function scannedModules(): Promise<string[]> {
  const paths: string[] = [];
  for await (const path of walk(join(ROOT, "tests"))) paths.push(relative(ROOT, path));
  for await (const path of walk(join(ROOT, "lib"))) {
    const name = path.split("/").pop()!;
    if (/(^|_)test(_|\.)/.test(name)) paths.push(relative(ROOT, path));
  }
  return paths.sort();
}

Deno.test("no test module starts an HTTP/2 server in the test process", async () => {
  const offenders: string[] = [];
  for (const path of await scannedModules()) {
    if (path === SELF || CHILD_ENTRY_POINTS.includes(path)) continue;
    const reasons = inProcessHttp2Servers(await Deno.readTextFile(join(ROOT, path)));
    for (const reason of reasons) offenders.push(`${path}: ${reason}`);
  }
  assert.deepEqual(
    offenders,
    [],
    `HTTP/2 servers in the test process (an nghttp2 abort, denoland/deno#36788, would end the ` +
      `whole test run). Run them in a child process instead, like ` +
      `tests/collector_grpc/support/spawn_grpc_listener_child.ts:\n${offenders.join("\n")}`,
  );
});

Deno.test("the child entry points exist and still run a server (the allow-list is not stale)", async () => {
  for (const entry of CHILD_ENTRY_POINTS) {
    const source = await Deno.readTextFile(join(ROOT, entry));
    assert.notDeepEqual(inProcessHttp2Servers(source), [], `${entry} runs no server any more`);
  }
});

Deno.test("the guard recognises each way of starting an HTTP/2 server", () => {
  const cases: [string, RegExp][] = [
    [`import { createServer } from "node:http2";`, /createServer/],
    [`import { connect, createSecureServer as s } from "http2";`, /createSecureServer/],
    [`import * as h2 from "node:http2";\nh2.createServer(handler);`, /h2\.createServer/],
    [`import http2 from "node:http2";\nhttp2.createSecureServer({});`, /http2\.create/],
    [`import * as grpc from "@grpc/grpc-js";\nconst s = new grpc.Server();`, /grpc\.Server/],
    [`import { Server, credentials } from "@grpc/grpc-js";`, /Server from/],
    [
      `import {\n  type GrpcListener,\n  startGrpcListener,\n} from "../../lib/collector/grpc/start_grpc_listener.ts";`,
      /startGrpcListener/,
    ],
    [
      `import { startCollector } from "../../lib/collector/start_collector.ts";\n` +
      `await startCollector({ http: f(1), grpc: options.grpc ? { port: 0 } : undefined });`,
      /grpc listener/,
    ],
    [
      `import { run } from "../lib/cli/commands/collector_run_command.ts";`,
      /collector run command/,
    ],
    [`import "./support/grpc_listener_child.ts";`, /child process/],
    [`await import("../support/collector_child.ts");`, /child process/],
  ];
  for (const [source, reason] of cases) {
    const found = inProcessHttp2Servers(source);
    assert.equal(found.length, 1, `${source}\n=> ${JSON.stringify(found)}`);
    assert.match(found[0], reason);
  }
  const clean = [
    `import { connect } from "node:http2";\nconnect("http://127.0.0.1:1");`,
    `import * as grpc from "@grpc/grpc-js";\nnew grpc.Client("127.0.0.1:1", c);`,
    `import { startCollector } from "../lib/collector/start_collector.ts";\n` +
    `await startCollector({ http: { hostname: "127.0.0.1", port: 0 }, log });`,
    `const CHILD = new URL("./grpc_listener_child.ts", import.meta.url);`,
  ];
  for (const source of clean) assert.deepEqual(inProcessHttp2Servers(source), [], source);
});
