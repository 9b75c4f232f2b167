/**
 * `apply --plan` shows where the collector forwards events (issue 13): each destination, its
 * protocol, where its header values come from (never a value), its stricter content rules.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";

Deno.test("apply --plan lists the policy's destinations, text and JSON, naming header sources only", async () => {
  await using tmp = await makeTempHome();
  const policy = join(tmp.home, "policy.toml");
  await Deno.writeTextFile(
    policy,
    `version = 1
[[destinations]]
name = "gateway"
endpoint = "https://otel-gateway.example:4318"
headers = { authorization = { env = "GW_TOKEN", prefix = "Bearer " } }
tls = { ca_file = "/etc/beacon/ca.pem" }
content = { prompt = "drop", tool_arguments = "hash" }
`,
  );
  const secret = "gw-secret-value-0123456789";
  const env = { ...tmp.env, GW_TOKEN: secret };
  const text = await runBeacon(["apply", "--plan", "--policy", policy], { env });
  assert.equal(text.code, 2, text.stderr);
  assert.match(text.stdout, /Destinations \(the collector forwards/);
  assert.match(text.stdout, /-> gateway: https:\/\/otel-gateway\.example:4318 \(http\/protobuf\)/);
  assert.match(text.stdout, /headers: authorization from \$GW_TOKEN/);
  assert.match(text.stdout, /content: prompt drop, tool_arguments hash/);
  const json = await runBeacon(["apply", "--plan", "--json", "--policy", policy], { env });
  const parsed = JSON.parse(json.stdout);
  assert.deepEqual(parsed.destinations[0].headers, [{ name: "authorization", from: "$GW_TOKEN" }]);
  assert.equal(parsed.destinations[0].tls.ca_file, "/etc/beacon/ca.pem");
  for (const run of [text, json]) {
    assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), "no header value");
  }
  // No destinations: nothing added to the plan.
  const plain = await runBeacon(["apply", "--plan"], { env: tmp.env });
  assert.doesNotMatch(plain.stdout, /Destinations/);
});
