// The page: wires the editors, the controls, the graph, the history and the inspector to the
// engine worker. Keeps what the user typed in localStorage. Renders what the engine returns;
// decides no ASL rule itself.

import { Engine } from "./engine";
import { JsonEditor, type Problem } from "./editors";
import { GraphView, buildGraph } from "./graph";
import { HistoryTable } from "./history";
import { Inspector } from "./inspector";
import { EXAMPLES, pretty } from "./examples";
import { StepTracker } from "./steps";
import type { AwsDiagnostic, HistoryEvent, Query } from "./protocol";
import { RunPanes } from "./panes";
import { RunOptions } from "./options";
import { installShare, storageHold } from "./sharebar";
import type { SharedState } from "./share";
import { showCrash } from "./crash";
import { ImportExport } from "./importexport";
import type { DefinitionSource } from "./definitionsource";
import { MapNavigator } from "./navigator";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// ---- persistence ----------------------------------------------------------------------

const KEY = "aslplay.";
const stored = (k: string) => {
  try {
    return localStorage.getItem(KEY + k);
  } catch {
    return null;
  }
};
const storeNotes = new Map<string, string>();
function store(k: string, v: string) {
  if (storageHold.holds(k, v)) return; // a shared link is shown: the user's work stays stored
  try {
    localStorage.setItem(KEY + k, v);
    storeNotes.delete(k);
  } catch {
    storeNotes.set(
      k,
      `The ${k} text (${(v.length / 1e6).toFixed(1)} MB) is too large to keep across reloads; it stays in the editor.`,
    );
  }
  showMessage([...storeNotes.values()].join(" "), "info");
}
const saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
function storeSoon(k: string, v: string) {
  clearTimeout(saveTimers.get(k));
  saveTimers.set(
    k,
    setTimeout(() => store(k, v), 250),
  );
}

function showMessage(text: string, kind: "error" | "info" = "error") {
  const m = $("message");
  m.textContent = text;
  m.dataset.kind = kind;
  m.hidden = !text;
}

// ---- theme ------------------------------------------------------------------------------

const THEMES = ["system", "light", "dark"] as const;
function applyTheme(t: string) {
  if (t === "light" || t === "dark") document.documentElement.dataset.theme = t;
  else delete document.documentElement.dataset.theme;
  $("theme").textContent = `◐ ${t[0].toUpperCase()}${t.slice(1)}`;
}
let theme = stored("theme") ?? "system";
applyTheme(theme);
$("theme").addEventListener("click", () => {
  theme = THEMES[(THEMES.indexOf(theme as (typeof THEMES)[number]) + 1) % THEMES.length];
  applyTheme(theme);
  store("theme", theme);
});

// ---- engine -----------------------------------------------------------------------------

let events: HistoryEvent[] = [];
/** How many events the view shows (Step back / Step move it; it follows new events at the end). */
let cursor = 0;
let engineStatus = "";
let result: Record<string, unknown> | null = null;
let phase: "idle" | "starting" | "active" | "finished" = "idle";
let pending: "run" | "step" = "run";
let running: "no" | "instant" | "animated" = "no";
let animTimer: ReturnType<typeof setTimeout> | undefined;
let selectedStep: number | null = null;
/** Step / Step back were pressed last: the inspector follows the step of the newest event shown. */
let stepping = false;
let stopRequested = false;
/** After Reset, the old execution's last answers are dropped until the next one starts. */
let discardEvents = false;

/** The engine's inspections of finished state visits, by the id of their entered event. */
const inspections = new Map<number, Record<string, unknown> | null>();
/** Counts executions, so an answer about an older one is not taken for the current one. */
let runSerial = 0;

const tracker = new StepTracker();
let viewTracker: StepTracker = tracker;

