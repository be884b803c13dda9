// What the definition editor holds: ASL as JSON (passed through untouched), ASL as JSON with
// `${name}` placeholders (Terraform, CDK output), ASL as YAML, or a CloudFormation/SAM template
// (JSON or YAML) with one or more state machines, whose definitions may be in files the user
// gave with it (`DefinitionUri`). Used by the engine worker, which turns such text into the JSON
// definition it validates and runs (the importer fills the placeholders as the deployed stack
// would), and puts the validator's diagnostics back on the lines of the text the user wrote.
// DOM-free.

import type { AwsDiagnostic, ProjectInput } from "./protocol";

/** A value a placeholder took (or could take), as the importer reports it. */
export interface Substitution {
  name: string;
  /** Null when nothing resolves it. */
  value: string | null;
  /** What the template says it is (`!GetAtt Fn.Arn`, `Default of parameter Stage`...). */
  source: string;
  kind: "substitution" | "parameter" | "pseudo" | "placeholder";
  /** The user gave this value. */
  given: boolean;
}

/** A placeholder nothing resolved (a marker stands in for it), and where it is. */
export interface Unresolved {
  placeholder: string;
  name: string | null;
  reason: string;
  /** The file it is in (a DefinitionUri file); null: the editor's text. */
  file: string | null;
  line: number | null;
  column: number | null;
}

/** One state machine found in the editor's text. */
export interface FoundMachine {
  /** The resource's logical id in a template; empty for a bare definition. */
  logicalId: string;
  /** Whether its definition could be read (else it is in S3, or in a file not given). */
  inline: boolean;
  /** What the importer did or could not do. */
  notes: string[];
  /** The file the template's DefinitionUri names, and whether the page lacks it. */
  file?: string | null;
  missingFile?: string | null;
  /** Where the definition is when it is kept in S3 (not readable here). */
  s3Location?: string | null;
  substitutions: Substitution[];
  unresolved: Unresolved[];
}

/** What the editor's text is, and the definition the engine runs from it. */
export interface DefinitionSource {
  /** `json`: ASL as JSON (nothing to convert); `placeholders`: ASL as JSON with `${name}`
   * placeholders; `yaml`: ASL as YAML; `template`: CloudFormation/SAM. */
  format: "json" | "placeholders" | "yaml" | "template";
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
  /** The text of the file the definition was read from (its diagnostics are placed in it);
   * kept in the worker. */
  fileText?: string;
}

/** One machine of the wasm importer's answer (`definitions_from_text`). */
interface ExtractedMachine {
  logicalId: string;
  definition: unknown;
  notes: string[];
  origin: string;
  file: string | null;
  fileText: string | null;
  missingFile: string | null;
  s3Location: string | null;
  substitutions: Substitution[];
  unresolved: Unresolved[];
}

/** The wasm importer's answer (`definitions_from_text`). */
interface Extracted {
  machines?: ExtractedMachine[];
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

/** Whether the text is (or tries to be) ASL as JSON with nothing to fill, so no importer is
 * needed to read it. */
export const isPlainJson = (text: string) =>
  !text.trim() || (looksJson(text) && !/"Resources"\s*:/.test(text) && !text.includes("${"));

/**
 * Reads the editor's text with the importer (`definitions`, `locate`); `machine` is the
 * logical id the user picked in a template (blank or unknown: the first readable one);
 * `project` the files and values given with it.
 */
export function resolveDefinition(
  text: string,
  machine: string,
  backend: SourceBackend,
  project?: ProjectInput,
): DefinitionSource {
  // The common case, cheaply: ASL as JSON.
  if (isPlainJson(text)) return PLAIN;
  let found: Extracted;
  try {
    found = JSON.parse(backend.definitions(text, JSON.stringify(project ?? {}))) as Extracted;
  } catch {
    return PLAIN;
  }
  const locate = (pointer: string) => locateAll(text, [pointer], backend)[0];
  if (found.error || !found.machines) {
    // Broken JSON gets the validator's own error; broken YAML the importer's, with its place.
    if (looksJson(text) && !text.includes("${")) return PLAIN;
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
    file: m.file,
    missingFile: m.missingFile,
    s3Location: m.s3Location,
    substitutions: m.substitutions,
    unresolved: m.unresolved,
  }));
  const bare = found.machines.length === 1 && found.machines[0].logicalId === "";
  if (bare) {
    const only = found.machines[0];
    const filled = only.substitutions.length > 0 || only.unresolved.length > 0;
    if (looksJson(text) && !filled) return PLAIN;
    const definition = JSON.stringify(only.definition, null, 2);
    return { format: looksJson(text) ? "placeholders" : "yaml", machines, chosen: "", definition, origin: "" };
  }
  const syntax = looksJson(text) ? "JSON" : "YAML";
  // The machine picked, unless it cannot be read at all (S3); else the first, in template
  // order, that is readable or whose file is missing (the page then asks for it).
  const usable = (m: ExtractedMachine) => m.definition !== null || m.missingFile !== null;
  const picked = found.machines.find((m) => m.logicalId === machine);
  const pick = (picked && usable(picked) ? picked : undefined) ?? found.machines.find(usable);
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
  if (pick.definition === null) {
    const file = pick.missingFile ?? "";
    const error = pick.missingFile
      ? `The definition of ${pick.logicalId} is in ${file} (DefinitionUri), which the page does not have: drop it on the editor with the template, or add it with "Project files…"`
      : `${pick.logicalId}: ${pick.notes.join("; ")}`;
    return {
      format: "template",
      syntax,
      machines,
      chosen: pick.logicalId,
      error: { message: error, ...locate(declaration(pick.logicalId)) },
    };
  }
  return {
    format: "template",
    syntax,
    machines,
    chosen: pick.logicalId,
    definition: JSON.stringify(pick.definition, null, 2),
    origin: pick.origin,
    fileText: pick.fileText ?? undefined,
  };
}

