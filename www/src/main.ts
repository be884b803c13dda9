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
import type { AwsDiagnostic, Query, QuickFix, StartRequest } from "./protocol";
import { RunSession } from "./runsession";
import { RunPanes } from "./panes";
import { RunOptions } from "./options";
import { installShare, storageHold } from "./sharebar";
import { ImportExport } from "./importexport";
import type { DefinitionSource } from "./definitionsource";
import { MapNavigator } from "./navigator";
import { setEnabled, whenEnabled } from "./dom";
import type { LearnHost } from "./lessons/learn";
import { ValuePathPanel } from "./valuepath";
import { EditorView } from "@codemirror/view";

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
  const noted = storeNotes.has(k);
  try {
    localStorage.setItem(KEY + k, v);
    storeNotes.delete(k);
  } catch {
    storeNotes.set(
      k,
      `The ${k} text (${(v.length / 1e6).toFixed(1)} MB) is too large to keep across reloads; it stays in the editor.`,
    );
  }
  // Only a change of the notes replaces the message bar (not another message, like "Opened ...").
  if (noted || storeNotes.has(k)) showMessage([...storeNotes.values()].join(" "), "info");
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
  const shown = `${t[0].toUpperCase()}${t.slice(1)}`;
  const icon = document.createElement("span");
  icon.textContent = "◐";
  icon.setAttribute("aria-hidden", "true");
  $("theme").replaceChildren(icon, ` ${shown}`);
  $("theme").setAttribute("aria-label", `Color theme: ${shown}`); // the visible word is in the name
}
let theme = stored("theme") ?? "system";
applyTheme(theme);
$("theme").addEventListener("click", () => {
  theme = THEMES[(THEMES.indexOf(theme as (typeof THEMES)[number]) + 1) % THEMES.length];
  applyTheme(theme);
  store("theme", theme);
});

// ---- engine and the run (www/src/runsession.ts) ------------------------------------------

let selectedStep: number | null = null;
/** Step / Step back were pressed last: the inspector follows the step of the newest event shown. */
let stepping = false;

const session = new RunSession(
  {
    changed: () => refresh(),
    received(batch, ended) {
      panes.noteEvents(batch, ended);
      if (ended && stepToShow !== null) [selectedStep, stepToShow, stepping] = [stepToShow, null, false];
      history.update();
    },
    cleared() {
      selectedStep = null;
      viewTracker = tracker;
      mapNav.reset();
      history.reset();
      panes.reset();
    },
    startFailed(message, validation) {
      let text = message;
      if (validation) {
        const v = JSON.parse(validation) as { diagnostics?: AwsDiagnostic[] };
        problems.definition = toProblems(v.diagnostics ?? []);
        renderProblems();
        const n = v.diagnostics?.length ?? 0;
        text = `${message}: ${n} problem${n === 1 ? "" : "s"} (see Problems).`;
      }
      showMessage(text);
    },
    fatal(message, restarted) {
      showMessage(
        `The engine failed: ${message}.${restarted ? " It has been restarted; your text is untouched." : ""}`,
      );
    },
    killed() {
      history.update();
      showMessage(
        "The engine did not answer within 0.7 s, so it was restarted; the history shows the events up to the stop.",
        "info",
      );
    },
    speed: () => speed(),
  },
  (listener) =>
    new Engine(
      {
        ...listener,
        onReady(version) {
          document.body.dataset.engineVersion = version;
          performance.mark("aslplay:ready"); // time to interactive, read by benches/page.mjs
          for (const ed of editors) ed.view.dispatch({}); // re-lint with the engine's validator
          setTimeout(loadLanguage, 0); // the editors' completions and docs, once the page is interactive
        },
      },
      new URL("worker.js", location.href).href,
    ),
);
const engine = session.engine;
const tracker = session.tracker;
let viewTracker: StepTracker = tracker;

const speed = () => Number(($("speed") as HTMLSelectElement).value) || 0;

/** What a new execution starts from: the editors and the options (the graph is redrawn first). */
function startRequest(): StartRequest {
  showMessage([...storeNotes.values()].join(" "), "info");
  clearTimeout(graphTimer);
  drawGraph(defEditor.text);
  return {
    definition: defEditor.text,
    input: inputEditor.text,
    mock: mockEditor.text,
    stateMachine: chosenTestCase()[0],
    testCase: chosenTestCase()[1],
    seed: runOptions.seed,
    startTime: runOptions.startTime,
    machine: io.machine,
    project: io.project,
  };
}

function run() {
  if (session.running !== "no") return;
  stepping = false;
  session.run(startRequest);
}

function step() {
  if (session.running === "instant") return;
  stepping = true;
  session.step(startRequest);
}

function stepBack() {
  if (!session.canStepBack) return;
  stepping = true;
  session.stepBack();
}

