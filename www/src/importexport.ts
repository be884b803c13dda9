// Import and export on the page: the notice that says what the definition editor holds when
// it is not ASL JSON (YAML, ASL with `${name}` placeholders, a CloudFormation/SAM template, with
// a state machine picker, "Convert to JSON", the file its definition is in and the substitutions
// panel, where each placeholder's value is shown and can be changed), the project: the files a
// template names (dropped or opened with it, or added afterwards: projectfiles.ts, loaded on
// demand) and the values given, kept and shared with the rest of the page's state; the "Import
// history" dialog that turns a recorded execution into a mock configuration and input that
// replay it, and the downloads of the run's history and of the mock configuration. The engine
// worker does the reading (definitionsource.ts, src/import/).

import type { Engine } from "./engine";
import type { JsonEditor } from "./editors";
import type { DefinitionSource, FoundMachine } from "./definitionsource";
import type { HistoryEvent, ProjectInput } from "./protocol";
import { projectOf, projectText, type SharedState } from "./share";
import { download, element, scrollableByKeyboard } from "./dom";

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
  /** The page's stored work (localStorage keys without the page's prefix; a shared link's
   * values are not stored until edited). */
  read(key: string): string | null;
  write(key: string, value: string): void;
}

/** A file given to the page: its name (a path, when the browser knows it) and text. */
export interface GivenFile {
  name: string;
  text: string;
}

/** A copy of a name → text map without a prototype, so any name a template uses (even
 * `__proto__`) is an ordinary key. */
const record = (from: Record<string, string> | undefined): Record<string, string> =>
  Object.assign(Object.create(null) as Record<string, string>, from);

