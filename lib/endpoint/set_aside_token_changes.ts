import type { Change, Plan, SettingsStep } from "../reconcile/plan.ts";
import { isTomlTable, type TomlValue } from "../toml/toml_value.ts";
import { tomlValuesEqual } from "../toml/toml_values_equal.ts";

/** A setting whose only difference from the policy could be the collector token. */
export interface TokenBearingSetting {
  harness: string;
  target: string;
  key: string;
}

/**
 * Splits a settings plan computed with `placeholder` standing in for a collector token that
 * could not be read (a system endpoint's token is root's). A change whose current value equals
 * the wanted one except where the token goes cannot be judged without the token: it is set
 * aside as not checked, not reported as drift. A change that differs anywhere else (another
 * address, a missing exporter) stays drift. Pure.
 *
 * @example
 * ```ts
 * import { setAsideTokenChanges } from "./set_aside_token_changes.ts";
 * const change = {
 *   action: "update" as const, target: "config.toml", key: "otel.exporter",
 *   before: { authorization: "Bearer real-token" }, after: { authorization: "Bearer PH" },
 * };
 * const plan = {
 *   formatVersion: 1 as const, policySource: "p.toml", createdAt: "", warnings: [],
 *   steps: [{
 *     kind: "toml-settings" as const, harness: "codex", path: "config.toml",
 *     realPath: "config.toml", fingerprint: null, createMode: 0o600, edits: [],
 *     changes: [change], conflicts: [], owned: {}, originals: {},
 *   }],
 * };
 * const { drift, notChecked } = setAsideTokenChanges(plan, "PH");
 * drift.steps[0].changes.length; // 0
 * notChecked; // [{ harness: "codex", target: "config.toml", key: "otel.exporter" }]
 * ```
 */
export function setAsideTokenChanges(
  plan: Plan<SettingsStep>,
  placeholder: string,
): { drift: Plan<SettingsStep>; notChecked: TokenBearingSetting[] } {
  const notChecked: TokenBearingSetting[] = [];
  const steps = plan.steps.map((step) => {
    const changes: Change[] = [];
    for (const change of step.changes) {
      if (
        change.before !== undefined && change.after !== undefined &&
        equalButForToken(change.before, change.after, placeholder)
      ) {
        notChecked.push({ harness: step.harness, target: change.target, key: change.key });
      } else {
        changes.push(change);
      }
    }
    return { ...step, changes };
  });
  return { drift: { ...plan, steps }, notChecked };
}

/**
 * `found` is `wanted` with some non-empty text where `wanted` holds `placeholder`, and at least
 * one placeholder was there (otherwise the change is not about the token).
 */
function equalButForToken(found: TomlValue, wanted: TomlValue, placeholder: string): boolean {
  let sawPlaceholder = false;
  const pending: [TomlValue | undefined, TomlValue | undefined][] = [[found, wanted]];
  while (pending.length) {
    const [x, y] = pending.pop()!;
    if (typeof y === "string" && y.includes(placeholder)) {
      if (typeof x !== "string" || !matchesWithTokens(x, y.split(placeholder))) return false;
      sawPlaceholder = true;
    } else if (Array.isArray(y)) {
      if (!Array.isArray(x) || x.length !== y.length) return false;
      y.forEach((item, i) => pending.push([x[i], item]));
    } else if (isTomlTable(y)) {
      if (!isTomlTable(x)) return false;
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
        pending.push([x[key], y[key]]);
      }
    } else if (!tomlValuesEqual(x, y)) {
      return false;
    }
  }
  return sawPlaceholder;
}

/** `text` is `parts` joined by non-empty, whitespace-free tokens. */
function matchesWithTokens(text: string, parts: string[]): boolean {
  const escaped = parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join("\\S+")}$`).test(text);
}
