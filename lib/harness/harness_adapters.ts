import type { HarnessAdapter } from "./harness_adapter.ts";
import { codexAdapter } from "./codex/codex_adapter.ts";

/** Every harness Beacon manages, in plan order. */
export const HARNESS_ADAPTERS: readonly HarnessAdapter[] = [codexAdapter];