/** Whether a text is a CloudFormation/SAM template (it has a top-level `Resources`). */
export const isTemplate = (text: string) => /(?:^|[{,])\s*"?Resources"?\s*:/m.test(text);

/** The wasm `import_history` answer. */
interface Imported {
  mockConfig?: { StateMachines?: Record<string, unknown>; MockedResponses?: Record<string, Record<string, unknown>> };
  notes?: string[];
  input?: string | null;
  error?: { message: string; pointer: string; line?: number; column?: number };
}

const MACHINE_KEY = "aslplay.machine";

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
  /** What the notice shows now, to leave it alone (and a value being typed) when unchanged. */
  private shown = "";
  /** The files a template names, by path, and the values given for its placeholders. */
  private files: Record<string, string>;
  private params: Record<string, string>;
  /** The "Project files" dialog's module, once loaded. */
  private projectUi: typeof import("./projectfiles") | null = null;

  constructor(private readonly page: PageHooks) {
    const stored = projectOf(page.read("project"));
    this.files = record(stored.files);
    this.params = record(stored.params);
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
    this.installOpenAndDrop();
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
    return /^\s*[{[]/.test(text) && !/"Resources"\s*:/.test(text) && !text.includes("${") ? text : null;
  }

  // ---- the project: files and given values -----------------------------------------------------

  /** What the definition is read with: the files given and the values given. */
  get project(): ProjectInput {
    return { files: this.files, params: this.params };
  }

  /** The files and values a share link carries (absent when there are none). */
  shared(): Pick<SharedState, "files" | "params"> {
    return {
      ...(Object.keys(this.files).length ? { files: this.files } : {}),
      ...(Object.keys(this.params).length ? { params: this.params } : {}),
    };
  }

  /** Takes a shared link's files and values (the page stores them once edited). */
  showShared(state: Pick<SharedState, "files" | "params">) {
    this.files = record(state.files);
    this.params = record(state.params);
  }

  private saveProject() {
    this.page.write("project", projectText({ files: this.files, params: this.params }));
    this.page.revalidate();
  }

  /** Gives a placeholder (or parameter) a value; null takes the given value back. */
  setParam(name: string, value: string | null) {
    if (value === null) delete this.params[name];
    else this.params[name] = value;
    this.saveProject();
  }

  /** The files held, by name. */
  heldFiles(): GivenFile[] {
    return Object.entries(this.files).map(([name, text]) => ({ name, text }));
  }

  /** Adds (or replaces) files the template names. */
  addProjectFiles(files: GivenFile[]) {
    for (const f of files) this.files[f.name] = f.text;
    this.saveProject();
  }

  removeProjectFile(name: string) {
    delete this.files[name];
    this.saveProject();
  }

  /** The files the definition's template names, and which of them the page lacks. */
  namedFiles(): { file: string; missing: boolean; machine: string }[] {
    const source = this.source?.text === this.page.definition.text ? this.source.source : null;
    return (source?.machines ?? [])
      .filter((m) => m.file)
      .map((m) => ({ file: m.file ?? "", missing: !!m.missingFile, machine: m.logicalId }));
  }

  /**
   * Files opened or dropped at once: a template goes into the definition editor and the other
   * files are kept as the files it names; without a template, files the editor's template
   * names are kept, and a single definition replaces the editor's text. Says what it did.
   */
  takeFiles(files: GivenFile[]) {
    if (!files.length) return;
    const templates = files.filter((f) => isTemplate(f.text));
    const current = this.page.definition.text;
    let rest = files;
    let opened = "";
    if (templates.length === 1) {
      rest = files.filter((f) => f !== templates[0]);
      this.page.definition.setText(templates[0].text);
      opened = templates[0].name;
    } else if (templates.length === 0 && files.length === 1 && !isTemplate(current)) {
      this.page.definition.setText(files[0].text);
      this.page.message(`Opened ${files[0].name}.`, "info");
      return;
    } else if (templates.length > 1) {
      this.page.message(
        `${templates.map((t) => t.name).join(" and ")} are all templates: open one template at a time, with the files it names.`,
        "error",
      );
      return;
    }
    if (rest.length) this.addProjectFiles(rest);
    else this.page.revalidate();
    const kept = rest.map((f) => f.name).join(", ");
    this.page.message(
      opened
        ? `Opened the template ${opened}${kept ? ` with ${kept}` : ""}.`
        : `Added ${kept} to the template's files.`,
      "info",
    );
  }

  /** "Open files…" beside the definition editor, and files dropped on the editor. */
  private installOpenAndDrop() {
    const read = async (list: FileList | File[]) =>
      Promise.all(
        [...list].map(async (f) => ({ name: f.webkitRelativePath || f.name, text: await f.text() }) as GivenFile),
      );
    const picker = document.getElementById("open-files-input") as HTMLInputElement | null;
    document.getElementById("open-files")?.addEventListener("click", () => picker?.click());
    picker?.addEventListener("change", async () => {
      if (picker.files?.length) this.takeFiles(await read(picker.files));
      picker.value = "";
    });
    const box = document.getElementById("ed-definition");
    if (!box) return;
    const hasFiles = (ev: DragEvent) => [...(ev.dataTransfer?.types ?? [])].includes("Files");
    box.addEventListener(
      "dragover",
      (ev) => {
        if (!hasFiles(ev)) return;
        ev.preventDefault();
        box.dataset.drop = "true";
      },
      true,
    );
    box.addEventListener("dragleave", () => delete box.dataset.drop, true);
    box.addEventListener(
      "drop",
      async (ev) => {
        delete box.dataset.drop;
        const files = ev.dataTransfer?.files;
        if (!files?.length) return;
        // The editor would insert a dropped file's text where it fell: the page takes the files instead.
        ev.preventDefault();
        ev.stopPropagation();
        this.takeFiles(await read(files));
      },
      true,
    );
  }

  /** Opens the "Project files" dialog (projectfiles.ts, loaded on first use). */
  async openProjectFiles() {
    this.projectUi ??= await import("./projectfiles");
    this.projectUi.openProjectFiles(this);
  }

  /** Takes what the engine read from the definition text (`source` of its validation answer). */
  showSource(text: string, source: DefinitionSource | undefined) {
    this.source = source ? { text, source } : null;
    this.renderNotice(text, source);
    this.projectUi?.projectChanged();
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
      this.shown = "";
      return;
    }
    const signature = JSON.stringify([source, /AWS::Serverless::StateMachine/.test(text)]);
    if (signature === this.shown) return;
    const focused = notice.contains(document.activeElement) ? document.activeElement?.getAttribute("aria-label") : null;
    const open = notice.querySelector("details")?.open;
    this.shown = signature;
    const kind = element("span", { className: "source-kind" });
    if (source.format === "yaml") kind.append("YAML definition");
    else if (source.format === "placeholders") kind.append("Definition with ${…} placeholders");
    else {
      const sam = /AWS::Serverless::StateMachine/.test(text);
      kind.append(`${sam ? "SAM" : "CloudFormation"} template (${source.syntax}): state machine `);
      if (source.machines.length > 1) {
        const pick = element("select", { className: "machine-pick" });
        pick.setAttribute("aria-label", "State machine in the template");
        for (const m of source.machines) {
          const readable = m.inline || !!m.missingFile;
          const o = element(
            "option",
            { value: m.logicalId, disabled: !readable },
            m.inline ? m.logicalId : m.missingFile ? `${m.logicalId} (file missing)` : `${m.logicalId} (in S3)`,
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
    const machine = source.machines.find((m) => m.logicalId === source.chosen) ?? source.machines[0];
    // A missing file is said once, by the file line (not again by the importer's note and the error).
    const notes = (machine?.notes ?? []).filter(
      (n) => !n.startsWith("Not resolved") && !(machine?.missingFile && n.includes(machine.missingFile)),
    );
    const lines =
      source.error && !machine?.missingFile
        ? [`It cannot be read: ${source.error.message} (line ${source.error.line}). See Problems.`, ...notes]
        : notes;
    const list = element("ul", { className: "source-notes" }, ...lines.map((n) => element("li", {}, n)));
    const parts: HTMLElement[] = [head];
    if (source.format === "template") parts.push(this.fileLine(machine));
    if (lines.length) parts.push(list);
    if (machine?.substitutions.length) parts.push(this.substitutionsPanel(machine, open));
    notice.replaceChildren(...parts);
    notice.dataset.format = source.format;
    notice.hidden = false;
    if (focused) notice.querySelector<HTMLElement>(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
  }

  /** Where the chosen machine's definition is, and the way to the project's files. */
  private fileLine(machine: FoundMachine | undefined): HTMLElement {
    const files = element("button", {
      type: "button",
      className: "source-files",
      textContent: "Project files…",
      title: "The files the template names (DefinitionUri): add, paste or remove them",
    });
    files.addEventListener("click", () => void this.openProjectFiles());
    const where = element("span", { className: "source-where" });
    if (machine?.missingFile) {
      where.dataset.kind = "missing";
      where.append(
        "Missing file: ",
        element("code", {}, machine.missingFile),
        " (its DefinitionUri). Drop it on the editor, or add it with Project files.",
      );
    } else if (machine?.file) where.append("Definition from ", element("code", {}, machine.file));
    else if (machine?.s3Location) where.append("Definition in S3: ", element("code", {}, machine.s3Location));
    else where.append("Definition inline");
    return element("div", { className: "source-file" }, where, files);
  }

  /**
   * The placeholders' values: one row per name (a DefinitionSubstitutions entry, a parameter or
   * pseudo parameter a value came from, or a placeholder nothing declares), its value in a
   * labelled field (a change gives the value; Enter or leaving the field applies it) and where
   * it comes from; a given value has a button that takes it back.
   */
  private substitutionsPanel(machine: FoundMachine, open: boolean | undefined): HTMLElement {
    const missing = machine.substitutions.filter((s) => s.value === null).length;
    const summary = element(
      "summary",
      {},
      `Substitutions (${machine.substitutions.length}${missing ? `, ${missing} without a value` : ""})`,
    );
    const rows = machine.substitutions.map((s) => {
      const field = element("input", {
        type: "text",
        value: s.value ?? "",
        placeholder: "no value",
        spellcheck: false,
      });
      field.setAttribute("aria-label", `Value of ${s.name}`);
      const apply = () => {
        if (field.value !== (s.value ?? "")) this.setParam(s.name, field.value);
      };
      field.addEventListener("change", apply);
      field.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") apply();
      });
      const from = s.given && s.source !== "given" ? `given (template: ${s.source})` : s.source;
      const cells: HTMLElement[] = [
        element("th", { scope: "row" }, element("code", {}, s.name)),
        element("td", {}, field),
      ];
      const last = element("td", { className: "sub-from" }, from);
      if (s.given) {
        const reset = element("button", { type: "button", textContent: "Reset", title: "Use the template's value" });
        reset.setAttribute("aria-label", `Reset ${s.name}`);
        reset.addEventListener("click", () => this.setParam(s.name, null));
        last.append(" ", reset);
      }
      const row = element("tr", {}, ...cells, last);
      if (s.value === null) row.dataset.missing = "true";
      return row;
    });
    const table = element(
      "table",
      { className: "subs-table" },
      element(
        "thead",
        {},
        element(
          "tr",
          {},
          element("th", { scope: "col" }, "Name"),
          element("th", { scope: "col" }, "Value"),
          element("th", { scope: "col" }, "From"),
        ),
      ),
      element("tbody", {}, ...rows),
    );
    table.setAttribute("aria-label", "Substitutions");
    const details = element(
      "details",
      { className: "subs" },
      summary,
      element("div", { className: "subs-scroll" }, table),
    );
    details.open = open ?? missing > 0;
    return details;
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
    download("execution-history.json", `${JSON.stringify({ events }, null, 2)}\n`, "application/json");
  }

  /** Downloads the mock configuration editor's text as `MockConfigFile.json`. */
  exportMocks() {
    const text = this.page.mock.text;
    if (!text.trim()) {
      this.page.message("The mock configuration is empty: there is nothing to export.", "info");
      return;
    }
    download("MockConfigFile.json", text.endsWith("\n") ? text : `${text}\n`, "application/json");
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
