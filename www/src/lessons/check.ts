// The lesson checker: what a lesson file holds (the format is described in docs/lessons.md),
// whether a lesson file makes sense, and whether a learner's machine meets a lesson's goal. It runs the learner's definition through a Runner (the real engine: the
// page's worker, or the wasm build in node) on every check's input and mocks, compares what
// came out with what the check expects, and checks the constructs the lesson requires on the
// definition itself. Every difference is said in a learner's words: which check and input,
// what was expected, what came out. No DOM here, so the lesson tests run it in node.

// ---- the lesson format ----------------------------------------------------------------------

/** A machine with its input and mocks: a lesson's starter or solution, or a learner's work. */
export interface LessonMachine {
  /** The ASL definition as a JSON object. */
  definition: Record<string, unknown>;
  /** The execution input shown in the input editor. */
  input?: unknown;
  /** A MockConfigFile object shown in the mock editor, or null for none. */
  mocks?: Record<string, unknown> | null;
}

/** What a check expects; every key is optional. */
export interface Expect {
  /** SUCCEEDED, FAILED, TIMED_OUT or ABORTED; for a TestState check SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR. */
  status?: string;
  /** The output, deep-equal as JSON. */
  output?: unknown;
  /** The output contains this (see `includes`). */
  outputIncludes?: unknown;
  error?: string;
  cause?: string;
  /** Exactly the states entered, in order (nested ones too). */
  visited?: string[];
  /** Each of these states is entered at least once. */
  visitedIncludes?: string[];
  /** Exactly this many events of each type named. */
  events?: Record<string, number>;
  /** Each of these event types appears at least once. */
  eventsInclude?: string[];
  /** The virtual time from the execution's start to its end, in seconds. */
  elapsedSeconds?: number;
  /** The Task states' requests (their resolved `Parameters`), in order of their
   * TaskScheduled events; each equal as JSON to the one given, where `"<any>"` matches any
   * value (see `matches`). There must be at least as many requests as listed. */
  taskParameters?: unknown[];
  /** TestState checks: the state TestState names next. */
  nextState?: string;
  /** TestState checks: stages of `inspectionData` (afterInputPath, afterParameters, result,
   * afterResultSelector, afterResultPath, ...), each deep-equal as JSON. */
  inspectionData?: Record<string, unknown>;
}

/** A TestState request, as the API takes it; the learner's definition is added to it, and the
 * check's `input` when the request has none. */
