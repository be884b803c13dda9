// Browser tests of import and export: a recorded AWS history (from the conformance corpus)
// imported as mocks replays the same events; YAML definitions and CloudFormation/SAM
// templates run, convert to JSON and get diagnostics on their own lines; the history and the
// mock configuration download as files. Nothing may leave the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  start,
  setEditor,
  editorText,
  finalStatus,
  shotPath,
  DEF,
  INPUT,
  MOCK,
  run,
  events,
  stateNode,
} from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
  assert.deepEqual(h?.outside ?? [], [], "requests left the page");
  assert.deepEqual(h?.errors ?? [], [], "page errors");
});

const json = (v) => JSON.stringify(v, null, 2);

/** A conformance case: a Lambda Task that fails twice (Retry), then is caught. */
const CASE = JSON.parse(
  readFileSync(
    fileURLToPath(
      new URL(
        "../../tests/data/conformance/cases/states_variables/test_error_output.TestStateVariablesTemplate.test_task_catch_error_with_retry--TASK_CATCH_ERROR_OUTPUT_WITH_RETRY.json",
        import.meta.url,
      ),
    ),
    "utf8",
  ),
);

/** The `...EventDetails` member of an event type, as AWS names it. */
function detailsKey(type) {
  if (type.endsWith("StateEntered")) return "stateEnteredEventDetails";
  if (type.endsWith("StateExited")) return "stateExitedEventDetails";
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

/** The corpus's normalized events in the shape `aws stepfunctions get-execution-history` prints. */
function rawHistory(recorded) {
  const text = (v) => JSON.stringify(v);
  return {
    events: recorded.map((e, i) => {
      const out = { timestamp: `2026-11-24T02:00:0${Math.min(i, 9)}.000000+00:00`, type: e.type, id: i + 1 };
      if (e.details) {
        const d = {};
        for (const [k, v] of Object.entries(e.details)) {
          if (k === "_unparsed") continue;
          if (["input", "output", "parameters"].includes(k)) d[k] = text(v);
          else if (k === "cause" && typeof v === "object" && v !== null) d[k] = text(v);
          else if (k === "assignedVariables")
            d[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, text(x)]));
          else d[k] = v;
        }
        out[detailsKey(e.type)] = d;
      }
      return out;
    }),
  };
}

async function openImport(page) {
  await page.getByRole("button", { name: "Import history…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import an execution history" });
  await dialog.waitFor();
  return dialog;
}

test("an imported AWS history becomes mocks and input that replay the recorded events", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, json(CASE.definition));
  const oldMock = await editorText(page, MOCK);
  const dialog = await openImport(page);
  await dialog.getByLabel("Execution history JSON").fill(json(rawHistory(CASE.expected.events)));
  await page.keyboard.press("Control+Enter"); // imports; does not run behind the dialog
  const outcome = dialog.locator(".dialog-outcome");
  await outcome.getByText(/replays 2 service calls of 1 Task state/).waitFor();
  assert.match(await outcome.textContent(), /execution input was replaced by the history's/);
  await page.screenshot({ path: shotPath("import-history-dialog") });

  const mock = JSON.parse(await editorText(page, MOCK));
  assert.deepEqual(Object.keys(mock.StateMachines.StateMachine.TestCases), ["Replay"]);
  assert.deepEqual(Object.keys(mock.MockedResponses["Replay.Task"]), ["0", "1"]);
  assert.equal(mock.MockedResponses["Replay.Task"]["1"].Throw.Error, "Exception");
  assert.deepEqual(JSON.parse(await editorText(page, INPUT)), CASE.input);
  const select = page.getByLabel("Test case", { exact: true });
  assert.equal(await select.locator("option:checked").textContent(), "Replay");

  assert.equal(await page.locator("#status").textContent(), "Not started");
  await dialog.getByRole("button", { name: "Close" }).click();
  await run(page);
  assert.equal(await finalStatus(page), CASE.expected.status);
  const got = (await events(page)).map((e) => e.type);
  assert.deepEqual(
    got,
    CASE.expected.events.map((e) => e.type),
  );

  // Undo puts the previous mock configuration back.
  const again = await openImport(page);
  await again.getByRole("button", { name: "Undo" }).click();
  assert.equal(await editorText(page, MOCK), oldMock);
  await again.getByRole("button", { name: "Close" }).click();
  await context.close();
});

