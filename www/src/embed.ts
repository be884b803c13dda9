// The embed page (embed.html#s=1.<data>, the payload of a share link): a compact view for
// documentation of one state machine: its definition, graph, Run/Step/Reset and the result,
// read-only unless `editable` is set, with an "Open in playground" link. It sizes itself to
// its content by posting {type: "aslplay:resize", height} to the parent page. Reuses the
// playground's modules (engine client, editors, graph, steps, inspector, share links).
//
// Options, as query or fragment parameters (fragment wins): panes=definition,input,mock,
// graph,result (which panes show; default definition,graph,result), height=<px> (fixed
// height: the panes scroll inside it), theme=light|dark (default: the reader's system),
// autorun=1 (runs once loaded), editable=1 (the editors can be changed).
//
// `embed.html#lesson=<id>` embeds a lesson of the tour instead (lessons/embedlesson.ts, loaded
// on demand): its title, goal, Check, Hint and verdict above the definition (always editable),
// input, graph and result.

import { EditorState, StateEffect } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { Engine } from "./engine";
import { JsonEditor, type Problem } from "./editors";
import { GraphView, buildGraph } from "./graph";
import { Inspector } from "./inspector";
import type { NodeStatus } from "./steps";
import { LinkError, decodeState, emptyState, encodeState, linkTo, payloadOf, type SharedState } from "./share";
import type { AwsDiagnostic, StartRequest } from "./protocol";
import { RunSession } from "./runsession";
import { setEnabled, whenEnabled } from "./dom";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** The panes an embed can show, in page order. */
export const PANES = ["definition", "input", "mock", "graph", "result"] as const;
type Pane = (typeof PANES)[number];

/** The embed's options, read from the URL. */
export interface EmbedOptions {
  panes: Set<Pane>;
  /** A fixed height in CSS pixels, or null to size to the content. */
  height: number | null;
  theme: "light" | "dark" | "system";
  autorun: boolean;
  editable: boolean;
  /** The lesson to embed (`lesson=<id>`), or null. */
  lesson: string | null;
}

const yes = (v: string | null) => v !== null && /^(1|true|yes|on|)$/i.test(v);

/** Reads the options from the query and the fragment (the fragment's win). */
export function readOptions(search: string, hash: string): EmbedOptions {
  const p = new URLSearchParams(search);
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ""))) if (k !== "s") p.set(k, v);
  const asked = (p.get("panes") ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s): s is Pane => (PANES as readonly string[]).includes(s));
  const height = Number(p.get("height"));
  const theme = p.get("theme");
  const lesson = p.get("lesson") || null;
  const panes: Pane[] = lesson ? ["definition", "input", "graph", "result"] : ["definition", "graph", "result"];
  return {
    panes: new Set(asked.length ? asked : panes),
    height: Number.isFinite(height) && height >= 100 ? Math.min(Math.round(height), 10_000) : null,
    theme: theme === "light" || theme === "dark" ? theme : "system",
    autorun: yes(p.get("autorun")),
    editable: yes(p.get("editable")) || lesson !== null,
    lesson,
  };
}

const options = readOptions(location.search, location.hash);
if (options.theme !== "system") document.documentElement.dataset.theme = options.theme;
if (options.height !== null) {
  document.documentElement.classList.add("fixed");
  document.documentElement.style.setProperty("--embed-height", `${options.height}px`);
}
for (const section of document.querySelectorAll<HTMLElement>("[data-pane]"))
  section.hidden = !options.panes.has(section.dataset.pane as Pane);

// ---- size reporting -------------------------------------------------------------------

let reported = -1;
/** Tells the parent page how tall the embed wants to be (when it has changed). */
function reportSize() {
  const height = options.height ?? Math.ceil(document.body.getBoundingClientRect().height);
  if (height === reported || window.parent === window) return;
  reported = height;
  window.parent.postMessage({ type: "aslplay:resize", height }, "*");
}
new ResizeObserver(reportSize).observe(document.body);

function showMessage(text: string) {
  const m = $("message");
  m.textContent = text;
  m.hidden = !text;
}

// ---- engine and execution (www/src/runsession.ts) --------------------------------------

let selected: string | null = null;
let shown: SharedState = emptyState();