export interface TestStateRequest {
  stateName: string;
  input?: unknown;
  /** `{"result": <JSON text, or any other JSON value>}` or `{"errorOutput": {"error", "cause"}}`. */
  mock?: Record<string, unknown>;
  inspectionLevel?: "INFO" | "DEBUG" | "TRACE";
  variables?: Record<string, unknown>;
  stateConfiguration?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

/** One run of the learner's machine and what it must give. */
export interface Check {
  name: string;
  /** "execution" runs the whole machine; "testState" runs one state with TestState. A check
   * with a `testState` request is a TestState check; the default is "execution". */
  kind?: "execution" | "testState";
  input?: unknown;
  /** null or absent: the learner's mock editor text (the starter's when it is blank);
   * an object: this check's own MockConfigFile. */
  mocks?: Record<string, unknown> | null;
  /** The test case (and state machine) of the mocks to use; default: the first one. */
  testCase?: string;
  stateMachine?: string;
  /** For a TestState check: the request (the learner's definition is added, and `input` when
   * the request has none). */
  testState?: TestStateRequest;
  expect: Expect;
}

/** A construct the learner's definition must contain; exactly one of the first four keys. */
export interface Requirement {
  /** A state of this Type, anywhere (nested states too). */
  stateType?: string;
  /** This field in a state (at any depth inside it, not inside its nested states' own
   * definitions), of Type `in` when given. */
  field?: string;
  in?: string;
  /** A Task state whose Resource starts with this. */
  resource?: string;
  /** The definition or one of its states declares this QueryLanguage. */
  queryLanguage?: string;
  /** What is missing, said to the learner. */
  message: string;
}

/** A lesson file (www/lessons/<id>.json). */
export interface Lesson {
  id: string;
  title: string;
  summary: string;
  /** Paragraphs; `code`, **bold** and [text](https://link) only. */
  explanation: string[];
  goal: string;
  starter: LessonMachine;
  solution: LessonMachine;
  hints: string[];
  checks: Check[];
  requires?: Requirement[];
  next: string;
  /** Informational: "testState" for a lesson whose checks run TestState. */
  kind?: string;
}

/** A learner's machine as the editors hold it: text. */
export interface Work {
  definition: string;
  input: string;
  mock: string;
}

/** The editors' text for a lesson machine (JSON, two-space indented; no mocks: blank). */
export function workOf(machine: LessonMachine): Work {
  const text = (v: unknown) => JSON.stringify(v, null, 2);
  return {
    definition: text(machine.definition),
    input: text(machine.input ?? {}),
    mock: machine.mocks ? text(machine.mocks) : "",
  };
}

// ---- is a lesson file sound? ----------------------------------------------------------------

const isText = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const EXPECT_KEYS = new Set([
  "status",
  "output",
  "outputIncludes",
  "error",
  "cause",
  "visited",
  "visitedIncludes",
  "events",
  "eventsInclude",
  "elapsedSeconds",
  "taskParameters",
  "nextState",
  "inspectionData",
]);

/** What is wrong with a lesson file's shape (empty when nothing), for authors and tests. */
export function lessonProblems(lesson: unknown, fileId?: string): string[] {
  const out: string[] = [];
  if (!isObject(lesson)) return ["the lesson is not a JSON object"];
  const l = lesson as Partial<Lesson> & Record<string, unknown>;
  if (!isText(l.id) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(l.id)) out.push("id must be a slug (a-z, 0-9, dashes)");
  if (fileId !== undefined && l.id !== fileId) out.push(`id "${String(l.id)}" differs from the file name "${fileId}"`);
  for (const k of ["title", "summary", "goal", "next"] as const) if (!isText(l[k])) out.push(`${k} must be text`);
  if (!Array.isArray(l.explanation) || !l.explanation.length || !l.explanation.every(isText))
    out.push("explanation must be a list of paragraphs");
  if (!Array.isArray(l.hints) || !l.hints.length || !l.hints.every(isText)) out.push("hints must be non-empty text");
  for (const k of ["starter", "solution"] as const) {
    const m = l[k];
    if (!isObject(m) || !isObject(m.definition)) out.push(`${k}.definition must be an ASL object`);
    else if (m.mocks !== undefined && m.mocks !== null && !isObject(m.mocks))
      out.push(`${k}.mocks must be a MockConfigFile object or null`);
  }
  if (!Array.isArray(l.checks) || l.checks.length < 2) out.push("at least 2 checks are needed");
  const names = new Set<string>();
  for (const [i, c] of (Array.isArray(l.checks) ? l.checks : []).entries()) {
    const at = `checks[${i}]`;
    if (!isObject(c)) {
      out.push(`${at} must be an object`);
      continue;
    }
    if (!isText(c.name)) out.push(`${at}.name must be text`);
    else if (names.has(c.name)) out.push(`${at}.name "${c.name}" is used twice`);
    else names.add(c.name);
    if (c.kind !== undefined && c.kind !== "execution" && c.kind !== "testState")
      out.push(`${at}.kind must be "execution" or "testState"`);
    if (c.kind === "testState" && !isObject(c.testState)) out.push(`${at}: kind "testState" needs a testState request`);
    if (c.testState !== undefined && (!isObject(c.testState) || !isText(c.testState.stateName)))
      out.push(`${at}.testState must be a request naming its stateName`);
    if (c.mocks !== undefined && c.mocks !== null && !isObject(c.mocks))
      out.push(`${at}.mocks must be an object or null`);
    if (!isObject(c.expect) || !Object.keys(c.expect).length) out.push(`${at}.expect must name what to compare`);
    else for (const k of Object.keys(c.expect)) if (!EXPECT_KEYS.has(k)) out.push(`${at}.expect.${k} is not known`);
  }
  for (const [i, r] of (Array.isArray(l.requires) ? l.requires : []).entries()) {
    const kinds = ["stateType", "field", "resource", "queryLanguage"].filter((k) => isObject(r) && k in r);
    if (!isObject(r) || kinds.length !== 1)
      out.push(`requires[${i}] must have one of stateType, field, resource, queryLanguage`);
    else if (!isText(r.message)) out.push(`requires[${i}].message must say what is missing`);
  }
  if (l.requires !== undefined && !Array.isArray(l.requires)) out.push("requires must be a list");
  return out;
}

// ---- running --------------------------------------------------------------------------------

/** What the engine answered for one execution (src/wasm.rs Session, run by execute.ts). */
export interface Execution {
  result: { status: string; output: unknown; error: string | null; cause: string | null };
  events: HistoryEvent[];
  /** Set when the check stopped it after that many milliseconds of work. */
  stopped?: number;
}

/** One history event, as GetExecutionHistory gives it. */
export interface HistoryEvent {
  id: number;
  type: string;
  timestamp: number | string;
  [details: string]: unknown;
}

/** A run that could not start: the definition is invalid or the input or mocks unusable. */
export interface StartFailure {
  failure: string;
  /** The validator's diagnostics, when the definition is invalid. */
  diagnostics?: { message: string; code?: string; line?: number; column?: number; location?: string }[];
}

/** The engine, as the checker uses it. */
export interface Runner {
  /** Runs a whole execution (seed 0, default start time). */
  execute(req: {
    definition: string;
    input: string;
    mock: string;
    stateMachine: string;
    testCase: string;
  }): Promise<Execution | StartFailure>;
  /** TestState: the API's response, or `{error, message}`. */
  testState(request: Record<string, unknown>): Promise<Record<string, unknown>>;
}

// ---- verdicts -------------------------------------------------------------------------------

/** How one check went. */
export interface CheckResult {
  name: string;
  /** How it ran: a whole execution, or one state with TestState. */
  kind: "execution" | "testState";
  /** The input it ran on (for the learner to try it). */
  input: unknown;
  /** The mocks it ran with (text), when they are the check's own. */
  mock: string | null;
  /** The [state machine, test case] of the mocks it ran with, when it named one or used mocks. */
  testCase: [string, string] | null;
  passed: boolean;
  /** What differed, one sentence each. */
  differences: string[];
}

/** The checker's answer for a learner's machine. */
export interface Verdict {
  passed: boolean;
  /** The definition cannot be run or read: why (then no check ran). */
  blocked?: string;
  checks: CheckResult[];
  /** The requirements' messages that are not met. */
  missing: string[];
}

/** "Passed: ..." or "Not yet: ..." (the verdict's first line). */
export function headline(v: Verdict): string {
  if (v.passed) {
    const n = v.checks.length;
    return `Passed: your machine meets the goal (${n} check${n === 1 ? "" : "s"} on different inputs).`;
  }
  if (v.blocked) return `Not yet: ${v.blocked}`;
  const failed = v.checks.filter((c) => !c.passed).length;
  const parts: string[] = [];
  if (failed) parts.push(`${failed} of ${v.checks.length} checks did not give what the goal asks`);
  if (v.missing.length)
    parts.push(
      `${v.missing.length === 1 ? "a construct the lesson is about is" : "constructs the lesson is about are"} missing`,
    );
  return `Not yet: ${parts.join(", and ")}.`;
}

/** Compact JSON for a sentence, cut when long. */
export function show(v: unknown, max = 160): string {
  const text = v === undefined ? "nothing" : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Deep equality of JSON values (object key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((x, i) => sameJson(x, (b as unknown[])[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.hasOwn(bo, k) && sameJson(ao[k], bo[k]));
}

/** The placeholder that matches any value in `outputIncludes` and `taskParameters`. */
export const ANY = "<any>";

/** Whether `actual` equals `expected` as JSON, where `"<any>"` in `expected` matches any value. */
export function matches(actual: unknown, expected: unknown): boolean {
  if (expected === ANY) return actual !== undefined;
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => matches(actual[i], v))
    );
  if (isObject(expected)) {
    if (!isObject(actual) || Object.keys(actual).length !== Object.keys(expected).length) return false;
    return Object.entries(expected).every(([k, v]) => Object.hasOwn(actual, k) && matches(actual[k], v));
  }
  return sameJson(actual, expected);
}

/**
 * Whether `actual` contains `expected`: objects have at least the expected keys, each
 * containing the expected value (extra keys are fine); arrays and other values are equal
 * (`"<any>"` matches any value that is there).
 */
export function includes(actual: unknown, expected: unknown): boolean {
  if (expected === ANY) return actual !== undefined;
  if (isObject(expected))
    return (
      isObject(actual) && Object.entries(expected).every(([k, v]) => Object.hasOwn(actual, k) && includes(actual[k], v))
    );
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => includes(actual[i], v))
    );
  return sameJson(actual, expected);
}

