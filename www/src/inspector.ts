// The state inspector: what happened to the data in the selected step (input → after
// InputPath → after Parameters → result → after ResultSelector → after ResultPath → output,
// variables, error), from the engine's inspection of that visit when it has one and from the
// events otherwise; or the execution's result when no step is selected. Values are shown as
// text; clicking a value in one tells the page its path (the value-path panel, valuepath.ts).

import type { HistoryEvent } from "./protocol";
import type { Step } from "./steps";
import { eventDetails, eventTime, parseField } from "./steps";
import { cut } from "./history";
import { scrollableByKeyboard } from "./dom";
import { valueAt, type Segment, type ValueSource } from "./valuepath";

type Obj = Record<string, unknown>;

/** The stages of AWS's TestState inspectionData, in the order data flows through a state. */
const STAGES: [string, string][] = [
  ["input", "Input"],
  ["afterInputPath", "After InputPath"],
  ["afterArguments", "After Arguments"],
  ["afterParameters", "After Parameters"],
  ["afterItemsPath", "After ItemsPath"],
  ["result", "Result"],
  ["afterResultSelector", "After ResultSelector"],
  ["afterResultPath", "After ResultPath"],
  ["output", "Output"],
];

const show = (v: unknown) => cut(typeof v === "string" ? v : (JSON.stringify(v, null, 2) ?? "undefined"));

/** Called with the path of a clicked value (null: no value where it was clicked). */
export type PickValue = (source: ValueSource, path: Segment[] | null) => void;

/** The text offset of a point inside `box` (a `pre` of text), or null outside its text. */
function offsetAt(box: HTMLElement, x: number, y: number): number | null {
  const doc = document as Document & {
    caretPositionFromPoint?(x: number, y: number): { offsetNode: Node; offset: number } | null;
  };
  let node: Node | null = null;
  let offset = 0;
  if (doc.caretPositionFromPoint) {
    const p = doc.caretPositionFromPoint(x, y);
    if (p) [node, offset] = [p.offsetNode, p.offset];
  } else {
    const r = document.caretRangeFromPoint?.(x, y);
    if (r) [node, offset] = [r.startContainer, r.startOffset];
  }
  if (!node || !box.contains(node)) return null;
  if (node === box) return offset === 0 ? 0 : (box.textContent ?? "").length;
  let before = 0;
  const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    if (t === node) return before + offset;
    before += t.textContent?.length ?? 0;
  }
  return null;
}

/** Marks [from, to) of a `pre`'s text as the value whose path is shown (where the browser can). */
function markValue(box: HTMLElement, from: number, to: number) {
  const highlights = (globalThis.CSS as { highlights?: Map<string, unknown> } | undefined)?.highlights;
  const text = box.firstChild;
  if (!highlights || typeof Highlight === "undefined" || !text) return;
  const range = document.createRange();
  const length = text.textContent?.length ?? 0;
  range.setStart(text, Math.min(from, length));
  range.setEnd(text, Math.min(to, length));
  highlights.set("value-path", new Highlight(range));
}

export class Inspector {
  /** `pick`: where clicked values' paths go (none: values are not clickable). */
  constructor(
    private host: HTMLElement,
    private pick?: PickValue,
  ) {}

  private section(title: string, value: unknown, cls = "", source?: ValueSource) {
    const box = document.createElement("section");
    box.className = `stage ${cls}`;
    const h = document.createElement("h3");
    h.textContent = title;
    const pre = document.createElement("pre");
    pre.textContent = show(value);
    scrollableByKeyboard(pre);
    if (source && this.pick) this.pickable(pre, value, source);
    box.append(h, pre);
    this.host.appendChild(box);
  }

  /** Clicking a value in `pre` (the text of `value`) shows its path. */
  private pickable(pre: HTMLElement, value: unknown, source: ValueSource) {
    const pick = this.pick;
    if (!pick) return;
    pre.classList.add("pickable");
    pre.title = "Click a value to see its path";
    pre.addEventListener("click", (ev) => {
      if (!(getSelection()?.isCollapsed ?? true)) return; // selecting text to copy it
      const offset = offsetAt(pre, ev.clientX, ev.clientY);
      if (offset === null) return;
      const text = pre.textContent ?? "";
      // A string is shown as it is, not as JSON: it is one value.
      const found = typeof value === "string" ? { path: [], from: 0, to: text.length } : valueAt(text, offset);
      if (found) markValue(pre, found.from, found.to);
      pick(source, found?.path ?? null);
    });
  }

  /** A stage that left the data as the one before it. */
  private unchanged(title: string) {
    const box = document.createElement("section");
    box.className = "stage same";
    const h = document.createElement("h3");
    h.textContent = title;
    const note = document.createElement("span");
    note.textContent = "unchanged";
    h.append(" ", note);
    box.appendChild(h);
    this.host.appendChild(box);
  }

  private heading(text: string, sub: string) {
    const h = document.createElement("h2");
    h.textContent = text;
    const s = document.createElement("p");
    s.className = "sub";
    s.textContent = sub;
    this.host.append(h, s);
  }

