// The path of any value: which value an offset of JSON text is in (a small tolerant scanner over
// the JSON's structure), how ASL reaches it from where it was clicked, as a JSONPath
// (`$.order.total`, `$['odd key']`, `$.items[0]`) and as JSONata (`$states.input.order.total`),
// and the "Value path" panel that shows those with Copy and Insert. The page clicks values in
// the execution input, the inspector's stages and the execution output (main.ts, inspector.ts).
// The functions above the panel use no DOM and are tested under node (www/tests/valuepath.test.mjs).
import { el } from "./dom";

/** One step of a path: an object key or an array index. */
export type Segment = string | number;

/** The value found at an offset: its path from the root and its span [from, to) in the text. */
export interface ValueAt {
  path: Segment[];
  from: number;
  to: number;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
/** Characters that end a number or a literal (true, false, null). */
const DELIMITERS = new Set([...' \t\r\n,:[]{}"'].map((c) => c.charCodeAt(0)));

/** Where the string starting at `at` (on its opening quote) ends: after its closing quote, or the text's end. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return text.length;
}

/** A string token's value (its raw content when its escapes are broken). */
function keyOf(token: string): string {
  try {
    return JSON.parse(token.endsWith('"') && token.length > 1 ? token : `${token}"`);
  } catch {
    return token.replace(/^"|"$/g, "");
  }
}

interface Frame {
  open: number;
  array: boolean;
}

/**
 * The innermost value whose text contains `offset` (from its first character to just after its
 * last, both ends included, so a caret right after a value still names it). An offset on a key,
 * or between a key and its value, names that member's value; one in the blanks between members
 * names the enclosing array or object. The text may be broken or cut short: what comes before
 * the trouble is still read, and a container left open at the end runs to it. Null when the
 * offset is in no value (outside the text, or after a syntax error).
 */
export function valueAt(text: string, offset: number): ValueAt | null {
  if (offset < 0 || offset > text.length) return null;
  const frames: Frame[] = [];
  const path: Segment[] = [];
  let at = offset;
  let i = 0;
  const n = text.length;
  const skip = () => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };
  /** The answer when the text ends or breaks at `i`: the innermost open container holding the offset. */
  const broken = (): ValueAt | null => {
    if (i <= at && i < n) return null;
    for (let d = frames.length - 1; d >= 0; d--)
      if (frames[d].open <= at) return { path: path.slice(0, d), from: frames[d].open, to: i };
    return null;
  };
  /** True when an object member's key starts at `i` and has been read (with its colon). */
  const readKey = (): boolean => {
    skip();
    if (text.charCodeAt(i) !== 34) return false;
    const keyFrom = i;
    i = stringEnd(text, i);
    path.push(keyOf(text.slice(keyFrom, i)));
    skip();
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    skip();
    // An offset on the key or the colon names the member's value.
    if (keyFrom <= at && at < i) at = i;
    return true;
  };
  for (;;) {
    // A value starts here.
    skip();
    if (i >= n) return broken();
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      frames.push({ open: i, array: c === 91 });
      i++;
      skip();
      const close = c === 123 ? 125 : 93;
      if (text.charCodeAt(i) !== close) {
        if (c === 91) path.push(0);
        else if (!readKey()) return broken();
        continue;
      }
      // An empty container: handled below as a container that closes at once.
    } else {
      const from = i;
      if (c === 34) i = stringEnd(text, i);
      else while (i < n && !DELIMITERS.has(text.charCodeAt(i))) i++;
      if (i === from) return broken();
      if (from <= at && at <= i) return { path: path.slice(), from, to: i };
    }
    // After a value: the next member, or the end of one or more containers.
    for (;;) {
      if (!frames.length) return null;
      skip();
      const frame = frames[frames.length - 1];
      const next = text.charCodeAt(i);
      if (next === 44) {
        i++;
        if (frame.array) (path[path.length - 1] as number)++;
        else {
          path.pop();
          if (!readKey()) return broken();
        }
        break;
      }
      if (next !== (frame.array ? 93 : 125)) return broken();
      i++;
      frames.pop();
      // An empty container was opened without a member segment.
      if (path.length > frames.length) path.pop();
      if (frame.open <= at && at <= i) return { path: path.slice(), from: frame.open, to: i };
    }
  }
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The JSONPath of `path` below `root` (`$`, `$$.Execution.Input`, `$myVariable`): `.name` where
 * the name allows it, `['odd key']` (or `["it's"]`) otherwise, `[0]` for indexes. Null when a key
 * cannot be written in a JSONPath at all (it holds both quote characters, or ends with a backslash).
 */