// ---- requirements ---------------------------------------------------------------------------

/** Every state of a definition, nested ones too (Parallel branches, Map processors). */
export function allStates(definition: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (machine: unknown) => {
    if (!isObject(machine) || !isObject(machine.States)) return;
    for (const state of Object.values(machine.States)) {
      if (!isObject(state)) continue;
      out.push(state);
      if (Array.isArray(state.Branches)) for (const b of state.Branches) visit(b);
      visit(state.ItemProcessor);
      visit(state.Iterator);
    }
  };
  visit(definition);
  return out;
}

/** Whether `key` is a field anywhere inside `value`, not looking into nested `States`. */
function hasField(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasField(v, key));
  if (!isObject(value)) return false;
  return Object.entries(value).some(([k, v]) => k === key || (k !== "States" && hasField(v, key)));
}

/** Whether the definition has what `r` requires. */
export function meets(definition: unknown, r: Requirement): boolean {
  const states = allStates(definition);
  if (r.stateType !== undefined) return states.some((s) => s.Type === r.stateType);
  if (r.field !== undefined) {
    const field = r.field;
    return states.some((s) => (r.in === undefined || s.Type === r.in) && hasField(s, field));
  }
  if (r.resource !== undefined) {
    const prefix = r.resource;
    return states.some((s) => s.Type === "Task" && typeof s.Resource === "string" && s.Resource.startsWith(prefix));
  }
  if (r.queryLanguage !== undefined) {
    const top = isObject(definition) ? definition.QueryLanguage : undefined;
    if (top === r.queryLanguage || states.some((s) => s.QueryLanguage === r.queryLanguage)) return true;
    return r.queryLanguage === "JSONPath" && top === undefined;
  }
  return false;
}

