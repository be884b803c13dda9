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
  /**
   * Where the definition stands in the text's document, as a JSON pointer that the definition's
   * own pointers continue (`/Resources/Flow/Properties/Definition`; `""` for ASL as YAML).
   */
  origin?: string;
}

/** The wasm importer's answer (`definitions_from_text`). */
interface Extracted {
  machines?: { logicalId: string; definition: unknown; notes: string[]; origin: string }[];
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
 * Reads the editor's text with the importer (`definitions`, `locate`); `machine` is the
 * logical id the user picked in a template (blank or unknown: the first inline one).
 */
export function resolveDefinition(text: string, machine: string, backend: SourceBackend): DefinitionSource {
  // The common case, cheaply: ASL as JSON.
  if (isPlainJson(text)) return PLAIN;
  let found: Extracted;
  try {
    found = JSON.parse(backend.definitions(text)) as Extracted;
  } catch {
    return PLAIN;
  }
  const locate = (pointer: string) => locateAll(text, [pointer], backend)[0];
  if (found.error || !found.machines) {
    // Broken JSON gets the validator's own error; broken YAML the importer's, with its place.
    if (looksJson(text)) return PLAIN;
    const e = found.error ?? { message: "The text could not be read", pointer: "" };
    // Neither JSON nor YAML holding a machine or a template: the validator answers as AWS does
    // (INVALID_JSON_DESCRIPTION, at its place). Broken YAML keeps YAML's own error.
    if (!e.pointer && (!e.line || !looksYaml(text))) return PLAIN;
    const at = e.line && e.column ? { line: e.line, column: e.column } : locate(e.pointer);
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
    const definition = JSON.stringify(found.machines[0].definition, null, 2);
    return { format: "yaml", machines, chosen: "", definition, origin: "" };
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
        ...locate(`/Resources/${pointerToken(first?.logicalId ?? "")}`),
      },
    };
  }
  return {
    format: "template",
    syntax,
    machines,
    chosen: pick.logicalId,
    definition: JSON.stringify(pick.definition, null, 2),
    origin: pick.origin,
  };
}

/** One JSON pointer token (RFC 6901): `~` and `/` escaped. */
const pointerToken = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Where JSON pointers into the text's document stand (the importer's `locate`, which reads the
 * JSON or YAML with every node's position): the member's key, or the nearest enclosing value.
 */
function locateAll(text: string, pointers: string[], backend: SourceBackend): { line: number; column: number }[] {
  let places: ([number, number] | null)[] = [];
  try {
    places = JSON.parse(backend.locate(text, JSON.stringify(pointers))) as ([number, number] | null)[];
  } catch {
    // An importer that cannot answer leaves every place at the top.
  }
  return pointers.map((_, i) => {
    const at = places[i];
    return at ? { line: at[0], column: at[1] } : { line: 1, column: 1 };
  });
}

/** The validator's diagnostics on the extracted definition, moved to the lines of the editor's text. */
export function relocateDiagnostics(
  text: string,
  source: DefinitionSource,
  diagnostics: AwsDiagnostic[],
  backend: SourceBackend,
): AwsDiagnostic[] {
  if (source.format === "json" || !diagnostics.length) return diagnostics;
  const places = locateAll(
    text,
    diagnostics.map((d) => `${source.origin ?? ""}${d.location ?? ""}`),
    backend,
  );
  return diagnostics.map((d, i) => ({ ...d, ...places[i] }));
}

/** The wasm functions the worker needs here. */
export interface SourceBackend {
  validate(definition: string): string;
  definitions(text: string): string;
  /** The importer's `locate`: `[line, column]` or null for each pointer of a JSON array. */
  locate(text: string, pointers: string): string;
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
  const source = resolveDefinition(text, machine, backend);
  if (source.format === "json") return backend.validate(text);
  let answer: { diagnostics?: AwsDiagnostic[] };
  if (source.definition === undefined)
    answer = readFailure(source.error ?? { message: "No definition", line: 1, column: 1 });
  else {
    answer = JSON.parse(backend.validate(source.definition)) as { diagnostics?: AwsDiagnostic[] };
    answer.diagnostics = relocateDiagnostics(text, source, answer.diagnostics ?? [], backend);
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
  const source = resolveDefinition(text, machine, backend);
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
      return JSON.stringify({ ...v, diagnostics: relocateDiagnostics(text, source, v.diagnostics ?? [], backend) });
    },
  };
}
