// What the definition editor holds: ASL as JSON (passed through untouched), ASL as YAML, or a
// CloudFormation/SAM template (JSON or YAML) with one or more state machines. Used by the
// engine worker, which turns such text into the JSON definition it validates and runs, and
// puts the validator's diagnostics back on the lines of the text the user wrote. DOM-free.

import type { AwsDiagnostic } from "./protocol";

/** One state machine found in the editor's text. */
export interface FoundMachine {
  /** The resource's logical id in a template; empty for a bare definition. */
  logicalId: string;
  /** Whether the template holds its definition (else it is in S3 or a file: not runnable). */
  inline: boolean;
  /** What the importer did or could not do (substitutions, placeholders left as text). */
  notes: string[];
}

/** What the editor's text is, and the definition the engine runs from it. */
export interface DefinitionSource {
  /** `json`: ASL as JSON (nothing to convert); `yaml`: ASL as YAML; `template`: CloudFormation/SAM. */
  format: "json" | "yaml" | "template";
  /** For a template: whether it is written in JSON or YAML. */
  syntax?: "JSON" | "YAML";
  machines: FoundMachine[];
  /** Logical id of the state machine used (a template's), empty otherwise. */
  chosen: string;
  /** The definition as JSON text (pretty), when one could be read (not for `json`). */
  definition?: string;
  /** Why no definition could be read, at a 1-based line/column of the editor's text. */
  error?: { message: string; line: number; column: number };
}

/** The wasm importer's answer (`definitions_from_text`). */
interface Extracted {
  machines?: { logicalId: string; definition: unknown; notes: string[] }[];
  error?: { message: string; pointer: string; line?: number; column?: number };
}

const PLAIN: DefinitionSource = { format: "json", machines: [], chosen: "" };

