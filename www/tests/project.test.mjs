// Browser tests of SAM/CloudFormation projects: a template and the definition file it names
// (DefinitionUri) opened or dropped together, or the template pasted first and the file added
// when the page asks for it; the substitutions panel shows each placeholder's value and where it
// comes from, and a value typed there is used; a share link carries the files and the values.
// The fixtures are the Rust tests' (tests/data/templates/sam-app).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  start,
  setEditor,
  editorText,
  finalStatus,
  shotPath,
  DEF,
  INPUT,
  run,
  events,
  expectNoA11yViolations,
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

const fixture = (path) =>
  readFileSync(fileURLToPath(new URL(`../../tests/data/templates/${path}`, import.meta.url)), "utf8");
const TEMPLATE = fixture("sam-app/template.yaml");
const ORDER = fixture("sam-app/statemachine/order.asl.json");
const INPUT_JSON = fixture("sam-app/input.json");

const notice = (page) => page.getByRole("note", { name: "Definition format" });
const problems = (page) => page.getByRole("list", { name: "Problems" });

/** The parameters of each TaskScheduled event of the run. */
async function scheduledParameters(page) {
  return (await events(page))
    .filter((e) => e.type === "TaskScheduled")
    .map((e) => JSON.parse(e.taskScheduledEventDetails.parameters));
}

/** Drops files (name → text) on the definition editor, as a file manager would. */
async function dropFiles(page, files) {
  await page.locator("#ed-definition").evaluate((box, files) => {
    const data = new DataTransfer();
    for (const [name, text] of Object.entries(files)) data.items.add(new File([text], name));
    box
      .querySelector(".cm-content")
      .dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, files);
}

/** The machine picker set to the SAM app's order machine, once the page has read the template. */
async function pickOrderMachine(page) {
  const pick = notice(page).getByLabel("State machine in the template");
  await pick.waitFor();
  await pick.selectOption("OrderStateMachine");
  await notice(page).getByText("Definition from").waitFor();
}

test("a template and its definition file opened together run with the template's values", async () => {
  const { page, context } = await h.open();
  const [chooser] = await Promise.all([
    page.waitForEvent("filechooser"),
    page.getByRole("button", { name: "Open files…" }).click(),
  ]);
  assert.equal(chooser.isMultiple(), true);
  await chooser.setFiles([
    { name: "template.yaml", mimeType: "text/yaml", buffer: Buffer.from(TEMPLATE) },
    { name: "order.asl.json", mimeType: "application/json", buffer: Buffer.from(ORDER) },
  ]);
  await notice(page).getByText("SAM template (YAML): state machine").waitFor();
  assert.equal(await editorText(page, DEF), TEMPLATE);
  await pickOrderMachine(page);
  assert.match(await notice(page).locator(".source-where").textContent(), /statemachine\/order\.asl\.json/);
  // The substitutions, with their values and sources; the one without a value is said.
  const subs = notice(page).getByRole("table", { name: "Substitutions" });
  await subs.waitFor();
  assert.equal(
    await subs.getByLabel("Value of QueueUrl").inputValue(),
    "https://sqs.us-east-1.amazonaws.com/123456789012/OrderQueue",
  );
  assert.match(await subs.textContent(), /!GetAtt ValidateFunction\.Arn/);
  assert.match(await notice(page).locator("summary").textContent(), /1 without a value/);
  await problems(page)
    .getByText(/statemachine\/order\.asl\.json 35:71: \$\{Email\} has no value/)
    .waitFor();
  await page.screenshot({ path: shotPath("project-opened") });

  await setEditor(page, INPUT, INPUT_JSON);
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const [queue, table] = await scheduledParameters(page);
  assert.equal(queue.QueueUrl, "https://sqs.us-east-1.amazonaws.com/123456789012/OrderQueue");
  assert.equal(table.TableName, "aslplay-orders");
  const lambda = (await events(page)).find((e) => e.type === "LambdaFunctionScheduled");
  assert.equal(
    lambda.lambdaFunctionScheduledEventDetails.resource,
    "arn:aws:lambda:us-east-1:123456789012:function:ValidateFunction",
  );
  await context.close();
});

test("dropped on the editor, the template and its file are taken as a project", async () => {
  const { page, context } = await h.open();
  await dropFiles(page, { "template.yaml": TEMPLATE, "order.asl.json": ORDER });
  await notice(page).getByText("SAM template (YAML): state machine").waitFor();
  assert.equal(await editorText(page, DEF), TEMPLATE, "the editor holds the template, not a file inserted into it");
  assert.match(
    await page.locator("#message").textContent(),
    /Opened the template template\.yaml with order\.asl\.json/,
  );
  await pickOrderMachine(page);
  await context.close();
});

test("a pasted template says which file it lacks; the file pasted then makes it run", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, TEMPLATE);
  await notice(page).getByLabel("State machine in the template").selectOption("OrderStateMachine");
  const where = notice(page).locator(".source-where");
  await where.getByText("Missing file:").waitFor();
  assert.match(await where.textContent(), /statemachine\/order\.asl\.json/);
  // In Problems too, on the template's DefinitionUri line.
  await problems(page)
    .getByText(/The definition of OrderStateMachine is in statemachine\/order\.asl\.json/)
    .waitFor();
  assert.ok(await problems(page).getByRole("button", { name: "Definition 19:7" }).isVisible());

  await notice(page).getByRole("button", { name: "Project files…" }).click();
  const dialog = page.getByRole("dialog", { name: "Project files" });
  await dialog.waitFor();
  const named = dialog.getByRole("list", { name: "Files the template names" });
  assert.match(await named.textContent(), /statemachine\/order\.asl\.json \(OrderStateMachine\): missing/);
  assert.equal(await dialog.getByLabel("File name").inputValue(), "statemachine/order.asl.json");
  await page.screenshot({ path: shotPath("project-missing-file") });
  await dialog.getByLabel("File contents").fill(ORDER);
  await dialog.getByRole("button", { name: "Add file" }).click();
  await named.getByText(/: given/).waitFor();
  assert.match(await dialog.getByRole("list", { name: "Files given" }).textContent(), /statemachine\/order\.asl\.json/);
  await page.keyboard.press("Escape");
  await notice(page).getByText("Definition from").waitFor();
  await setEditor(page, INPUT, INPUT_JSON);
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  await context.close();
});

