// A stand-in engine written in TypeScript, used only until the wasm build of the library can
// run executions (and by tests that force `?backend=fake`). It knows a small subset of ASL,
// enough to exercise the page: it is not the interpreter and makes no claim to AWS fidelity.

import type { Backend, Session, StartRequest } from "../protocol";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
type Ev = Record<string, unknown>;

class Failure {
  constructor(readonly error: string, readonly cause: string) {}
}

const MAX_EVENTS = 25_000;

function lineCol(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function jsonError(text: string): { message: string; line: number; column: number } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = String((e as Error).message);
    const m = /position (\d+)/.exec(message);
    const at = m ? lineCol(text, Number(m[1])) : { line: 1, column: 1 };
    return { message: message.replace(/ in JSON at position.*$/, ""), ...at };
  }
}

function validate(text: string): string {
  const diagnostics: Obj[] = [];
  const err = jsonError(text);
  const add = (code: string, location: string, message: string, offset: number) =>
    diagnostics.push({ severity: "ERROR", code, message, location, ...lineCol(text, Math.max(0, offset)) });
  if (err) {
    diagnostics.push({ severity: "ERROR", code: "INVALID_JSON_DESCRIPTION", message: err.message, location: "/", line: err.line, column: err.column });
  } else {
    const check = (machine: Obj, at: string) => {
      const states = (machine.States ?? {}) as Obj;
      if (typeof machine.StartAt !== "string") add("SCHEMA_VALIDATION_FAILED", `${at}/StartAt`, "StartAt is required", 0);
      else if (!(machine.StartAt in states)) add("MISSING_TRANSITION_TARGET", `${at}/StartAt`, `Missing 'Next' target: ${machine.StartAt}`, text.indexOf('"StartAt"'));
      for (const [name, s] of Object.entries(states)) {
        const st = s as Obj;
        if (typeof st.Next === "string" && !(st.Next in states)) {
          const m = new RegExp(`"Next"\\s*:\\s*${JSON.stringify(st.Next).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).exec(text);
          add("MISSING_TRANSITION_TARGET", `${at}/States/${name}/Next`, `Missing 'Next' target: ${st.Next}`, m ? m.index : 0);
        }
        for (const b of (st.Branches as Obj[] | undefined) ?? []) check(b, `${at}/States/${name}/Branches`);
        const proc = (st.ItemProcessor ?? st.Iterator) as Obj | undefined;
        if (proc) check(proc, `${at}/States/${name}/ItemProcessor`);
      }
    };
    check(JSON.parse(text) as Obj, "");
  }
  const ok = diagnostics.length === 0;
  return JSON.stringify({ result: ok ? "OK" : "FAIL", diagnostics, truncated: false });
}

function getPath(v: Json, path: string | undefined | null): Json | undefined {
  if (path === undefined || path === "$") return v;
  if (path === null) return {};
  let cur: Json | undefined = v;
  for (const part of path.replace(/^\$\.?/, "").split(".").filter(Boolean)) {
    if (cur && typeof cur === "object" && !Array.isArray(cur)) cur = (cur as Obj)[part];
    else return undefined;
  }
  return cur;
}

function setPath(input: Json, path: string | undefined | null, result: Json): Json {
  if (path === undefined || path === "$") return result;
  if (path === null) return input;
  const root: Obj = input && typeof input === "object" && !Array.isArray(input) ? structuredClone(input) : {};
  const parts = path.replace(/^\$\.?/, "").split(".").filter(Boolean);
  let cur = root;
  parts.slice(0, -1).forEach((p) => {
    if (!cur[p] || typeof cur[p] !== "object") cur[p] = {};
    cur = cur[p] as Obj;
  });
  cur[parts[parts.length - 1]] = result;
  return root;
}

function choiceMatches(rule: Obj, input: Json): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Obj[]).every((r) => choiceMatches(r, input));
  if (Array.isArray(rule.Or)) return (rule.Or as Obj[]).some((r) => choiceMatches(r, input));
  if (rule.Not) return !choiceMatches(rule.Not as Obj, input);
  const v = getPath(input, rule.Variable as string);
  if ("IsPresent" in rule) return (v !== undefined) === rule.IsPresent;
  if ("StringEquals" in rule) return v === rule.StringEquals;
  if ("BooleanEquals" in rule) return v === rule.BooleanEquals;
  if ("NumericEquals" in rule) return v === rule.NumericEquals;
  if ("NumericGreaterThan" in rule) return typeof v === "number" && v > (rule.NumericGreaterThan as number);
  if ("NumericLessThan" in rule) return typeof v === "number" && v < (rule.NumericLessThan as number);
  if ("NumericGreaterThanEquals" in rule) return typeof v === "number" && v >= (rule.NumericGreaterThanEquals as number);
  if ("NumericLessThanEquals" in rule) return typeof v === "number" && v <= (rule.NumericLessThanEquals as number);
  return false;
}

function errorMatches(list: Json, error: string) {
  return Array.isArray(list) && list.some((e) => e === error || e === "States.ALL" || (e === "States.TaskFailed" && !error.startsWith("States.")));
}

class FakeSession implements Session {
  private events: Ev[] = [];
  private clock: number;
  private state = "RUNNING";
  private output: Json = null;
  private failure: Failure | null = null;
  private gen: Generator<Ev, void>;
  private invocations = new Map<string, number>();
  private mocks: Obj;

  constructor(private def: Obj, input: Json, mock: Obj | null, stateMachine: string, testCase: string) {
    this.clock = Date.UTC(2024, 0, 1);
    const machines = (mock?.StateMachines ?? {}) as Obj;
    const first = (machines[stateMachine] ?? Object.values(machines)[0]) as Obj | undefined;
    const cases = (first?.TestCases ?? {}) as Obj;
    this.mocks = { cases: (cases[testCase] ?? Object.values(cases)[0] ?? {}) as Json, responses: (mock?.MockedResponses ?? {}) as Json };
    this.gen = this.execution(input);
  }

  private ev(type: string, details?: [string, Obj]): Ev {
    const e: Ev = { timestamp: this.clock / 1000, type, id: this.events.length + 1 };
    if (this.events.length) e.previousEventId = this.events.length;
    if (details) e[details[0]] = details[1];
    this.events.push(e);
    return e;
  }

  private *execution(input: Json): Generator<Ev, void> {
    yield this.ev("ExecutionStarted", ["executionStartedEventDetails", { input: JSON.stringify(input), inputDetails: { truncated: false } }]);
    try {
      this.output = yield* this.machine(this.def, input);
      this.state = "SUCCEEDED";
      yield this.ev("ExecutionSucceeded", ["executionSucceededEventDetails", { output: JSON.stringify(this.output), outputDetails: { truncated: false } }]);
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      this.failure = e;
      this.state = "FAILED";
      yield this.ev("ExecutionFailed", ["executionFailedEventDetails", { error: e.error, cause: e.cause }]);
    }
  }

  private *machine(m: Obj, input: Json): Generator<Ev, Json> {
    const states = m.States as Obj;
    let name = m.StartAt as string;
    let data = input;
    for (;;) {
      const s = states[name] as Obj;
      if (!s) throw new Failure("States.Runtime", `State '${name}' does not exist`);
      const type = String(s.Type);
      yield this.ev(`${type}StateEntered`, ["stateEnteredEventDetails", { name, input: JSON.stringify(data), inputDetails: { truncated: false } }]);
      const effective = getPath(data, s.InputPath as string) ?? null;
      let result: Json = effective;
      let next = s.Next as string | undefined;
      try {
        switch (type) {
          case "Pass":
            result = "Result" in s ? s.Result : effective;
            break;
          case "Wait":
            this.clock += 1000 * (typeof s.Seconds === "number" ? s.Seconds : 1);
            break;
          case "Choice": {
            const rules = (s.Choices as Obj[]) ?? [];
            const hit = rules.find((r) => choiceMatches(r, effective));
            next = (hit?.Next ?? s.Default) as string | undefined;
            if (!next) throw new Failure("States.NoChoiceMatched", `No Choice Rule matched`);
            break;
          }
          case "Fail":
            throw new Failure(String(s.Error ?? "States.Fail"), String(s.Cause ?? ""));
          case "Task":
            result = yield* this.task(name, s, effective);
            break;
          case "Parallel":
            yield this.ev("ParallelStateStarted");
            result = [];
            for (const b of (s.Branches as Obj[]) ?? []) (result as Json[]).push(yield* this.machine(b, effective));
            yield this.ev("ParallelStateSucceeded");
            break;
          case "Map": {
            const items = getPath(effective, s.ItemsPath as string);
            if (!Array.isArray(items)) throw new Failure("States.Runtime", "Map input is not an array");
            yield this.ev("MapStateStarted", ["mapStateStartedEventDetails", { length: items.length }]);
            result = [];
            for (const [index, item] of items.entries()) {
              yield this.ev("MapIterationStarted", ["mapIterationStartedEventDetails", { name, index }]);
              (result as Json[]).push(yield* this.machine((s.ItemProcessor ?? s.Iterator) as Obj, item));
              yield this.ev("MapIterationSucceeded", ["mapIterationSucceededEventDetails", { name, index }]);
            }
            yield this.ev("MapStateSucceeded");
            break;
          }
        }
      } catch (e) {
        if (!(e instanceof Failure)) throw e;
        const c = ((s.Catch as Obj[]) ?? []).find((c) => errorMatches(c.ErrorEquals, e.error));
        if (!c) throw e;
        data = setPath(data, c.ResultPath as string, { Error: e.error, Cause: e.cause });
        yield this.ev(`${type}StateExited`, ["stateExitedEventDetails", { name, output: JSON.stringify(data), outputDetails: { truncated: false } }]);
        name = c.Next as string;
        continue;
      }
      if (type !== "Choice" && type !== "Wait" && type !== "Succeed") data = setPath(data, s.ResultPath as string, result);
      data = getPath(data, s.OutputPath as string) ?? null;
      yield this.ev(`${type}StateExited`, ["stateExitedEventDetails", { name, output: JSON.stringify(data), outputDetails: { truncated: false } }]);
      if (type === "Succeed" || s.End === true || !next) return data;
      name = next;
    }
  }

  private *task(name: string, s: Obj, input: Json): Generator<Ev, Json> {
    const resource = String(s.Resource ?? "");
    const r = { resourceType: resource.split(":")[5] ?? "lambda", resource: resource.split(":").slice(6).join(":") || resource };
    const retriers = ((s.Retry as Obj[]) ?? []).map((r) => ({ r, count: 0 }));
    for (;;) {
      yield this.ev("TaskScheduled", ["taskScheduledEventDetails", { ...r, region: "us-east-1", parameters: JSON.stringify(input) }]);
      yield this.ev("TaskStarted", ["taskStartedEventDetails", r]);
      const response = this.mockResponse(name);
      if (!response || "Return" in response) {
        const out = response ? response.Return : input;
        yield this.ev("TaskSucceeded", ["taskSucceededEventDetails", { ...r, output: JSON.stringify(out) }]);
        return out;
      }
      const t = (response.Throw ?? {}) as Obj;
      const f = new Failure(String(t.Error ?? "Error"), String(t.Cause ?? ""));
      yield this.ev("TaskFailed", ["taskFailedEventDetails", { ...r, error: f.error, cause: f.cause }]);
      const retrier = retriers.find((x) => errorMatches(x.r.ErrorEquals, f.error));
      if (!retrier || retrier.count >= (typeof retrier.r.MaxAttempts === "number" ? retrier.r.MaxAttempts : 3)) throw f;
      retrier.count++;
      this.clock += 1000 * (typeof retrier.r.IntervalSeconds === "number" ? retrier.r.IntervalSeconds : 1);
    }
  }

  private mockResponse(state: string): Obj | null {
    const responseName = (this.mocks.cases as Obj)[state];
    if (typeof responseName !== "string") return null;
    const n = this.invocations.get(state) ?? 0;
    this.invocations.set(state, n + 1);
    const byKey = ((this.mocks.responses as Obj)[responseName] ?? {}) as Obj;
    for (const [key, v] of Object.entries(byKey)) {
      const [lo, hi] = key.split("-").map(Number);
      if (n >= lo && n <= (hi ?? lo)) return v as Obj;
    }
    throw new Failure("States.Runtime", `No mocked response for invocation ${n} of '${state}'`);
  }

  runBatch(n: number): string {
    const start = this.events.length;
    while (this.events.length - start < n && this.state === "RUNNING") {
      if (this.events.length >= MAX_EVENTS) {
        this.failure = new Failure("States.Runtime", `The execution reached the limit of ${MAX_EVENTS} history events`);
        this.state = "FAILED";
        this.ev("ExecutionFailed", ["executionFailedEventDetails", { error: this.failure.error, cause: this.failure.cause }]);
        break;
      }
      if (this.gen.next().done) break;
    }
    return JSON.stringify(this.events.slice(start));
  }

  stop(): string {
    if (this.state !== "RUNNING") return "[]";
    this.state = "ABORTED";
    return JSON.stringify([this.ev("ExecutionAborted")]);
  }

  status() {
    return this.state;
  }

  result(): string {
    return JSON.stringify({ status: this.state, output: this.state === "SUCCEEDED" ? this.output : null, error: this.failure?.error ?? null, cause: this.failure?.cause ?? null });
  }
}

function parseOrThrow(what: string, text: string): Json {
  const e = jsonError(text);
  if (e) throw new Error(JSON.stringify({ message: `${what}: ${e.message} (line ${e.line}, column ${e.column})` }));
  return JSON.parse(text) as Json;
}

/** The fake backend: validates a little and runs a small subset of ASL. */
export const fakeBackend: Backend = {
  name: "fake",
  version: "fake",
  validate,
  checkJson: (t) => JSON.stringify(jsonError(t)),
  checkMock: (t) => JSON.stringify(jsonError(t)),
  start(req: StartRequest) {
    const validation = JSON.parse(validate(req.definition));
    if (validation.result !== "OK") throw new Error(JSON.stringify({ message: "The definition is not valid", validation }));
    const def = JSON.parse(req.definition) as Obj;
    const input = parseOrThrow("Execution input", req.input.trim() || "{}");
    const mock = req.mock.trim() ? (parseOrThrow("Mock configuration", req.mock) as Obj) : null;
    return new FakeSession(def, input, mock, req.stateMachine, req.testCase);
  },
};
