/**
 * reservePort: real processes, real reservation files, real sockets. Each test uses its own
 * reservation folder and a short candidate list of ports first reserved from the shared folder,
 * so no other test process on the machine touches them while the test runs.
 */
import assert from "node:assert/strict";
import {
  ephemeralPortRange,
  portCandidates,
  type ReservedPort,
  reservePort,
} from "./reserve_port.ts";
import { waitUntil } from "./wait_until.ts";

const MODULE = new URL("./reserve_port.ts", import.meta.url).href;

/** `count` ports no one else on the machine will use while the test runs (released at its end). */
function quietPorts(count: number): ReservedPort[] & Disposable {
  const ports = Array.from({ length: count }, () => reservePort());
  return Object.assign(ports, {
    [Symbol.dispose]: () => ports.forEach((p) => p.release()),
  });
}

/**
 * Another test process: waits for `${dir}/go` (if `waitForGo`), reserves from `candidates` in
 * `${dir}/reservations`, writes the port (or the error) to `${dir}/out-${name}`, then holds it
 * until `${dir}/done` exists, or exits at once without releasing when `leak` is set.
 */
function holder(
  dir: string,
  name: string,
  candidates: number[],
  options: { waitForGo?: boolean; leak?: boolean } = {},
): Deno.ChildProcess {
  const code = `
    import { reservePort } from ${JSON.stringify(MODULE)};
    const dir = ${JSON.stringify(dir)};
    const exists = (p) => { try { Deno.statSync(p); return true; } catch { return false; } };
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    while (${options.waitForGo ?? false} && !exists(dir + "/go")) await pause();
    let out;
    try {
      out = String(reservePort({ folder: dir + "/reservations", candidates: ${
    JSON.stringify(candidates)
  } }).port);
    } catch (error) {
      out = "error: " + error.message;
    }
    Deno.writeTextFileSync(dir + "/out-${name}.tmp", out);
    Deno.renameSync(dir + "/out-${name}.tmp", dir + "/out-${name}");
    while (!${options.leak ?? false} && !exists(dir + "/done")) await pause();
  `;
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

async function outputOf(dir: string, name: string): Promise<string> {
  return await waitUntil(`holder ${name} to report`, () => {
    try {
      return Deno.readTextFileSync(`${dir}/out-${name}`);
    } catch {
      return undefined;
    }
  });
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("reservePort: processes asking at the same time get different ports", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-reserve-port-" });
  using ports = quietPorts(4);
  const candidates = ports.map((p) => p.port);
  const names = ["a", "b", "c", "d"];
  const children = names.map((name) => holder(dir, name, candidates, { waitForGo: true }));
  try {
    await Deno.writeTextFile(`${dir}/go`, "");
    const got = await Promise.all(names.map((name) => outputOf(dir, name)));
    assert.deepEqual([...got].sort(), candidates.map(String).sort(), `each got one: ${got}`);
  } finally {
    await Deno.writeTextFile(`${dir}/done`, "");
    for (const child of children) await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reservePort: a port held by a live reservation is never handed out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-reserve-port-" });
  using ports = quietPorts(2);
  const [held, other] = ports.map((p) => p.port);
  const child = holder(dir, "live", [held]);
  try {
    assert.equal(await outputOf(dir, "live"), String(held));
    for (let i = 0; i < 5; i++) {
      using got = reservePort({ folder: `${dir}/reservations`, candidates: [held, other] });
      assert.equal(got.port, other);
    }
    assert.throws(
      () => reservePort({ folder: `${dir}/reservations`, candidates: [held] }),
      /Cannot reserve a test port: all 1 candidates are reserved/,
    );
  } finally {
    await Deno.writeTextFile(`${dir}/done`, "");
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reservePort: a dead holder's reservation is taken over, as is one whose pid was reused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-reserve-port-" });
  using ports = quietPorts(1);
  const port = ports[0].port;
  const file = `${dir}/reservations/${port}`;
  try {
    const child = holder(dir, "killed", [port]);
    assert.equal(await outputOf(dir, "killed"), String(port));
    child.kill("SIGKILL");
    await child.status;
    assert.ok(exists(file), "a SIGKILLed holder leaves its reservation behind");
    const deadHolders = await Deno.readTextFile(file);
    using taken = reservePort({ folder: `${dir}/reservations`, candidates: [port] });
    assert.equal(taken.port, port);
    taken.release();

    // The dead holder's pid now names a live process (this one) that started at another time.
    const reused = { ...JSON.parse(deadHolders), pid: Deno.pid };
    await Deno.writeTextFile(file, JSON.stringify(reused) + "\n");
    using again = reservePort({ folder: `${dir}/reservations`, candidates: [port] });
    assert.equal(again.port, port);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reservePort: a reservation a process forgot to release ends when it exits", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-reserve-port-" });
  using ports = quietPorts(1);
  const port = ports[0].port;
  try {
    const child = holder(dir, "leaky", [port], { leak: true });
    assert.equal(await outputOf(dir, "leaky"), String(port));
    assert.ok((await child.status).success);
    assert.ok(!exists(`${dir}/reservations/${port}`), "the reservation file is gone");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reservePort: a port something listens on is skipped", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-reserve-port-" });
  using ports = quietPorts(1);
  // Not reserved by anyone: only the bind check can tell it is taken.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const busy = (listener.addr as Deno.NetAddr).port;
  try {
    using got = reservePort({ folder: dir, candidates: [busy, ports[0].port] });
    assert.equal(got.port, ports[0].port);
    assert.ok(!exists(`${dir}/${busy}`), "the busy port's reservation is given back");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reservePort: a released port can be reserved again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-reserve-port-" });
  using ports = quietPorts(1);
  try {
    {
      using first = reservePort({ folder: dir, candidates: [ports[0].port] });
      assert.equal(first.port, ports[0].port);
    }
    const second = reservePort({ folder: dir, candidates: [ports[0].port] });
    assert.equal(second.port, ports[0].port);
    second.release();
    second.release(); // idempotent
    assert.ok(!exists(`${dir}/${ports[0].port}`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reservePort: ports come from outside the kernel's ephemeral range", () => {
  const ephemeral = ephemeralPortRange();
  const outside = (port: number, range = ephemeral ?? { first: 32768, last: 65535 }) =>
    port < range.first || port > range.last;
  const got = Array.from({ length: 50 }, () => reservePort());
  try {
    for (const reserved of got) {
      assert.ok(outside(reserved.port), `${reserved.port} is in the ephemeral range`);
      assert.ok(reserved.port >= 1024, `${reserved.port} is privileged`);
    }
  } finally {
    got.forEach((reserved) => reserved.release());
  }

  assert.deepEqual(ephemeralPortRange("32768\t60999\n"), { first: 32768, last: 60999 });
  assert.equal(ephemeralPortRange(""), undefined);
  assert.equal(ephemeralPortRange("garbage"), undefined);
  const linux = portCandidates({ first: 32768, last: 60999 });
  assert.ok(linux.every((port) => outside(port, { first: 32768, last: 60999 })));
  assert.ok(linux.includes(61000) && linux.includes(65535) && linux.includes(32767));
  assert.ok(linux.includes(10000) && !linux.includes(9999), "well-known ports are left alone");
  // Unknown range: assume Linux's and the IANA dynamic range (macOS, Windows) together.
  const unknown = portCandidates(undefined);
  assert.ok(unknown.length > 0 && unknown.every((port) => port >= 10000 && port < 32768));
  // A range reaching up to 65535 leaves only the ports below it.
  assert.ok(portCandidates({ first: 1024, last: 65535 }).length === 0);
  assert.deepEqual(portCandidates({ first: 2000, last: 65535 }).slice(0, 2), [1024, 1025]);
});
