import assert from "node:assert/strict";
import {
  renderSystemdUnit,
  systemdUnitPath,
} from "../../lib/endpoint/service/render_systemd_unit.ts";
import {
  quoteSystemdExecArgument,
  quoteSystemdPathListItem,
} from "../../lib/endpoint/service/systemd_escape.ts";
import { HOSTILE_STRINGS, SYSTEM_SPEC, temporaryHost, USER_SPEC } from "./support/fixtures.ts";
import {
  readCommandLine,
  readEnvironment,
  readUnitFile,
  splitWords,
} from "./support/systemd_syntax.ts";

Deno.test("user unit: restarts on failure, SIGTERM stop, output appended to the log, default.target", () => {
  assert.equal(
    renderSystemdUnit(USER_SPEC),
    `# Written by \`beacon endpoint install\`; \`beacon endpoint repair\` rewrites it.
[Unit]
Description=Beacon collector (local OTLP receiver for AI agent telemetry)

[Service]
Type=simple
ExecStart=/usr/local/bin/beacon collector run --policy /home/ada/.beacon/policy.toml
WorkingDirectory=/home/ada/.beacon/endpoint
Environment="HOME=/home/ada"
Restart=on-failure
RestartSec=2
KillSignal=SIGTERM
TimeoutStopSec=15
StandardOutput=append:/home/ada/.beacon/endpoint/logs/collector.log
StandardError=append:/home/ada/.beacon/endpoint/logs/collector.log

[Install]
WantedBy=default.target
`,
  );
});

Deno.test("system unit: after the network, sandboxed with only its folders writable, multi-user.target", () => {
  assert.equal(
    renderSystemdUnit(SYSTEM_SPEC),
    `# Written by \`beacon endpoint install\`; \`beacon endpoint repair\` rewrites it.
[Unit]
Description=Beacon collector (local OTLP receiver for AI agent telemetry)
After=network.target

[Service]
Type=simple
ExecStart=/usr/local/bin/beacon collector run --policy /etc/beacon/policy.toml
WorkingDirectory=/var/lib/beacon-agent
Environment="HOME=/root"
Restart=on-failure
RestartSec=2
KillSignal=SIGTERM
TimeoutStopSec=15
StandardOutput=append:/var/log/beacon-agent/collector.log
StandardError=append:/var/log/beacon-agent/collector.log
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=/var/log/beacon-agent /var/lib/beacon-agent "/srv/beacon logs"
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
`,
  );
});

Deno.test("hostile arguments and environment values read back exactly as given", () => {
  const spec = {
    ...USER_SPEC,
    executable: "/opt/Beacon Tools/100%/bin/deno",
    args: ["run", "--allow-all", ...HOSTILE_STRINGS, "collector", "run"],
    env: Object.fromEntries(HOSTILE_STRINGS.map((value, index) => [`VAR_${index}`, value])),
    logFile: '/home/ada/logs 100%/collector\'s "log".txt',
    workingDirectory: "/home/ada/work dir/ünï",
  };
  const unit = readUnitFile(renderSystemdUnit(spec));
  const service = new Map<string, string[]>();
  for (const [key, value] of unit.get("Service")!) {
    service.set(key, [...service.get(key) ?? [], value]);
  }
  assert.deepEqual(readCommandLine(service.get("ExecStart")![0]), [spec.executable, ...spec.args]);
  assert.deepEqual(
    Object.fromEntries(service.get("Environment")!.flatMap(readEnvironment)),
    spec.env,
  );
  // Whole-line paths: only specifiers are escaped.
  assert.deepEqual(service.get("WorkingDirectory"), ["/home/ada/work dir/ünï"]);
  assert.deepEqual(service.get("StandardOutput"), [
    'append:/home/ada/logs 100%%/collector\'s "log".txt',
  ]);
});

Deno.test("plain words stay unquoted; anything else is quoted", () => {
  assert.equal(
    quoteSystemdExecArgument("--policy=/etc/beacon/policy.toml"),
    "--policy=/etc/beacon/policy.toml",
  );
  assert.equal(quoteSystemdExecArgument(""), '""');
  assert.equal(quoteSystemdExecArgument(";"), '";"');
  assert.equal(quoteSystemdExecArgument("$HOME"), "$$HOME");
  assert.equal(quoteSystemdExecArgument("50%"), "50%%");
  assert.equal(quoteSystemdExecArgument("a\x01b"), '"a\\x01b"');
  assert.deepEqual(splitWords(quoteSystemdPathListItem("/srv/a b")), ["/srv/a b"]);
});

Deno.test("values systemd cannot represent are refused with the reason", () => {
  assert.throws(() => renderSystemdUnit({ ...USER_SPEC, executable: "beacon" }), {
    name: "TypeError",
    message: /executable "beacon" must be an absolute path/,
  });
  assert.throws(() => renderSystemdUnit({ ...USER_SPEC, args: ["a\0b"] }), /NUL/);
  assert.throws(() => renderSystemdUnit({ ...USER_SPEC, env: { "BAD-NAME": "x" } }), /letters/);
  assert.throws(() => renderSystemdUnit({ ...USER_SPEC, logFile: "logs/c.log" }), /absolute/);
  assert.throws(() => renderSystemdUnit({ ...USER_SPEC, workingDirectory: "/a\nb" }), /control/);
  assert.throws(
    () => renderSystemdUnit({ ...SYSTEM_SPEC, writablePaths: ['/srv/"x"'] }),
    /path list/,
  );
});

Deno.test("unit paths: user config folder, system /etc under the system root", async () => {
  await using host = await temporaryHost();
  assert.equal(
    systemdUnitPath("user", host),
    `${host.home}/.config/systemd/user/beacon-collector.service`,
  );
  assert.equal(
    systemdUnitPath("system", host),
    `${host.systemRoot}/etc/systemd/system/beacon-collector.service`,
  );
});

const systemdAnalyze = await hasProgram("systemd-analyze");

Deno.test({
  name:
    "systemd-analyze verify accepts the units, hostile values included (needs systemd-analyze; CI installs it)",
  ignore: !systemdAnalyze,
  async fn() {
    await using host = await temporaryHost();
    for (const base of [USER_SPEC, SYSTEM_SPEC]) {
      const spec = {
        ...base,
        executable: Deno.execPath(), // verify checks the program exists
        args: [...HOSTILE_STRINGS, "collector", "run"],
        env: Object.fromEntries(HOSTILE_STRINGS.map((value, index) => [`VAR_${index}`, value])),
      };
      const path = `${host.cwd}/beacon-collector.service`;
      await Deno.writeTextFile(path, renderSystemdUnit(spec));
      const result = await new Deno.Command("systemd-analyze", {
        args: ["verify", "--man=no", path],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const said = new TextDecoder().decode(result.stderr) +
        new TextDecoder().decode(result.stdout);
      assert.equal(result.code, 0, said);
      assert.doesNotMatch(said, /beacon-collector\.service:\d+/, said); // no warning on any line
    }
  },
});

async function hasProgram(name: string): Promise<boolean> {
  try {
    await new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}