// ---- comparing an execution -----------------------------------------------------------------

/** The names of the states entered, in order. */
export function visitedStates(events: HistoryEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const d = e.stateEnteredEventDetails as { name?: string } | undefined;
    if (e.type.endsWith("StateEntered") && d?.name !== undefined) out.push(d.name);
  }
  return out;
}

/** Milliseconds since the epoch of a history timestamp (RFC 3339 text with up to 9 fraction digits, or a number). */
export function timeOf(t: number | string): number {
  if (typeof t === "number") return t;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) return Number.NaN;
  return Date.parse(`${m[1]}${m[3]}`) + Number(`0.${m[2] ?? "0"}`) * 1000;
}

/** The parameters each Task was scheduled with, in order. */
function taskRequests(events: HistoryEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    if (e.type !== "TaskScheduled") continue;
    const p = (e.taskScheduledEventDetails as { parameters?: string } | undefined)?.parameters;
    try {
      out.push(p === undefined ? undefined : JSON.parse(p));
    } catch {
      out.push(p);
    }
  }
  return out;
}

const path = (names: string[]) => (names.length ? names.join(" → ") : "no state at all");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** How an execution ended, in a few words (for "but it ..."). */
function ending(r: Execution["result"]): string {
  if (r.status === "SUCCEEDED") return `it succeeded with the output ${show(r.output)}`;
  const why = [r.error && `error ${r.error}`, r.cause && `cause ${show(r.cause, 320)}`].filter(Boolean).join(", ");
  return `it ended ${r.status}${why ? ` (${why})` : ""}`;
}