const engine = new Engine(
  {
    onReady(version) {
      document.body.dataset.engineVersion = version;
      performance.mark("aslplay:ready"); // time to interactive, read by benches/page.mjs
      for (const ed of editors) ed.view.dispatch({}); // re-lint with the engine's validator
    },
    onStarted() {
      discardEvents = false;
      phase = "active";
      engineStatus = "RUNNING";
      if (pending === "step") engine.step(1);
      else beginRun();
      refresh();
    },
    onStartFailed(message, validation) {
      discardEvents = false;
      phase = "idle";
      running = "no";
      let text = message;
      if (validation) {
        const v = JSON.parse(validation) as { diagnostics?: AwsDiagnostic[] };
        problems.definition = toProblems(v.diagnostics ?? []);
        renderProblems();
        const n = v.diagnostics?.length ?? 0;
        text = `${message}: ${n} problem${n === 1 ? "" : "s"} (see Problems).`;
      }
      showMessage(text);
      refresh();
    },
    onEvents(json, status, res) {
      if (discardEvents) return;
      const batch = JSON.parse(json) as HistoryEvent[];
      const following = cursor === events.length;
      for (const e of batch) events.push(e);
      if (following) cursor = events.length;
      engineStatus = status;
      if (res) result = JSON.parse(res);
      panes.noteEvents(batch, status !== "RUNNING");
      tracker.advance(events, events.length);
      if (status !== "RUNNING") {
        if (stepToShow !== null) [selectedStep, stepToShow, stepping] = [stepToShow, null, false];
        phase = "finished";
        running = "no";
        clearTimeout(animTimer);
      } else if (running === "animated" && !stopRequested) {
        animTimer = setTimeout(() => engine.step(1), speed());
      }
      stopRequested = false;
      history.update();
      refresh();
    },
    onFatal(message, restarted) {
      running = "no";
      clearTimeout(animTimer);
      if (phase === "starting" || phase === "active") {
        phase = "finished";
        if (engineStatus === "RUNNING" || !engineStatus) engineStatus = "ABORTED";
      }
      // A crash of a loaded engine (the worker was replaced): say what to report, with a link.
      if (restarted) void showCrash($("message"), message, true, document.body.dataset.engineVersion ?? "", shared());
      else showMessage(`The engine failed: ${message}.`);
      refresh();
    },
  },
  new URL("worker.js", location.href).href,
);

const speed = () => Number(($("speed") as HTMLSelectElement).value) || 0;

function beginRun() {
  if (speed() === 0) {
    running = "instant";
    engine.run(500);
  } else {
    running = "animated";
    engine.step(1);
  }
}

function startExecution(action: "run" | "step") {
  clearTimeout(animTimer);
  showMessage([...storeNotes.values()].join(" "), "info");
  resetView();
  clearTimeout(graphTimer);
  drawGraph(defEditor.text);
  phase = "starting";
  pending = action;
  if (action === "run") running = speed() === 0 ? "instant" : "animated";
  engine.start({
    definition: defEditor.text,
    input: inputEditor.text,
    mock: mockEditor.text,
    stateMachine: chosenTestCase()[0],
    testCase: chosenTestCase()[1],
    seed: runOptions.seed,
    startTime: runOptions.startTime,
    machine: io.machine,
  });
  refresh();
}

function resetView() {
  runSerial++;
  inspections.clear();
  events = [];
  cursor = 0;
  result = null;
  engineStatus = "";
  selectedStep = null;
  tracker.reset();
  viewTracker = tracker;
  mapNav.reset();
  history.reset();
  panes.reset();
}

function run() {
  if (running !== "no") return;
  stepping = false;
  if (phase === "active" && engineStatus === "RUNNING") {
    cursor = events.length;
    beginRun();
    refresh();
  } else startExecution("run");
}

function step() {
  if (running === "instant") return;
  stepping = true;
  if (running === "animated") {
    running = "no";
    clearTimeout(animTimer);
    refresh();
    return;
  }
  if (cursor < events.length) {
    cursor++;
    refresh();
  } else if (phase === "active" && engineStatus === "RUNNING") engine.step(1);
  else if (phase !== "starting") startExecution("step");
}

function stepBack() {
  if (running !== "no" || cursor === 0) return;
  stepping = true;
  cursor--;
  refresh();
}

function stop() {
  if (phase === "starting" || (phase === "active" && engineStatus === "RUNNING")) {
    clearTimeout(animTimer);
    stopRequested = true;
    engine.stop(700, () => {
      // The engine was stuck inside a step: its worker was replaced, so the execution is gone.
      // The history still ends as a stopped execution's does, with an ExecutionAborted event
      // after the last one the engine sent (the step it was stuck in never happened).
      const cause = "Stopped: the engine did not answer within 0.7 s, so it was restarted.";
      const last = events[events.length - 1];
      if (last && last.type !== "ExecutionAborted") {
        const following = cursor === events.length;
        events.push({
          id: last.id + 1,
          previousEventId: last.id,
          timestamp: last.timestamp,
          type: "ExecutionAborted",
          executionAbortedEventDetails: { cause },
        });
        if (following) cursor = events.length;
        tracker.advance(events, events.length);
        history.update();
      }
      phase = "finished";
      running = "no";
      engineStatus = "ABORTED";
      result = { status: "ABORTED", error: null, cause };
      showMessage(
        "The engine did not answer within 0.7 s, so it was restarted; the history shows the events up to the stop.",
        "info",
      );
      refresh();
    });
  }
}

