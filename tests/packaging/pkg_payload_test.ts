/**
 * The macOS package for system-mode (MDM) installs, checked on any OS: the payload that
 * `packaging/macos/build_pkg_payload.sh` lays out (files and modes, the collector LaunchDaemon as
 * plutil would read it), the Installer scripts run in a sandbox (a fake `beacon` on a temporary
 * target volume, a fake `launchctl` on PATH), and `build_pkg.sh` refusing where pkgbuild is
 * missing. Python's plistlib stands in for plutil, which only exists on macOS.
 */
import assert from "node:assert/strict";

const MACOS_DIR = new URL("../../packaging/macos/", import.meta.url).pathname;
const PAYLOAD_SCRIPT = `${MACOS_DIR}build_pkg_payload.sh`;
const PKG_SCRIPT = `${MACOS_DIR}build_pkg.sh`;
const LABEL = "dev.asymptote.beacon.collector";
const PLIST = `Library/LaunchDaemons/${LABEL}.plist`;
const VERSION = "1.2.3";
/**
 * macOS's own bash (3.2) when there is one: the shell Installer runs the scripts with, and what
 * `#!/usr/bin/env bash` finds on an admin's Mac. The build scripts are run with it explicitly.
 */
const BASH = await Deno.stat("/bin/bash").then(() => "/bin/bash", () => "bash");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with only the environment given (plus PATH), never throwing on failure. */
async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  const result = await new Deno.Command(command, {
    args,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", LC_ALL: "C", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

/** A temporary folder, removed on dispose. */
async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "beacon-pkg-test-" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/** Writes an executable shell script. */
async function writeScript(path: string, body: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}`);
  await Deno.chmod(path, 0o755);
}

/**
 * A stand-in for the compiled binary: says its version, and for anything else records its
 * arguments and the environment variables Beacon reads, prints a line, and exits $FAKE_EXIT.
 */
const FAKE_BEACON = `
if [ "$1" = --version ]; then echo "beacon ${VERSION}"; exit 0; fi
{
  echo "args=$*"
  echo "HOME=$HOME"
  echo "BEACON_SYSTEM_ROOT=\${BEACON_SYSTEM_ROOT-<unset>}"
  echo "BEACON_POLICY=\${BEACON_POLICY-<unset>}"
} >>"$FAKE_RECORD"
echo "fake beacon: configured the collector and Codex"
exit "\${FAKE_EXIT:-0}"
`;

/** Runs build_pkg_payload.sh with the fake binary into `out`, asserting success. */
async function buildPayload(dir: string, out: string, extra: string[] = []): Promise<Run> {
  const binary = `${dir}/fake-beacon`;
  await writeScript(binary, FAKE_BEACON);
  const result = await run(BASH, [
    PAYLOAD_SCRIPT,
    "--binary",
    binary,
    "--version",
    VERSION,
    "--out",
    out,
    ...extra,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return result;
}

/** Every entry under `dir` as "mode type path", by path: the layout and modes in one value. */
async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const lines: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const path = `${prefix}${entry.name}`;
    const info = await Deno.lstat(`${dir}/${path}`);
    const mode = (info.mode! & 0o7777).toString(8).padStart(4, "0");
    const kind = info.isSymlink ? "link" : info.isDirectory ? "dir" : "file";
    lines.push(`${mode} ${kind} ${path}`);
    if (info.isDirectory) lines.push(...await listTree(dir, `${path}/`));
  }
  const pathOf = (line: string) => line.split(" ").slice(2).join(" ");
  return lines.sort((a, b) => pathOf(a) < pathOf(b) ? -1 : pathOf(a) > pathOf(b) ? 1 : 0);
}

/** Runs a Python snippet that prints JSON, and parses it. */
async function python<T>(code: string, ...args: string[]): Promise<T> {
  const result = await run("python3", ["-c", code, ...args]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

/**
 * The plist as plistlib (the same reader and writer format as plutil) sees it, and whether the
 * file is byte for byte what `plutil -convert xml1` would write for that value.
 */
function readPlist(path: string): Promise<{ value: unknown; canonical: boolean }> {
  return python(
    `import json, plistlib, sys
data = open(sys.argv[1], "rb").read()
value = plistlib.loads(data, fmt=plistlib.FMT_XML)
canonical = plistlib.dumps(value, fmt=plistlib.FMT_XML, sort_keys=True) == data
print(json.dumps({"value": value, "canonical": canonical}))`,
    path,
  );
}

/** The DOCTYPE and root element of an XML file, through a validating-free DOM parser. */
function readXmlShape(path: string): Promise<{
  doctype: { name: string; publicId: string; systemId: string } | null;
  root: string;
  version: string;
}> {
  return python(
    `import json, sys, xml.dom.minidom
dom = xml.dom.minidom.parse(sys.argv[1])
d = dom.doctype
print(json.dumps({
  "doctype": d and {"name": d.name, "publicId": d.publicId, "systemId": d.systemId},
  "root": dom.documentElement.tagName,
  "version": dom.documentElement.getAttribute("version"),
}))`,
    path,
  );
}

const COLLECTOR_PLIST = {
  KeepAlive: { SuccessfulExit: false },
  Label: LABEL,
  ProcessType: "Standard",
  ProgramArguments: ["/opt/beacon/bin/beacon", "collector", "run"],
  RunAtLoad: true,
  StandardErrorPath: "/var/log/beacon-agent/collector.log",
  StandardOutPath: "/var/log/beacon-agent/collector.log",
};

Deno.test("build_pkg_payload.sh lays out the payload and the Installer scripts, modes exact", async () => {
  await using tmp = await tempDir();
  const out = `${tmp.path}/out`;
  const result = await buildPayload(tmp.path, out);
  assert.match(result.stdout, /Laid out Beacon 1\.2\.3 for a macOS package/);

  assert.deepEqual(await listTree(`${out}/root`), [
    "0755 dir Library",
    "0755 dir Library/LaunchDaemons",
    `0644 file ${PLIST}`,
    "0755 dir opt",
    "0755 dir opt/beacon",
    "0755 dir opt/beacon/bin",
    "0755 file opt/beacon/bin/beacon",
  ]);
  assert.deepEqual(await listTree(`${out}/scripts`), [
    "0755 file postinstall",
    "0755 file preinstall",
  ]);
  assert.deepEqual(
    await Deno.readFile(`${out}/root/opt/beacon/bin/beacon`),
    await Deno.readFile(`${tmp.path}/fake-beacon`),
    "the binary is copied unchanged",
  );
  for (const script of ["preinstall", "postinstall"]) {
    const text = await Deno.readTextFile(`${out}/scripts/${script}`);
    assert.match(text, /^#!\/bin\/bash\n/, `${script}: Installer runs it with /bin/bash`);
    assert.ok(text.includes(`(${VERSION})`), `${script}: the version is stamped in`);
    assert.ok(!text.includes("@BEACON_VERSION@"), `${script}: no placeholder left`);
  }
});

Deno.test("the collector LaunchDaemon: every key and value, plutil's canonical XML, Apple's DOCTYPE", async () => {
  await using tmp = await tempDir();
  const out = `${tmp.path}/out`;
  await buildPayload(tmp.path, out);
  const path = `${out}/root/${PLIST}`;

  const plist = await readPlist(path);
  assert.deepEqual(plist.value, COLLECTOR_PLIST, "no EnvironmentVariables without a policy");
  assert.equal(plist.canonical, true, "what `plutil -convert xml1` would write, byte for byte");
  assert.deepEqual(await readXmlShape(path), {
    doctype: {
      name: "plist",
      publicId: "-//Apple//DTD PLIST 1.0//EN",
      systemId: "http://www.apple.com/DTDs/PropertyList-1.0.dtd",
    },
    root: "plist",
    version: "1.0",
  });
  const text = await Deno.readTextFile(path);
  assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
});

Deno.test("a policy ships as /etc/beacon/policy.toml (private/etc in the payload), whatever its path holds", async () => {
  await using tmp = await tempDir();
  // Everything XML and the shell treat specially, in the folder the policy comes from.
  const hostileDir = `${tmp.path}/a&b <c> "d" 'e' $(touch pwned) \`f\` ]]>`;
  await Deno.mkdir(hostileDir);
  const policyText = '# MDM policy\nversion = 1\n\n[endpoint]\nmode = "system"\n';
  await Deno.writeTextFile(`${hostileDir}/policy & more.toml`, policyText);
  const out = `${tmp.path}/out`;
  await buildPayload(tmp.path, out, ["--policy", `${hostileDir}/policy & more.toml`]);

  const tree = await listTree(`${out}/root`);
  assert.deepEqual(tree.filter((line) => line.includes("private")), [
    "0755 dir private",
    "0755 dir private/etc",
    "0755 dir private/etc/beacon",
    "0644 file private/etc/beacon/policy.toml",
  ]);
  assert.ok(!tree.some((line) => / etc/.test(line)), "no real etc folder to clobber the symlink");
  assert.equal(
    await Deno.readTextFile(`${out}/root/private/etc/beacon/policy.toml`),
    policyText,
  );
  assert.equal(await Deno.stat(`${tmp.path}/pwned`).catch(() => null), null, "nothing ran");

  const path = `${out}/root/${PLIST}`;
  const plist = await readPlist(path);
  assert.deepEqual(plist.value, {
    ...COLLECTOR_PLIST,
    EnvironmentVariables: { BEACON_POLICY: "/etc/beacon/policy.toml" },
  });
  assert.equal(plist.canonical, true);
  assert.equal((await readXmlShape(path)).root, "plist");
  const text = await Deno.readTextFile(path);
  assert.ok(!text.includes("a&b") && !text.includes(tmp.path), "the build path stays out");
});