test("a value typed in the substitutions panel is used, kept in a share link, and can be taken back", async () => {
  const { page, context } = await h.open();
  await dropFiles(page, { "template.yaml": TEMPLATE, "statemachine/order.asl.json": ORDER });
  await pickOrderMachine(page);
  const subs = notice(page).getByRole("table", { name: "Substitutions" });
  // With the keyboard: focus the field, type, Enter.
  const email = subs.getByLabel("Value of Email");
  await email.focus();
  await page.keyboard.type("ops@example.com");
  await page.keyboard.press("Enter");
  await subs.getByRole("button", { name: "Reset Email" }).waitFor();
  assert.equal(await notice(page).getByLabel("Value of Email").inputValue(), "ops@example.com");
  await page.waitForFunction(() => !/has no value/.test(document.getElementById("problems").textContent));
  const stage = subs.getByLabel("Value of Stage");
  await stage.fill("prod");
  await stage.press("Enter");
  await subs.getByRole("button", { name: "Reset Stage" }).waitFor();
  await page.screenshot({ path: shotPath("project-substitutions") });
  await setEditor(page, INPUT, INPUT_JSON);
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const notify = (await scheduledParameters(page))[2];
  assert.equal(notify.Message, "order for ops@example.com");
  const before = (await events(page)).map((e) => e.type);

  // The link carries the template, its file and the values (format 2); a fresh browser runs the same.
  await page.locator("#share-box summary").click();
  await page.waitForFunction(() => document.getElementById("share-link").value !== "");
  const link = await page.inputValue("#share-link");
  assert.match(link, /#s=2\./);
  const other = await h.open();
  await other.page.goto(link);
  await other.page.waitForFunction(() => document.body.dataset.engineVersion);
  await notice(other.page).getByText("Definition from").waitFor();
  assert.equal(await notice(other.page).getByLabel("Value of Email").inputValue(), "ops@example.com");
  assert.equal(await notice(other.page).getByLabel("State machine in the template").inputValue(), "OrderStateMachine");
  await run(other.page);
  assert.equal(await finalStatus(other.page), "SUCCEEDED");
  assert.deepEqual(
    (await events(other.page)).map((e) => e.type),
    before,
  );
  assert.equal((await scheduledParameters(other.page))[2].Message, "order for ops@example.com");
  await other.context.close();

  // Reset takes the given value back: the placeholder has no value again.
  await subs.getByRole("button", { name: "Reset Email" }).click();
  await problems(page)
    .getByText(/\$\{Email\} has no value/)
    .waitFor();
  assert.equal(await notice(page).getByLabel("Value of Email").inputValue(), "");
  await context.close();
});

test("the project's notice, substitutions panel and Project files dialog meet WCAG 2.1 AA in both themes", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { page, context } = await h.open({ colorScheme });
    await dropFiles(page, { "template.yaml": TEMPLATE, "statemachine/order.asl.json": ORDER });
    await pickOrderMachine(page);
    await notice(page).getByRole("table", { name: "Substitutions" }).waitFor();
    await expectNoA11yViolations(page, `the template's notice and substitutions panel (${colorScheme})`);
    await notice(page).getByRole("button", { name: "Project files…" }).click();
    await page.getByRole("dialog", { name: "Project files" }).waitFor();
    await expectNoA11yViolations(page, `the Project files dialog (${colorScheme})`);
    await context.close();
  }
});