function reset() {
  session.reset();
  showMessage([...storeNotes.values()].join(" "), "info");
}

// ---- views ------------------------------------------------------------------------------

const graph = new GraphView($("graph"), $("graph-message"), (name) => selectState(name));
const history = new HistoryTable(
  $("history"),
  {
    get events() {
      return session.events;
    },
    stepName: (i) => stepNameOf(i),
  },
  (i) => pickEvent(i),
);
/** The path of a value clicked in the execution input, a step's data or the execution's output. */
const valuePath = new ValuePathPanel({
  insert: (path, language) =>
    defEditor.insertAtCursor(path, language === "JSONata" ? JSON.stringify(`{% ${path} %}`) : JSON.stringify(path)),
});
const inspector = new Inspector($("inspector"), (source, path) =>
  valuePath.showPath(source, path, $("inspector").parentElement as HTMLElement),
);
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
  runSerial: () => session.serial,
  events: () => session.events,
  running: () => session.busy,
  hasRun: () => session.phase !== "idle",
  mockText: () => mockEditor.text,
  setMockText: (t) => mockEditor.setText(t),
});

function stepNameOf(i: number): string {
  const s = tracker.eventStep[i];
  return s !== undefined && s >= 0 ? tracker.steps[s].name : "";
}

function currentTracker(): StepTracker {
  const { events, cursor } = session;
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
      `The state "${name}" has not run${session.events.length ? " yet" : ""}. Run or Step to see its data.`,
    );
    return;
  }
  showSelected();
}

function pickEvent(i: number) {
  stepping = false;
  const s = tracker.eventStep[i];
  session.showUpTo(i + 1);
  selectedStep = s !== undefined && s >= 0 ? s : null;
  mapNav.follow(tracker.steps[s]);
  refresh();
  panes.picked(session.events[i]);
}

function showSelected() {
  const { events, cursor } = session;
  const t = currentTracker();
  const step = selectedStep !== null ? t.steps[selectedStep] : undefined;
  history.setHighlighted(step ? step.events : []);
  if (step) {
    const visits = t.steps.filter((x) => x.name === step.name && x.index <= step.index).length;
    const enteredId = events[step.entered]?.id;
    const over = step.exited !== undefined || session.phase === "finished";
    const known =
      enteredId === undefined
        ? null
        : session.inspection(enteredId, over, () => {
            if (selectedStep === step.index) showSelected();
          });
    inspector.showStep(step, events, visits, known);
    const where = mapNav.describe(step);
    if (where) $("inspector").querySelector(".sub")?.append(` · iteration ${where}`);
    panes.decorateInspector(
      $("inspector"),
      step.events.map((i) => events[i]),
    );
    graph.select(step.name);
  } else {
    graph.select(null);
    inspector.showExecution(
      cursor === events.length ? session.result : null,
      events.length
        ? "Select a state on the graph or an event in the history to inspect it."
        : "Press Run (Ctrl+Enter) or Step to start an execution.",
      events,
      session.transitions,
    );
  }
}

function refresh() {
  const { events, cursor, phase, running } = session;
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
  const shown = phase === "starting" ? "STARTING" : session.status || "Not started";
  if (statusEl.textContent !== shown) statusEl.textContent = shown;
  statusEl.dataset.status = session.status;
  $("position").textContent = cursor < events.length ? `viewing event ${cursor} of ${events.length}` : "";
  announceStep();

  setEnabled($("run"), running === "no" && phase !== "starting");
  setEnabled($("step"), running !== "instant" && phase !== "starting");
  setEnabled($("back"), running === "no" && cursor > 0);
  setEnabled($("stop"), session.busy);
  setEnabled($("reset"), phase !== "idle" || events.length > 0);
}

/** The event last announced to screen readers after Step or Step back (its position). */
let announcedAt = 0;
/** After Step or Step back, says which event is now shown, as the history's cursor row shows it. */
function announceStep() {
  const { events, cursor } = session;
  if (!stepping || cursor === announcedAt || cursor === 0) {
    if (!stepping) announcedAt = cursor;
    return;
  }
  announcedAt = cursor;
  const e = events[cursor - 1];
  const name = stepNameOf(cursor - 1);
  $("announcer").textContent = `Event ${cursor} of ${events.length}: ${e.type}${name ? `, ${name}` : ""}`;
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
  announceProblems();
}

/** Says the number of problems (and where) when it changes: a live region reads it out. */
function announceProblems() {
  const where = (["definition", "input", "mock"] as Which[])
    .filter((w) => problems[w].length)
    .map((w) => `${problems[w].length} in the ${w === "mock" ? "mock configuration" : w}`);
  const n = problems.definition.length + problems.input.length + problems.mock.length;
  const text = n ? `${n} problem${n === 1 ? "" : "s"}: ${where.join(", ")}.` : "No problems.";
  const region = $("problem-summary");
  // The first check says nothing when all is well (nothing changed for the reader).
  if (region.textContent !== text && (region.textContent || n)) region.textContent = text;
}

