/**
 * The Action's download path (action/resolve_beacon.sh, action/install_beacon.sh) against a fake
 * release folder served over file://: the archive named by action/release_names.sh is installed
 * only when its SHA-256 matches SHA256SUMS, then found in the cache without downloading again.
 */
import assert from "node:assert/strict";
import { parseCommandFile } from "../support/run_composite_action.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FAKE_BEACON = "#!/bin/sh\necho 'beacon 9.9.9 (fake release)'\n";

async function bash(script: string, args: string[], env: Record<string, string>) {
  const output = await new Deno.Command("bash", {
    args: [`${ROOT}action/${script}`, ...args],
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** A fake runner and release: `tamper` changes the archive after its checksum was taken. */
async function setUp(dir: string, options: { tamper?: boolean; listed?: boolean } = {}) {
  const target = (await bash("release_names.sh", ["target", "Linux", "X64"], {})).stdout.trim();
  const archive = (await bash("release_names.sh", ["archive", target], {})).stdout.trim();
  const checksums = (await bash("release_names.sh", ["checksums"], {})).stdout.trim();
  const release = `${dir}/release`;
  const stage = `${dir}/stage`;
  await Deno.mkdir(release, { recursive: true });
  await Deno.mkdir(stage);
  await Deno.mkdir(`${dir}/runner-temp`);
  await Deno.mkdir(`${dir}/tool-cache`);
  await Deno.writeTextFile(`${stage}/beacon`, FAKE_BEACON, { mode: 0o755 });
  const tar = await new Deno.Command("tar", {
    args: ["-czf", `${release}/${archive}`, "-C", stage, "beacon"],
  }).output();
  assert.ok(tar.success);
  const sum = await new Deno.Command("sha256sum", { args: [archive], cwd: release }).output();
  const line = new TextDecoder().decode(sum.stdout);
  await Deno.writeTextFile(
    `${release}/${checksums}`,
    (options.listed === false ? "" : line) +
      "0".repeat(64) + "  beacon-other-target.tar.gz\n",
  );
  if (options.tamper) {
    await Deno.writeTextFile(`${stage}/beacon`, "#!/bin/sh\necho pwned\n", { mode: 0o755 });
    await new Deno.Command("tar", {
      args: ["-czf", `${release}/${archive}`, "-C", stage, "beacon"],
    }).output();
  }
  return { target, archive, release };
}

/** Runs resolve then install as the Action does (the cache step between them restores nothing). */
async function install(dir: string, releaseUrl: string) {
  const env = {
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    RUNNER_TEMP: `${dir}/runner-temp`,
    RUNNER_TOOL_CACHE: `${dir}/tool-cache`,
    GITHUB_ACTION_PATH: ROOT,
    ACTION_REPOSITORY: "asymptote/beacon",
    BEACON_RELEASE_URL: releaseUrl,
  };
  const resolveOutput = `${dir}/resolve-output`;
  await Deno.writeTextFile(resolveOutput, "");
  const resolve = await bash("resolve_beacon.sh", [], {
    ...env,
    GITHUB_OUTPUT: resolveOutput,
    INPUT_VERSION: "",
    ACTION_REF: "v9.9.9",
  });
  assert.equal(resolve.code, 0, resolve.stdout + resolve.stderr);
  const resolved = parseCommandFile(await Deno.readTextFile(resolveOutput));
  const installOutput = `${dir}/install-output`;
  await Deno.writeTextFile(installOutput, "");
  const run = await bash("install_beacon.sh", [], {
    ...env,
    GITHUB_OUTPUT: installOutput,
    BEACON_SOURCE: resolved.source,
    BEACON_VERSION: resolved.version ?? "",
    BEACON_TARGET: resolved.target ?? "",
    BEACON_CACHE_PATH: resolved["cache-path"] ?? "",
  });
  return {
    resolved,
    run,
    outputs: parseCommandFile(await Deno.readTextFile(installOutput)),
  };
}

Deno.test("install: a release archive that matches SHA256SUMS is installed and then cached", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-install-" });
  try {
    const { target, release } = await setUp(dir);
    const first = await install(dir, `file://${release}`);
    assert.deepEqual(first.resolved, {
      source: "release",
      version: "v9.9.9",
      target,
      "cache-path": `${dir}/tool-cache/beacon/v9.9.9/${target}`,
      "cache-key": `beacon-v9.9.9-${target}`,
    });
    assert.equal(first.run.code, 0, first.run.stdout + first.run.stderr);
    assert.match(first.run.stdout, /SHA-256 verified/);
    assert.equal(first.outputs.beacon, `${dir}/tool-cache/beacon/v9.9.9/${target}/beacon`);
    assert.match(first.run.stdout, /beacon 9\.9\.9 \(fake release\)/);

    // The release is gone; the cache folder (what actions/cache restores) is enough.
    await Deno.remove(release, { recursive: true });
    const second = await install(dir, `file://${release}`);
    assert.equal(second.run.code, 0, second.run.stdout + second.run.stderr);
    assert.match(second.run.stdout, /from the cache/);
    assert.equal(second.outputs.beacon, first.outputs.beacon);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("install: a tampered archive is refused and nothing is cached", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-install-" });
  try {
    const { archive, release, target } = await setUp(dir, { tamper: true });
    const { run, outputs } = await install(dir, `file://${release}`);
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`::error::${archive} does not match SHA256SUMS`));
    assert.doesNotMatch(run.stdout, /pwned/);
    assert.equal(outputs.beacon, undefined);
    await assert.rejects(Deno.stat(`${dir}/tool-cache/beacon/v9.9.9/${target}/beacon`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("install: an archive SHA256SUMS does not list is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-install-" });
  try {
    const { archive, release } = await setUp(dir, { listed: false });
    const { run } = await install(dir, `file://${release}`);
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`has no SHA-256 for ${archive}`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("install: a version with no release says so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-install-" });
  try {
    await setUp(dir);
    const { run } = await install(dir, `file://${dir}/no-such-release`);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /::error::could not download .*is v9\.9\.9 a published Beacon release/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolve: source, refs that name no release, runners with no binary, bad versions", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-resolve-" });
  try {
    const cases: Array<[Record<string, string>, number, string | undefined]> = [
      [{ INPUT_VERSION: "source" }, 0, "source"],
      [{ ACTION_REF: "main" }, 0, "source"],
      [{ ACTION_REF: "" }, 0, "source"],
      [{ ACTION_REF: "v1.2.3", RUNNER_OS: "Windows" }, 0, "source"],
      [{ ACTION_REF: "v1.2.3" }, 0, "release"],
      [{ INPUT_VERSION: "v1.2.3/../../x" }, 1, undefined],
      [{ INPUT_BINARY_PATH: `${dir}/missing` }, 1, undefined],
    ];
    for (const [env, code, source] of cases) {
      const output = `${dir}/output`;
      await Deno.writeTextFile(output, "");
      const run = await bash("resolve_beacon.sh", [], {
        RUNNER_OS: "Linux",
        RUNNER_ARCH: "X64",
        RUNNER_TEMP: dir,
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_OUTPUT: output,
        ...env,
      });
      assert.equal(run.code, code, `${JSON.stringify(env)}: ${run.stdout}${run.stderr}`);
      assert.equal(parseCommandFile(await Deno.readTextFile(output)).source, source);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("install: version source runs main.ts with Deno and the binary's permission flags", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-source-" });
  try {
    const output = `${dir}/output`;
    await Deno.writeTextFile(output, "");
    // The Action's folder is this checkout, whose tools/ is installed, so npm is not run.
    const run = await bash("install_beacon.sh", [], {
      BEACON_SOURCE: "source",
      GITHUB_ACTION_PATH: ROOT.replace(/\/$/, ""),
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: output,
      HOME: dir,
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const wrapper = parseCommandFile(await Deno.readTextFile(output)).beacon;
    const text = await Deno.readTextFile(wrapper);
    assert.match(text, / run --quiet --no-prompt --frozen /);
    assert.match(
      text,
      /--allow-read --allow-write --allow-env --allow-net --allow-run --allow-sys/,
    );
    assert.doesNotMatch(text, /--allow-all|-A /);
    assert.match(run.stdout, /^beacon \d+\.\d+\.\d+/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