const session = new RunSession(
  {
    changed: () => refresh(),
    startFailed(message, validation) {
      const n = validation ? ((JSON.parse(validation) as { diagnostics?: unknown[] }).diagnostics?.length ?? 0) : 0;
      showMessage(n ? `${message}: ${n} problem${n === 1 ? "" : "s"}.` : message);
    },
    fatal: (message) => showMessage(`The engine failed: ${message}.`),
  },
  (listener) =>
    new Engine(
      {
        ...listener,
        onReady(version) {
          document.body.dataset.engineVersion = version;
          for (const ed of editors) ed.view.dispatch({});
          if (options.autorun && payload !== null) void loaded.then(run);
        },
      },
      new URL("worker.js", location.href).href,
    ),
);
const engine = session.engine;
const tracker = session.tracker;

/** What the execution starts from: the state shown, with the editors' text. */
function startRequest(): StartRequest {
  showMessage("");
  const s = current();
  return {
    definition: s.definition,
    input: s.input,
    mock: s.mock,
    stateMachine: s.testCase?.[0] ?? "",
    testCase: s.testCase?.[1] ?? "",
    seed: s.seed,
    startTime: s.startTime,
    machine: s.machine,
    project: { files: s.files ?? {}, params: s.params ?? {} },
  };
}

function run() {
  if (session.phase === "starting") return;
  selected = null;
  session.run(startRequest);
}

function step() {
  if (session.phase === "starting") return;
  selected = null;
  session.step(startRequest);
}

// ---- views ------------------------------------------------------------------------------

const graph = new GraphView($("graph"), $("graph-message"), (name) => {
  selected = name;
  refresh();
});
const inspector = new Inspector($("inspector"));

function refresh() {
  const { events, phase, status } = session;
  const statuses = new Map<string, NodeStatus>();
  for (const [name, s] of tracker.latest) statuses.set(name, s.status);
  graph.setStatuses(statuses);
  graph.setTaken(tracker.moves);
  graph.setVisits(tracker.visits);
  const st = $("status");
  st.textContent = phase === "starting" ? "STARTING" : status || "Not started";
  st.dataset.status = status;
  setEnabled($("run"), phase !== "starting");
  setEnabled($("step"), phase !== "starting");
  setEnabled($("reset"), phase !== "idle");

  // The result pane: the selected state, else the step just made, else the execution's result.
  const last = events.length ? tracker.eventStep[events.length - 1] : -1;
  const step =
    selected !== null
      ? tracker.latest.get(selected)
      : phase === "active" && last !== undefined && last >= 0
        ? tracker.steps[last]
        : undefined;
  graph.select(step?.name ?? selected);
  if (step) {
    const enteredId = events[step.entered]?.id;
    const visits = tracker.steps.filter((x) => x.name === step.name && x.index <= step.index).length;
    const known = enteredId === undefined ? null : session.inspection(enteredId, step.exited !== undefined, refresh);
    inspector.showStep(step, events, visits, known);
  } else if (selected !== null)
    inspector.showExecution(null, `"${selected}" has not run${events.length ? "" : " yet: press Run or Step"}.`);
  else
    inspector.showExecution(
      phase === "finished" ? session.result : null,
      events.length ? "Step on, or Run to the end." : "Press Run or Step to execute it here (every service is mocked).",
      events,
      session.transitions,
    );
}

// ---- editors ----------------------------------------------------------------------------

const editable = options.editable;
async function checkDefinition(text: string): Promise<Problem[]> {
  if (!editable || !text.trim()) return [];
  const s = current();
  const project = { files: s.files ?? {}, params: s.params ?? {} };
  const v = JSON.parse(await engine.validate(text, s.machine, project)) as { diagnostics?: AwsDiagnostic[] } | null;
  return (v?.diagnostics ?? []).map((d) => ({
    line: d.line ?? 1,
    column: d.column ?? 1,
    severity: d.severity === "WARNING" ? "warning" : "error",
    message: d.message,
    code: d.code,
  }));
}
const checkJson =
  (what: "json" | "mock") =>
  async (text: string): Promise<Problem[]> => {
    if (!editable || !text.trim()) return [];
    const e = JSON.parse(await engine.checkJson(text, what)) as {
      message: string;
      line: number;
      column: number;
    } | null;
    return e ? [{ line: e.line, column: e.column, severity: "error", message: e.message }] : [];
  };