/** What differs between an execution and what the check expects. */
export function compareExecution(run: Execution, x: Expect): string[] {
  const r = run.result;
  const out: string[] = [];
  const visited = visitedStates(run.events);
  if (run.stopped !== undefined)
    out.push(
      `the execution was still running after ${run.stopped / 1000} s of work, so the check stopped it (a loop that never ends?)`,
    );
  if (x.status !== undefined && r.status !== x.status) {
    // What else differs follows from the status (the output, the path, the events): said once.
    out.push(`expected the execution to end ${x.status}, but ${ending(r)}`);
    if (x.error !== undefined && r.error !== null && r.error !== x.error)
      out.push(`the error was expected to be ${x.error}`);
    return [...out, ...compareTasks(run, x)];
  }
  if (x.output !== undefined) {
    if (r.status !== "SUCCEEDED") out.push(`expected the output ${show(x.output)}, but ${ending(r)}`);
    else if (!sameJson(r.output, x.output))
      out.push(`expected the output ${show(x.output)}, but it was ${show(r.output)}`);
  }
  if (x.outputIncludes !== undefined && r.status === "SUCCEEDED" && !includes(r.output, x.outputIncludes))
    out.push(`expected the output to contain ${show(x.outputIncludes)}, but it was ${show(r.output)}`);
  if (x.error !== undefined && r.error !== x.error)
    out.push(
      r.error === null
        ? `expected the error ${x.error}, but ${ending(r)}`
        : `expected the error ${x.error}, but it was ${r.error}`,
    );
  if (x.cause !== undefined && r.cause !== x.cause)
    out.push(
      r.cause === null
        ? `expected the cause ${show(x.cause)}, but ${ending(r)}`
        : `expected the cause ${show(x.cause)}, but it was ${show(r.cause)}`,
    );
  if (x.visited !== undefined && !sameJson(visited, x.visited))
    out.push(`expected it to go through ${path(x.visited)}, but it went through ${path(visited)}`);
  for (const name of x.visitedIncludes ?? [])
    if (!visited.includes(name)) out.push(`expected it to enter "${name}", but it went through ${path(visited)}`);
  for (const [type, n] of Object.entries(x.events ?? {})) {
    const got = run.events.filter((e) => e.type === type).length;
    if (got !== n)
      out.push(`expected ${plural(n, `${type} event`)} in the history, but there ${got === 1 ? "was" : "were"} ${got}`);
  }
  for (const type of x.eventsInclude ?? [])
    if (!run.events.some((e) => e.type === type))
      out.push(`expected a ${type} event in the history, but there was none`);
  if (x.elapsedSeconds !== undefined && run.events.length) {
    const took = (timeOf(run.events[run.events.length - 1].timestamp) - timeOf(run.events[0].timestamp)) / 1000;
    if (Math.abs(took - x.elapsedSeconds) > 0.0005)
      out.push(`expected the execution to take ${x.elapsedSeconds} s on the virtual clock, but it took ${took} s`);
  }
  out.push(...compareTasks(run, x));
  return out;
}

