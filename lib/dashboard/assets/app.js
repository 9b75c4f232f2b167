// Beacon dashboard: the page's script. Plain DOM (every value set as text, never as HTML), the
// read-only JSON API of the same origin, uPlot for charts. Bundled into Beacon; no CDN.
/* global uPlot */
"use strict";

const main = document.getElementById("main");
const banner = document.getElementById("banner");
const live = document.getElementById("live");
const footer = document.getElementById("footer");
const presetInput = document.getElementById("range-preset");
const fromInput = document.getElementById("range-from");
const toInput = document.getElementById("range-to");

let generation = 0;
let renderedGeneration = -1;
let rendering = false;
let renderAgain = null;
let charts = [];
let pendingCharts = [];

const PRESETS = { "1h": 3600e3, "24h": 86400e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3 };
const KIND_LABELS = {
  session_start: "Session start",
  prompt: "Prompt",
  approval: "Approval",
  command_run: "Command",
  file_change: "File change",
  mcp_tool_call: "MCP call",
  tool_result: "Tool result",
  agent_response: "Agent response",
  automated_review: "Automated review",
  token_usage: "Tokens",
  span: "Span",
  metric: "Metric",
  error: "Unreadable line",
};

// --- small DOM helpers -------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const number = (n) => (n ?? 0).toLocaleString("en-US");
const when = (ms) =>
  (ms === null || ms === undefined) ? "—" : new Date(ms).toLocaleString("en-GB", {
    year: "numeric",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
const shortId = (id) => id.length > 13 ? id.slice(0, 8) + "…" + id.slice(-4) : id;

function sessionLink(id, anchor) {
  return el("a", {
    href: `/sessions/${encodeURIComponent(id)}${anchor ? "#" + anchor : ""}`,
    title: id,
  }, shortId(id));
}

function kindBadge(kind) {
  return el("span", { class: `kind kind-${kind}` }, KIND_LABELS[kind] ?? kind);
}

// --- time range -----------------------------------------------------------------------------

function rangeParams() {
  const params = new URLSearchParams(location.search);
  const preset = params.get("range") ?? "all";
  const out = {};
  if (preset in PRESETS) out.from = String(Date.now() - PRESETS[preset]);
  if (preset === "custom") {
    const from = Date.parse(params.get("from") ?? "");
    const to = Date.parse(params.get("to") ?? "");
    if (Number.isFinite(from)) out.from = String(from);
    if (Number.isFinite(to)) out.to = String(to);
  }
  return out;
}

function syncRangeInputs() {
  const params = new URLSearchParams(location.search);
  presetInput.value = params.get("range") ?? "all";
  fromInput.value = params.get("from") ?? "";
  toInput.value = params.get("to") ?? "";
  const custom = presetInput.value === "custom";
  fromInput.disabled = !custom;
  toInput.disabled = !custom;
}

function onRangeChange() {
  const params = new URLSearchParams(location.search);
  params.set("range", presetInput.value);
  if (presetInput.value === "custom") {
    if (fromInput.value) params.set("from", fromInput.value);
    else params.delete("from");
    if (toInput.value) params.set("to", toInput.value);
    else params.delete("to");
  } else {
    params.delete("from");
    params.delete("to");
  }
  if (presetInput.value === "all") params.delete("range");
  navigate(location.pathname + (params.size ? "?" + params : ""), { replace: true });
}

// --- data -----------------------------------------------------------------------------------

async function api(path, params = {}) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== ""),
  );
  const response = await fetch(path + (query.size ? "?" + query : ""), {
    credentials: "same-origin",
  });
  if (response.status === 401) {
    throw new Error(
      "This page's session ended (the dashboard was restarted?). Open the URL that `beacon dashboard` printed.",
    );
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `The dashboard answered ${response.status}.`);
  return body;
}

// --- views ----------------------------------------------------------------------------------

function card(label, value, extra) {
  return el(
    "div",
    { class: "card" + (extra ? " " + extra : "") },
    el("span", { class: "card-value" }, number(value)),
    el("span", { class: "card-label" }, label),
  );
}

