// Every lesson of the tour (www/lessons/index.json), checked by the real engine (the wasm build
// in pkg/) with the page's own checker (www/src/lessons/check.ts, bundled here by esbuild): each
// lesson file is sound (schema), its solution passes every check and requirement, and its
// starter does not. Also the checker's own behaviour on hand-made cases.
// Run: make wasm && node --test www/tests/lessons-data.test.mjs
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const www = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const pkg = join(www, "..", "pkg");
const lessonsDir = join(www, "lessons");

let checker;
let runner;
before(async () => {
  // The checker and the run loop the worker uses, as one ES module for node.
  const built = await esbuild.build({
    stdin: {
      contents: 'export * from "./lessons/check"; export { runToEnd } from "./lessons/execute";',
      resolveDir: join(www, "src"),
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "warning",
  });
  checker = await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString("base64")}`);
  const engine = await import(pathToFileURL(join(pkg, "aslplay.js")).href);
  engine.initSync({ module: readFileSync(join(pkg, "aslplay_bg.wasm")) });
  const tools = await import(pathToFileURL(join(pkg, "aslplay_tools.js")).href);
  tools.initSync({ module: readFileSync(join(pkg, "aslplay_tools_bg.wasm")) });
  runner = {
    async execute(req) {
      let session;
      try {
        session = new engine.Session(req.definition, req.input, req.mock, req.stateMachine, req.testCase, 0, undefined);
      } catch (e) {
        const v = JSON.parse(String(e));
        return { failure: v.message, diagnostics: v.validation?.diagnostics };
      }
      try {
        return JSON.parse(checker.runToEnd(session));
      } finally {
        session.free();
      }
    },
    async testState(request) {
      return JSON.parse(tools.test_state(JSON.stringify(request)));
    },
  };
});

const order = JSON.parse(readFileSync(join(lessonsDir, "index.json"), "utf8"));
const read = (id) => JSON.parse(readFileSync(join(lessonsDir, `${id}.json`), "utf8"));
const workOf = (m) => ({
  definition: JSON.stringify(m.definition, null, 2),
  input: JSON.stringify(m.input ?? {}),
  mock: m.mocks ? JSON.stringify(m.mocks) : "",
});

test("the tour lists at least 24 lessons, each once, starting with first-state-machine", () => {
  assert.ok(Array.isArray(order));
  assert.ok(order.length >= 24, `${order.length} lessons`);
  assert.equal(order[0], "first-state-machine");
  assert.equal(new Set(order).size, order.length, "ids are unique");
  for (const id of order) assert.ok(existsSync(join(lessonsDir, `${id}.json`)), `${id}.json exists`);
});

for (const id of order) {
  test(`lesson ${id}: sound; the solution passes, the starter does not`, async () => {
    const lesson = read(id);
    assert.deepEqual(checker.lessonProblems(lesson, id), [], "the lesson file's shape");
    const solution = { ...lesson.solution, input: lesson.solution.input ?? lesson.starter.input };
    const passed = await checker.checkLesson(lesson, workOf(solution), runner);
    const why = (v) =>
      [v.blocked, ...v.missing, ...v.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.differences}`)]
        .filter(Boolean)
        .join("\n");
    assert.ok(passed.passed, `the solution fails:\n${why(passed)}`);
    assert.equal(passed.checks.length, lesson.checks.length);
    const inputs = new Set(lesson.checks.map((c) => JSON.stringify([c.input, c.mocks, c.testState])));
    assert.ok(inputs.size >= 2, "the checks use at least two different inputs or mocks");

    const starter = await checker.checkLesson(lesson, workOf(lesson.starter), runner);
    assert.equal(starter.passed, false, "the starter must not pass");
    // The starter's verdict says something a learner can act on.
    const said = why(starter);
    assert.ok(said.length > 20, `the starter's verdict explains itself: ${said}`);
    assert.match(checker.headline(starter), /^Not yet: /);
    assert.match(checker.headline(passed), /^Passed: /);
  });
}

test("lesson ids are unique across files, and every lesson file is in the tour", () => {
  const ids = order.map((id) => read(id).id);
  assert.deepEqual(ids, order);
});

// ---- the checker itself ----------------------------------------------------------------------

const machine = (states, startAt = Object.keys(states)[0]) => ({ StartAt: startAt, States: states });
const lessonWith = (checks, requires = []) => ({
  id: "t",
  title: "t",
  summary: "t",
  explanation: ["t"],
  goal: "t",
  starter: { definition: machine({ A: { Type: "Pass", End: true } }) },
  solution: { definition: machine({ A: { Type: "Pass", End: true } }) },
  hints: ["t"],
  checks,
  requires,
  next: "t",
});
const work = (def, mock = "") => ({ definition: JSON.stringify(def), input: "{}", mock });

