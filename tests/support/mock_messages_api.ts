/**
 * A local stand-in for the Anthropic Messages API, scripted so the real Claude Code CLI can run a
 * whole session offline: ask for tool calls one after another, then give a final answer.
 *
 * What Claude Code 2.1.328 sends and expects (seen by recording its requests, see
 * `fixtures/claude-code-2.1.328/README.md`):
 * - `HEAD /api/hello` as a connectivity check (absent with
 *   `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`): any 200.
 * - `POST /v1/messages?beta=true` with `stream: true`, one per model turn. The body's `messages`
 *   hold the conversation, including `role: "system"` entries mid-conversation (never reject an
 *   unknown role); a tool's result comes back as a `tool_result` block whose `tool_use_id` is the
 *   id of the `tool_use` block the model sent.
 * - The reply is a Server-Sent-Events stream: `message_start` (whose `usage` holds the input and
 *   cache token counts), for each content block `content_block_start` / `_delta` / `_stop`
 *   (`text_delta` for text, `input_json_delta` for a tool's input), `message_delta` (stop reason
 *   and output tokens), `message_stop`. The `request-id` response header becomes `request_id` in
 *   Claude Code's telemetry; the usage numbers become its token attributes, verbatim.
 * - An error status with an `{"type":"error","error":{...}}` body is retried (a 400 six times),
 *   then reported as `claude_code.api_error`.
 *
 * @module
 */

/** One tool call the model asks for. */
export interface MockToolCall {
  /** `Bash`, `Write`, `Edit`, `Read`, `mcp__server__tool`, ... */
  name: string;
  input: Record<string, unknown>;
}

/** Token counts reported for every model turn. */
export interface MockMessagesUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/** The script the mock follows. */
export interface MockMessagesApiOptions {
  /** Tool calls asked for one per turn, in order, before the final answer. */
  toolCalls?: MockToolCall[];
  /** Text sent before each tool call. Defaults to `"I will run the tests."`. */
  preamble?: string;
  /** The final answer. Defaults to `"Done."`. */
  finalAnswer?: string;
  usage?: Partial<MockMessagesUsage>;
  /** Answer every `POST /v1/messages` with this error status instead. */
  failWith?: { status: number; message: string };
}

/** One request the mock received. */
export interface MockMessagesRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
}

/** A running mock. Close it before the test ends. */
export interface MockMessagesApi extends AsyncDisposable {
  /** For `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly requests: readonly MockMessagesRequest[];
  /** The text of every `tool_result` block seen, once per tool call, in order. */
  toolResults(): string[];
  close(): Promise<void>;
}

const DEFAULT_USAGE: MockMessagesUsage = {
  inputTokens: 1501,
  outputTokens: 42,
  cacheReadTokens: 104,
  cacheCreationTokens: 203,
};

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every `tool_result` block of the conversation, by the id of the call it answers. */
function toolResultsOf(body: unknown): Map<string, string> {
  const results = new Map<string, string>();
  if (!isObject(body) || !Array.isArray(body.messages)) return results;
  for (const message of body.messages) {
    if (!isObject(message) || !Array.isArray(message.content)) continue;
    for (const block of message.content) {
      if (!isObject(block) || block.type !== "tool_result") continue;
      const content = block.content;
      const text = typeof content === "string"
        ? content
        : Array.isArray(content)
        ? content.map((part) => isObject(part) && typeof part.text === "string" ? part.text : "")
          .join("")
        : "";
      results.set(String(block.tool_use_id), text);
    }
  }
  return results;
}

function sse(type: string, data: JsonObject): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/**
 * Starts the mock on a free loopback port.
 *
 * @example
 * ```ts
 * await using api = await startMockMessagesApi({
 *   toolCalls: [{ name: "Bash", input: { command: "echo hi", description: "Say hi" } }],
 *   finalAnswer: "All done",
 * });
 * // run claude -p with ANTHROPIC_BASE_URL=api.baseUrl
 * ```
 */
export async function startMockMessagesApi(
  options: MockMessagesApiOptions = {},
): Promise<MockMessagesApi> {
  const usage = { ...DEFAULT_USAGE, ...options.usage };
  const toolCalls = options.toolCalls ?? [];
  const requests: MockMessagesRequest[] = [];
  const seenResults = new Map<string, string>();
  let turn = 0;

  function reply(body: unknown): { text: string; id: string } {
    const model = isObject(body) && typeof body.model === "string" ? body.model : "mock-model";
    const results = toolResultsOf(body);
    for (const [id, text] of results) if (!seenResults.has(id)) seenResults.set(id, text);
    const id = `msg_mock_${String(++turn).padStart(4, "0")}`;
    // The next tool call is the first one whose result the conversation does not hold yet.
    const next = toolCalls.findIndex((_, index) => !results.has(toolUseId(index)));
    const blocks: JsonObject[] = [];
    if (next !== -1) {
      blocks.push({ type: "text", text: options.preamble ?? "I will run the tests." });
      blocks.push({ type: "tool_use", id: toolUseId(next), ...toolCalls[next] });
    } else {
      blocks.push({ type: "text", text: options.finalAnswer ?? "Done." });
    }
    let text = sse("message_start", {
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.inputTokens,
          cache_read_input_tokens: usage.cacheReadTokens,
          cache_creation_input_tokens: usage.cacheCreationTokens,
          output_tokens: 1,
        },
      },
    });
    blocks.forEach((block, index) => {
      if (block.type === "text") {
        text += sse("content_block_start", { index, content_block: { type: "text", text: "" } });
        text += sse("content_block_delta", {
          index,
          delta: { type: "text_delta", text: block.text },
        });
      } else {
        text += sse("content_block_start", {
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        });
        text += sse("content_block_delta", {
          index,
          delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
        });
      }
      text += sse("content_block_stop", { index });
    });
    text += sse("message_delta", {
      delta: { stop_reason: next !== -1 ? "tool_use" : "end_turn", stop_sequence: null },
      usage: { output_tokens: usage.outputTokens },
    });
    text += sse("message_stop", {});
    return { text, id };
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const raw = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    requests.push({
      method: request.method,
      path: url.pathname,
      headers: Object.fromEntries(request.headers),
      body,
    });
    if (url.pathname === "/v1/messages" && request.method === "POST") {
      if (options.failWith) {
        return Response.json(
          {
            type: "error",
            error: { type: "invalid_request_error", message: options.failWith.message },
          },
          { status: options.failWith.status, headers: { "request-id": `req_mock_err_${turn++}` } },
        );
      }
      const { text, id } = reply(body);
      return new Response(text, {
        headers: {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          "request-id": `req_mock_${id}`,
        },
      });
    }
    if (url.pathname === "/v1/messages/count_tokens") return Response.json({ input_tokens: 10 });
    if (url.pathname === "/v1/models") return Response.json({ data: [], has_more: false });
    if (url.pathname === "/api/hello") return Response.json({});
    return new Response("not found", { status: 404 });
  }

  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: resolve }, handle);
  const address = await listening;
  let closed: Promise<void> | undefined;
  const close = () => closed ??= server.shutdown().then(() => server.finished);
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    requests,
    toolResults: () => [...seenResults.values()],
    close,
    [Symbol.asyncDispose]: close,
  };
}

function toolUseId(index: number): string {
  return `toolu_01MockCall${String(index + 1).padStart(12, "0")}`;
}