function chart(title, description, options, data) {
  const holder = el("div", { class: "chart-body" });
  const figure = el(
    "figure",
    { class: "chart", "aria-label": `${title}: ${description}` },
    el("figcaption", {}, el("h2", {}, title), el("p", { class: "hint" }, description)),
    holder,
  );
  // Drawn once the figure is on the page, where it has a width.
  pendingCharts.push(() => {
    if (typeof uPlot !== "function") return;
    const width = Math.max(320, holder.clientWidth - 8);
    charts.push(new uPlot({ width, height: 220, ...options }, data, holder));
  });
  return figure;
}

function table(caption, headers, rows, emptyText) {
  if (!rows.length) return el("p", { class: "empty" }, emptyText);
  return el(
    "table",
    {},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c))))),
  );
}

async function renderOverview() {
  const data = await api("/api/overview", rangeParams());
  const t = data.totals;
  const parts = [
    el("h1", { tabindex: "-1" }, "Overview"),
    el(
      "section",
      { class: "cards", "aria-label": "Totals" },
      card("Events", t.events),
      card("Sessions", t.sessions),
      card("Prompts", t.prompts),
      card("Commands", t.commands),
      card("Files changed", t.filesChanged),
      card("MCP calls", t.mcpCalls),
      card("Approvals", t.approvals),
      card("Denials", t.denials, t.denials ? "warn" : ""),
      card("Failures", t.failures, t.failures ? "warn" : ""),
      card("Input tokens", t.inputTokens),
      card("Output tokens", t.outputTokens),
      card("Unreadable lines", t.unreadableLines, t.unreadableLines ? "warn" : ""),
    ),
  ];
  const tl = data.timeline;
  if (tl.times.length) {
    parts.push(
      chart(
        "Events over time",
        `per ${tl.bucketSeconds >= 86400 ? "day" : "hour"}: all events, commands and failures`,
        {
          scales: { x: { time: true } },
          series: [{}, { label: "Events", stroke: "#1f5fbf", width: 2 }, {
            label: "Commands",
            stroke: "#2b7a3d",
            width: 2,
          }, { label: "Failures", stroke: "#b3261e", width: 2 }],
        },
        [tl.times, tl.events, tl.commands, tl.failures],
      ),
    );
  }
  const tk = data.tokensByDay;
  if (tk.days.length) {
    const palette = ["#1f5fbf", "#8a4fbf", "#2b7a3d", "#b35c00", "#b3261e"];
    const bars = uPlot.paths && uPlot.paths.bars
      ? uPlot.paths.bars({ size: [0.6, 60] })
      : undefined;
    parts.push(chart("Tokens by day", "input plus output tokens per model and day", {
      scales: { x: { time: true, range: (_u, min, max) => [min - 86400, max + 86400] } },
      axes: [{}, { size: 80 }],
      series: [
        {},
        ...tk.models.map((model, i) => ({
          label: model,
          stroke: palette[i % palette.length],
          fill: palette[i % palette.length] + "55",
          paths: bars,
        })),
      ],
    }, [
      tk.days,
      ...tk.models.map((_, m) => tk.days.map((_, d) => tk.input[m][d] + tk.output[m][d])),
    ]));
  }
  parts.push(
    el(
      "section",
      {},
      table(
        "Tokens by model",
        ["Model", "Responses", "Input", "Output"],
        data.tokensByModel.map((
          row,
        ) => [row.model, number(row.responses), number(row.input), number(row.output)]),
        "No token usage in this range.",
      ),
    ),
  );
  parts.push(
    el(
      "section",
      {},
      table(
        "Latest sessions",
        ["Session", "Started", "Model", "First command"],
        data.latestSessions.map((
          s,
        ) => [
          sessionLink(s.session_id),
          when(s.first_ms),
          s.model ?? "—",
          s.first_command ? el("code", {}, s.first_command) : "—",
        ]),
        "No sessions in this range.",
      ),
    ),
  );
  if (data.errors.length) {
    parts.push(
      el(
        "section",
        {},
        table(
          "Unreadable lines (newest first)",
          ["Where and why", "Start of the line"],
          data.errors.map((
            e,
          ) => [el("span", { class: "error-text" }, e.error), el("code", {}, e.line)]),
          "",
        ),
      ),
    );
  }
  return parts;
}

