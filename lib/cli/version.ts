import denoJson from "../../deno.json" with { type: "json" };

/** Beacon's version, from deno.json. */
export const VERSION: string = denoJson.version;
