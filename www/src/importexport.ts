// Import and export on the page: the notice that says what the definition editor holds when
// it is not ASL JSON (YAML, a CloudFormation/SAM template, with a state machine picker and
// "Convert to JSON"), the "Import history" dialog that turns a recorded execution into a mock
// configuration and input that replay it, and the downloads of the run's history and of the
// mock configuration. The engine worker does the reading (definitionsource.ts, src/import/).

import type { Engine } from "./engine";
import type { JsonEditor } from "./editors";
import type { DefinitionSource } from "./definitionsource";
import type { HistoryEvent } from "./protocol";
import { scrollableByKeyboard } from "./dom";

/** What the page lends this module. */
export interface PageHooks {
  engine: Engine;
  definition: JsonEditor;
  input: JsonEditor;
  mock: JsonEditor;
  /** The events of the page's execution, in AWS's GetExecutionHistory shape. */
  events(): HistoryEvent[];
  /** Selects a test case of the mock configuration (its text has just been replaced). */
  selectTestCase(stateMachine: string, testCase: string): void;
  /** Redraws the graph: the definition read from the editor's text has changed. */
  redraw(): void;
  /** Validates the definition editor's text again (another state machine was picked). */
  revalidate(): void;
  /** A line in the page's message bar. */
  message(text: string, kind: "error" | "info"): void;
}

/** The wasm `import_history` answer. */
interface Imported {
  mockConfig?: { StateMachines?: Record<string, unknown>; MockedResponses?: Record<string, Record<string, unknown>> };
  notes?: string[];
  input?: string | null;
  error?: { message: string; pointer: string; line?: number; column?: number };
}

const MACHINE_KEY = "aslplay.machine";