/** One JSON pointer token (RFC 6901): `~` and `/` escaped. */
const pointerToken = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** The pointer of a state machine's `DefinitionUri` in its template. */
const declaration = (logicalId: string) => `/Resources/${pointerToken(logicalId)}/Properties/DefinitionUri`;

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

/**
 * The validator's diagnostics on the extracted definition, moved to the lines of the editor's
 * text. When the definition came from a file, each is placed on the template's DefinitionUri
 * and its message starts with the file and its place in it.
 */
export function relocateDiagnostics(
  text: string,
  source: DefinitionSource,
  diagnostics: AwsDiagnostic[],
  backend: SourceBackend,
): AwsDiagnostic[] {
  if (source.format === "json" || !diagnostics.length) return diagnostics;
  const pointers = diagnostics.map((d) => `${source.origin ?? ""}${d.location ?? ""}`);
  const file = chosenMachine(source)?.file;
  if (source.fileText !== undefined && file) {
    const inFile = locateAll(source.fileText, pointers, backend);
    const at = locateAll(text, [declaration(source.chosen)], backend)[0];
    return diagnostics.map((d, i) => ({
      ...d,
      ...at,
      message: `${file} ${inFile[i].line}:${inFile[i].column}: ${d.message}`,
    }));
  }
  const places = locateAll(text, pointers, backend);
  return diagnostics.map((d, i) => ({ ...d, ...places[i] }));
}

/** The machine the source runs. */
const chosenMachine = (source: DefinitionSource) => source.machines.find((m) => m.logicalId === source.chosen);

/** A warning for each placeholder nothing resolved, where it is in the editor's text (or, in
 * a file, on the template's DefinitionUri naming the file and the place). */
function unresolvedWarnings(text: string, source: DefinitionSource, backend: SourceBackend): AwsDiagnostic[] {
  const machine = chosenMachine(source) ?? (source.machines.length === 1 ? source.machines[0] : undefined);
  if (!machine?.unresolved.length) return [];
  const at = machine.file ? locateAll(text, [declaration(machine.logicalId)], backend)[0] : undefined;
  return machine.unresolved.map((u) => {
    const where = u.file ? `${u.file} ${u.line ?? 1}:${u.column ?? 1}: ` : "";
    const place = u.file ? at : { line: u.line ?? 1, column: u.column ?? 1 };
    return {
      severity: "WARNING",
      code: "",
      message: `${where}${u.placeholder} has no value (${u.reason}); UNRESOLVED-${u.name ?? u.placeholder} stands in for it. Give it a value under Substitutions.`,
      location: "",
      ...(place ?? { line: 1, column: 1 }),
    };
  });
}

/** The wasm functions the worker needs here. */
export interface SourceBackend {
  validate(definition: string): string;
  /** The importer's `definitions_from_text`; `options` is JSON text (`{files, params}`). */
  definitions(text: string, options: string): string;
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
export function validateSource(text: string, machine: string, backend: SourceBackend, project?: ProjectInput): string {
  const source = resolveDefinition(text, machine, backend, project);
  if (source.format === "json") return backend.validate(text);
  let answer: { diagnostics?: AwsDiagnostic[] };
  if (source.definition === undefined)
    answer = readFailure(source.error ?? { message: "No definition", line: 1, column: 1 });
  else {
    answer = JSON.parse(backend.validate(source.definition)) as { diagnostics?: AwsDiagnostic[] };
    answer.diagnostics = relocateDiagnostics(text, source, answer.diagnostics ?? [], backend);
  }
  answer.diagnostics = [...(answer.diagnostics ?? []), ...unresolvedWarnings(text, source, backend)];
  return JSON.stringify({ ...answer, source: { ...source, fileText: undefined } });
}

/**
 * What a start runs: the JSON definition read from the editor's text, with a way to move the
 * start's validation diagnostics onto the text's lines; or why nothing can run.
 */
export function definitionToRun(
  text: string,
  machine: string,
  backend: SourceBackend,
  project?: ProjectInput,
):
  | { definition: string; relocate: (validation?: string) => string | undefined }
  | { failure: string; validation: string } {
  const source = resolveDefinition(text, machine, backend, project);
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