export function toJsonPath(path: readonly Segment[], root = "$"): string | null {
  let out = root;
  for (const s of path) {
    if (typeof s === "number") out += `[${s}]`;
    else if (PLAIN_NAME.test(s)) out += `.${s}`;
    else if (s.endsWith("\\")) return null;
    else if (!s.includes("'")) out += `['${s}']`;
    else if (!s.includes('"')) out += `["${s}"]`;
    else return null;
  }
  return out;
}

/** Names JSONata reads as something else than a field after a dot. */
const JSONATA_WORDS = new Set(["and", "or", "in", "true", "false", "null", "function"]);

/**
 * The JSONata expression for `path` below `root` (`$states.input`, `$states.result`, `$name`):
 * `.name`, `` .`odd key` `` for other names, `[0]` for indexes; a key with a backtick (which
 * JSONata names cannot hold) is read with `$lookup`.
 */
export function toJsonata(path: readonly Segment[], root = "$states.input"): string {
  let out = root;
  for (const s of path) {
    if (typeof s === "number") out += `[${s}]`;
    else if (PLAIN_NAME.test(s) && !JSONATA_WORDS.has(s)) out += `.${s}`;
    else if (s !== "" && !s.includes("`")) out += `.\`${s}\``;
    else out = `$lookup(${out}, ${JSON.stringify(s)})`;
  }
  return out;
}

// ---- the panel ------------------------------------------------------------------------------

/** Where a clicked value comes from: it decides how ASL reaches the value. */
export type ValueSource =
  | { kind: "input" }
  | { kind: "output" }
  /** A stage of the selected step, by the inspector's key (`input`, `result`, `output`, ...). */
  | { kind: "stage"; stage: string; label: string }
  /** The variables object of the selected step (its keys are variable names). */
  | { kind: "variables" };

/** One way to write a value's path, and where it holds. */
export interface PathForm {
  language: "JSONPath" | "JSONata";
  /** Null when the path cannot be written this way (the note says why). */
  text: string | null;
  note: string;
}

const NO_JSONPATH = "this key cannot be written in a JSONPath";

/** The ways to reach the value at `path` in a value from `source`, the most useful first. */
export function pathForms(source: ValueSource, path: readonly Segment[]): PathForm[] {
  const jp = (root: string, note: string): PathForm => {
    const text = toJsonPath(path, root);
    return { language: "JSONPath", text, note: text === null ? NO_JSONPATH : note };
  };
  const ja = (root: string, note: string): PathForm => ({ language: "JSONata", text: toJsonata(path, root), note });
  switch (source.kind) {
    case "input":
      return [
        jp("$", "in the first state (its input)"),
        ja("$states.input", "in the first state"),
        jp("$$.Execution.Input", "in any state, through the context object"),
        ja("$states.context.Execution.Input", "in any state, through the context object"),
      ];
    case "output":
      return [
        jp("$.Output", "in a parent machine that starts this one with startExecution.sync:2 (its ResultSelector)"),
        ja("$states.result.Output", "in a parent machine that starts this one with startExecution.sync:2"),
      ];
    case "variables": {
      const [name, ...rest] = path;
      if (typeof name !== "string")
        return [{ language: "JSONPath", text: null, note: "click a variable's value to see its path" }];
      return [
        {
          language: "JSONPath",
          text: toJsonPath(rest, `$${name}`),
          note: "wherever the variable is in scope",
        },
        {
          language: "JSONata",
          text: toJsonata(rest, `$${name}`),
          note: "wherever the variable is in scope",
        },
      ];
    }
    case "stage":
      switch (source.stage) {
        case "input":
          return [jp("$", "in this state's InputPath"), ja("$states.input", "in this state's JSONata fields")];
        case "afterInputPath":
          return [jp("$", "in this state's Parameters, ItemsPath or ItemSelector")];
        case "result":
          return [jp("$", "in this state's ResultSelector"), ja("$states.result", "in this state's Output and Assign")];
        case "afterResultPath":
          return [jp("$", "in this state's OutputPath")];
        case "output":
          return [jp("$", "in the next state"), ja("$states.input", "in the next state")];
        default:
          return [jp("$", "relative to this value")];
      }
  }
}

/** What the panel says the value is in. */
function describe(source: ValueSource): string {
  switch (source.kind) {
    case "input":
      return "the execution input";
    case "output":
      return "the execution output";
    case "variables":
      return "the variables";
    case "stage":
      return `the step's ${source.label.toLowerCase()}`;
  }
}

/** What the panel needs from the page. */
export interface ValuePathHost {
  /** Inserts a path at the definition editor's cursor. */
  insert(path: string, language: PathForm["language"]): void;
}