test("a bare array of events imports too, and the page's exported history re-imports to the same mocks", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, json(CASE.definition));
  let dialog = await openImport(page);
  await dialog.getByLabel("Execution history JSON").fill(json(rawHistory(CASE.expected.events).events));
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await dialog.getByText(/replays 2 service calls/).waitFor();
  await dialog.getByRole("button", { name: "Close" }).click();
  const firstMock = await editorText(page, MOCK);
  await run(page);
  await finalStatus(page);
  const ran = await events(page);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export history" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "execution-history.json");
  const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.deepEqual(exported, { events: ran });
  assert.equal(exported.events[4].taskFailedEventDetails.error, "Exception");

  dialog = await openImport(page);
  await dialog.getByLabel("Execution history JSON").fill(JSON.stringify(exported));
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await dialog.getByText(/replays 2 service calls/).waitFor();
  assert.equal(await editorText(page, MOCK), firstMock);
  await dialog.getByRole("button", { name: "Close" }).click();

  const [mockFile] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export mocks" }).click(),
  ]);
  assert.equal(mockFile.suggestedFilename(), "MockConfigFile.json");
  assert.equal(readFileSync(await mockFile.path(), "utf8").trim(), firstMock.trim());
  await context.close();
});

test("import errors are said in the dialog and change nothing", async () => {
  const { page, context } = await h.open();
  const mock = await editorText(page, MOCK);
  const input = await editorText(page, INPUT);
  const dialog = await openImport(page);
  const area = dialog.getByLabel("Execution history JSON");
  const outcome = dialog.locator(".dialog-outcome");
  const tryImport = async (text) => {
    await page.evaluate(() => delete document.querySelector(".dialog-outcome")?.dataset.kind);
    await area.fill(text);
    await dialog.getByRole("button", { name: "Import", exact: true }).click();
    await page.waitForFunction(() => document.querySelector(".dialog-outcome")?.dataset.kind === "error");
    return outcome.textContent();
  };
  assert.match(await tryImport('{"events": [{"id": 1,'), /not JSON.*\(line 1, column \d+\)/);
  assert.match(await tryImport('{"executionArn": "arn:x"}'), /Expected \{"events": \[\.\.\.\]\}/);
  assert.match(
    await tryImport('{"events": [{"id": 1, "timestamp": 0}]}'),
    /needs a type \(event #1 in the list, at type\)/,
  );
  assert.match(await tryImport("[]"), /no events/);
  const broken = '{"events": [\n  {"id": 1, "type": "ExecutionStarted"},\n  {"id": 2 "type": "PassStateEntered"}\n]}';
  assert.match(await tryImport(broken), /not JSON.*\(line 3, column 12\)\. Nothing was changed/);
  await page.screenshot({ path: shotPath("import-history-error") });
  assert.equal(await area.inputValue(), broken, "the pasted text stays");
  assert.equal(await editorText(page, MOCK), mock);
  assert.equal(await editorText(page, INPUT), input);
  await context.close();
});

const YAML = `# An order flow, in YAML
Comment: YAML definition
StartAt: Price
States:
  Price:
    Type: Pass
    Parameters:
      total.$: States.MathAdd($.a, $.b)
    Next: Check
  Check:
    Type: Choice
    Choices:
      - Variable: $.total
        NumericGreaterThan: 10
        Next: Big
    Default: Small
  Big: {Type: Succeed}
  Small:
    Type: Pass
    End: true
`;

test("a YAML definition is recognised, runs, and converts to JSON (undoable)", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, YAML);
  await setEditor(page, INPUT, '{"a": 7, "b": 5}');
  const notice = page.getByRole("note", { name: "Definition format" });
  await notice.getByText("YAML definition").waitFor();
  await stateNode(page, "Check").waitFor();
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const types = (await events(page)).map((e) => e.type);
  assert.deepEqual(types, [
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "ExecutionSucceeded",
  ]);
  assert.equal(await stateNode(page, "Big").getAttribute("data-status"), "succeeded");
  await page.screenshot({ path: shotPath("yaml-definition") });

  await notice.getByRole("button", { name: "Convert to JSON" }).click();
  const converted = JSON.parse(await editorText(page, DEF));
  assert.equal(converted.States.Check.Choices[0].Next, "Big");
  assert.equal(converted.Comment, "YAML definition");
  await notice.waitFor({ state: "hidden" });
  await page.getByLabel(DEF, { exact: true }).focus();
  await page.keyboard.press("Control+Z");
  assert.equal(await editorText(page, DEF), YAML);
  await notice.getByText("YAML definition").waitFor();
  await context.close();
});