const SORTABLE = [
  ["first_ms", "Started"],
  ["last_ms", "Last event"],
  ["model", "Model"],
  ["events", "Events"],
  ["commands", "Commands"],
  ["files", "Files"],
  ["failures", "Failures"],
  ["denials", "Denials"],
  ["input_tokens", "Input tokens"],
];

async function renderSessions() {
  const params = new URLSearchParams(location.search);
  const sort = params.get("sort") ?? "last_ms";
  const dir = params.get("dir") ?? "desc";
  const offset = Number(params.get("offset") ?? 0);
  const data = await api("/api/sessions", {
    ...rangeParams(),
    sort,
    dir,
    offset,
    limit: 50,
    q: params.get("q") ?? "",
    model: params.get("model") ?? "",
    harness: params.get("harness") ?? "",
    environment: params.get("environment") ?? "",
  });
  const select = (name, label, values) =>
    el(
      "label",
      {},
      label,
      el(
        "select",
        { name },
        el("option", { value: "" }, "Any"),
        values.map((v) => el("option", { value: v, selected: params.get(name) === v }, v)),
      ),
    );
  const form = el(
    "form",
    {
      class: "filters",
      "aria-label": "Filter sessions",
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams(location.search);
        for (const [key, value] of new FormData(event.target)) {
          if (value) next.set(key, String(value));
          else next.delete(key);
        }
        next.delete("offset");
        navigate("/sessions?" + next);
      },
    },
    el(
      "label",
      {},
      "Session, folder or command",
      el("input", { name: "q", type: "search", value: params.get("q") ?? "" }),
    ),
    select("model", "Model", data.facets.models),
    select("harness", "Harness", data.facets.harnesses),
    select("environment", "Environment", data.facets.environments),
    el("button", { type: "submit" }, "Filter"),
  );

  const header = (column, label) => {
    const active = column === sort;
    const next = new URLSearchParams(location.search);
    next.set("sort", column);
    next.set("dir", active && dir === "desc" ? "asc" : "desc");
    next.delete("offset");
    return el(
      "th",
      {
        scope: "col",
        "aria-sort": active ? (dir === "asc" ? "ascending" : "descending") : undefined,
      },
      el(
        "button",
        { type: "button", class: "sort", onclick: () => navigate("/sessions?" + next) },
        label,
        active ? (dir === "asc" ? " ▲" : " ▼") : "",
      ),
    );
  };
  const rows = data.sessions.map((s) =>
    el(
      "tr",
      {},
      el("td", {}, sessionLink(s.session_id)),
      el("td", {}, when(s.first_ms)),
      el("td", {}, when(s.last_ms)),
      el("td", {}, s.model ?? "—"),
      el("td", { class: "num" }, number(s.events)),
      el("td", { class: "num" }, number(s.commands)),
      el("td", { class: "num" }, number(s.files)),
      el("td", { class: "num" }, number(s.failures)),
      el("td", { class: "num" }, number(s.denials)),
      el("td", { class: "num" }, number(s.input_tokens)),
      el("td", {}, s.workdir ? el("code", {}, s.workdir) : "—"),
      el("td", {}, s.first_command ? el("code", {}, s.first_command) : "—"),
    )
  );
  const pager = el(
    "nav",
    { class: "pager", "aria-label": "Pages" },
    el(
      "span",
      {},
      `${number(data.total)} sessions; showing ${data.total ? offset + 1 : 0}–${
        offset + data.sessions.length
      }`,
    ),
    offset > 0
      ? el("a", { href: withParam("offset", Math.max(0, offset - 50)) }, "Previous")
      : null,
    offset + 50 < data.total ? el("a", { href: withParam("offset", offset + 50) }, "Next") : null,
  );
  return [
    el("h1", { tabindex: "-1" }, "Sessions"),
    form,
    data.sessions.length
      ? el(
        "table",
        { class: "sessions" },
        el("caption", {}, "Sessions (select a column to sort)"),
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", { scope: "col" }, "Session"),
            SORTABLE.map(([c, l]) => header(c, l)),
            el("th", { scope: "col" }, "Working folder"),
            el("th", { scope: "col" }, "First command"),
          ),
        ),
        el("tbody", {}, rows),
      )
      : el("p", { class: "empty" }, "No sessions match."),
    pager,
  ];
}