/**
 * The "Value path" region: a clicked value's path in each form that reaches it (a radio group
 * picks one; a line says where the chosen one holds), with Copy and Insert (at the definition's
 * cursor). One panel for the page, shown beside where the value was clicked.
 */
export class ValuePathPanel {
  readonly element: HTMLElement;
  private forms: PathForm[] = [];
  private chosen: PathForm["language"] = "JSONPath";
  private readonly where: HTMLElement;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  private readonly status: HTMLElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly insertButton: HTMLButtonElement;
  private serial = 0;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ValuePathHost) {
    const panel = el("section", "value-path");
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "Value path");
    panel.hidden = true;
    this.where = el("span", "vp-where");
    this.copyButton = el("button", "vp-button", "Copy");
    this.copyButton.title = "Copy the chosen path";
    this.copyButton.addEventListener("click", () => void this.copy());
    this.insertButton = el("button", "vp-button", "Insert");
    this.insertButton.title = "Insert the chosen path at the definition editor's cursor";
    this.insertButton.addEventListener("click", () => {
      const form = this.current();
      if (form?.text) this.host.insert(form.text, form.language);
    });
    this.status = el("span", "vp-status");
    this.status.setAttribute("aria-live", "polite");
    const close = el("button", "vp-close", "×");
    close.setAttribute("aria-label", "Close value path");
    close.title = "Close";
    close.addEventListener("click", () => this.hide());
    const head = el("div", "vp-head");
    head.append(
      el("strong", "vp-title", "Value path"),
      this.where,
      this.status,
      this.copyButton,
      this.insertButton,
      close,
    );
    this.list = el("div", "vp-forms");
    this.list.setAttribute("role", "radiogroup");
    this.list.setAttribute("aria-label", "Path form");
    this.note = el("p", "vp-note");
    panel.append(head, this.list, this.note);
    this.element = panel;
  }

  /** The form the buttons act on. */
  private current(): PathForm | undefined {
    const checked = this.list.querySelector<HTMLInputElement>("input:checked");
    return checked ? this.forms[Number(checked.value)] : undefined;
  }

  /**
   * Shows the path of the value at `offset` of `text` (a value from `source`) in `container`
   * (the panel moves there). Text that is not JSON at that offset shows a note instead.
   */
  show(source: ValueSource, text: string, offset: number, container: HTMLElement) {
    this.showPath(source, valueAt(text, offset)?.path ?? null, container);
  }

  /** Shows `path` (null: no value there) of a value from `source` in `container`. */
  showPath(source: ValueSource, path: Segment[] | null, container: HTMLElement) {
    if (this.element.parentElement !== container) container.append(this.element);
    this.element.hidden = false;
    this.where.textContent = `in ${describe(source)}`;
    this.forms = path ? pathForms(source, path) : [];
    const name = `vp-form-${++this.serial}`;
    const usable = this.forms.filter((f) => f.text !== null);
    const pick = usable.find((f) => f.language === this.chosen) ?? usable[0];
    this.list.replaceChildren(
      ...this.forms.map((form, i) => {
        const row = document.createElement("label");
        row.className = "vp-form";
        row.title = form.note;
        const radio = document.createElement("input");
        radio.type = "radio";
        radio.name = name;
        radio.value = String(i);
        radio.disabled = form.text === null;
        radio.checked = form === pick;
        radio.addEventListener("change", () => {
          this.chosen = form.language;
          this.update();
        });
        const lang = document.createElement("span");
        lang.className = "vp-lang";
        lang.textContent = form.language;
        const code = document.createElement("code");
        code.textContent = form.text ?? "—";
        radio.setAttribute("aria-label", `${form.language} ${form.text ?? "(none)"}: ${form.note}`);
        row.append(radio, lang, code);
        return row;
      }),
    );
    this.update(path ? "" : "No JSON value here: click a value (a number, a string, an object…).");
  }

  /** Enables the buttons and says where the chosen form holds (or `note`). */
  private update(note = "") {
    const form = this.current();
    this.copyButton.disabled = !form?.text;
    this.insertButton.disabled = !form?.text;
    this.note.textContent = note || (form ? `${form.language}: ${form.note}` : "");
    this.say("");
  }

  private say(text: string) {
    clearTimeout(this.statusTimer);
    this.status.textContent = text;
    if (text) this.statusTimer = setTimeout(() => this.say(""), 2500);
  }

  private async copy() {
    const text = this.current()?.text;
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
      this.say("Copied");
    } catch {
      this.say("Copying was refused: select the path and copy it");
    }
  }

  hide() {
    this.element.hidden = true;
  }
}