/** What differs between the requests the Tasks were sent and `taskParameters`. */
function compareTasks(run: Execution, x: Expect): string[] {
  const out: string[] = [];
  if (x.taskParameters !== undefined) {
    const sent = taskRequests(run.events);
    x.taskParameters.forEach((want, i) => {
      const which = x.taskParameters?.length === 1 ? "the Task" : `Task call ${i + 1}`;
      if (i >= sent.length)
        out.push(
          `expected ${which} to be sent ${show(want)}, but ${plural(sent.length, "Task call was", "Task calls were")} made`,
        );
      else if (!matches(sent[i], want))
        out.push(`expected ${which} to be sent ${show(want)}, but it was sent ${show(sent[i])}`);
    });
  }
  return out;
}

/** What differs between a TestState answer and what the check expects. */
export function compareTestState(res: Record<string, unknown>, x: Expect): string[] {
  if (typeof res.error === "string" && typeof res.message === "string" && res.status === undefined)
    return [`TestState refused the request: ${res.error}: ${res.message}`];
  const out: string[] = [];
  const parse = (v: unknown) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  const answered = `TestState answered ${String(res.status)}${res.nextState ? ` with next state "${String(res.nextState)}"` : ""}${
    res.error ? ` (error ${String(res.error)}${res.cause ? `, cause ${show(res.cause, 320)}` : ""})` : ""
  }`;
  if (x.status !== undefined && res.status !== x.status) {
    // The next state and the output follow from the status: said once.
    out.push(`expected TestState to answer ${x.status}, but ${answered}`);
    return out;
  }
  if (x.nextState !== undefined && res.nextState !== x.nextState)
    out.push(
      res.nextState === undefined
        ? `expected the next state "${x.nextState}", but ${answered}`
        : `expected the next state "${x.nextState}", but it was "${String(res.nextState)}"`,
    );
  const output = parse(res.output);
  if (x.output !== undefined && !sameJson(output, x.output))
    out.push(
      `expected the state's output ${show(x.output)}, but ${res.output === undefined ? answered : `it was ${show(output)}`}`,
    );
  if (x.outputIncludes !== undefined && !includes(output, x.outputIncludes))
    out.push(`expected the state's output to contain ${show(x.outputIncludes)}, but it was ${show(output)}`);
  if (x.error !== undefined && res.error !== x.error)
    out.push(
      `expected the error ${x.error}, but ${res.error === undefined ? answered : `it was ${String(res.error)}`}`,
    );
  if (x.cause !== undefined && res.cause !== x.cause)
    out.push(`expected the cause ${show(x.cause)}, but it was ${show(res.cause)}`);
  const data = isObject(res.inspectionData) ? res.inspectionData : {};
  for (const [stage, want] of Object.entries(x.inspectionData ?? {})) {
    const got = parse(data[stage]);
    if (!sameJson(got, want))
      out.push(
        got === undefined
          ? `expected the inspection data's ${stage} to be ${show(want)}, but TestState gave no ${stage} (ask for inspectionLevel DEBUG)`
          : `expected the inspection data's ${stage} to be ${show(want)}, but it was ${show(got)}`,
      );
  }
  return out;
}

// ---- checking a learner's machine -----------------------------------------------------------

/** The first [state machine, test case] of a MockConfigFile, for a check that names none. */
function firstTestCase(mock: unknown): [string, string] {
  const machines = isObject(mock) && isObject(mock.StateMachines) ? Object.entries(mock.StateMachines) : [];
  for (const [sm, def] of machines) {
    const cases = isObject(def) && isObject(def.TestCases) ? Object.keys(def.TestCases) : [];
    if (cases.length) return [sm, cases[0]];
  }
  return ["", ""];
}