function withParam(name, value) {
  const params = new URLSearchParams(location.search);
  params.set(name, String(value));
  return location.pathname + "?" + params;
}

/** A content field exactly as the policy kept it, with what happened to it said in words. */
function content(label, field, event) {
  if (!field) return null;
  const marks = [];
  let body;
  if (event && event.source_redacted && !field.text) {
    marks.push(el("span", { class: "mark mark-drop" }, "withheld by the harness"));
  } else if (field.mode === "drop") {
    marks.push(el("span", { class: "mark mark-drop" }, `dropped · ${number(field.bytes)} bytes`));
  } else if (field.mode === "hash") {
    marks.push(el("span", { class: "mark mark-hash" }, `hashed · ${number(field.bytes)} bytes`));
    body = el("code", { class: "hash" }, `sha256:${field.sha256 ?? ""}`);
  } else {
    if (field.mode === "redact") {
      marks.push(
        el(
          "span",
          { class: field.redactions ? "mark mark-redact" : "mark mark-note" },
          field.redactions
            ? `redacted · ${field.redactions} secret${field.redactions === 1 ? "" : "s"} removed`
            : "redact rule · no secret found",
        ),
      );
    }
    if (field.truncated) {
      marks.push(
        el(
          "span",
          { class: "mark mark-trunc" },
          `truncated · ${number(field.bytes)} bytes originally`,
        ),
      );
    }
    body = el("pre", {}, field.text ?? "");
  }
  return el(
    "div",
    { class: "content" },
    el("div", { class: "content-head" }, el("strong", {}, label), marks),
    body,
  );
}