function reset() {
  clearTimeout(animTimer);
  if (phase === "starting" || (phase === "active" && engineStatus === "RUNNING")) {
    discardEvents = true;
    engine.stop(700, () => undefined);
  }
  phase = "idle";
  running = "no";
  resetView();
  showMessage([...storeNotes.values()].join(" "), "info");
  refresh();
}

// ---- views ------------------------------------------------------------------------------

const graph = new GraphView($("graph"), $("graph-message"), (name) => selectState(name));
const history = new HistoryTable(
  $("history"),
  {
    get events() {
      return events;
    },
    stepName: (i) => stepNameOf(i),
  },
  (i) => pickEvent(i),
);
const inspector = new Inspector($("inspector"));
/** The Map iteration and Parallel branch navigator above the graph (www/src/navigator.ts). */
const mapNav = new MapNavigator(
  $("map-nav"),
  () => {
    // Another iteration was chosen: the selected state shows its visit in that iteration.
    stepping = false;
    const name = selectedStep !== null ? currentTracker().steps[selectedStep]?.name : undefined;
    refresh();
    if (name !== undefined) selectState(name);
  },
  (step) => {
    // A Parallel branch was clicked: inspect its most relevant visit.
    stepping = false;
    selectedStep = step.index;
    refresh();
  },
);
/** The Map runs and S3 objects tabs beside the history. */
const panes = new RunPanes({
  query: (q) => engine.query(q),
  runSerial: () => runSerial,
  events: () => events,
  running: () => phase === "starting" || (phase === "active" && engineStatus === "RUNNING"),
  hasRun: () => phase !== "idle",
  mockText: () => mockEditor.text,
  setMockText: (t) => mockEditor.setText(t),
});

function stepNameOf(i: number): string {
  const s = tracker.eventStep[i];
  return s !== undefined && s >= 0 ? tracker.steps[s].name : "";
}

function currentTracker(): StepTracker {
  if (cursor >= events.length) return tracker;
  if (viewTracker === tracker || viewTracker.processed > cursor) {
    viewTracker = new StepTracker();
  }
  viewTracker.advance(events, cursor);
  return viewTracker;
}

function selectState(name: string) {
  stepping = false;
  const t = currentTracker();
  const s = mapNav.stepFor(t, name);
  selectedStep = s ? s.index : null;
  graph.select(name);
  if (!s) {
    inspector.showExecution(
      null,
      `The state "${name}" has not run${events.length ? " yet" : ""}. Run or Step to see its data.`,
    );
    return;
  }
  showSelected();
}

function pickEvent(i: number) {
  stepping = false;
  const s = tracker.eventStep[i];
  if (cursor < i + 1 && running === "no") cursor = i + 1;
  selectedStep = s !== undefined && s >= 0 ? s : null;
  mapNav.follow(tracker.steps[s]);
  refresh();
  panes.picked(events[i]);
}

function showSelected() {
  const t = currentTracker();
  const step = selectedStep !== null ? t.steps[selectedStep] : undefined;
  history.setHighlighted(step ? step.events : []);
  if (step) {
    const visits = t.steps.filter((x) => x.name === step.name && x.index <= step.index).length;
    const enteredId = events[step.entered]?.id;
    const known = inspections.get(enteredId);
    inspector.showStep(step, events, visits, known ?? null);
    const where = mapNav.describe(step);
    if (where) $("inspector").querySelector(".sub")?.append(` · iteration ${where}`);
    panes.decorateInspector(
      $("inspector"),
      step.events.map((i) => events[i]),
    );
    const over = step.exited !== undefined || phase === "finished";
    if (known === undefined && over && enteredId !== undefined) {
      const forRun = runSerial;
      inspections.set(enteredId, null); // asked once
      engine.inspect(enteredId).then((json) => {
        const found = JSON.parse(json) as Record<string, unknown> | null;
        if (forRun !== runSerial || !found) return;
        inspections.set(enteredId, found);
        if (selectedStep === step.index) showSelected();
      });
    }
    graph.select(step.name);
  } else {
    graph.select(null);
    inspector.showExecution(
      cursor === events.length ? result : null,
      events.length
        ? "Select a state on the graph or an event in the history to inspect it."
        : "Press Run (Ctrl+Enter) or Step to start an execution.",
      events,
      tracker.steps,
    );
  }
}

