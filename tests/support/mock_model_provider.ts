/**
 * A local stand-in for the OpenAI Responses API, scripted so the real Codex CLI can run a whole
 * turn offline: request a shell command, optionally a patch, then give a final answer, and answer
 * the automated reviewer that `--approve-for-me` consults.
 *
 * What Codex 0.169.0 sends and expects (seen by recording its requests):
 * - `POST /v1/responses` with a JSON body (`model`, `instructions`, `input`, `tools`, `stream:
 *   true`, ...). The reply is a Server-Sent-Events stream: `response.created`, then for each output
 *   item `response.output_item.added` / `.done` (text also streams `response.output_text.delta` /
 *   `.done`), then `response.completed` whose `usage` block becomes the token counts Codex reports
 *   (`codex.sse_event` with `input_token_count`, `cached_token_count`, ...).
 * - The shell tool offered to an unknown model is the function `exec_command` with arguments
 *   `{"cmd": "...", "yield_time_ms": N}`; its result comes back in the next request's `input` as a
 *   `function_call_output` item with the same `call_id`.
 * - The automated reviewer (`--approve-for-me`) is a separate request whose
 *   `text.format.schema.properties` has `outcome`; its answer is an assistant message holding JSON
 *   `{risk_level, user_authorization, outcome, rationale}`.
 * - `GET /v1/models` is asked for the model catalogue; an empty list is accepted.
 *
 * @module
 */

/** What the automated reviewer (`codex exec --approve-for-me`) should decide. */
export interface MockReviewerAnswer {
  outcome: "allow" | "deny";
  /** Defaults to `"low"` for allow and `"high"` for deny. */
  riskLevel?: "low" | "medium" | "high" | "critical";
  /** Defaults to `"unknown"`. */
  userAuthorization?: "unknown" | "low" | "medium" | "high";
  /** Defaults to a short sentence naming the outcome. */
  rationale?: string;
}

/** Token counts reported in every `response.completed` event. */
export interface MockUsage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/** The script the mock follows for the agent's conversation. */
export interface MockModelProviderOptions {
  /** Shell command the model asks Codex to run first (tool `exec_command`). None if omitted. */
  shellCommand?: string;
  /** `yield_time_ms` sent with the shell command. Defaults to 10000. */
  yieldTimeMs?: number;
  /**
   * When set, the shell command asks to run outside the sandbox (`sandbox_permissions:
   * "require_escalated"`) with this justification, which makes Codex ask for approval. Under
   * `codex exec` (policy `never`) the request is refused outright; with `--approve-for-me` it goes
   * to the automated reviewer.
   */
  escalationJustification?: string;
  /** A patch (the `*** Begin Patch` format) the model asks Codex to apply after the command. */
  applyPatch?: string;
  /** Text of the final assistant message. Defaults to `"Done."`. */
  finalAnswer?: string;
  /** How the automated reviewer answers. Defaults to allow. */
  reviewer?: MockReviewerAnswer;
  /** Token counts reported in `response.completed`. */
  usage?: Partial<MockUsage>;
}

/** One HTTP request the mock received, with its body parsed when it was JSON. */
export interface MockRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body; `undefined` when the body was empty or not JSON. */
  body: unknown;
  /** How the mock classified a `POST /v1/responses` request; `"other"` for every other request. */
  kind: "agent" | "reviewer" | "other";
}

/** A running mock provider. Close it before the test ends. */
export interface MockModelProvider {
  /** Base URL for Codex's `model_providers.<id>.base_url`, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly MockRequest[];
  /**
   * The `output` of every `function_call_output` / `custom_tool_call_output` item seen, once per
   * `call_id`, in the order Codex first sent them.
   */
  toolOutputs(): string[];
  /** Stops listening and waits for in-flight requests to finish. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_USAGE: MockUsage = {
  inputTokens: 1200,
  cachedTokens: 200,
  outputTokens: 40,
  reasoningTokens: 8,
};

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function inputItems(body: unknown): JsonObject[] {
  if (!isObject(body) || !Array.isArray(body.input)) return [];
  return body.input.filter(isObject);
}

const TOOL_OUTPUT_TYPES = new Set(["function_call_output", "custom_tool_call_output"]);

function toolOutputText(item: JsonObject): string {
  const output = item.output;
  if (typeof output === "string") return output;
  if (Array.isArray(output)) {
    return output.map((part) => isObject(part) && typeof part.text === "string" ? part.text : "")
      .join("");
  }
  if (isObject(output) && typeof output.content === "string") return output.content;
  return JSON.stringify(output ?? "");
}

/** True when the request asks for a structured automated-review verdict. */
export function isReviewerRequest(body: unknown): boolean {
  if (!isObject(body) || !isObject(body.text)) return false;
  const format = body.text.format;
  if (!isObject(format) || !isObject(format.schema)) return false;
  const properties = format.schema.properties;
  return isObject(properties) && "outcome" in properties;
}

function toolNames(body: unknown): Set<string> {
  const names = new Set<string>();
  if (!isObject(body) || !Array.isArray(body.tools)) return names;
  for (const tool of body.tools) {
    if (isObject(tool) && typeof tool.name === "string") names.add(tool.name);
  }
  return names;
}

function findTool(body: unknown, name: string): JsonObject | undefined {
  if (!isObject(body) || !Array.isArray(body.tools)) return undefined;
  return body.tools.find((tool): tool is JsonObject => isObject(tool) && tool.name === name);
}

/** Server-Sent-Events encoder for one Responses API stream. */
class ResponseStream {
  #chunks: string[] = [];
  #sequence = 0;
  #output: JsonObject[] = [];
  readonly responseId: string;

