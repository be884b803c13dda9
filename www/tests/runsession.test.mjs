// The run session the playground and the embed share (www/src/runsession.ts, bundled here by
// esbuild), without a page: its phases, Run/Step/Step back/Stop/Reset, a stuck engine's stop,
// a failure to start, and the state transitions it shows, against the real engine (the wasm
// build in pkg/) behind an engine that answers like the worker does, asynchronously.
// Run: make wasm && node --test www/tests/runsession.test.mjs
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const www = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const pkg = join(www, "..", "pkg");
let RunSession;
let KILLED_CAUSE;
let wasm;

before(async () => {
  const built = await esbuild.build({
    entryPoints: [join(www, "src", "runsession.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "warning",
  });
  ({ RunSession, KILLED_CAUSE } = await import(
    `data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString("base64")}`
  ));
  wasm = await import(pathToFileURL(join(pkg, "aslplay.js")).href);
  wasm.initSync({ module: readFileSync(join(pkg, "aslplay_bg.wasm")) });
});

/** The worker's side of www/src/engine.ts, on the wasm Session, answering in later tasks. */
class WasmEngine {
  constructor(listener) {
    this.listener = listener;
    this.session = null;
    this.running = false;
    /** When set, a stop is never answered (an engine stuck inside a step). */
    this.stuck = false;
    this.calls = [];
  }
  later(f) {
    setTimeout(f, 0);
  }
  send(json) {
    const s = this.session;
    const status = s.status();
    const done = status !== "RUNNING";
    if (done) this.running = false;
    this.listener.onEvents(json, status, done ? s.result() : undefined, s.state_transitions());
  }
  start(req) {
    this.calls.push("start");
    this.running = false;
    this.later(() => {
      try {
        this.session = new wasm.Session(req.definition, req.input, req.mock, req.stateMachine, req.testCase, 0);
      } catch (e) {
        const v = JSON.parse(e instanceof Error ? e.message : String(e));
        this.listener.onStartFailed(v.message, v.validation ? JSON.stringify(v.validation) : undefined);
        return;
      }
      this.listener.onStarted();
    });
  }
  step(count = 1) {
    this.calls.push("step");
    this.later(() => this.send(this.session.run_slice(count, 50_000)));
  }
  run(batch = 500) {
    this.calls.push("run");
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.send(this.session.run_batch(batch));
      if (this.running) this.later(loop);
    };
    this.later(loop);
  }
  stop(_graceMs, onKilled) {
    this.calls.push("stop");
    this.running = false;
    if (this.stuck) return this.later(onKilled);
    this.later(() => this.send(this.session.status() === "RUNNING" ? this.session.stop() : "[]"));
  }
  inspect(id) {
    return Promise.resolve(this.session ? this.session.inspection(id) : "null");
  }
}

/** A session on a WasmEngine; `seen` records each hook call by name. */
function open(hooks = {}) {
  const seen = [];
  let engine;
  const session = new RunSession(
    {
      changed: () => seen.push("changed"),
      received: (batch, ended) => seen.push(`received ${batch.length}${ended ? " ended" : ""}`),
      cleared: () => seen.push("cleared"),
      startFailed: (message) => seen.push(`startFailed ${message}`),
      fatal: (message) => seen.push(`fatal ${message}`),
      killed: () => seen.push("killed"),
      ...hooks,
    },
    (listener) => {
      engine = new WasmEngine(listener);
      return engine;
    },
  );
  return { session, engine, seen };
}

const until = async (what, ok, ms = 5000) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
};

const request =
  (definition, input = "{}", mock = "") =>
  () => ({
    definition: JSON.stringify(definition),
    input,
    mock,
    stateMachine: "",
    testCase: "",
    seed: 0,
  });

const chain = request({
  StartAt: "A",
  States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "C" }, C: { Type: "Succeed" } },
});