  /**
   * Shows the execution's result ({status, output, error, cause}) with a summary of its
   * `events` as the AWS console gives one (virtual start, end and duration, state
   * transitions, events), or a hint. `transitions` is the engine's count (states entered
   * plus retries: the library's `Execution::state_transitions`); null leaves it out.
   */
  showExecution(result: Obj | null, hint: string, events: HistoryEvent[] = [], transitions: number | null = null) {
    this.host.replaceChildren();
    if (!result) {
      const p = document.createElement("p");
      p.className = "hint";
      p.textContent = hint;
      this.host.appendChild(p);
      return;
    }
    this.heading("Execution", String(result.status ?? ""));
    if (events.length) this.summary(events, transitions);
    if (result.output !== undefined && result.output !== null)
      this.section("Output", parseField(result.output), "", { kind: "output" });
    if (result.error) this.section("Error", { error: result.error, cause: parseField(result.cause) }, "error");
  }

  /** Start, end, duration (on the virtual clock), state transitions and events, as a list. */
  private summary(events: HistoryEvent[], transitions: number | null) {
    const start = eventTime(events[0]);
    const end = eventTime(events[events.length - 1]);
    const rows: [string, string][] = [
      ["Started", new Date(start).toISOString()],
      ["Ended", new Date(end).toISOString()],
      ["Duration", duration(end - start)],
      ...(transitions === null ? [] : [["State transitions", transitions.toLocaleString("en-US")] as [string, string]]),
      ["Events", events.length.toLocaleString("en-US")],
    ];
    const list = document.createElement("dl");
    list.className = "summary";
    list.setAttribute("aria-label", "Execution summary");
    for (const [term, value] of rows) {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      list.append(dt, dd);
    }
    this.host.appendChild(list);
  }

  /** Shows one step from the engine's `inspection` of it (null: from its events alone). */
  showStep(step: Step, events: HistoryEvent[], visits: number, inspection: Obj | null) {
    this.host.replaceChildren();
    this.heading(
      step.name,
      `${step.stateType} state · visit ${visits} · events ${events[step.entered]?.id ?? "?"}–${step.exited !== undefined ? events[step.exited]?.id : "…"} · ${step.status}`,
    );
    const stages = new Map<string, unknown>();
    let variables: unknown;
    const errors: Obj[] = [];
    for (const at of step.events) {
      const e = events[at];
      const d = eventDetails(e) ?? {};
      if (/StateEntered$/.test(e.type) && "input" in d) stages.set("input", parseField(d.input));
      if (/StateExited$/.test(e.type)) {
        if ("output" in d) stages.set("output", parseField(d.output));
        if (d.assignedVariables) variables = d.assignedVariables;
        const inspection = d.inspectionData as Obj | undefined;
        if (inspection) for (const [k, v] of Object.entries(inspection)) stages.set(k, parseField(v));
      }
      if (e.type === "TaskScheduled" && "parameters" in d) stages.set("afterParameters", parseField(d.parameters));
      if (/^(Task|LambdaFunction|Activity)Succeeded$/.test(e.type) && "output" in d)
        stages.set("result", parseField(d.output));
      if ("error" in d || "cause" in d)
        errors.push({ event: `${e.id} ${e.type}`, error: d.error, cause: parseField(d.cause) });
    }
    if (inspection) {
      for (const [key] of STAGES) if (key in inspection) stages.set(key, inspection[key]);
      if (inspection.assignedVariables) variables = inspection.assignedVariables;
    }
    let any = false;
    let previous: string | undefined;
    for (const [key, label] of STAGES) {
      if (!stages.has(key)) continue;
      any = true;
      const text = show(stages.get(key));
      if (text === previous) this.unchanged(label);
      else this.section(label, stages.get(key), "", { kind: "stage", stage: key, label });
      previous = text;
    }
    if (inspection?.variables && Object.keys(inspection.variables as Obj).length)
      this.section("Variables in scope", inspection.variables, "", { kind: "variables" });
    if (variables && typeof variables === "object") {
      const shown: Obj = {};
      for (const [k, v] of Object.entries(variables as Obj)) shown[k] = parseField(v);
      this.section("Variables assigned", shown, "", { kind: "variables" });
    }
    for (const err of errors)
      this.section(`Error (event ${err.event})`, { error: err.error, cause: err.cause }, "error");
    if (inspection && (inspection.errorDetails || inspection.retries || inspection.nextState)) {
      const outcome: Obj = {};
      for (const k of ["retries", "errorDetails", "nextState"])
        if (inspection[k] !== undefined) outcome[k] = inspection[k];
      this.section("Outcome", outcome);
    }
    if (!any && !errors.length) {
      const p = document.createElement("p");
      p.className = "hint";
      p.textContent = "No data recorded for this step yet.";
      this.host.appendChild(p);
    }
  }
}

/** A virtual duration in words: "0 ms", "4.25 s", "2 min 30 s", "1 h 0 min", "365 d 0 h". */
function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(3)} s`;
  const s = Math.floor(ms / 1000);
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  return `${m} min ${s % 60} s`;
}
