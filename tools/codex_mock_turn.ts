/**
 * Runs one real Codex CLI turn (`codex exec`, from `tools/node_modules`) against the offline mock
 * model provider, with the environment it is given: `CODEX_HOME` as `beacon ci start`, `ci exec`
 * or the Action set it, and `OTEL_RESOURCE_ATTRIBUTES` with the run's context. The model asks
 * Codex to run `echo beacon-codex-turn` and then answers "Done.", so the run's log gets a session,
 * a prompt, a command run and token usage. Exits with Codex's exit code.
 *
 * ```sh
 * beacon ci exec -- tools/node_modules/.bin/deno run --allow-all tools/codex_mock_turn.ts
 * ```
 *
 * The model provider is given to Codex with `-c` flags, so `$CODEX_HOME/config.toml` (Beacon's)
 * is read as it is.
 *
 * @module
 */
import { startMockModelProvider } from "../tests/support/mock_model_provider.ts";
import { MOCK_API_KEY_ENV, MOCK_MODEL, runCodexExec } from "../tests/support/codex_cli.ts";

/** The command the mock model asks Codex to run. */
export const CODEX_TURN_COMMAND = "echo beacon-codex-turn";

if (import.meta.main) {
  const codexHome = Deno.env.get("CODEX_HOME");
  if (!codexHome) {
    console.error(
      "error: CODEX_HOME is not set: run this under `beacon ci exec`, or after `beacon ci start`",
    );
    Deno.exit(1);
  }
  const provider = await startMockModelProvider({
    shellCommand: CODEX_TURN_COMMAND,
    finalAnswer: "Done.",
  });
  const cwd = await Deno.makeTempDir({ prefix: "beacon-codex-turn-" });
  try {
    const providerTable = `{ name = "Beacon mock", base_url = ${
      JSON.stringify(provider.baseUrl)
    }, wire_api = "responses", env_key = "${MOCK_API_KEY_ENV}" }`;
    const result = await runCodexExec({
      codexHome,
      cwd,
      prompt: "Run the command, then say Done.",
      env: { ...Deno.env.toObject(), [MOCK_API_KEY_ENV]: "beacon-mock-key" },
      args: [
        "-c",
        `model=${JSON.stringify(MOCK_MODEL)}`,
        "-c",
        `model_provider="beacon_mock"`,
        "-c",
        `model_providers.beacon_mock=${providerTable}`,
      ],
    });
    await Deno.stdout.write(new TextEncoder().encode(result.stdout));
    await Deno.stderr.write(new TextEncoder().encode(result.stderr));
    if (result.timedOut) {
      console.error("error: Codex did not finish within its timeout");
    }
    Deno.exitCode = result.code;
  } finally {
    await provider.close();
    await Deno.remove(cwd, { recursive: true }).catch(() => {});
  }
}