/** Starts like JSON (so a JSON error is the validator's to report). */
const looksJson = (text: string) => /^\s*[{[]/.test(text);

/**
 * Whether the text reads as a YAML mapping: some line (outside comments) holds a `key:` followed
 * by a space or the line's end, possibly after `- ` (the rule of the Rust `looks_like_yaml`).
 */
export function looksYaml(text: string): boolean {
  return text.split("\n").some((line) => {
    let l = line.trimStart();
    if (l.startsWith("- ")) l = l.slice(2).trimStart();
    if (!l || l.startsWith("#")) return false;
    let rest: string | undefined;
    if (l[0] === '"' || l[0] === "'") {
      const end = l.indexOf(l[0], 1);
      rest = end < 0 ? undefined : l.slice(end + 1);
    } else {
      const i = l.indexOf(":");
      rest = i > 0 && !/[#{[,]/.test(l.slice(0, i)) ? l.slice(i) : undefined;
    }
    return rest !== undefined && /^:([ \t]|\r?$)/.test(rest);
  });
}

/** Whether the text is (or tries to be) ASL as JSON, so no importer is needed to read it. */
export const isPlainJson = (text: string) => !text.trim() || (looksJson(text) && !/"Resources"\s*:/.test(text));

/**
 * Reads the editor's text. `extract` is the wasm `definitions_from_text`; `machine` the
 * logical id the user picked in a template (blank or unknown: the first inline one).
 */
export function resolveDefinition(text: string, machine: string, extract: (text: string) => string): DefinitionSource {
  // The common case, cheaply: ASL as JSON.
  if (isPlainJson(text)) return PLAIN;
  let found: Extracted;
  try {
    found = JSON.parse(extract(text)) as Extracted;
  } catch {
    return PLAIN;
  }
  if (found.error || !found.machines) {
    // Broken JSON gets the validator's own error; broken YAML the importer's, with its place.
    if (looksJson(text)) return PLAIN;
    const e = found.error ?? { message: "The text could not be read", pointer: "" };
    // Neither JSON nor YAML holding a machine or a template: the validator answers as AWS does
    // (INVALID_JSON_DESCRIPTION, at its place). Broken YAML keeps YAML's own error.
    if (!e.pointer && (!e.line || !looksYaml(text))) return PLAIN;
    const at = e.line && e.column ? { line: e.line, column: e.column } : locate(text, pointerSegments(e.pointer));
    return { format: "yaml", machines: [], chosen: "", error: { message: e.message, ...at } };
  }
  const machines: FoundMachine[] = found.machines.map((m) => ({
    logicalId: m.logicalId,
    inline: m.definition !== null,
    notes: m.notes,
  }));
  const bare = found.machines.length === 1 && found.machines[0].logicalId === "";
  if (bare) {
    if (looksJson(text)) return PLAIN;
    return { format: "yaml", machines, chosen: "", definition: JSON.stringify(found.machines[0].definition, null, 2) };
  }
  const syntax = looksJson(text) ? "JSON" : "YAML";
  const pick =
    found.machines.find((m) => m.logicalId === machine && m.definition !== null) ??
    found.machines.find((m) => m.definition !== null);
  if (!pick) {
    const first = found.machines[0];
    const why = found.machines.map((m) => `${m.logicalId}: ${m.notes.join("; ")}`).join(" | ");
    return {
      format: "template",
      syntax,
      machines,
      chosen: first?.logicalId ?? "",
      error: {
        message: `The template has no state machine defined inline (${why})`,
        ...locate(text, ["Resources", first?.logicalId ?? ""]),
      },
    };
  }
  return {
    format: "template",
    syntax,
    machines,
    chosen: pick.logicalId,
    definition: JSON.stringify(pick.definition, null, 2),
  };
}

/** The keys and indexes of a JSON pointer (`/States/A~1B/Next` → `States`, `A/B`, `Next`). */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Where, in the editor's text, the extracted definition's JSON pointer `pointer` is. */
export function sourceLocation(
  text: string,
  source: DefinitionSource,
  pointer: string,
): { line: number; column: number } {
  const inner = pointerSegments(pointer);
  if (source.format !== "template") return locate(text, inner);
  const base = ["Resources", source.chosen, "Properties"];
  const asObject = locate(text, [...base, "Definition", ...inner], true);
  if (asObject.found) return asObject;
  return locate(text, [...base, "DefinitionString", ...inner]);
}

/** The validator's diagnostics on the extracted definition, moved to the lines of the editor's text. */
export function relocateDiagnostics(
  text: string,
  source: DefinitionSource,
  diagnostics: AwsDiagnostic[],
): AwsDiagnostic[] {
  if (source.format === "json") return diagnostics;
  return diagnostics.map((d) => ({ ...d, ...sourceLocation(text, source, d.location ?? "") }));
}

/** A start offset, an end offset (exclusive) and the column of the key or item found. */
interface Span {
  from: number;
  to: number;
  line: number;
  column: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** 1-based line and column of an offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Where the block that starts on the line of `at` (its key or item at column `indent`) ends. */
function blockEnd(text: string, at: number, indent: number, limit: number): number {
  let i = text.indexOf("\n", at);
  while (i !== -1 && i < limit) {
    const start = i + 1;
    let lead = 0;
    while (text[start + lead] === " " || text[start + lead] === "\t") lead++;
    const first = text[start + lead];
    const blank = first === undefined || first === "\n" || first === "\r" || first === "#";
    // A closing bracket, or a sequence at the key's own indentation (`key:` then `- item`), continues the block.
    const continues = first === "}" || first === "]" || (first === "-" && lead === indent);
    if (!blank && lead <= indent && !continues) return Math.min(start, limit);
    if (!blank && lead < indent) return Math.min(start, limit);
    i = text.indexOf("\n", start);
  }
  return limit;
}

/** The least indented occurrence of `key:` (plain, 'single' or "double" quoted) in [from, to). */
function findKey(text: string, from: number, to: number, key: string): Span | null {
  const k = escapeRegExp(key);
  // A quoted key may be followed by anything (JSON's `"a":1`); a plain one by a space.
  const re = new RegExp(`(^|[\\s{,])(?:(?:"${k}"|'${k}')[ \\t]*:|${k}[ \\t]*:(?=\\s|$))`, "gm");
  re.lastIndex = from;
  let best: Span | null = null;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const at = m.index + m[1].length;
    const column = at - text.lastIndexOf("\n", at - 1);
    if (!best || column < best.column) best = { from: at + m[0].length - m[1].length, to, line: at, column };
  }
  if (!best) return null;
  // `line` held the key's offset until the best match was known.
  return { ...best, line: lineColumn(text, best.line).line, to: blockEnd(text, best.from, best.column - 1, to) };
}

/** The `index`-th item of the block sequence (`- ...`) in [from, to), at its least indentation. */
function findItem(text: string, from: number, to: number, index: number): Span | null {
  const items: { at: number; indent: number }[] = [];
  const re = /^([ \t]*)-(?=[ \t]|$)/gm;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text))
    items.push({ at: m.index + m[1].length, indent: m[1].length });
  if (!items.length) return null;
  const indent = Math.min(...items.map((i) => i.indent));
  const level = items.filter((i) => i.indent === indent);
  const item = level[index];
  if (!item) return null;
  const next = level[index + 1];
  const { line, column } = lineColumn(text, item.at);
  return { from: item.at + 1, to: next ? next.at : to, line, column };
}

/**
 * Where a path of keys and indexes is in YAML or JSON text, found by its keys' text (the
 * least indented match inside the block of the one before). Falls back to the deepest part of
 * the path found; `found` says whether the whole path was.
 */
export function locate(
  text: string,
  path: string[],
  needAll = false,
): { line: number; column: number; found: boolean } {
  let span: Span = { from: 0, to: text.length, line: 1, column: 1 };
  let found = true;
  for (const seg of path) {
    const next = /^\d+$/.test(seg)
      ? findItem(text, span.from, span.to, Number(seg))
      : findKey(text, span.from, span.to, seg);
    if (!next) {
      found = false;
      break;
    }
    span = next;
  }
  if (needAll && !found) return { line: 1, column: 1, found };
  return { line: span.line, column: span.column, found };
}

/** The two wasm functions the worker needs here. */
export interface SourceBackend {
  validate(definition: string): string;
  definitions(text: string): string;
}

/** A validator answer for an error found before validation (YAML syntax, no inline machine). */
function readFailure(error: NonNullable<DefinitionSource["error"]>): {
  result: string;
  diagnostics: AwsDiagnostic[];
  truncated: boolean;
} {
  const diagnostic: AwsDiagnostic = {
    severity: "ERROR",
    code: "",
    message: error.message,
    location: "",
    line: error.line,
    column: error.column,
  };
  return { result: "FAIL", diagnostics: [diagnostic], truncated: false };
}

/**
 * The validator's answer (AWS ValidateStateMachineDefinition JSON text) for the editor's
 * text, whatever it holds; for YAML and templates the diagnostics are on the text's lines and
 * the answer has a `source` member (the [`DefinitionSource`]).
 */
export function validateSource(text: string, machine: string, backend: SourceBackend): string {
  const source = resolveDefinition(text, machine, (t) => backend.definitions(t));
  if (source.format === "json") return backend.validate(text);
  let answer: { diagnostics?: AwsDiagnostic[] };
  if (source.definition === undefined)
    answer = readFailure(source.error ?? { message: "No definition", line: 1, column: 1 });
  else {
    answer = JSON.parse(backend.validate(source.definition)) as { diagnostics?: AwsDiagnostic[] };
    answer.diagnostics = relocateDiagnostics(text, source, answer.diagnostics ?? []);
  }
  return JSON.stringify({ ...answer, source });
}

/**
 * What a start runs: the JSON definition read from the editor's text, with a way to move the
 * start's validation diagnostics onto the text's lines; or why nothing can run.
 */
export function definitionToRun(
  text: string,
  machine: string,
  backend: SourceBackend,
):
  | { definition: string; relocate: (validation?: string) => string | undefined }
  | { failure: string; validation: string } {
  const source = resolveDefinition(text, machine, (t) => backend.definitions(t));
  if (source.format === "json") return { definition: text, relocate: (v) => v };
  if (source.definition === undefined) {
    const failure = readFailure(source.error ?? { message: "No definition", line: 1, column: 1 });
    return { failure: "The definition could not be read", validation: JSON.stringify(failure) };
  }
  return {
    definition: source.definition,
    relocate(validation) {
      if (!validation) return validation;
      const v = JSON.parse(validation) as { diagnostics?: AwsDiagnostic[] };
      return JSON.stringify({ ...v, diagnostics: relocateDiagnostics(text, source, v.diagnostics ?? []) });
    },
  };
}
