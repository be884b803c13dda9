// pkg/ as a JavaScript package under node: the README's example works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "pkg");

test("the JS package validates, runs, steps and tests a state", {
  skip: !existsSync(join(pkg, "index.js")),
}, async () => {
  const { init, validate, run, startExecution, testState } = await import(join(pkg, "index.js"));
  await init();
  const def = {
    StartAt: "Hi",
    States: { Hi: { Type: "Pass", Result: "hello", Next: "W" }, W: { Type: "Wait", Seconds: 3600, End: true } },
  };
  assert.equal(validate(def).result, "OK");
  const bad = validate('{"StartAt": "X", "States": {}}');
  assert.equal(bad.result, "FAIL");
  assert.ok(bad.diagnostics[0].line >= 1);
  const result = run(def, { a: 1 });
  assert.equal(result.status, "SUCCEEDED");
  assert.equal(result.output, "hello");
  assert.deepEqual(
    result.events.map((e) => e.type),
    [
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "WaitStateEntered",
      "WaitStateExited",
      "ExecutionSucceeded",
    ],
  );
  // The virtual clock starts where the options say.
  const timed = run(def, { a: 1 }, { startTime: "2030-05-06T07:08:09Z" });
  assert.match(String(timed.events[0].timestamp), /^2030-05-06T07:08:09/);
  // AWS's limits by default, and as the options set them.
  // A loop that never ends (its way out is never taken; AWS refuses a machine without one).
  const loop = {
    StartAt: "A",
    States: {
      A: { Type: "Pass", Next: "B" },
      B: { Type: "Choice", Choices: [{ Variable: "$.done", IsPresent: true, Next: "Out" }], Default: "A" },
      Out: { Type: "Succeed" },
    },
  };
  const capped = run(loop, {}, { maxEvents: 50 });
  assert.equal(capped.status, "FAILED");
  assert.equal(capped.error, "States.Runtime");
  assert.equal(capped.events.length, 50);
  // A state that passes its input on: its output is the payload the limit counts.
  const echo = { StartAt: "Echo", States: { Echo: { Type: "Pass", End: true } } };
  const big = { data: "x".repeat(300 * 1024) };
  assert.equal(run(echo, big).error, "States.DataLimitExceeded");
  assert.equal(run(echo, big, { maxPayload: 1024 * 1024 }).status, "SUCCEEDED");
  const small = run(echo, { a: "x".repeat(2000) }, { maxPayload: 1000 });
  assert.equal(small.error, "States.DataLimitExceeded");
  assert.throws(() => run(def, {}, { maxEvents: 0 }), /maxEvents must be a whole number/);
  const stepped = startExecution(loop, {}, { maxEvents: 10 });
  let n = 0;
  while (stepped.step() !== null) n++;
  assert.equal(n, 10);
  assert.equal(stepped.status, "FAILED");
  stepped.free();
  const exec = startExecution(def);
  assert.equal(exec.step().type, "ExecutionStarted");
  exec.stop();
  assert.equal(exec.status, "ABORTED");
  exec.free();
  const ts = testState({
    definition: { Type: "Pass", Result: { b: 2 }, ResultPath: "$.r", Next: "N" },
    input: { a: 1 },
    inspectionLevel: "DEBUG",
  });
  assert.equal(ts.status, "SUCCEEDED");
  assert.equal(ts.nextState, "N");
  assert.deepEqual(JSON.parse(ts.output), { a: 1, r: { b: 2 } });
});