function toProblems(diagnostics: AwsDiagnostic[]): Problem[] {
  return diagnostics.map((d) => ({
    line: d.line ?? 1,
    column: d.column ?? 1,
    severity: d.severity === "WARNING" ? "warning" : "error",
    message: d.message,
    code: d.code,
    diagnostic: d,
  }));
}

/** The language service's quick fixes for the definition's problems (one list per problem). */
async function definitionFixes(text: string, found: Problem[]): Promise<QuickFix[][]> {
  const diagnostics = found.flatMap((p) => (p.diagnostic ? [p.diagnostic] : []));
  if (!diagnostics.length) return [];
  const lists = await engine.quickFixes({ doc: "definition", text, diagnostics });
  let next = 0;
  return found.map((p) => (p.diagnostic ? (lists?.[next++] ?? []) : []));
}

async function checkDefinition(text: string): Promise<Problem[]> {
  const found: Problem[] = [];
  if (!text.trim()) found.push({ line: 1, column: 1, severity: "error", message: "The definition is empty" });
  else {
    const v = JSON.parse(await engine.validate(text, io.machine, io.project)) as {
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

/** While a lesson is open (Learn mode), what the editors hold is the lesson's work: their
 * changes go here (the Learn module keeps them per lesson), not to the sandbox's storage. */
let lessonEdit: (() => void) | null = null;

const first = EXAMPLES[0];
const defEditor = new JsonEditor({
  parent: $("ed-definition"),
  label: "State machine definition",
  text: stored("definition") ?? pretty(first.definition),
  check: checkDefinition,
  fixes: definitionFixes,
  onChange: (t) => {
    if (lessonEdit) lessonEdit();
    else storeSoon("definition", t);
    scheduleGraph(t);
  },
});
const inputEditor = new JsonEditor({
  parent: $("ed-input"),
  label: "Execution input",
  text: stored("input") ?? pretty(first.input),
  check: jsonChecker("input"),
  onChange: (t) => (lessonEdit ? lessonEdit() : storeSoon("input", t)),
  // Moving the cursor into a value (a click, the keyboard) shows its path.
  extensions: [
    EditorView.updateListener.of((u) => {
      if (u.selectionSet && u.view.hasFocus) showInputPath();
    }),
  ],
});
const mockEditor = new JsonEditor({
  parent: $("ed-mock"),
  label: "Mock configuration",
  text: stored("mock") ?? "",
  check: jsonChecker("mock"),
  onChange: (t) => {
    if (lessonEdit) lessonEdit();
    else storeSoon("mock", t);
    panes.mockChanged();
  },
});
const editors = [defEditor, inputEditor, mockEditor];

let inputPathTimer: ReturnType<typeof setTimeout> | undefined;
/** Shows the path of the value at the input editor's cursor (soon: a large input takes a while to scan). */
function showInputPath() {
  clearTimeout(inputPathTimer);
  inputPathTimer = setTimeout(
    () => {
      const view = inputEditor.view;
      valuePath.show({ kind: "input" }, view.state.doc.toString(), view.state.selection.main.head, $("input-path"));
    },
    inputEditor.view.state.doc.length > 200_000 ? 250 : 30,
  );
}

/** Loads the language service's editor extensions (a chunk of its own) into the definition and mock editors, once. */
let languageAsked = false;
function loadLanguage() {
  if (languageAsked) return;
  languageAsked = true;
  import("./language").then(
    ({ languageSupport }) => {
      defEditor.extend(languageSupport(engine, { doc: "definition" }));
      mockEditor.extend(languageSupport(engine, { doc: "mock", definition: () => defEditor.text }));
      // The worker loads the service's module on its first question: ask one now, so the first
      // hover or completion the user asks for does not wait for it.
      void engine.hover({ doc: "definition", text: "", offset: 0 });
    },
    () => {
      languageAsked = false; // offline or a broken chunk: tried again on the next focus
    },
  );
}
$("ed-definition").addEventListener("focusin", loadLanguage);
$("ed-mock").addEventListener("focusin", loadLanguage);
const editorOf: Record<Which, JsonEditor> = { definition: defEditor, input: inputEditor, mock: mockEditor };
const io = new ImportExport({
  engine,
  definition: defEditor,
  input: inputEditor,
  mock: mockEditor,
  events: () => session.events,
  selectTestCase(stateMachine, testCase) {
    updateTestCases(mockEditor.text);
    const i = testCases.findIndex(([sm, tc]) => sm === stateMachine && tc === testCase);
    if (i >= 0) ($("testcase") as HTMLSelectElement).value = String(i);
    store("testCase", JSON.stringify([stateMachine, testCase]));
  },
  redraw: () => drawGraph(defEditor.text),
  revalidate: () => void checkDefinition(defEditor.text),
  message: showMessage,
  read: stored,
  write: store,
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
/** The person's system asks for less motion: runs are instant unless a speed is chosen now. */
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
function honourReducedMotion() {
  if (reducedMotion.matches) speedSelect.value = "0";
  speedSelect.title = reducedMotion.matches ? "Instant: your system asks for reduced motion" : "";
}
speedSelect.value = stored("speed") ?? "0";
honourReducedMotion();
reducedMotion.addEventListener("change", honourReducedMotion);
speedSelect.addEventListener("change", () => store("speed", speedSelect.value));

whenEnabled($("run"), run);
whenEnabled($("step"), step);
whenEnabled($("back"), stepBack);
whenEnabled($("stop"), () => session.stop());
whenEnabled($("reset"), reset);
$("zoom-in").addEventListener("click", () => graph.zoom(1.25));
$("zoom-out").addEventListener("click", () => graph.zoom(0.8));
$("fit").addEventListener("click", () => graph.fit());
// Escape closes the Options and Share dropdowns and gives the focus back to their button.
for (const box of document.querySelectorAll<HTMLDetailsElement>("details.dropdown"))
  box.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape" || !box.open) return;
    box.open = false;
    box.querySelector("summary")?.focus();
  });
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
installShare({
  current: () => ({
    definition: defEditor.text,
    input: inputEditor.text,
    mock: mockEditor.text,
    testCase: testCases.length ? chosenTestCase() : null,
    seed: runOptions.seed,
    startTime: runOptions.startTime,
    machine: io.machine || undefined,
    ...io.shared(),
  }),
  selectedStep: () => (session.events.length && session.cursor === session.events.length ? selectedStep : null),
  show(s) {
    io.showShared(s);
    showMachine(s.definition, s.input, s.mock, s.machine ?? "");
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

/** Shows a machine in the editors (a shared link's, a lesson's): the run is reset, the graph redrawn. */
function showMachine(definition: string, input: string, mock: string, machine = "") {
  reset();
  io.pickMachine(machine);
  defEditor.setText(definition);
  inputEditor.setText(input);
  mockEditor.setText(mock);
  clearTimeout(graphTimer);
  graphKey = "";
  graph.render(buildGraph({})); // an empty definition leaves an empty graph, not the old one
  drawGraph(definition);
  testCases = [];
  updateTestCases(mock);
}

// ---- Learn mode (www/src/lessons/learn.ts, loaded on first use) ---------------------------

const learnHost: LearnHost = {
  engine,
  work: () => ({ definition: defEditor.text, input: inputEditor.text, mock: mockEditor.text }),
  show(w, testCase) {
    showMachine(w.definition, w.input, w.mock);
    if (!testCase) return;
    const i = testCases.findIndex(([sm, tc]) => (!testCase[0] || sm === testCase[0]) && tc === testCase[1]);
    if (i >= 0) ($("testcase") as HTMLSelectElement).value = String(i);
  },
  run,
  capture(onEdit) {
    lessonEdit = onEdit;
  },
  release() {
    if (!lessonEdit) return;
    lessonEdit = () => undefined;
    showMachine(
      stored("definition") ?? pretty(first.definition),
      stored("input") ?? pretty(first.input),
      stored("mock") ?? "",
    );
    lessonEdit = null;
  },
};
let learnLoaded: Promise<unknown> | null = null;
/** Loads Learn mode when the address asks for a lesson or the tour; it follows the address from then on. */
function learnIfAsked() {
  if (learnLoaded || !(location.hash === "#learn" || /^#(.*&)?lesson=/.test(location.hash))) return;
  learnLoaded = import("./lessons/learn").then(
    (m) => m.installLearn(learnHost),
    (e: unknown) => {
      learnLoaded = null;
      showMessage(`Learn mode could not be loaded: ${e instanceof Error ? e.message : String(e)}.`);
    },
  );
}
window.addEventListener("hashchange", learnIfAsked);
learnIfAsked();

/** Read-only access for the browser tests: the events received so far. */
Object.defineProperty(globalThis, "__aslplay", {
  value: Object.freeze({
    events: () => session.events.slice(),
    cursor: () => session.cursor,
    examples: () => EXAMPLES.map((e) => ({ id: e.id, expected: e.expected, mock: !!e.mock })),
    text: (label: string) => editors.find((e) => e.label === label)?.text ?? null,
    /** Asks the worker (Map runs, S3 objects, its memory): JSON text. */
    query: (q: Query) => engine.query(q),
  }),
});