test("a hard-coded answer fails the check with the other input, saying which input and what came out", async () => {
  const lesson = lessonWith([
    { name: "big", input: { total: 150 }, expect: { output: { route: "review" } } },
    { name: "small", input: { total: 40 }, expect: { output: { route: "ship" } } },
  ]);
  const hardCoded = machine({ A: { Type: "Pass", Result: { route: "review" }, End: true } });
  const v = await checker.checkLesson(lesson, work(hardCoded), runner);
  assert.equal(v.passed, false);
  assert.deepEqual(
    v.checks.map((c) => c.passed),
    [true, false],
  );
  assert.deepEqual(v.checks[1].input, { total: 40 });
  assert.deepEqual(v.checks[1].differences, ['expected the output {"route":"ship"}, but it was {"route":"review"}']);
  assert.equal(checker.headline(v), "Not yet: 1 of 2 checks did not give what the goal asks.");
});

test("requirements are looked for in nested states, and a missing one is reported by its message", async () => {
  const nested = machine({
    P: {
      Type: "Parallel",
      Branches: [
        machine({
          C: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "D" }], Default: "D" },
          D: { Type: "Succeed" },
        }),
      ],
      End: true,
    },
  });
  assert.ok(checker.meets(nested, { stateType: "Choice" }));
  assert.ok(checker.meets(nested, { field: "IsPresent", in: "Choice" }));
  assert.ok(
    !checker.meets(nested, { field: "IsPresent", in: "Parallel" }),
    "not inside a nested state's own definition",
  );
  assert.ok(!checker.meets(nested, { stateType: "Map" }));
  const lesson = lessonWith(
    [
      { name: "a", input: {}, expect: { status: "SUCCEEDED" } },
      { name: "b", input: { x: 1 }, expect: { status: "SUCCEEDED" } },
    ],
    [{ stateType: "Map", message: "Use a Map state." }],
  );
  const v = await checker.checkLesson(lesson, work(nested), runner);
  assert.equal(v.passed, false);
  assert.deepEqual(v.missing, ["Use a Map state."]);
  assert.ok(v.checks.every((c) => c.passed));
});

test("an invalid definition, text that is not JSON, and a failing execution are each said plainly", async () => {
  const lesson = lessonWith([
    { name: "a", input: {}, expect: { status: "SUCCEEDED" } },
    { name: "b", input: { x: 1 }, expect: { status: "FAILED", error: "Nope" } },
  ]);
  const notJson = await checker.checkLesson(lesson, { definition: "{ StartAt", input: "{}", mock: "" }, runner);
  // In the engine's words, at a line and column (as the Problems list shows it).
  assert.match(notJson.blocked, /^the definition is not JSON yet \(line 1:\d+: .*\); the Problems list shows where\.$/);
  const invalid = await checker.checkLesson(lesson, work(machine({ A: { Type: "Pass", Next: "Nowhere" } })), runner);
  assert.match(invalid.blocked, /^the definition is not valid: line \d+:\d+: .*Nowhere/);
  const failing = await checker.checkLesson(
    lesson,
    work(machine({ A: { Type: "Fail", Error: "Oops", Cause: "why" } })),
    runner,
  );
  assert.equal(
    failing.checks[0].differences[0],
    'expected the execution to end SUCCEEDED, but it ended FAILED (error Oops, cause "why")',
  );
  assert.deepEqual(failing.checks[1].differences, ["expected the error Nope, but it was Oops"]);
});

test("visited, events, elapsed virtual time and task requests are compared from the history", async () => {
  const def = machine({
    W: { Type: "Wait", Seconds: 90, Next: "T" },
    T: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "f", Payload: { token: "abc", n: 1 } },
      End: true,
    },
  });
  const lesson = lessonWith([
    {
      name: "right",
      input: {},
      expect: {
        visited: ["W", "T"],
        visitedIncludes: ["T"],
        events: { TaskScheduled: 1 },
        eventsInclude: ["WaitStateExited"],
        elapsedSeconds: 90,
        taskParameters: [{ FunctionName: "f", Payload: { token: "<any>", n: 1 } }],
      },
    },
    {
      name: "wrong",
      input: {},
      expect: {
        visited: ["T"],
        visitedIncludes: ["X"],
        events: { TaskScheduled: 2 },
        eventsInclude: ["MapRunStarted"],
        elapsedSeconds: 30,
        taskParameters: [{ FunctionName: "f", Payload: { n: 1 } }],
      },
    },
  ]);
  const v = await checker.checkLesson(lesson, work(def), runner);
  assert.deepEqual(v.checks[0].differences, []);
  assert.deepEqual(v.checks[1].differences, [
    "expected it to go through T, but it went through W → T",
    'expected it to enter "X", but it went through W → T',
    "expected 2 TaskScheduled events in the history, but there was 1",
    "expected a MapRunStarted event in the history, but there was none",
    "expected the execution to take 30 s on the virtual clock, but it took 90 s",
    'expected the Task to be sent {"FunctionName":"f","Payload":{"n":1}}, but it was sent {"FunctionName":"f","Payload":{"token":"abc","n":1}}',
  ]);
});