  constructor(readonly model: string, private readonly ids: () => string) {
    this.responseId = `resp_${ids()}`;
    this.#event("response.created", {
      response: this.#response("in_progress", []),
    });
  }

  #response(status: string, output: JsonObject[], usage?: JsonObject): JsonObject {
    return {
      id: this.responseId,
      object: "response",
      created_at: Math.floor(Date.now() / 1000),
      status,
      model: this.model,
      output,
      ...(usage ? { usage } : {}),
    };
  }

  #event(type: string, payload: JsonObject): void {
    const data = { type, sequence_number: this.#sequence++, ...payload };
    this.#chunks.push(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /**
   * An assistant message. `phase: "final_answer"` marks the turn's answer, which is what Codex
   * exports as `codex.agent_response` (commentary between tool calls is not exported).
   */
  message(text: string, phase: "final_answer" | "commentary" = "final_answer"): void {
    const id = `msg_${this.ids()}`;
    const outputIndex = this.#output.length;
    const part = { type: "output_text", text: "", annotations: [] };
    this.#event("response.output_item.added", {
      output_index: outputIndex,
      item: { id, type: "message", status: "in_progress", role: "assistant", phase, content: [] },
    });
    this.#event("response.content_part.added", {
      item_id: id,
      output_index: outputIndex,
      content_index: 0,
      part,
    });
    for (const delta of splitForStreaming(text)) {
      this.#event("response.output_text.delta", {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        delta,
      });
    }
    this.#event("response.output_text.done", {
      item_id: id,
      output_index: outputIndex,
      content_index: 0,
      text,
    });
    const donePart = { ...part, text };
    this.#event("response.content_part.done", {
      item_id: id,
      output_index: outputIndex,
      content_index: 0,
      part: donePart,
    });
    const item = {
      id,
      type: "message",
      status: "completed",
      role: "assistant",
      phase,
      content: [donePart],
    };
    this.#event("response.output_item.done", { output_index: outputIndex, item });
    this.#output.push(item);
  }

  functionCall(name: string, args: JsonObject): void {
    const id = `fc_${this.ids()}`;
    const callId = `call_${this.ids()}`;
    const outputIndex = this.#output.length;
    const argumentsJson = JSON.stringify(args);
    this.#event("response.output_item.added", {
      output_index: outputIndex,
      item: {
        id,
        type: "function_call",
        status: "in_progress",
        name,
        call_id: callId,
        arguments: "",
      },
    });
    this.#event("response.function_call_arguments.delta", {
      item_id: id,
      output_index: outputIndex,
      delta: argumentsJson,
    });
    this.#event("response.function_call_arguments.done", {
      item_id: id,
      output_index: outputIndex,
      arguments: argumentsJson,
    });
    const item = {
      id,
      type: "function_call",
      status: "completed",
      name,
      call_id: callId,
      arguments: argumentsJson,
    };
    this.#event("response.output_item.done", { output_index: outputIndex, item });
    this.#output.push(item);
  }

  customToolCall(name: string, input: string): void {
    const id = `ctc_${this.ids()}`;
    const callId = `call_${this.ids()}`;
    const outputIndex = this.#output.length;
    this.#event("response.output_item.added", {
      output_index: outputIndex,
      item: {
        id,
        type: "custom_tool_call",
        status: "in_progress",
        name,
        call_id: callId,
        input: "",
      },
    });
    const item = {
      id,
      type: "custom_tool_call",
      status: "completed",
      name,
      call_id: callId,
      input,
    };
    this.#event("response.output_item.done", { output_index: outputIndex, item });
    this.#output.push(item);
  }

  complete(usage: MockUsage): string {
    this.#event("response.completed", {
      response: this.#response("completed", this.#output, {
        input_tokens: usage.inputTokens,
        input_tokens_details: { cached_tokens: usage.cachedTokens },
        output_tokens: usage.outputTokens,
        output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
        total_tokens: usage.inputTokens + usage.outputTokens,
      }),
    });
    return this.#chunks.join("");
  }
}

function splitForStreaming(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [text];
  return words.length > 0 ? words : [""];
}

function reviewerVerdict(answer: MockReviewerAnswer): string {
  return JSON.stringify({
    risk_level: answer.riskLevel ?? (answer.outcome === "allow" ? "low" : "high"),
    user_authorization: answer.userAuthorization ?? "unknown",
    outcome: answer.outcome,
    rationale: answer.rationale ??
      (answer.outcome === "allow"
        ? "The command is harmless and matches the request."
        : "Mock reviewer denies this command."),
  });
}