function entryView(entry) {
  if (!entry.event) {
    return el(
      "li",
      { id: `e-${entry.seq}`, class: "entry entry-error" },
      el("span", { class: "error-text" }, entry.error),
    );
  }
  const e = entry.event;
  const facts = [];
  const fact = (name, value) => {
    if (value !== undefined && value !== null && value !== "") {
      facts.push(el("span", { class: "fact" }, `${name}: ${value}`));
    }
  };
  const bodies = [];
  switch (e.kind) {
    case "session_start":
      fact("provider", e.provider);
      fact("approvals", e.approval_policy);
      fact("sandbox", e.sandbox_policy);
      fact("MCP servers", (e.mcp_servers ?? []).join(", "));
      break;
    case "prompt":
      fact("length", e.prompt_length);
      bodies.push(content("Prompt", e.prompt, e));
      break;
    case "approval":
      fact("tool", e.tool_name);
      fact("decision", e.decision);
      fact("by", e.decided_by);
      break;
    case "command_run":
      fact("exit code", e.exit_code);
      fact("duration", e.duration_ms !== null ? `${e.duration_ms} ms` : null);
      fact("success", e.success === null ? "unknown" : String(e.success));
      bodies.push(
        content("Command", e.command),
        content("Working folder", e.workdir),
        content("Output", e.output),
      );
      break;
    case "file_change":
      fact("paths", e.path_count);
      fact("paths rule", e.paths_mode);
      fact(
        "operations",
        Object.entries(e.operations ?? {}).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(
          ", ",
        ),
      );
      if (e.paths?.length) {
        bodies.push(
          el(
            "div",
            { class: "content" },
            el(
              "div",
              { class: "content-head" },
              el("strong", {}, "Paths"),
              e.paths_truncated
                ? el("span", { class: "mark mark-trunc" }, "some paths left out")
                : null,
            ),
            el(
              "ul",
              { class: "paths" },
              e.paths.map((p) =>
                el("li", {}, el("a", { href: `/search?q=${encodeURIComponent(p)}` }, p))
              ),
            ),
          ),
        );
      } else {
        bodies.push(
          el(
            "div",
            { class: "content" },
            el("span", { class: "mark mark-drop" }, `paths dropped · ${e.path_count} path(s)`),
          ),
        );
      }
      bodies.push(content("Output", e.output));
      break;
    case "mcp_tool_call":
      fact("server", e.mcp_server);
      fact("tool", e.mcp_tool);
      fact("success", String(e.success));
      bodies.push(content("Arguments", e.arguments), content("Output", e.output));
      break;
    case "tool_result":
      fact("tool", e.tool_name);
      fact("success", String(e.success));
      bodies.push(content("Arguments", e.arguments), content("Output", e.output));
      break;
    case "agent_response":
      fact("agent", e.agent_type);
      bodies.push(content("Response", e.response));
      break;
    case "automated_review":
      fact("outcome", e.outcome);
      fact("risk", e.risk_level);
      fact("status", e.status);
      bodies.push(content("Rationale", e.rationale));
      break;
    case "token_usage":
      fact("input", number(e.input_tokens));
      fact("output", number(e.output_tokens));
      fact("cached", e.cached_tokens !== undefined ? number(e.cached_tokens) : null);
      fact("reasoning", e.reasoning_tokens !== undefined ? number(e.reasoning_tokens) : null);
      break;
    default:
      fact("source", e.source_event);
  }
  const failed = e.success === false || (typeof e.exit_code === "number" && e.exit_code !== 0) ||
    e.approved === false;
  return el(
    "li",
    { id: `e-${entry.seq}`, class: "entry" + (failed ? " entry-bad" : "") },
    el(
      "div",
      { class: "entry-head" },
      el("time", { datetime: e.time }, when(Date.parse(e.time))),
      kindBadge(e.kind),
      facts,
    ),
    bodies,
  );
}

async function renderSession(id) {
  const data = await api(`/api/sessions/${encodeURIComponent(id)}`);
  const s = data.session;
  return [
    el("p", {}, el("a", { href: "/sessions" }, "← All sessions")),
    el("h1", { tabindex: "-1" }, "Session ", el("code", {}, s.session_id)),
    el(
      "dl",
      { class: "meta" },
      [
        ["Started", when(s.first_ms)],
        ["Last event", when(s.last_ms)],
        ["Harness", s.harness ?? "—"],
        ["Model", s.model ?? "—"],
        ["Environment", s.environment ?? "—"],
        ["Client", s.originator ?? "—"],
        ["Events", number(s.events)],
        ["Commands", number(s.commands)],
        ["Failures", number(s.failures)],
        ["Tokens", `${number(s.input_tokens)} in · ${number(s.output_tokens)} out`],
      ]
        .map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v))),
    ),
    el("h2", {}, "Timeline"),
    data.truncated
      ? el("p", { class: "hint" }, "Only the first events of this session are shown.")
      : null,
    el("ol", { class: "timeline" }, data.entries.map(entryView)),
  ];
}

async function renderSearch() {
  const params = new URLSearchParams(location.search);
  const q = params.get("q") ?? "";
  const kind = params.get("kind") ?? "";
  const form = el(
    "form",
    {
      class: "filters",
      role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams(location.search);
        for (const [key, value] of new FormData(event.target)) {
          if (value) next.set(key, String(value));
          else next.delete(key);
        }
        navigate("/search?" + next);
      },
    },
    el(
      "label",
      {},
      "Search kept text, commands, paths and kinds",
      el("input", { id: "search-input", name: "q", type: "search", value: q, autocomplete: "off" }),
    ),
    el(
      "label",
      {},
      "Kind",
      el(
        "select",
        { name: "kind" },
        el("option", { value: "" }, "Any"),
        Object.entries(KIND_LABELS).filter(([k]) => k !== "error").map(([k, label]) =>
          el("option", { value: k, selected: k === kind }, label)
        ),
      ),
    ),
    el("button", { type: "submit" }, "Search"),
  );
  const parts = [el("h1", { tabindex: "-1" }, "Search"), form];
  if (q) {
    const data = await api("/api/search", { ...rangeParams(), q, kind });
    parts.push(
      table(
        `${data.hits.length}${data.more ? "+" : ""} results for “${q}”`,
        ["Time", "Kind", "Session", "What"],
        data.hits.map((
          h,
        ) => [
          when(h.time_ms),
          kindBadge(h.kind),
          h.session_id ? sessionLink(h.session_id, `e-${h.seq}`) : "—",
          el("code", {}, h.summary),
        ]),
        `Nothing found for “${q}”.`,
      ),
    );
  }
  return parts;
}