Deno.test("xml_escape escapes every XML special character so it reads back; refuses control characters", async () => {
  const hostile = `a&b<c>d"e'f ]]> &amp; $(x) é`;
  const escaped = await run(BASH, [
    "-c",
    'source "$1"; xml_escape "$2"',
    "bash",
    PAYLOAD_SCRIPT,
    hostile,
  ]);
  assert.equal(escaped.code, 0, escaped.stderr);
  assert.equal(
    escaped.stdout,
    "a&amp;b&lt;c&gt;d&quot;e&apos;f ]]&gt; &amp;amp; $(x) é\n",
  );
  const readBack = await python<string>(
    `import json, sys, xml.dom.minidom
dom = xml.dom.minidom.parseString("<string>" + sys.argv[1] + "</string>")
print(json.dumps(dom.documentElement.firstChild.data))`,
    escaped.stdout.trimEnd(),
  );
  assert.equal(readBack, hostile);

  for (const value of ["tab\there", "line\nbreak", "bell\x07"]) {
    const refused = await run(BASH, [
      "-c",
      'source "$1"; xml_escape "$2"',
      "bash",
      PAYLOAD_SCRIPT,
      value,
    ]);
    assert.equal(refused.code, 1, JSON.stringify(value));
    assert.match(
      refused.stderr,
      /cannot write .* into a property list: it holds a control character/,
    );
  }
});

