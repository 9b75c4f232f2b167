import type { Policy } from "../policy/policy_schema.ts";

/** What `apply --plan` shows of one destination: where events go and how, never a secret. */
export interface DestinationView {
  name: string;
  endpoint: string;
  protocol: string;
  /** Each header's name and where its value comes from (`$VAR` or a file path). */
  headers: { name: string; from: string }[];
  /** The content rules this destination adds to the local ones (stricter only). */
  content: Record<string, string>;
  tls: Record<string, string>;
}

/**
 * The policy's `[[destinations]]` as people review them in a plan: the collector forwards to
 * them (the plan changes no file for them), and header values are named by their source, since
 * the policy never holds one.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * import { destinationsOfPolicy } from "./destinations_of_policy.ts";
 * const policy = v.parse(PolicySchema, { destinations: [{ name: "gw",
 *   endpoint: "https://gw.example:4318", headers: { authorization: { env: "GW_TOKEN" } } }] });
 * destinationsOfPolicy(policy)[0].headers; // [{ name: "authorization", from: "$GW_TOKEN" }]
 * ```
 */
export function destinationsOfPolicy(policy: Policy): DestinationView[] {
  return policy.destinations.map((destination) => ({
    name: destination.name,
    endpoint: destination.endpoint,
    protocol: destination.protocol,
    headers: Object.entries(destination.headers).map(([name, source]) => ({
      name,
      from: source.env !== undefined ? `$${source.env}` : `file ${source.file}`,
    })),
    content: Object.fromEntries(
      Object.entries(destination.content).filter(([, rule]) => rule !== undefined),
    ) as Record<string, string>,
    tls: Object.fromEntries(
      Object.entries(destination.tls).filter(([, value]) => value !== undefined),
    ) as Record<string, string>,
  }));
}

/** The destinations as text for a plan; "" when there are none. */
export function renderDestinations(views: readonly DestinationView[]): string {
  if (views.length === 0) return "";
  const lines = ["", "Destinations (the collector forwards the runtime log's events to them):"];
  for (const view of views) {
    lines.push(`  -> ${view.name}: ${view.endpoint} (${view.protocol})`);
    if (view.headers.length) {
      lines.push(
        `       headers: ${view.headers.map((h) => `${h.name} from ${h.from}`).join(", ")}`,
      );
    }
    const content = Object.entries(view.content);
    if (content.length) {
      lines.push(`       content: ${content.map(([kind, rule]) => `${kind} ${rule}`).join(", ")}`);
    }
    const tls = Object.entries(view.tls);
    if (tls.length) {
      lines.push(`       tls: ${tls.map(([key, value]) => `${key} ${value}`).join(", ")}`);
    }
  }
  return lines.join("\n") + "\n";
}