test("an endless loop ends at the engine's event limit and fails the check, it does not hang", async () => {
  // A loop with a way out that the input never takes (a machine without an end is invalid).
  const loop = machine({
    A: { Type: "Pass", Next: "B" },
    B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "End" }], Default: "A" },
    End: { Type: "Succeed" },
  });
  const lesson = lessonWith([
    { name: "a", input: {}, expect: { status: "SUCCEEDED" } },
    { name: "b", input: { x: 1 }, expect: { status: "SUCCEEDED" } },
  ]);
  const v = await checker.checkLesson(lesson, work(loop), runner);
  assert.equal(v.passed, false);
  assert.match(v.checks[0].differences[0], /^expected the execution to end SUCCEEDED, but it ended FAILED/);
});

test("runToEnd stops an execution that is still running after its time limit", () => {
  let now = 0;
  let stopped = false;
  const session = {
    status: () => (stopped ? "ABORTED" : "RUNNING"),
    run_slice: () => {
      now += 1000;
      return stopped ? "[]" : '[{"id":1,"type":"PassStateEntered","timestamp":0}]';
    },
    stop: () => {
      stopped = true;
      return '[{"id":2,"type":"ExecutionAborted","timestamp":0}]';
    },
    result: () => '{"status":"ABORTED","output":null,"error":null,"cause":null}',
  };
  const out = JSON.parse(checker.runToEnd(session, 2500, () => now));
  assert.equal(out.stopped, 2500);
  assert.deepEqual(
    out.events.map((e) => e.type),
    ["PassStateEntered", "PassStateEntered", "PassStateEntered", "ExecutionAborted"],
  );
  const said = checker.compareExecution(out, { status: "SUCCEEDED" });
  assert.match(said[0], /still running after 2\.5 s of work, so the check stopped it/);
});

test("schema problems are found: too few checks, empty hints, unknown expectations, a wrong id", () => {
  const bad = lessonWith([{ name: "only", input: {}, expect: { outptu: 1 } }]);
  bad.hints = [];
  const problems = checker.lessonProblems(bad, "other");
  for (const p of [
    /differs from the file name/,
    /hints must be non-empty/,
    /at least 2 checks/,
    /expect\.outptu is not known/,
  ])
    assert.ok(
      problems.some((x) => p.test(x)),
      `${p} in ${problems.join("; ")}`,
    );
});

test("TestState checks run one state and compare status, next state, output and inspection data", async () => {
  const def = machine({
    T: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "f", "Payload.$": "$" },
      ResultSelector: { "v.$": "$.Payload.v" },
      Next: "Done",
    },
    Done: { Type: "Succeed" },
  });
  const lesson = lessonWith([
    {
      name: "ok",
      input: { a: 1 },
      testState: { stateName: "T", inspectionLevel: "DEBUG", mock: { result: { StatusCode: 200, Payload: { v: 7 } } } },
      expect: {
        status: "SUCCEEDED",
        nextState: "Done",
        output: { v: 7 },
        inspectionData: { afterResultSelector: { v: 7 } },
      },
    },
    {
      name: "wrong",
      input: { a: 2 },
      testState: { stateName: "T", mock: { errorOutput: { error: "Boom", cause: "c" } } },
      expect: { status: "CAUGHT_ERROR", nextState: "Handle" },
    },
    {
      name: "elsewhere",
      input: { a: 3 },
      testState: { stateName: "T", mock: { result: '{"StatusCode":200,"Payload":{"v":1}}' } },
      expect: { status: "SUCCEEDED", nextState: "Elsewhere", output: { v: 2 } },
    },
  ]);
  const v = await checker.checkLesson(lesson, work(def), runner);
  assert.deepEqual(v.checks[0].differences, []);
  // The next state follows from the status: said once.
  assert.deepEqual(v.checks[1].differences, [
    'expected TestState to answer CAUGHT_ERROR, but TestState answered FAILED (error Boom, cause "c")',
  ]);
  assert.deepEqual(v.checks[2].differences, [
    'expected the next state "Elsewhere", but it was "Done"',
    'expected the state\'s output {"v":2}, but it was {"v":1}',
  ]);
});