test("Run goes idle → starting → active → finished, with every event, the result and the library's transitions", async () => {
  const { session, engine } = open();
  assert.equal(session.phase, "idle");
  assert.equal(session.busy, false);
  session.run(chain);
  assert.equal(session.phase, "starting");
  assert.equal(session.running, "instant");
  assert.equal(session.busy, true);
  await until("the end", () => session.phase === "finished");
  assert.deepEqual(engine.calls, ["start", "run"]);
  assert.equal(session.status, "SUCCEEDED");
  assert.equal(session.result.status, "SUCCEEDED");
  assert.equal(session.events[0].type, "ExecutionStarted");
  assert.equal(session.events.at(-1).type, "ExecutionSucceeded");
  assert.equal(session.cursor, session.events.length);
  assert.equal(session.tracker.steps.length, 3);
  assert.equal(session.transitions, 3);
  assert.equal(session.running, "no");
  assert.equal(session.busy, false);
});

test("Step starts, takes one event at a time; Step back moves the cursor without asking the engine", async () => {
  const { session, engine } = open();
  assert.equal(session.canStepBack, false);
  session.step(chain);
  await until("the first event", () => session.events.length === 1);
  assert.equal(session.phase, "active");
  assert.equal(session.live, true);
  assert.equal(session.running, "no");
  session.step(chain);
  await until("the second event", () => session.events.length === 2);
  assert.deepEqual(engine.calls, ["start", "step", "step"]);
  assert.equal(session.cursor, 2);

  session.stepBack();
  session.stepBack();
  assert.equal(session.cursor, 0);
  assert.equal(session.canStepBack, false);
  session.stepBack(); // nothing before the first event
  assert.equal(session.cursor, 0);
  session.step(chain); // shows the event already received
  assert.equal(session.cursor, 1);
  session.showUpTo(2); // a picked event
  assert.equal(session.cursor, 2);
  assert.equal(engine.calls.length, 3, "moving the cursor asks the engine nothing");
  session.step(chain); // at the end: the engine's next event
  await until("the third event", () => session.events.length === 3);
  assert.equal(session.cursor, 3);

  // Run goes on from there (the cursor follows), not from a new start.
  session.run(chain);
  await until("the end", () => session.phase === "finished");
  assert.equal(engine.calls.filter((c) => c === "start").length, 1);
  assert.equal(session.events.at(-1).type, "ExecutionSucceeded");
  assert.equal(session.events.filter((e) => e.type === "ExecutionStarted").length, 1);
});

test("a new Run after the end clears the old execution first", async () => {
  const { session, seen } = open();
  session.run(chain);
  await until("the end", () => session.phase === "finished");
  const serial = session.serial;
  const first = session.events.length;
  seen.length = 0;
  session.run(chain);
  assert.equal(seen[0], "cleared");
  assert.equal(session.events.length, 0);
  assert.equal(session.result, null);
  assert.equal(session.transitions, null);
  assert.ok(session.serial > serial);
  await until("the end", () => session.phase === "finished");
  assert.equal(session.events.length, first);
});

test("Stop aborts a paused execution: ExecutionAborted, phase finished", async () => {
  const { session, engine } = open();
  session.stop(); // nothing to stop
  assert.deepEqual(engine.calls, []);
  session.step(chain);
  await until("the first event", () => session.events.length === 1);
  session.stop();
  await until("the end", () => session.phase === "finished");
  assert.equal(session.status, "ABORTED");
  assert.equal(session.events.at(-1).type, "ExecutionAborted");
  assert.equal(session.result.status, "ABORTED");
});

test("a stop the engine does not answer ends the history here, as a stopped execution's", async () => {
  const { session, engine, seen } = open();
  session.step(chain);
  await until("the first event", () => session.events.length === 1);
  engine.stuck = true;
  session.stop();
  await until("the kill", () => session.phase === "finished");
  assert.ok(seen.includes("killed"));
  const [started, aborted] = session.events;
  assert.equal(aborted.type, "ExecutionAborted");
  assert.equal(aborted.id, started.id + 1);
  assert.equal(aborted.previousEventId, started.id);
  assert.equal(aborted.executionAbortedEventDetails.cause, KILLED_CAUSE);
  assert.deepEqual(session.result, { status: "ABORTED", error: null, cause: KILLED_CAUSE });
  assert.equal(session.status, "ABORTED");
  assert.equal(session.cursor, 2);
});