function refresh() {
  const t = currentTracker();
  if (stepping && cursor > 0) selectedStep = t.eventStep[cursor - 1] >= 0 ? t.eventStep[cursor - 1] : null;
  if (selectedStep !== null && !t.steps[selectedStep]) selectedStep = null;
  if (stepping && selectedStep !== null) mapNav.follow(t.steps[selectedStep]);
  const view = mapNav.view(t);
  graph.setStatuses(view.statuses);
  graph.setTaken(view.moves);
  graph.setVisits(view.visits);
  graph.setProcessorNotes(view.notes);
  const navHeight = $("map-nav").offsetHeight;
  mapNav.render(t, selectedStep !== null ? t.steps[selectedStep] : undefined);
  if ($("map-nav").offsetHeight !== navHeight) graph.fit(); // the graph's room changed
  showSelected();
  history.setCursor(cursor < events.length ? cursor - 1 : -1);

  const statusEl = $("status");
  const shown = phase === "starting" ? "STARTING" : engineStatus || "Not started";
  if (statusEl.textContent !== shown) statusEl.textContent = shown;
  statusEl.dataset.status = engineStatus;
  $("position").textContent = cursor < events.length ? `viewing event ${cursor} of ${events.length}` : "";

  const active = phase === "active" && engineStatus === "RUNNING";
  ($("run") as HTMLButtonElement).disabled = running !== "no" || phase === "starting";
  ($("step") as HTMLButtonElement).disabled = running === "instant" || phase === "starting";
  ($("back") as HTMLButtonElement).disabled = running !== "no" || cursor === 0;
  ($("stop") as HTMLButtonElement).disabled = !(active || phase === "starting");
  ($("reset") as HTMLButtonElement).disabled = phase === "idle" && events.length === 0;
}

// ---- editors and problems ---------------------------------------------------------------

const problems = { definition: [] as Problem[], input: [] as Problem[], mock: [] as Problem[] };
type Which = keyof typeof problems;

function renderProblems() {
  const list = $("problems");
  const items: HTMLLIElement[] = [];
  for (const [which, label] of [
    ["definition", "Definition"],
    ["input", "Input"],
    ["mock", "Mock configuration"],
  ] as [Which, string][]) {
    const inOrder = [...problems[which]].sort((a, b) => a.line - b.line || a.column - b.column);
    for (const p of inOrder) {
      const li = document.createElement("li");
      li.className = p.severity;
      const btn = document.createElement("button");
      btn.textContent = `${label} ${p.line}:${p.column}`;
      btn.className = "where";
      btn.addEventListener("click", () => editorOf[which].reveal(p.line, p.column));
      const msg = document.createElement("span");
      msg.textContent = p.code ? `${p.message} [${p.code}]` : p.message;
      li.append(btn, msg);
      items.push(li);
    }
  }
  list.replaceChildren(...items);
  const n = items.length;
  $("problem-count").textContent = n ? String(n) : "";
  list.dataset.empty = String(n === 0);
}

function toProblems(diagnostics: AwsDiagnostic[]): Problem[] {
  return diagnostics.map((d) => ({
    line: d.line ?? 1,
    column: d.column ?? 1,
    severity: d.severity === "WARNING" ? "warning" : "error",
    message: d.message,
    code: d.code,
  }));
}

async function checkDefinition(text: string): Promise<Problem[]> {
  const found: Problem[] = [];
  if (!text.trim()) found.push({ line: 1, column: 1, severity: "error", message: "The definition is empty" });
  else {
    const v = JSON.parse(await engine.validate(text, io.machine)) as {
      diagnostics?: AwsDiagnostic[];
      source?: DefinitionSource;
    } | null;
    found.push(...toProblems(v?.diagnostics ?? []));
    io.showSource(text, v?.source);
  }
  problems.definition = found;
  renderProblems();
  return found;
}