async function readBody(request: Request): Promise<unknown> {
  let stream = request.body;
  if (!stream) return undefined;
  const encoding = request.headers.get("content-encoding")?.toLowerCase();
  if (encoding === "gzip" || encoding === "deflate") {
    stream = stream.pipeThrough(new DecompressionStream(encoding));
  }
  const text = await new Response(stream).text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Starts the mock provider on 127.0.0.1 with a free port.
 *
 * @example
 * ```ts
 * const provider = await startMockModelProvider({
 *   shellCommand: "echo TOOL-OUTPUT-MARKER-5678",
 *   finalAnswer: "AGENT-RESPONSE-MARKER-9012",
 * });
 * try {
 *   // write mockProviderToml(provider.baseUrl) to $CODEX_HOME/config.toml and run codex exec
 * } finally {
 *   await provider.close();
 * }
 * ```
 */
export function startMockModelProvider(
  options: MockModelProviderOptions = {},
): Promise<MockModelProvider> {
  const usage: MockUsage = { ...DEFAULT_USAGE, ...options.usage };
  const requests: MockRequest[] = [];
  let nextId = 0;
  const ids = () => `mock${String(++nextId).padStart(4, "0")}`;

  function agentReply(body: unknown): string {
    const model = isObject(body) && typeof body.model === "string" ? body.model : "mock-model";
    const stream = new ResponseStream(model, ids);
    const completedToolCalls =
      inputItems(body).filter((item) =>
        typeof item.type === "string" && TOOL_OUTPUT_TYPES.has(item.type)
      ).length;
    const steps: Array<() => void> = [];
    if (options.shellCommand !== undefined) {
      const command = options.shellCommand;
      steps.push(() =>
        shellCall(
          stream,
          body,
          command,
          options.yieldTimeMs ?? 10_000,
          options.escalationJustification,
        )
      );
    }
    if (options.applyPatch !== undefined) {
      const patch = options.applyPatch;
      steps.push(() => patchCall(stream, body, patch));
    }
    const step = steps[completedToolCalls];
    if (step) step();
    else stream.message(options.finalAnswer ?? "Done.");
    return stream.complete(usage);
  }

  function reviewerReply(body: unknown): string {
    const model = isObject(body) && typeof body.model === "string" ? body.model : "mock-model";
    const stream = new ResponseStream(model, ids);
    stream.message(reviewerVerdict(options.reviewer ?? { outcome: "allow" }));
    return stream.complete(usage);
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const body = await readBody(request);
    const isResponses = request.method === "POST" && url.pathname === "/v1/responses";
    const kind = isResponses ? (isReviewerRequest(body) ? "reviewer" : "agent") : "other";
    requests.push({
      method: request.method,
      path: url.pathname,
      headers: Object.fromEntries(request.headers),
      body,
      kind,
    });
    if (isResponses) {
      const sse = kind === "reviewer" ? reviewerReply(body) : agentReply(body);
      return new Response(sse, {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    }
    if (request.method === "GET" && url.pathname === "/v1/models") {
      return Response.json({ object: "list", data: [], models: [] });
    }
    return new Response("not found\n", { status: 404 });
  }

  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: resolve }, handle);
  let closed: Promise<void> | undefined;

  return listening.then((address) => ({
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    port: address.port,
    requests,
    toolOutputs: () => {
      // Each request repeats the whole history, so the same output shows up again and again.
      const byCallId = new Map<string, string>();
      for (const request of requests) {
        for (const item of inputItems(request.body)) {
          if (typeof item.type !== "string" || !TOOL_OUTPUT_TYPES.has(item.type)) continue;
          const key = typeof item.call_id === "string" ? item.call_id : `#${byCallId.size}`;
          if (!byCallId.has(key)) byCallId.set(key, toolOutputText(item));
        }
      }
      return [...byCallId.values()];
    },
    close: () => {
      closed ??= server.shutdown().then(() => server.finished);
      return closed;
    },
  }));
}

function shellCall(
  stream: ResponseStream,
  body: unknown,
  command: string,
  yieldTimeMs: number,
  justification: string | undefined,
) {
  const escalation = justification === undefined
    ? {}
    : { sandbox_permissions: "require_escalated", justification };
  const names = toolNames(body);
  if (names.has("exec_command") || !names.has("shell")) {
    stream.functionCall("exec_command", {
      cmd: command,
      yield_time_ms: yieldTimeMs,
      ...escalation,
    });
  } else {
    stream.functionCall("shell", {
      command: ["bash", "-lc", command],
      timeout_ms: yieldTimeMs,
      ...escalation,
    });
  }
}

function patchCall(stream: ResponseStream, body: unknown, patch: string) {
  const tool = findTool(body, "apply_patch");
  if (tool?.type === "custom") stream.customToolCall("apply_patch", patch);
  else if (tool) stream.functionCall("apply_patch", { input: patch });
  else {
    const heredoc = `apply_patch <<'BEACON_PATCH'\n${patch}\nBEACON_PATCH\n`;
    stream.functionCall("exec_command", { cmd: heredoc, yield_time_ms: 10_000 });
  }
}