let linkTimer: ReturnType<typeof setTimeout> | undefined;
function edited() {
  clearTimeout(linkTimer);
  linkTimer = setTimeout(() => void updateOpenLink(), 300);
  if (session.phase !== "idle") session.reset();
}
const defEditor = new JsonEditor({
  parent: $("ed-definition"),
  label: "State machine definition",
  text: "",
  check: checkDefinition,
  onChange: (t) => {
    edited();
    lessonEdited();
    drawGraph(t);
  },
});
const inputEditor = new JsonEditor({
  parent: $("ed-input"),
  label: "Execution input",
  text: "",
  check: checkJson("json"),
  onChange: () => {
    edited();
    lessonEdited();
  },
});
const mockEditor = new JsonEditor({
  parent: $("ed-mock"),
  label: "Mock configuration",
  text: "",
  check: checkJson("mock"),
  onChange: () => {
    edited();
    lessonEdited();
  },
});
const editors = [defEditor, inputEditor, mockEditor];
if (!editable) {
  for (const ed of editors)
    ed.view.dispatch({
      effects: StateEffect.appendConfig.of([EditorState.readOnly.of(true), EditorView.editable.of(false)]),
    });
}

function current(): SharedState {
  return { ...shown, definition: defEditor.text, input: inputEditor.text, mock: mockEditor.text, step: undefined };
}

/** Points "Open in playground" at the state shown now (a lesson's embed links to its lesson instead). */
async function updateOpenLink() {
  if (options.lesson !== null) return;
  const link = linkTo(new URL("index.html", location.href).href, await encodeState(current()));
  ($("open") as HTMLAnchorElement).href = link;
}

let graphKey = "";
/** Draws the graph and sizes its pane to the graph's shape (within limits). */
function drawGraph(text: string) {
  let parsed: unknown = {};
  try {
    parsed = text.trim() ? JSON.parse(text) : {};
  } catch {
    return;
  }
  const model = buildGraph(parsed);
  const key = JSON.stringify(model);
  if (key === graphKey) return;
  graphKey = key;
  graph.render(model);
  sizeGraph();
  const comment = (parsed as { Comment?: unknown })?.Comment;
  $("title").textContent = typeof comment === "string" ? comment : "";
  refresh();
}

function sizeGraph() {
  if (options.height !== null) return graph.fit();
  const host = $("graph");
  const box = (graph.svg.querySelector(".viewport") as SVGGraphicsElement).getBBox();
  const width = host.clientWidth || 400;
  const scale = box.width ? Math.min(1, (width - 16) / box.width) : 1;
  host.style.height = `${Math.round(Math.min(480, Math.max(140, box.height * scale + 24)))}px`;
  graph.fit();
}
let lastWidth = 0;
new ResizeObserver(() => {
  const w = $("graph").clientWidth;
  if (w !== lastWidth) {
    lastWidth = w;
    sizeGraph();
  }
}).observe($("graph"));

// ---- the link ---------------------------------------------------------------------------

const payload = payloadOf(location.hash);

/** Called on every edit of a lesson embed (saves the learner's work); nothing otherwise. */
let lessonEdited: () => void = () => undefined;

async function load() {
  if (options.lesson !== null) return loadLesson(options.lesson);
  if (payload === null) {
    showMessage(
      "This embed has no state machine: its address needs a #s=… share link payload (use Copy embed code in the playground).",
    );
  } else {
    try {
      shown = await decodeState(payload);
    } catch (e) {
      shown = emptyState();
      showMessage(
        `This embed's link could not be opened: ${e instanceof LinkError ? e.message : "it could not be read"}.`,
      );
    }
  }
  defEditor.setText(shown.definition);
  inputEditor.setText(shown.input);
  mockEditor.setText(shown.mock);
  drawGraph(shown.definition);
  await updateOpenLink();
  refresh();
}

/** Embeds a lesson (lessons/embedlesson.ts, fetched now). */
async function loadLesson(id: string) {
  $("open").hidden = true; // the lesson box links to the tour instead
  try {
    const m = await import("./lessons/embedlesson");
    lessonEdited = await m.installEmbedLesson(id, {
      engine,
      work: () => ({ definition: defEditor.text, input: inputEditor.text, mock: mockEditor.text }),
      show(w) {
        session.reset();
        shown = { ...emptyState(), definition: w.definition, input: w.input, mock: w.mock };
        defEditor.setText(w.definition);
        inputEditor.setText(w.input);
        mockEditor.setText(w.mock);
        drawGraph(w.definition);
        refresh();
      },
      showMocks() {
        for (const s of document.querySelectorAll<HTMLElement>('[data-pane="mock"]')) s.hidden = false;
      },
      before: document.querySelector(".embed-bar") as HTMLElement,
    });
  } catch (e) {
    showMessage(`The lesson could not be loaded: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

whenEnabled($("run"), run);
whenEnabled($("step"), step);
whenEnabled($("reset"), () => {
  selected = null;
  session.reset();
});
const loaded = load();