function jsonChecker(which: Which) {
  return async (text: string): Promise<Problem[]> => {
    const found: Problem[] = [];
    if (text.trim()) {
      const e = JSON.parse(await engine.checkJson(text, which === "mock" ? "mock" : "json")) as {
        message: string;
        line: number;
        column: number;
      } | null;
      if (e) found.push({ line: e.line, column: e.column, severity: "error", message: e.message });
    }
    if (which === "mock") updateTestCases(text);
    problems[which] = found;
    renderProblems();
    return found;
  };
}

/** The test cases the mock configuration offers, as [state machine, test case] pairs. */
let testCases: [string, string][] = [];

/** Fills the "Test case" select from the mock configuration's JSON (keeps the choice). */
function updateTestCases(text: string) {
  const select = $("testcase") as HTMLSelectElement;
  const found: [string, string][] = [];
  try {
    const mock = JSON.parse(text) as { StateMachines?: Record<string, { TestCases?: Record<string, unknown> }> };
    for (const [sm, def] of Object.entries(mock?.StateMachines ?? {}))
      for (const tc of Object.keys(def?.TestCases ?? {})) found.push([sm, tc]);
  } catch {
    /* not JSON (yet): keep the list as it was */
    return;
  }
  const current =
    testCases[Number(select.value)] ?? (JSON.parse(stored("testCase") || "null") as [string, string] | null);
  testCases = found;
  const several = new Set(found.map(([sm]) => sm)).size > 1;
  select.replaceChildren(
    ...found.map(([sm, tc], i) => {
      const o = document.createElement("option");
      o.value = String(i);
      o.textContent = several ? `${sm} / ${tc}` : tc;
      return o;
    }),
  );
  const keep = current ? found.findIndex(([sm, tc]) => sm === current[0] && tc === current[1]) : -1;
  select.value = String(Math.max(0, keep));
  select.hidden = found.length === 0;
}

/** The chosen [state machine, test case], or blanks when the mock configuration has none. */
function chosenTestCase(): [string, string] {
  return testCases[Number(($("testcase") as HTMLSelectElement).value)] ?? ["", ""];
}

const first = EXAMPLES[0];
const defEditor = new JsonEditor({
  parent: $("ed-definition"),
  label: "State machine definition",
  text: stored("definition") ?? pretty(first.definition),
  check: checkDefinition,
  onChange: (t) => {
    storeSoon("definition", t);
    scheduleGraph(t);
  },
});
const inputEditor = new JsonEditor({
  parent: $("ed-input"),
  label: "Execution input",
  text: stored("input") ?? pretty(first.input),
  check: jsonChecker("input"),
  onChange: (t) => storeSoon("input", t),
});
const mockEditor = new JsonEditor({
  parent: $("ed-mock"),
  label: "Mock configuration",
  text: stored("mock") ?? "",
  check: jsonChecker("mock"),
  onChange: (t) => {
    storeSoon("mock", t);
    panes.mockChanged();
  },
});
const editors = [defEditor, inputEditor, mockEditor];
const editorOf: Record<Which, JsonEditor> = { definition: defEditor, input: inputEditor, mock: mockEditor };
const io = new ImportExport({
  engine,
  definition: defEditor,
  input: inputEditor,
  mock: mockEditor,
  events: () => events,
  selectTestCase(stateMachine, testCase) {
    updateTestCases(mockEditor.text);
    const i = testCases.findIndex(([sm, tc]) => sm === stateMachine && tc === testCase);
    if (i >= 0) ($("testcase") as HTMLSelectElement).value = String(i);
    store("testCase", JSON.stringify([stateMachine, testCase]));
  },
  redraw: () => drawGraph(defEditor.text),
  revalidate: () => void checkDefinition(defEditor.text),
  message: showMessage,
});
updateTestCases(mockEditor.text);

// ---- graph from the definition (re-laid out only when its shape changes) ---------------