Deno.test("build_pkg_payload.sh refuses bad input with one clear message and writes nothing", async () => {
  await using tmp = await tempDir();
  const binary = `${tmp.path}/fake-beacon`;
  await writeScript(binary, FAKE_BEACON);
  await Deno.writeTextFile(`${tmp.path}/empty`, "");
  const out = `${tmp.path}/out`;
  const cases: Array<[string[], number, RegExp]> = [
    [["--version", VERSION, "--out", out], 2, /missing --binary PATH/],
    [["--binary", binary, "--out", out], 2, /missing --version X\.Y\.Z/],
    [["--binary", binary, "--version", VERSION], 2, /missing --out DIR/],
    [["--binary", binary, "--version", VERSION, "--out"], 2, /--out needs a value/],
    [["--binary", binary, "--version", "1.2", "--out", out], 2, /"1\.2" is not a release version/],
    [
      ["--binary", binary, "--version", "1.2.3/x;rm", "--out", out],
      2,
      /is not a release version/,
    ],
    [
      ["--binary", binary, "--version", VERSION, "--out", out, "--sign"],
      2,
      /unknown argument "--sign"/,
    ],
    [["--binary", `${tmp.path}/nope`, "--version", VERSION, "--out", out], 1, /no such file/],
    [["--binary", `${tmp.path}/empty`, "--version", VERSION, "--out", out], 1, /is empty/],
    [
      ["--binary", binary, "--version", VERSION, "--out", out, "--policy", `${tmp.path}/nope`],
      1,
      /--policy ".*\/nope": no such file/,
    ],
  ];
  for (const [args, code, message] of cases) {
    const result = await run(BASH, [PAYLOAD_SCRIPT, ...args]);
    assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(await Deno.stat(out).catch(() => null), null, `${args.join(" ")}: wrote nothing`);
  }

  // A second build into the same folder would mix in files from the first one.
  await buildPayload(tmp.path, out, []);
  const again = await run(BASH, [
    PAYLOAD_SCRIPT,
    "--binary",
    binary,
    "--version",
    VERSION,
    "--out",
    out,
  ]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /root" already exists; remove it or choose another --out/);

  const help = await run(BASH, [PAYLOAD_SCRIPT, "--help"]);
  assert.equal(help.code, 0);
  assert.match(
    help.stdout,
    /^Usage: build_pkg_payload\.sh --binary PATH --version X\.Y\.Z --out DIR/,
  );
});

/** The build scripts and the Installer scripts, as written and as laid out in the payload. */
async function shellScripts(dir: string): Promise<string[]> {
  const out = `${dir}/out`;
  await buildPayload(dir, out);
  return [
    PAYLOAD_SCRIPT,
    PKG_SCRIPT,
    `${MACOS_DIR}scripts/preinstall`,
    `${MACOS_DIR}scripts/postinstall`,
    `${out}/scripts/preinstall`,
    `${out}/scripts/postinstall`,
  ];
}

Deno.test("the build and Installer scripts pass bash -n", async () => {
  await using tmp = await tempDir();
  for (const script of await shellScripts(tmp.path)) {
    const syntax = await run(BASH, ["-n", script]);
    assert.equal(syntax.code, 0, `${script}: ${syntax.stderr}`);
  }
});

const hasShellcheck = (await run("sh", ["-c", "command -v shellcheck"])).code === 0;

Deno.test({
  name: "the build and Installer scripts pass shellcheck (needs shellcheck; CI installs it)",
  ignore: !hasShellcheck,
  async fn() {
    await using tmp = await tempDir();
    const scripts = await shellScripts(tmp.path);
    const lint = await run("shellcheck", ["--shell=bash", "--severity=style", ...scripts]);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
  },
});

/** A fake `launchctl` knowing one job, loaded while $LAUNCHCTL_STATE exists; records its calls. */
const FAKE_LAUNCHCTL = `echo "$*" >>"$LAUNCHCTL_RECORD"
case "$1" in
print) [ -e "$LAUNCHCTL_STATE" ] && exit 0; echo "Could not find service \\"$2\\"" >&2; exit 113 ;;
bootout)
  if [ -n "$BOOTOUT_FAILS" ]; then echo "Boot-out failed: 5: Input/output error" >&2; exit 5; fi
  rm -f "$LAUNCHCTL_STATE"; exit 0 ;;
esac
exit 64
`;

/**
 * How to run a command with /opt and /var/log replaced by folders of the test (a private mount
 * namespace), so postinstall can install "on the running system" without touching it; null
 * where that is not possible (macOS, or a container without mount namespaces).
 */
async function mountSandbox(): Promise<string[] | null> {
  await using tmp = await tempDir();
  const probe = `${tmp.path}/probe`;
  await Deno.mkdir(probe);
  const attempts = Deno.uid() === 0
    ? [["--mount", "--propagation", "private"], ["--user", "--map-root-user", "--mount"]]
    : [["--user", "--map-root-user", "--mount"]];
  for (const args of attempts) {
    const tried = await run("unshare", [
      ...args,
      "sh",
      "-c",
      'mount --bind "$1" /opt && mount --bind "$1" /var/log',
      "sh",
      probe,
    ]).catch(() => null);
    if (tried?.code === 0) return args;
  }
  return null;
}

/** The `unshare` arguments of the sandbox, or null where none can be made (tests ignored). */
const sandbox = await mountSandbox();
const SANDBOX_NEEDS = "(needs a mount namespace: Linux with unshare and mount, as root or with " +
  "user namespaces)";

/**
 * The running system as postinstall sees it, in a sandbox: the payload's /opt, an empty
 * /var/log, a fake launchctl first on PATH.
 */
async function runningSystem(dir: string) {
  const unshare = sandbox;
  assert.ok(unshare, "only called by tests that are ignored without a sandbox");
  const out = `${dir}/out`;
  await buildPayload(dir, out);
  const opt = `${dir}/opt`;
  const varLog = `${dir}/var-log`;
  await Deno.mkdir(varLog);
  const copy = await run("cp", ["-R", `${out}/root/opt`, opt]);
  assert.equal(copy.code, 0, copy.stderr);
  await writeScript(`${dir}/stubs/launchctl`, FAKE_LAUNCHCTL);
  const state = `${dir}/launchctl-loaded`;
  const postinstall = async ({ fakeExit = 0, loadsDaemon = true } = {}) => {
    for (const record of ["beacon-calls", "launchctl-calls"]) {
      await Deno.remove(`${dir}/${record}`).catch(() => {});
    }
    if (loadsDaemon) await Deno.writeTextFile(state, "");
    else await Deno.remove(state).catch(() => {});
    return run("unshare", [
      ...unshare,
      "sh",
      "-c",
      'mount --bind "$1" /opt && mount --bind "$2" /var/log && shift 2 && exec "$@"',
      "sh",
      opt,
      varLog,
      `${out}/scripts/postinstall`,
      `${dir}/Beacon.pkg`,
      "/",
      "/",
      "/",
    ], {
      PATH: `${dir}/stubs:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      // What an admin's shell could leave behind; postinstall must not pass it on.
      HOME: `${dir}/admin-home`,
      BEACON_POLICY: "/leaked/policy.toml",
      BEACON_SYSTEM_ROOT: "/leaked",
      FAKE_RECORD: `${dir}/beacon-calls`,
      FAKE_EXIT: String(fakeExit),
      LAUNCHCTL_RECORD: `${dir}/launchctl-calls`,
      LAUNCHCTL_STATE: state,
    });
  };
  const recorded = (name: string) => Deno.readTextFile(`${dir}/${name}`).catch(() => null);
  return {
    postinstall,
    recorded,
    binary: `${opt}/beacon/bin/beacon`,
    logFile: `${varLog}/beacon-agent/install.log`,
    logDir: `${varLog}/beacon-agent`,
  };
}

Deno.test({
  name:
    "postinstall runs `beacon endpoint install --system`, checks the daemon is loaded, logs it " +
    SANDBOX_NEEDS,
  ignore: sandbox === null,
}, async () => {
  await using tmp = await tempDir();
  const system = await runningSystem(tmp.path);
  const result = await system.postinstall();
  assert.equal(result.code, 0, result.stdout + result.stderr);

  assert.equal(
    await system.recorded("beacon-calls"),
    "args=endpoint install --system\n" +
      "HOME=/var/root\n" +
      "BEACON_SYSTEM_ROOT=<unset>\n" +
      "BEACON_POLICY=<unset>\n",
  );
  assert.equal(await system.recorded("launchctl-calls"), `print system/${LABEL}\n`);
  const log = await Deno.readTextFile(system.logFile);
  assert.match(log, /postinstall: installing Beacon 1\.2\.3 on target volume "\/"\n/);
  assert.match(log, /postinstall: running: \/opt\/beacon\/bin\/beacon endpoint install --system\n/);
  assert.match(log, /^fake beacon: configured the collector and Codex$/m);
  assert.match(log, /postinstall: collector system\/dev\.asymptote\.beacon\.collector is loaded\n/);
  assert.match(log, /postinstall: Beacon 1\.2\.3 installed\n$/);
  assert.equal(result.stdout, log, "Installer's log gets the same lines");
  const logDir = await Deno.stat(system.logDir);
  assert.equal(logDir.mode! & 0o777, 0o750, "admins may read the logs, nobody else");
});

Deno.test({
  name: "postinstall fails the installation, saying why: beacon fails, no daemon, no binary " +
    SANDBOX_NEEDS,
  ignore: sandbox === null,
}, async () => {
  await using tmp = await tempDir();
  const system = await runningSystem(tmp.path);
  const failed = await system.postinstall({ fakeExit: 3 });
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /^fake beacon: configured the collector and Codex$/m);
  assert.match(
    failed.stdout,
    /postinstall: error: `beacon endpoint install --system` failed \(exit 3\); its output is above\n/,
  );
  assert.match(
    failed.stdout,
    /Beacon 1\.2\.3 is NOT installed correctly\. .* sudo \/opt\/beacon\/bin\/beacon endpoint install --system\n$/,
  );
  assert.ok(!failed.stdout.includes("Beacon 1.2.3 installed"));
  assert.equal(await system.recorded("launchctl-calls"), null, "stops at the failure");
  assert.ok((await Deno.readTextFile(system.logFile)).endsWith(failed.stdout), "all in the log");

  const notLoaded = await system.postinstall({ loadsDaemon: false });
  assert.equal(notLoaded.code, 1);
  assert.match(
    notLoaded.stdout,
    /error: `beacon endpoint install --system` succeeded but the collector daemon system\/dev\.asymptote\.beacon\.collector is not loaded\n/,
  );

  await Deno.remove(system.binary);
  const missing = await system.postinstall();
  assert.equal(missing.code, 1);
  assert.match(
    missing.stdout,
    /error: \/opt\/beacon\/bin\/beacon is missing or not executable: the package payload did not install\n/,
  );
  assert.equal(await system.recorded("beacon-calls"), null);
});

Deno.test("postinstall on another volume: the files stay, nothing runs, the log says what to do", async () => {
  await using tmp = await tempDir();
  const out = `${tmp.path}/out`;
  await buildPayload(tmp.path, out);
  const target = `${tmp.path}/Macintosh HD`;
  await Deno.mkdir(target);
  const copy = await run("cp", ["-R", `${out}/root/.`, target]);
  assert.equal(copy.code, 0, copy.stderr);
  await writeScript(`${tmp.path}/stubs/launchctl`, FAKE_LAUNCHCTL);

  const result = await run(`${out}/scripts/postinstall`, [
    `${tmp.path}/Beacon.pkg`,
    "/",
    target,
    "/",
  ], {
    PATH: `${tmp.path}/stubs:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    FAKE_RECORD: `${tmp.path}/beacon-calls`,
    LAUNCHCTL_RECORD: `${tmp.path}/launchctl-calls`,
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(
    await Deno.stat(`${tmp.path}/beacon-calls`).catch(() => null),
    null,
    "beacon not run",
  );
  assert.equal(
    await Deno.stat(`${tmp.path}/launchctl-calls`).catch(() => null),
    null,
    "launchd untouched",
  );
  const log = await Deno.readTextFile(`${target}/var/log/beacon-agent/install.log`);
  assert.equal(log, result.stdout);
  assert.match(log, /installing Beacon 1\.2\.3 on target volume ".*\/Macintosh HD"\n/);
  assert.match(
    log,
    /is not the running system: the files are installed and the collector starts when it boots\. .*`sudo \/opt\/beacon\/bin\/beacon endpoint install --system` on it once it has booted\.\n$/,
  );
  assert.ok((await Deno.stat(`${target}/opt/beacon/bin/beacon`)).isFile);
});

Deno.test("preinstall stops a loaded collector, ignores one that is not loaded, fails if it cannot", async () => {
  await using tmp = await tempDir();
  const out = `${tmp.path}/out`;
  await buildPayload(tmp.path, out);
  const stubs = `${tmp.path}/stubs`;
  await writeScript(`${stubs}/launchctl`, FAKE_LAUNCHCTL);
  const state = `${tmp.path}/loaded`;
  const record = `${tmp.path}/launchctl-calls`;
  const preinstall = async (target: string, loaded: boolean, bootoutFails = false) => {
    await Deno.remove(record).catch(() => {});
    if (loaded) await Deno.writeTextFile(state, "");
    else await Deno.remove(state).catch(() => {});
    const result = await run(`${out}/scripts/preinstall`, ["/x/Beacon.pkg", "/", target, "/"], {
      PATH: `${stubs}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      LAUNCHCTL_RECORD: record,
      LAUNCHCTL_STATE: state,
      BOOTOUT_FAILS: bootoutFails ? "1" : "",
    });
    const calls = await Deno.readTextFile(record).catch(() => "");
    return { ...result, calls: calls.split("\n").filter(Boolean) };
  };

  const notLoaded = await preinstall("/", false);
  assert.equal(notLoaded.code, 0, notLoaded.stdout + notLoaded.stderr);
  assert.deepEqual(notLoaded.calls, [`print system/${LABEL}`]);
  assert.match(notLoaded.stdout, /is not loaded: nothing to stop/);

  const loaded = await preinstall("/", true);
  assert.equal(loaded.code, 0, loaded.stdout + loaded.stderr);
  assert.deepEqual(loaded.calls, [`print system/${LABEL}`, `bootout system/${LABEL}`]);
  assert.equal(await Deno.stat(state).catch(() => null), null, "the collector was stopped");

  const stuck = await preinstall("/", true, true);
  assert.equal(stuck.code, 1);
  assert.deepEqual(stuck.calls, [
    `print system/${LABEL}`,
    `bootout system/${LABEL}`,
    `print system/${LABEL}`,
  ]);
  assert.match(
    stuck.stdout,
    /error: could not stop the running collector: Boot-out failed: 5: Input\/output error\n/,
  );
  assert.match(stuck.stdout, /Nothing was changed\. Stop it with `sudo launchctl bootout system\//);

  const otherVolume = await preinstall("/Volumes/Other Mac", true);
  assert.equal(otherVolume.code, 0);
  assert.deepEqual(otherVolume.calls, [], "launchd runs only what the running system booted");
});

Deno.test("distribution.xml: one hidden choice installing dev.asymptote.beacon, both architectures", async () => {
  await using tmp = await tempDir();
  const template = await Deno.readTextFile(`${MACOS_DIR}distribution.xml`);
  assert.ok(template.includes('version="@BEACON_VERSION@"'));
  await Deno.writeTextFile(
    `${tmp.path}/distribution.xml`,
    template.replaceAll("@BEACON_VERSION@", VERSION),
  );
  const shape = await python<Record<string, unknown>>(
    `import json, sys, xml.dom.minidom
dom = xml.dom.minidom.parse(sys.argv[1])
root = dom.documentElement
options = root.getElementsByTagName("options")[0]
domains = root.getElementsByTagName("domains")[0]
refs = [r for r in root.getElementsByTagName("pkg-ref") if r.firstChild]
print(json.dumps({
  "root": root.tagName,
  "hostArchitectures": options.getAttribute("hostArchitectures"),
  "customize": options.getAttribute("customize"),
  "domains": {k: domains.getAttribute(k) for k in ("enable_anywhere", "enable_currentUserHome", "enable_localSystem")},
  "packages": [[r.getAttribute("id"), r.getAttribute("version"), r.firstChild.data] for r in refs],
  "choices": [c.getAttribute("id") for c in root.getElementsByTagName("choice")],
}))`,
    `${tmp.path}/distribution.xml`,
  );
  assert.deepEqual(shape, {
    root: "installer-gui-script",
    hostArchitectures: "x86_64,arm64",
    customize: "never",
    domains: {
      enable_anywhere: "false",
      enable_currentUserHome: "false",
      enable_localSystem: "true",
    },
    packages: [["dev.asymptote.beacon", VERSION, "beacon-component.pkg"]],
    choices: ["default", "dev.asymptote.beacon"],
  });
  const buildScript = await Deno.readTextFile(PKG_SCRIPT);
  assert.ok(
    buildScript.includes('COMPONENT_PKG="beacon-component.pkg"'),
    "the name pkgbuild writes",
  );
  assert.ok(
    buildScript.includes('IDENTIFIER="dev.asymptote.beacon"'),
    "the identifier pkgbuild uses",
  );
});

/** Runs build_pkg.sh on a fake binary; returns its result and where the package would be. */
async function buildPkg(dir: string) {
  const binary = `${dir}/fake-beacon`;
  await writeScript(binary, FAKE_BEACON);
  const pkg = `${dir}/dist/beacon-${VERSION}.pkg`;
  const result = await run(BASH, [
    PKG_SCRIPT,
    "--binary",
    binary,
    "--version",
    VERSION,
    "--out",
    pkg,
  ], {
    HOME: dir,
    TMPDIR: dir,
  });
  return { result, pkg };
}

const hasPkgbuild = (await run("sh", ["-c", "command -v pkgbuild"])).code === 0;

Deno.test({
  name:
    "build_pkg.sh refuses clearly without pkgbuild (needs a system without pkgbuild: not macOS)",
  ignore: hasPkgbuild,
}, async () => {
  await using tmp = await tempDir();
  const { result, pkg } = await buildPkg(tmp.path);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    /^build_pkg\.sh: cannot build a macOS package here: missing pkgbuild productbuild .*\(they come with macOS\)\. On other systems, build_pkg_payload\.sh lays out the same payload/,
  );
  assert.equal(result.stdout, "", "it stops before building anything");
  assert.equal(await Deno.stat(pkg).catch(() => null), null);
});

Deno.test({
  name: "build_pkg.sh builds an unsigned package (needs macOS: pkgbuild, pkgutil, lsbom)",
  ignore: !hasPkgbuild,
}, async () => {
  await using tmp = await tempDir();
  const { result, pkg } = await buildPkg(tmp.path);
  // The real tools, no signing secrets.
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stderr, /APPLE_INSTALLER_IDENTITY is not set: .* is unsigned/);
  const expanded = `${tmp.path}/expanded`;
  const expand = await run("pkgutil", ["--expand", pkg, expanded]);
  assert.equal(expand.code, 0, expand.stderr);
  const bom = await run("lsbom", [`${expanded}/beacon-component.pkg/Bom`]);
  assert.equal(bom.code, 0, bom.stderr);
  // pkgbuild --ownership recommended: root:wheel (0/0), modes as laid out.
  assert.match(
    bom.stdout,
    new RegExp(`^\\./${PLIST.replaceAll(".", "\\.")}\\t100644\\t0/0\\t`, "m"),
  );
  assert.match(bom.stdout, /^\.\/opt\/beacon\/bin\/beacon\t100755\t0\/0\t/m);
});
