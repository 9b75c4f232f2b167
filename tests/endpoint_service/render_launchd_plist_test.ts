import assert from "node:assert/strict";
import {
  launchdPlistPath,
  renderLaunchdPlist,
} from "../../lib/endpoint/service/render_launchd_plist.ts";
import { HOSTILE_STRINGS, SYSTEM_SPEC, temporaryHost, USER_SPEC } from "./support/fixtures.ts";

Deno.test("plist: label, program arguments, environment, run at load, restart on failure, logs", () => {
  assert.equal(
    renderLaunchdPlist({ ...USER_SPEC, env: { HOME: "/Users/ada", BEACON_X: "1" } }),
    `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>Label</key>
\t<string>dev.asymptote.beacon.collector</string>
\t<key>ProgramArguments</key>
\t<array>
\t\t<string>/usr/local/bin/beacon</string>
\t\t<string>collector</string>
\t\t<string>run</string>
\t\t<string>--policy</string>
\t\t<string>/home/ada/.beacon/policy.toml</string>
\t</array>
\t<key>EnvironmentVariables</key>
\t<dict>
\t\t<key>BEACON_X</key>
\t\t<string>1</string>
\t\t<key>HOME</key>
\t\t<string>/Users/ada</string>
\t</dict>
\t<key>WorkingDirectory</key>
\t<string>/home/ada/.beacon/endpoint</string>
\t<key>RunAtLoad</key>
\t<true/>
\t<key>KeepAlive</key>
\t<dict>
\t\t<key>SuccessfulExit</key>
\t\t<false/>
\t</dict>
\t<key>ProcessType</key>
\t<string>Standard</string>
\t<key>StandardOutPath</key>
\t<string>/home/ada/.beacon/endpoint/logs/collector.log</string>
\t<key>StandardErrorPath</key>
\t<string>/home/ada/.beacon/endpoint/logs/collector.log</string>
</dict>
</plist>
`,
  );
});

Deno.test("plist: an empty environment is an empty dict", () => {
  assert.match(
    renderLaunchdPlist({ ...USER_SPEC, env: {} }),
    /<key>EnvironmentVariables<\/key>\n\t<dict\/>\n/,
  );
});

Deno.test("plist: XML specials are escaped, a carriage return survives as &#13;", () => {
  const plist = renderLaunchdPlist({ ...USER_SPEC, args: ["a<b>&c", "x\ry", "q\"'"] });
  assert.match(plist, /<string>a&lt;b&gt;&amp;c<\/string>/);
  assert.match(plist, /<string>x&#13;y<\/string>/);
  assert.match(plist, /<string>q"'<\/string>/);
});

Deno.test("plist: what XML cannot carry is refused", () => {
  assert.throws(() => renderLaunchdPlist({ ...USER_SPEC, args: ["a\x01b"] }), {
    name: "TypeError",
    message: /XML cannot hold/,
  });
  assert.throws(() => renderLaunchdPlist({ ...USER_SPEC, env: { A: "\0" } }), /XML cannot hold/);
  assert.throws(() => renderLaunchdPlist({ ...USER_SPEC, args: ["\ud800"] }), /lone surrogates/);
  assert.throws(
    () => renderLaunchdPlist({ ...USER_SPEC, executable: "beacon" }),
    /must be an absolute path/,
  );
});

Deno.test("plist paths: LaunchAgents in the home folder, LaunchDaemons under the system root", async () => {
  await using host = await temporaryHost({ os: "darwin" });
  assert.equal(
    launchdPlistPath("user", host),
    `${host.home}/Library/LaunchAgents/dev.asymptote.beacon.collector.plist`,
  );
  assert.equal(
    launchdPlistPath("system", host),
    `${host.systemRoot}/Library/LaunchDaemons/dev.asymptote.beacon.collector.plist`,
  );
});

Deno.test("plistlib reads back exactly the spec, hostile strings included", async () => {
  await using host = await temporaryHost();
  for (const base of [USER_SPEC, SYSTEM_SPEC]) {
    const spec = {
      ...base,
      executable: '/Applications/Beacon & Co <beta>/beacon "quoted"',
      args: [...HOSTILE_STRINGS, "collector", "run"],
      env: Object.fromEntries(
        HOSTILE_STRINGS.map((value, index) => [`${index} key <&> ${value}`, value]),
      ),
      logFile: "/Users/ada/Logs & <more>/collector 🎉.log",
      workingDirectory: "/Users/ada/work dir/ünï",
    };
    const path = `${host.cwd}/collector.plist`;
    await Deno.writeTextFile(path, renderLaunchdPlist(spec));
    assert.deepEqual(await readWithPlistlib(path), {
      Label: spec.label,
      ProgramArguments: [spec.executable, ...spec.args],
      EnvironmentVariables: spec.env,
      WorkingDirectory: spec.workingDirectory,
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: "Standard",
      StandardOutPath: spec.logFile,
      StandardErrorPath: spec.logFile,
    });
  }
});

/** Parses a plist with Python's plistlib (what plutil-compatible means, testable on Linux). */
async function readWithPlistlib(path: string): Promise<unknown> {
  const result = await new Deno.Command("python3", {
    args: [
      "-c",
      "import json, plistlib, sys\n" +
      "with open(sys.argv[1], 'rb') as f: data = plistlib.load(f)\n" +
      "sys.stdout.write(json.dumps(data, ensure_ascii=True))",
      path,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  return JSON.parse(new TextDecoder().decode(result.stdout));
}