test("ASL with Terraform-style placeholders: listed, given values, run", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, fixture("terraform/flow.asl.json"));
  await notice(page).getByText("Definition with ${…} placeholders").waitFor();
  const subs = notice(page).getByRole("table", { name: "Substitutions" });
  for (const [name, value] of [
    ["process_fn_arn", "arn:aws:lambda:us-east-1:123456789012:function:process"],
    ["timeout", "20"],
    ["table_name", "items"],
    ["env", "test"],
  ]) {
    const field = subs.getByLabel(`Value of ${name}`);
    await field.fill(value);
    await field.press("Enter");
    await subs.getByRole("button", { name: `Reset ${name}` }).waitFor();
  }
  await page.waitForFunction(() => !/has no value/.test(document.getElementById("problems").textContent));
  await setEditor(page, INPUT, '{"id": "7"}');
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const lambda = (await events(page)).find((e) => e.type === "LambdaFunctionScheduled");
  assert.equal(lambda.lambdaFunctionScheduledEventDetails.timeoutInSeconds, 20);
  assert.equal((await scheduledParameters(page))[0].TableName, "items");
  await context.close();
});

const pkg = fileURLToPath(new URL("../../pkg/index.js", import.meta.url));
test("the JS package reads a project: files, given values, unresolved placeholders", async () => {
  const { init, definitionsFromText } = await import(pkg);
  await init();
  const files = { "statemachine/order.asl.json": ORDER };
  const [order] = definitionsFromText(TEMPLATE, { files });
  assert.equal(order.name, "orders-dev");
  assert.equal(
    order.definition.States.Validate.Resource,
    "arn:aws:lambda:us-east-1:123456789012:function:ValidateFunction",
  );
  assert.deepEqual(
    order.unresolved.map((u) => [u.placeholder, u.file, u.line, u.column]),
    [["${Email}", "statemachine/order.asl.json", 35, 71]],
  );
  const given = definitionsFromText(TEMPLATE, {
    files,
    params: { NotifyEmail: "ops@example.com" },
    region: "eu-west-1",
  });
  assert.equal(given[0].definition.States.Notify.Parameters.Message, "order for ops@example.com");
  assert.equal(
    given[0].definition.States.Validate.Resource,
    "arn:aws:lambda:eu-west-1:123456789012:function:ValidateFunction",
  );
  assert.equal(definitionsFromText(TEMPLATE)[0].missingFile, "statemachine/order.asl.json");
});
