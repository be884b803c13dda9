// Browser test: a definition AWS accepts, whose only problems are warnings, shows them in the
// Problems list and runs (issue 16: never refuse a definition on a guess).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, setEditor, finalStatus, shotPath, DEF, INPUT, run, events } from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const json = (v) => JSON.stringify(v, null, 2);

test("a definition with only warnings shows them and runs", async () => {
  const { page, context } = await h.open();
  const definition = {
    StartAt: "Detect labels",
    States: {
      "Detect labels": {
        Type: "Task",
        Resource: "arn:aws:states:us-east-1:123456789012:aws-sdk:rekognition:detectLabels",
        Parameters: { Image: { S3Object: { Bucket: "uploads", "Name.$": "$.key" } } },
        ResultSelector: { "receipt.$": "$.Labels[?(@.Name==Receipt)]" },
        Catch: [{ ErrorEquals: ["States.QuorumMet"], Next: "Done" }],
        Next: "Done",
      },
      Done: { Type: "Succeed" },
    },
  };
  await setEditor(page, DEF, json(definition));
  await setEditor(page, INPUT, json({ key: "receipt.jpg" }));
  const problems = page.getByRole("list", { name: "Problems" });
  await problems.locator("li", { hasText: "UNQUOTED_FILTER_WORD" }).waitFor({ timeout: 5000 });
  await problems.locator("li", { hasText: "RESERVED_ERROR_NAME" }).waitFor();
  assert.equal(await problems.locator("li.error").count(), 0, "no error");
  await page.screenshot({ path: shotPath("validation-warnings") });
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const scheduled = (await events(page)).find((e) => e.type === "TaskScheduled");
  assert.equal(scheduled.taskScheduledEventDetails.resourceType, "aws-sdk:rekognition");
  await context.close();
});