test("YAML problems are shown on the YAML's own lines", async () => {
  const { page, context } = await h.open();
  const problems = page.getByRole("list", { name: "Problems" });
  // A syntax error: line 6 is indented more than the keys above.
  await setEditor(page, DEF, "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n     Next: B\n");
  await problems.getByRole("button", { name: /^Definition 6:\d+$/ }).waitFor();
  assert.match(await problems.textContent(), /Mapping values are not allowed/);
  const notice = page.getByRole("note", { name: "Definition format" });
  await notice.getByText(/cannot be read/).waitFor();
  assert.equal(await notice.getByRole("button", { name: "Convert to JSON" }).isDisabled(), true);
  await page.screenshot({ path: shotPath("yaml-syntax-error") });
  // A validation error: its JSON pointer is found back in the YAML.
  await setEditor(page, DEF, YAML.replace("Default: Small", "Default: Smal"));
  await problems.getByRole("button", { name: "Definition 16:5" }).waitFor();
  assert.match(await problems.textContent(), /Smal/);
  await run(page);
  await page
    .locator("#message")
    .getByText(/could not|not valid/)
    .waitFor();
  await problems.getByRole("button", { name: "Definition 16:5" }).waitFor();
  await context.close();
});

const SAM = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Work:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler, Runtime: nodejs20.x}
  Intake:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        Greeting: hello
      Definition:
        StartAt: Greet
        States:
          Greet:
            Type: Pass
            Result: \${Greeting}
            End: true
  Billing:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        WorkArn: arn:aws:lambda:us-east-1:123456789012:function:Work
      Definition:
        StartAt: Charge
        States:
          Charge:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: \${WorkArn}
              Payload.$: $
            End: true
`;

test("a SAM template: the notice names the state machine, the picker switches, both run", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, SAM);
  const notice = page.getByRole("note", { name: "Definition format" });
  await notice.getByText("SAM template (YAML): state machine").waitFor();
  const pick = notice.getByLabel("State machine in the template");
  assert.equal(await pick.inputValue(), "Intake");
  await stateNode(page, "Greet").waitFor();
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const out = await events(page);
  assert.equal(JSON.parse(out[out.length - 1].executionSucceededEventDetails.output), "hello");

  await pick.selectOption("Billing");
  await stateNode(page, "Charge").waitFor();
  await page.screenshot({ path: shotPath("sam-template") });
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const billed = await events(page);
  const scheduled = billed.find((e) => e.type === "TaskScheduled");
  assert.equal(
    JSON.parse(scheduled.taskScheduledEventDetails.parameters).FunctionName,
    "arn:aws:lambda:us-east-1:123456789012:function:Work",
  );

  // The template and the choice survive a reload.
  await page.waitForTimeout(400);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.engineVersion);
  await notice.getByText("SAM template (YAML): state machine").waitFor();
  assert.equal(await pick.inputValue(), "Billing");
  await stateNode(page, "Charge").waitFor();

  await notice.getByRole("button", { name: "Convert to JSON" }).click();
  assert.equal(JSON.parse(await editorText(page, DEF)).StartAt, "Charge");
  await context.close();
});

test("a CloudFormation template in JSON with a DefinitionString runs", async () => {
  const { page, context } = await h.open();
  const template = {
    Resources: {
      Flow: {
        Type: "AWS::StepFunctions::StateMachine",
        Properties: {
          DefinitionSubstitutions: { Delay: 0 },
          DefinitionString:
            '{"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": ${Delay}, "End": true}}}',
        },
      },
    },
  };
  await setEditor(page, DEF, json(template));
  const notice = page.getByRole("note", { name: "Definition format" });
  await notice.getByText("CloudFormation template (JSON): state machine").waitFor();
  assert.equal(await notice.locator("strong").textContent(), "Flow");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.deepEqual(
    (await events(page)).map((e) => e.type),
    ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"],
  );
  await context.close();
});

const pkg = fileURLToPath(new URL("../../pkg/index.js", import.meta.url));
test("the JS package reads YAML and templates, and replays a history", { skip: !existsSync(pkg) }, async () => {
  const { init, definitionsFromText, importHistory, run } = await import(pkg);
  await init();
  const [yaml] = definitionsFromText(YAML);
  assert.equal(yaml.logicalId, "");
  assert.equal(yaml.definition.States.Check.Default, "Small");
  assert.deepEqual(
    definitionsFromText(SAM).map((m) => m.logicalId),
    ["Intake", "Billing"],
  );
  assert.throws(
    () => definitionsFromText("StartAt: A\n  States: {"),
    (e) => e.line >= 1 && e.column >= 1,
  );

  const history = rawHistory(CASE.expected.events);
  const { mockConfig, input, notes } = importHistory(history, { definition: CASE.definition, testCase: "Replay" });
  assert.deepEqual(notes, []);
  assert.deepEqual(JSON.parse(input), CASE.input);
  const replayed = run(CASE.definition, input, { mockConfig, testCase: "Replay" });
  assert.equal(replayed.status, CASE.expected.status);
  assert.deepEqual(
    replayed.events.map((e) => e.type),
    CASE.expected.events.map((e) => e.type),
  );
  assert.throws(() => importHistory({ nope: 1 }), /Expected \{"events"/);
});