let graphTimer: ReturnType<typeof setTimeout> | undefined;
let graphKey = "";
let graphStates = 0;
/** Redraws the graph after typing pauses (longer for large graphs, whose layout takes a while). */
function scheduleGraph(text: string) {
  clearTimeout(graphTimer);
  graphTimer = setTimeout(() => drawGraph(text), graphStates > 300 ? 900 : 150);
}
function drawGraph(text: string) {
  const json = io.definitionJson(text); // YAML or a template: drawn once the engine has read it
  if (json === null) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    if (graphKey) graph.note("The definition cannot be read; the graph shows the last one that could.");
    return;
  }
  const model = buildGraph(parsed);
  const key = JSON.stringify(model);
  if (key === graphKey) {
    graph.note(null);
    return;
  }
  graphKey = key;
  graphStates = model.stateCount;
  graph.render(model);
  mapNav.setGraph(model);
  refresh();
}
drawGraph(defEditor.text);

// ---- controls -----------------------------------------------------------------------------

const examples = $("examples") as HTMLSelectElement;
for (const ex of EXAMPLES) {
  const o = document.createElement("option");
  o.value = ex.id;
  o.textContent = ex.title;
  examples.appendChild(o);
}
examples.addEventListener("change", () => {
  const ex = EXAMPLES.find((e) => e.id === examples.value);
  if (!ex) return;
  reset();
  defEditor.setText(pretty(ex.definition));
  inputEditor.setText(pretty(ex.input));
  mockEditor.setText(pretty(ex.mock));
  clearTimeout(graphTimer);
  drawGraph(defEditor.text);
  store("testCase", "");
  testCases = [];
  updateTestCases(mockEditor.text);
  examples.value = "";
});

$("testcase").addEventListener("change", () => store("testCase", JSON.stringify(chosenTestCase())));
const speedSelect = $("speed") as HTMLSelectElement;
speedSelect.value = stored("speed") ?? "0";
speedSelect.addEventListener("change", () => store("speed", speedSelect.value));

$("run").addEventListener("click", run);
$("step").addEventListener("click", step);
$("back").addEventListener("click", stepBack);
$("stop").addEventListener("click", stop);
$("reset").addEventListener("click", reset);
$("zoom-in").addEventListener("click", () => graph.zoom(1.25));
$("zoom-out").addEventListener("click", () => graph.zoom(0.8));
$("fit").addEventListener("click", () => graph.fit());
window.addEventListener(
  "keydown",
  (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
      ev.preventDefault();
      ev.stopPropagation();
      run();
    }
  },
  true,
);

refresh();

// ---- options and share links (www/src/options.ts, www/src/sharebar.ts) --------------------

const runOptions = new RunOptions(stored, store);
/** The step a share link selects once its execution has run. */
let stepToShow: number | null = null;
/** The state a share link (or a crash report) carries: the editors and the run options. */
function shared(): SharedState {
  return {
    definition: defEditor.text,
    input: inputEditor.text,
    mock: mockEditor.text,
    testCase: testCases.length ? chosenTestCase() : null,
    seed: runOptions.seed,
    startTime: runOptions.startTime,
    machine: io.machine || undefined,
  };
}
installShare({
  current: shared,
  selectedStep: () => (events.length && cursor === events.length ? selectedStep : null),
  show(s) {
    reset();
    io.pickMachine(s.machine ?? "");
    defEditor.setText(s.definition);
    inputEditor.setText(s.input);
    mockEditor.setText(s.mock);
    clearTimeout(graphTimer);
    graphKey = "";
    graph.render(buildGraph({})); // an empty definition leaves an empty graph, not the old one
    drawGraph(s.definition);
    testCases = [];
    updateTestCases(s.mock);
    const chosen = s.testCase
      ? testCases.findIndex(([sm, tc]) => sm === s.testCase?.[0] && tc === s.testCase?.[1])
      : -1;
    ($("testcase") as HTMLSelectElement).value = String(Math.max(0, chosen));
    runOptions.set(s.seed, s.startTime);
    stepToShow = s.step ?? null;
    if (stepToShow !== null) run();
  },
  read: stored,
  write: store,
});

/** Read-only access for the browser tests: the events received so far. */
Object.defineProperty(globalThis, "__aslplay", {
  value: Object.freeze({
    events: () => events.slice(),
    cursor: () => cursor,
    examples: () => EXAMPLES.map((e) => ({ id: e.id, expected: e.expected, mock: !!e.mock })),
    text: (label: string) => editors.find((e) => e.label === label)?.text ?? null,
    /** Asks the worker (Map runs, S3 objects, its memory): JSON text. */
    query: (q: Query) => engine.query(q),
    /** Makes the engine crash, to test the crash report. */
    crash: () => engine.crashForTest(),
  }),
});
