import assert from "node:assert/strict";
import { describeServiceChange } from "../../lib/endpoint/service/describe_service_change.ts";
import type { ServiceChange } from "../../lib/endpoint/service/service_controller.ts";

const host = { home: "/home/ada" };

Deno.test("plan lines name the file (home as ~) and the manager", () => {
  const lines = ([
    {
      kind: "write-file",
      action: "create",
      path: "/home/ada/.config/systemd/user/beacon-collector.service",
      text: "",
      mode: 0o644,
    },
    {
      kind: "write-file",
      action: "update",
      path: "/etc/systemd/system/x.service",
      text: "",
      mode: 0o644,
    },
    { kind: "start", manager: "systemd-user" },
    { kind: "start", manager: "systemd-system" },
    { kind: "restart", manager: "launchd-agent" },
    { kind: "stop", manager: "launchd-daemon" },
    { kind: "start", manager: "detached", pidFile: "/home/ada/.beacon/endpoint/collector.pid" },
    { kind: "restart", manager: "detached", pidFile: "/home/ada/.beacon/endpoint/collector.pid" },
    { kind: "stop", manager: "detached", pidFile: "/home/ada/.beacon/endpoint/collector.pid" },
    { kind: "remove-file", path: "/home/ada2/x" },
  ] satisfies ServiceChange[]).map((change) => describeServiceChange(change, host));
  assert.deepEqual(lines, [
    "write ~/.config/systemd/user/beacon-collector.service",
    "update /etc/systemd/system/x.service",
    "start beacon-collector (systemd --user)",
    "start beacon-collector (systemd)",
    "restart dev.asymptote.beacon.collector (launchd agent) to load the new definition",
    "stop dev.asymptote.beacon.collector (launchd daemon)",
    "start the collector as a background process (no service manager here: containers/CI); " +
    "pid file ~/.beacon/endpoint/collector.pid",
    "restart the background collector to use the new command line; " +
    "pid file ~/.beacon/endpoint/collector.pid",
    "stop the background collector (pid file ~/.beacon/endpoint/collector.pid)",
    "remove /home/ada2/x",
  ]);
});