/** A new element with properties (`className`, `value`, ...) and children. */
function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** Saves `text` as a file named `name` (a Blob behind an `a[download]`: nothing leaves the page). */
export function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = element("a", { href: url, download: name });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How many invocations a MockedResponses entry answers (`"0"`, `"1-3"`, ...). */
function invocations(responses: Record<string, unknown>): number {
  let n = 0;
  for (const key of Object.keys(responses)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(key);
    n += m ? (m[2] ? Number(m[2]) - Number(m[1]) + 1 : 1) : 1;
  }
  return n;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** JSON text pretty-printed, or as it is when it is not JSON. */
function prettyText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Where an importer error is, in words. */
function place(e: NonNullable<Imported["error"]>): string {
  if (e.line && e.column) return ` (line ${e.line}, column ${e.column})`;
  const event = /^(?:\/events)?\/(\d+)(\/.*)?$/.exec(e.pointer);
  if (event) return ` (event #${Number(event[1]) + 1} in the list${event[2] ? `, at ${event[2].slice(1)}` : ""})`;
  return e.pointer ? ` (at ${e.pointer})` : "";
}

/** The page's import and export features. */
export class ImportExport {
  /** The state machine (logical id) picked in a template; empty for the first one. */
  machine: string;
  private source: { text: string; source: DefinitionSource } | null = null;
  private drawn = "";
  private readonly notice: HTMLElement;
  private dialog: HTMLDialogElement | null = null;

  constructor(private readonly page: PageHooks) {
    this.machine = (() => {
      try {
        return localStorage.getItem(MACHINE_KEY) ?? "";
      } catch {
        return "";
      }
    })();
    this.notice = document.getElementById("def-source") as HTMLElement;
    document.getElementById("import-history")?.addEventListener("click", () => this.openImport());
    document.getElementById("export-history")?.addEventListener("click", () => this.exportHistory());
    document.getElementById("export-mocks")?.addEventListener("click", () => this.exportMocks());
    // While the dialog is open, Ctrl+Enter imports (rather than running behind the dialog).
    window.addEventListener(
      "keydown",
      (ev) => {
        if (!this.dialog?.open || !((ev.ctrlKey || ev.metaKey) && ev.key === "Enter")) return;
        ev.preventDefault();
        ev.stopImmediatePropagation();
        this.dialog.querySelector<HTMLButtonElement>("button.primary")?.click();
      },
      true,
    );
  }

  // ---- the definition editor's text ---------------------------------------------------------

  /**
   * The definition as JSON text for `text` (the editor's): `text` itself when it is JSON (or
   * could not be read), the definition read from it once the engine has read this very text,
   * else null (wait for the engine).
   */
  definitionJson(text: string): string | null {
    if (this.source?.text === text) return this.source.source.definition ?? text;
    return /^\s*[{[]/.test(text) && !/"Resources"\s*:/.test(text) ? text : null;
  }

  /** Takes what the engine read from the definition text (`source` of its validation answer). */
  showSource(text: string, source: DefinitionSource | undefined) {
    this.source = source ? { text, source } : null;
    this.renderNotice(text, source);
    const json = this.definitionJson(text) ?? text;
    if (source && json !== this.drawn) this.page.redraw();
    this.drawn = json;
  }

  private renderNotice(text: string, source: DefinitionSource | undefined) {
    const notice = this.notice;
    if (!notice) return;
    if (!source || source.format === "json") {
      notice.hidden = true;
      notice.replaceChildren();
      return;
    }
    const kind = element("span", { className: "source-kind" });
    if (source.format === "yaml") kind.append("YAML definition");
    else {
      const sam = /AWS::Serverless::StateMachine/.test(text);
      kind.append(`${sam ? "SAM" : "CloudFormation"} template (${source.syntax}): state machine `);
      if (source.machines.length > 1) {
        const pick = element("select", { className: "machine-pick" });
        pick.setAttribute("aria-label", "State machine in the template");
        for (const m of source.machines) {
          const o = element(
            "option",
            { value: m.logicalId, disabled: !m.inline },
            m.inline ? m.logicalId : `${m.logicalId} (not in the template)`,
          );
          pick.append(o);
        }
        pick.value = source.chosen;
        pick.addEventListener("change", () => this.pickMachine(pick.value));
        kind.append(pick);
      } else kind.append(element("strong", {}, source.chosen));
    }
    const convert = element("button", {
      className: "source-convert",
      textContent: "Convert to JSON",
      title:
        source.format === "template"
          ? "Replace the template by this state machine's definition, as JSON (Ctrl+Z undoes)"
          : "Replace the YAML by the same definition as JSON (Ctrl+Z undoes)",
      disabled: source.definition === undefined,
    });
    convert.addEventListener("click", () => this.convertToJson());
    const head = element("div", { className: "source-head" }, kind, convert);
    const notes = source.machines.find((m) => m.logicalId === source.chosen)?.notes ?? [];
    const lines = source.error
      ? [`It cannot be read: ${source.error.message} (line ${source.error.line}). See Problems.`, ...notes]
      : notes;
    const list = element("ul", { className: "source-notes" }, ...lines.map((n) => element("li", {}, n)));
    notice.replaceChildren(head, ...(lines.length ? [list] : []));
    notice.dataset.format = source.format;
    notice.hidden = false;
  }

  /** Picks the state machine of a template (a share link's choice, or the picker's). */
  pickMachine(logicalId: string) {
    this.machine = logicalId;
    try {
      localStorage.setItem(MACHINE_KEY, logicalId);
    } catch {
      /* not kept across reloads */
    }
    this.page.revalidate();
  }

  /** Replaces the YAML or template in the editor by the definition it holds, as JSON (undoable). */
  convertToJson() {
    const json = this.source?.source.definition;
    if (!json || this.source?.text !== this.page.definition.text) return;
    this.page.definition.setText(json);
    this.page.message("Converted to JSON (Ctrl+Z in the editor undoes it).", "info");
  }

  // ---- export -----------------------------------------------------------------------------------

  /** Downloads the run's history as GetExecutionHistory's JSON (`{"events": [...]}`). */
  exportHistory() {
    const events = this.page.events();
    if (!events.length) {
      this.page.message("There is no history to export yet: Run or Step first.", "info");
      return;
    }
    download("execution-history.json", `${JSON.stringify({ events }, null, 2)}\n`);
  }

  /** Downloads the mock configuration editor's text as `MockConfigFile.json`. */
  exportMocks() {
    const text = this.page.mock.text;
    if (!text.trim()) {
      this.page.message("The mock configuration is empty: there is nothing to export.", "info");
      return;
    }
    download("MockConfigFile.json", text.endsWith("\n") ? text : `${text}\n`);
  }

  // ---- import history --------------------------------------------------------------------------

  /** Opens the "Import history" dialog (built on first use). */
  openImport() {
    const d = this.dialog ?? this.buildDialog();
    d.showModal();
    d.querySelector("textarea")?.focus();
  }

  private buildDialog(): HTMLDialogElement {
    const title = element("h2", { id: "import-title" }, "Import an execution history");
    const hint = element(
      "p",
      { className: "hint" },
      "Paste what ",
      element("code", {}, "aws stepfunctions get-execution-history --execution-arn …"),
      " prints (",
      element("code", {}, '{"events": [...]}'),
      ", or a bare array of events), or open a saved file. Its service calls become a mock configuration that replays them, and its execution input (from ExecutionStarted) goes into the input editor, so Run reproduces the recorded execution.",
    );
    const area = element("textarea", {
      spellcheck: false,
      placeholder: '{"events": [{"type": "ExecutionStarted", ...}, ...]}',
    });
    area.setAttribute("aria-label", "Execution history JSON");
    const testCase = element("input", { value: "Replay", size: 14 });
    testCase.setAttribute("aria-label", "Test case name");
    const file = element("input", { type: "file", accept: ".json,application/json", hidden: true });
    const open = element("button", { type: "button", textContent: "Open file…" });
    open.addEventListener("click", () => file.click());
    file.addEventListener("change", async () => {
      const f = file.files?.[0];
      if (f) area.value = await f.text();
      file.value = "";
    });
    const options = element(
      "div",
      { className: "dialog-row" },
      element("label", {}, "Test case ", testCase),
      open,
      file,
    );
    const outcome = element("div", { className: "dialog-outcome" });
    outcome.setAttribute("aria-live", "polite");
    scrollableByKeyboard(outcome);
    const undo = element("button", {
      type: "button",
      textContent: "Undo",
      hidden: true,
      title: "Put back the mock configuration and input as they were",
    });
    const close = element("button", { type: "button", textContent: "Close" });
    const go = element("button", {
      type: "button",
      textContent: "Import",
      className: "primary",
      title: "Import (Ctrl+Enter)",
    });
    const actions = element(
      "div",
      { className: "dialog-actions" },
      undo,
      element("span", { className: "spacer" }),
      close,
      go,
    );
    const d = element("dialog", { className: "dialog import-dialog" }, title, hint, area, options, outcome, actions);
    d.setAttribute("aria-labelledby", "import-title");
    close.addEventListener("click", () => d.close());
    let before: { mock: string; input: string } | null = null;
    go.addEventListener("click", async () => {
      go.disabled = true;
      try {
        const done = await this.importHistory(area.value, testCase.value.trim() || "Replay");
        outcome.dataset.kind = done.ok ? "ok" : "error";
        outcome.replaceChildren(...done.lines.map((l, i) => element(i === 0 ? "p" : "li", {}, l)));
        if (done.ok) {
          before = done.before;
          undo.hidden = false;
        }
      } finally {
        go.disabled = false;
      }
    });
    undo.addEventListener("click", () => {
      if (!before) return;
      this.page.mock.setText(before.mock);
      this.page.input.setText(before.input);
      before = null;
      undo.hidden = true;
      outcome.dataset.kind = "ok";
      outcome.replaceChildren(
        element("p", {}, "The mock configuration and the execution input are back as they were."),
      );
    });
    document.body.append(d);
    this.dialog = d;
    return d;
  }

  /**
   * Imports a history's text: on success the mock editor holds a MockConfigFile replaying it
   * (its test case selected) and the input editor the recorded input. Answers what to tell
   * the user, and the texts replaced (for Undo).
   */
  async importHistory(
    text: string,
    testCase: string,
  ): Promise<{ ok: boolean; lines: string[]; before: { mock: string; input: string } }> {
    const before = { mock: this.page.mock.text, input: this.page.input.text };
    const fail = (line: string) => ({ ok: false, lines: [line], before });
    if (!text.trim()) return fail("Paste a history first (or open a file).");
    try {
      const parsed = JSON.parse(text) as unknown;
      const list = Array.isArray(parsed) ? parsed : (parsed as { events?: unknown } | null)?.events;
      if (Array.isArray(list) && list.length === 0) return fail("The history has no events.");
    } catch {
      /* the importer says where the JSON is broken */
    }
    const source = this.source?.text === this.page.definition.text ? this.source.source : null;
    const stateMachine = source?.format === "template" && source.chosen ? source.chosen : "StateMachine";
    const definition = this.definitionJson(this.page.definition.text) ?? "";
    const answer = JSON.parse(
      await this.page.engine.importHistory(text, definition, stateMachine, testCase),
    ) as Imported | null;
    if (!answer) return fail("The engine did not answer; try again.");
    if (answer.error || !answer.mockConfig) {
      const e = answer.error ?? { message: "The history could not be read", pointer: "" };
      return fail(`${e.message}${place(e)}. Nothing was changed.`);
    }
    const responses = Object.values(answer.mockConfig.MockedResponses ?? {});
    const calls = responses.reduce((n, r) => n + invocations(r ?? {}), 0);
    if (calls === 0 && (answer.input === null || answer.input === undefined)) {
      return fail(
        "This does not look like an execution history: it has no ExecutionStarted event and no service calls. Nothing was changed.",
      );
    }
    this.page.mock.setText(JSON.stringify(answer.mockConfig, null, 2));
    this.page.selectTestCase(stateMachine, testCase);
    const lines = [
      calls
        ? `The mock configuration now replays ${plural(calls, "service call")} of ${plural(responses.length, "Task state")}: state machine "${stateMachine}", test case "${testCase}" (selected).`
        : `The history has no service calls: the mock configuration's test case "${testCase}" (selected) mocks nothing.`,
    ];
    if (answer.input !== null && answer.input !== undefined) {
      this.page.input.setText(prettyText(answer.input));
      lines.push("The execution input was replaced by the history's (from its ExecutionStarted event).");
    } else
      lines.push(
        "The history has no execution input (fetched with --no-include-execution-data?): the input editor is unchanged.",
      );
    lines.push(...(answer.notes ?? []));
    lines.push(
      "Press Run to reproduce the recorded execution. Undo puts the previous mock configuration and input back.",
    );
    return { ok: true, lines, before };
  }
}