test("Reset forgets the execution and drops its late answers", async () => {
  const { session, engine } = open();
  session.step(chain);
  await until("the first event", () => session.events.length === 1);
  session.reset();
  assert.deepEqual(engine.calls, ["start", "step", "stop"]);
  assert.equal(session.phase, "idle");
  assert.equal(session.events.length, 0);
  await new Promise((r) => setTimeout(r, 20)); // the stop's answer arrives meanwhile
  assert.equal(session.events.length, 0);
  assert.equal(session.status, "");
  // The next execution's answers are taken again.
  session.run(chain);
  await until("the end", () => session.phase === "finished");
  assert.equal(session.status, "SUCCEEDED");
});

test("an animated run steps on a timer; Step pauses it", async () => {
  const { session, engine } = open({ speed: () => 5 });
  session.run(chain);
  assert.equal(session.running, "animated");
  await until("two events", () => session.events.length >= 2);
  session.step(chain);
  assert.equal(session.running, "no");
  const shown = session.events.length;
  await new Promise((r) => setTimeout(r, 40));
  assert.ok(session.events.length <= shown + 1, "at most the step already asked for arrives");
  assert.equal(session.phase, "active");
  session.run(chain);
  await until("the end", () => session.phase === "finished");
  assert.ok(engine.calls.filter((c) => c === "step").length >= 3);
  assert.ok(!engine.calls.includes("run"));
});

test("a refused start goes back to idle with the engine's message; a failure ends the run", async () => {
  const { session, engine, seen } = open();
  session.run(request({ StartAt: "Nowhere", States: {} }));
  await until("the refusal", () => session.phase === "idle");
  assert.equal(session.running, "no");
  assert.ok(seen.some((s) => s.startsWith("startFailed ")));

  session.step(chain);
  await until("the first event", () => session.events.length === 1);
  engine.listener.onFatal("trap", true);
  assert.equal(session.phase, "finished");
  assert.equal(session.status, "ABORTED");
  assert.ok(seen.includes("fatal trap"));
});

test("state transitions are the library's: states entered plus retries", async () => {
  const { session } = open();
  const definition = {
    StartAt: "Charge",
    States: {
      Charge: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Retry: [{ ErrorEquals: ["Declined"], MaxAttempts: 3 }],
        Next: "Done",
      },
      Done: { Type: "Succeed" },
    },
  };
  const mock = {
    StateMachines: { M: { TestCases: { T: { Charge: "Twice" } } } },
    MockedResponses: { Twice: { "0-1": { Throw: { Error: "Declined", Cause: "no" } }, 2: { Return: {} } } },
  };
  session.run(() => ({ ...request(definition)(), mock: JSON.stringify(mock), stateMachine: "M", testCase: "T" }));
  await until("the end", () => session.phase === "finished");
  assert.equal(session.status, "SUCCEEDED");
  const entered = session.events.filter((e) => e.type.endsWith("StateEntered")).length;
  const scheduled = session.events.filter((e) => e.type === "TaskScheduled").length;
  assert.equal(entered, 2);
  assert.equal(scheduled, 3);
  assert.equal(session.transitions, entered + 2);
});

test("an inspection is asked once per visit and kept for its execution only", async () => {
  const { session } = open();
  session.run(chain);
  await until("the end", () => session.phase === "finished");
  const entered = session.events[session.tracker.steps[0].entered].id;
  let arrived = 0;
  assert.equal(
    session.inspection(entered, false, () => arrived++),
    null,
  );
  assert.equal(
    session.inspection(entered, true, () => arrived++),
    null,
  );
  await until("the answer", () => arrived === 1);
  assert.equal(session.inspection(entered, true, () => arrived++).state, "A");
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(arrived, 1, "asked once");
});