/** Where a definition's first problem is, for the learner: "line 4:7: message". */
function firstProblem(f: StartFailure): string {
  const d = f.diagnostics?.[0];
  if (!d) return f.failure;
  const where = d.line ? `line ${d.line}${d.column ? `:${d.column}` : ""}: ` : "";
  const more =
    (f.diagnostics?.length ?? 0) > 1
      ? ` (and ${plural((f.diagnostics?.length ?? 1) - 1, "more problem")}: see Problems)`
      : "";
  return `${where}${d.message}${more}`;
}

/**
 * Checks a learner's work against a lesson: each check runs the learner's definition with the
 * check's input and mocks, and the requirements are looked for in the definition.
 */
export async function checkLesson(lesson: Lesson, work: Work, runner: Runner): Promise<Verdict> {
  let definition: unknown;
  try {
    definition = JSON.parse(work.definition);
  } catch (e) {
    // Said as the Problems list says it (the engine's line:column and words), not in the
    // browser's JSON.parse wording, which counts bytes and differs between browsers.
    const run = await runner.execute({
      definition: work.definition,
      input: "{}",
      mock: "",
      stateMachine: "",
      testCase: "",
    });
    const why =
      "failure" in run && run.diagnostics?.length ? firstProblem(run) : e instanceof Error ? e.message : String(e);
    return {
      passed: false,
      blocked: `the definition is not JSON yet (${why}); the Problems list shows where.`,
      checks: [],
      missing: [],
    };
  }
  if (!isObject(definition))
    return {
      passed: false,
      blocked: "the definition must be a JSON object with StartAt and States.",
      checks: [],
      missing: [],
    };
  const missing = (lesson.requires ?? []).filter((r) => !meets(definition, r)).map((r) => r.message);
  const learnerMock = work.mock.trim() ? work.mock : lesson.starter.mocks ? JSON.stringify(lesson.starter.mocks) : "";
  const checks: CheckResult[] = [];
  for (const c of lesson.checks) {
    const own = c.mocks !== undefined && c.mocks !== null;
    const mock = own ? JSON.stringify(c.mocks) : learnerMock;
    const testState = c.kind === "testState" || c.testState !== undefined;
    const result: CheckResult = {
      name: c.name,
      kind: testState ? "testState" : "execution",
      input: c.input ?? {},
      mock: own ? mock : null,
      testCase: null,
      passed: false,
      differences: [],
    };
    if (testState) {
      const input = c.testState?.input ?? c.input ?? {};
      const req: Record<string, unknown> = { ...c.testState, input, definition };
      const m = c.testState?.mock;
      if (m && m.result !== undefined && typeof m.result !== "string")
        req.mock = { ...m, result: JSON.stringify(m.result) };
      result.input = input;
      result.differences = compareTestState(await runner.testState(req), c.expect);
    } else {
      let parsedMock: unknown = null;
      try {
        parsedMock = mock ? JSON.parse(mock) : null;
      } catch {
        /* the engine says what is wrong with it */
      }
      const [firstSm, firstTc] = firstTestCase(parsedMock);
      const stateMachine = c.stateMachine ?? (c.testCase ? "" : firstSm);
      const testCase = c.testCase ?? firstTc;
      if (testCase) result.testCase = [stateMachine, testCase];
      const run = await runner.execute({
        definition: work.definition,
        input: JSON.stringify(c.input ?? {}),
        mock,
        stateMachine,
        testCase,
      });
      if ("failure" in run) {
        if (run.diagnostics?.length)
          return { passed: false, blocked: `the definition is not valid: ${firstProblem(run)}`, checks: [], missing };
        result.differences = [`the execution could not start: ${run.failure}`];
      } else result.differences = compareExecution(run, c.expect);
    }
    result.passed = result.differences.length === 0;
    checks.push(result);
  }
  return { passed: checks.every((c) => c.passed) && missing.length === 0, checks, missing };
}
