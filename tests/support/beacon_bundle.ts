/**
 * Runs Beacon the way it ships: the single-file build (the `bundle` task's
 * `tools/bundle_beacon.ts`, the file the `compile` task packs) run with exactly the permission
 * flags of the `compile` task in deno.json.
 */
import { BINARY_PERMISSION_FLAGS } from "../../lib/endpoint/binary_permission_flags.ts";
import { bundleBeaconTo } from "../../tools/bundle_beacon.ts";

export { BINARY_PERMISSION_FLAGS };

let bundled: Promise<string> | undefined;

/** Builds the single-file bundle once per test process and returns its path. */
export function bundleBeacon(): Promise<string> {
  bundled ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "beacon-bundle-" });
    const output = `${dir}/beacon.js`;
    await bundleBeaconTo(output);
    return output;
  })();
  return bundled;
}

/** What a Beacon run printed and returned. */
export interface BeaconRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bundled `beacon` with `args`, a clean environment (only what is given, plus PATH and
 * the Deno cache) and no colour.
 */
export async function runBeacon(
  args: string[],
  options: { env: Record<string, string>; cwd?: string; signal?: AbortSignal },
): Promise<BeaconRun> {
  const bundle = await bundleBeacon();
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    NO_COLOR: "1",
    ...options.env,
  };
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir) env.DENO_DIR = denoDir;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", ...BINARY_PERMISSION_FLAGS, bundle, ...args],
    cwd: options.cwd ?? options.env.HOME,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    signal: options.signal,
  }).output();
  return {
    code: result.code,
    stdout: new TextDecoder().decode(result.stdout),
    stderr: new TextDecoder().decode(result.stderr),
  };
}

/** A temporary HOME with its own CODEX_HOME, removed on dispose. */
export async function makeTempHome(): Promise<
  { home: string; codexHome: string; env: Record<string, string> } & AsyncDisposable
> {
  const home = await Deno.makeTempDir({ prefix: "beacon-home-" });
  const codexHome = `${home}/.codex`;
  return {
    home,
    codexHome,
    env: { HOME: home, CODEX_HOME: codexHome },
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}