// --- routing and live updates -------------------------------------------------------------------

function currentView() {
  const path = location.pathname;
  if (path === "/sessions") return { name: "sessions", render: renderSessions };
  if (path.startsWith("/sessions/")) {
    return { name: "sessions", render: () => renderSession(decodeURIComponent(path.slice(10))) };
  }
  if (path === "/search") return { name: "search", render: renderSearch };
  return { name: "overview", render: renderOverview };
}

async function render({ focus = false } = {}) {
  if (rendering) {
    renderAgain = { focus: focus || (renderAgain?.focus ?? false) };
    return;
  }
  rendering = true;
  const view = currentView();
  const seen = generation;
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    if (link.dataset.view === view.name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  syncRangeInputs();
  try {
    pendingCharts = [];
    const parts = await view.render();
    const active = document.activeElement;
    const keep = active && main.contains(active) && active.name ? active.name : null;
    for (const c of charts) c.destroy();
    charts = [];
    main.replaceChildren(...parts.flat().filter(Boolean));
    for (const draw of pendingCharts.splice(0)) draw();
    renderedGeneration = seen;
    if (keep) main.querySelector(`[name="${keep}"]`)?.focus();
    if (focus) main.querySelector("h1")?.focus();
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  } catch (error) {
    main.replaceChildren(
      el("h1", { tabindex: "-1" }, "Cannot show this view"),
      el("p", { class: "error-text" }, error.message),
    );
  } finally {
    rendering = false;
    if (renderAgain) {
      const next = renderAgain;
      renderAgain = null;
      render(next);
    }
  }
}

function navigate(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  render({ focus: !replace });
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (
    !link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
    event.shiftKey
  ) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || link.getAttribute("href").startsWith("#")) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});
globalThis.addEventListener("popstate", () => render());
document.getElementById("range").addEventListener("change", onRangeChange);
document.getElementById("range").addEventListener("submit", (event) => {
  event.preventDefault();
  onRangeChange();
});
document.addEventListener("keydown", (event) => {
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName ?? "");
  if (event.key === "/" && !typing) {
    event.preventDefault();
    if (location.pathname !== "/search") navigate("/search");
    setTimeout(() => document.getElementById("search-input")?.focus(), 50);
  }
});

async function poll() {
  try {
    const status = await api("/api/status");
    generation = status.generation;
    live.textContent = status.indexing
      ? `Indexing… ${number(status.rows)} lines read`
      : `Live · ${number(status.rows)} lines indexed`;
    const problems = [status.warning, status.error].filter(Boolean);
    banner.hidden = problems.length === 0;
    banner.replaceChildren(...problems.map((text) => el("p", {}, text)));
    footer.textContent = `Runtime log: ${status.logPath} · index: ${status.indexPath}`;
    // A live update never takes away what someone is typing.
    const typing = main.contains(document.activeElement) &&
      /^(INPUT|SELECT)$/.test(document.activeElement.tagName);
    if (generation !== renderedGeneration && !rendering && !typing) await render();
  } catch (error) {
    live.textContent = "Disconnected";
    banner.hidden = false;
    banner.replaceChildren(el("p", {}, error.message));
  }
  setTimeout(poll, 500);
}

render();
poll();
