import assert from "node:assert/strict";
import { pointsAtBeacon } from "./points_at_beacon.ts";

Deno.test("the default collector addresses are Beacon, with any path", () => {
  assert.equal(pointsAtBeacon("http://127.0.0.1:4318/v1/logs"), true);
  assert.equal(pointsAtBeacon("http://127.0.0.1:4318"), true);
  assert.equal(pointsAtBeacon("http://127.0.0.1:4317"), true);
  assert.equal(pointsAtBeacon("http://localhost:4318/v1/logs"), true);
});

Deno.test("other hosts, ports and schemes are not Beacon", () => {
  assert.equal(pointsAtBeacon("https://otel.example.com/v1/logs"), false);
  assert.equal(pointsAtBeacon("http://127.0.0.1:4319/v1/logs"), false);
  assert.equal(pointsAtBeacon("https://127.0.0.1:4318/v1/logs"), false);
  assert.equal(pointsAtBeacon("http://10.0.0.5:4318/v1/logs"), false);
  assert.equal(pointsAtBeacon("not a url"), false);
});

Deno.test("the policy's listen addresses decide, IPv6 included", () => {
  assert.equal(pointsAtBeacon("http://[::1]:9000/v1/logs", ["[::1]:9000"]), true);
  assert.equal(pointsAtBeacon("http://127.0.0.1:9000/v1/logs", ["[::1]:9000"]), false);
  assert.equal(pointsAtBeacon("http://127.0.0.1:4318/v1/logs", ["127.0.0.1:9000"]), false);
  assert.equal(pointsAtBeacon("http://127.0.0.1:80/", ["127.0.0.1:80"]), true);
  assert.equal(pointsAtBeacon("http://127.0.0.1:4318/", ["not an address"]), false);
});
