// The examples gallery: small state machines that show one feature each, with their input,
// mock configuration where they call services, and the status they end with (the browser
// tests run every one of them).

export interface Example {
  id: string;
  title: string;
  definition: object;
  input: object;
  mock?: object;
  expected: "SUCCEEDED" | "FAILED";
}

const lambda = "arn:aws:states:::lambda:invoke";

export const EXAMPLES: Example[] = [
  {
    id: "hello",
    title: "Hello world",
    expected: "SUCCEEDED",
    input: { name: "Ada" },
    definition: {
      Comment: "Hello world: a Pass state adds a greeting, then the execution succeeds.",
      StartAt: "Hello",
      States: {
        Hello: { Type: "Pass", Result: { greeting: "Hello, world!" }, ResultPath: "$.result", Next: "Done" },
        Done: { Type: "Succeed" },
      },
    },
  },
  {
    id: "choice",
    title: "Choice",
    expected: "SUCCEEDED",
    input: { order: { id: "o-1", total: 250 } },
    definition: {
      Comment: "Choice: large orders go to review, small ones are approved at once.",
      StartAt: "Check total",
      States: {
        "Check total": {
          Type: "Choice",
          Choices: [
            { Variable: "$.order.total", NumericGreaterThan: 100, Next: "Needs review" },
            { Variable: "$.order.total", NumericLessThanEquals: 0, Next: "Reject" },
          ],
          Default: "Approve",
        },
        "Needs review": { Type: "Pass", Result: "review", ResultPath: "$.decision", End: true },
        Approve: { Type: "Pass", Result: "approved", ResultPath: "$.decision", End: true },
        Reject: { Type: "Fail", Error: "InvalidTotal", Cause: "The order total must be positive" },
      },
    },
  },
  {
    id: "retry-catch",
    title: "Retry and Catch (mocked)",
    expected: "SUCCEEDED",
    input: { card: "4111-xxxx", amount: 42 },
    definition: {
      Comment: "Retry and Catch: the mocked payment times out twice (retried), then is declined (caught).",
      StartAt: "Charge card",
      States: {
        "Charge card": {
          Type: "Task",
          Resource: lambda,
          Parameters: { FunctionName: "charge-card", "Payload.$": "$" },
          Retry: [{ ErrorEquals: ["PaymentTimeout"], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Notify decline" }],
          Next: "Receipt",
        },
        Receipt: { Type: "Pass", End: true },
        "Notify decline": { Type: "Pass", Result: "declined", ResultPath: "$.status", End: true },
      },
    },
    mock: {
      StateMachines: {
        RetryCatch: {
          TestCases: { Declined: { "Charge card": "TimeoutThenDecline" }, Paid: { "Charge card": "Paid" } },
        },
      },
      MockedResponses: {
        TimeoutThenDecline: {
          "0-1": { Throw: { Error: "PaymentTimeout", Cause: "The card network did not answer" } },
          "2": { Throw: { Error: "CardDeclined", Cause: "Insufficient funds" } },
        },
        Paid: { "0": { Return: { StatusCode: 200, Payload: { receipt: "r-123" } } } },
      },
    },
  },
  {
    id: "parallel",
    title: "Parallel",
    expected: "SUCCEEDED",
    input: { user: "ada" },
    definition: {
      Comment: "Parallel: two branches run on the same input; the output is the array of their outputs.",
      StartAt: "Fetch both",
      States: {
        "Fetch both": {
          Type: "Parallel",
          Branches: [
            { StartAt: "Profile", States: { Profile: { Type: "Pass", Result: { plan: "pro" }, End: true } } },
            {
              StartAt: "Orders",
              States: {
                Orders: { Type: "Pass", Result: [{ id: 1 }, { id: 2 }], ResultPath: "$.orders", Next: "Pick" },
                Pick: { Type: "Pass", Parameters: { "latest.$": "$.orders[1]", "user.$": "$.user" }, End: true },
              },
            },
          ],
          Next: "Merge",
        },
        Merge: { Type: "Pass", Parameters: { "profile.$": "$[0]", "orders.$": "$[1]" }, End: true },
      },
    },
  },
  {
    id: "map",
    title: "Map",
    expected: "SUCCEEDED",
    input: {
      items: [
        { sku: "a", qty: 1 },
        { sku: "b", qty: 3 },
        { sku: "c", qty: 2 },
      ],
    },
    definition: {
      Comment: "Map: each item goes through the item processor; the output is the array of results.",
      StartAt: "Each item",
      States: {
        "Each item": {
          Type: "Map",
          ItemsPath: "$.items",
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Label",
            States: {
              Label: { Type: "Pass", Parameters: { "item.$": "$.sku", "count.$": "$.qty", packed: true }, End: true },
            },
          },
          ResultPath: "$.labels",
          End: true,
        },
      },
    },
  },
  {
    id: "wait",
    title: "Wait",
    expected: "SUCCEEDED",
    input: { reminder: "stand up" },
    definition: {
      Comment: "Wait: the clock is virtual, so an hour's wait takes no time at all.",
      StartAt: "Wait an hour",
      States: {
        "Wait an hour": { Type: "Wait", Seconds: 3600, Next: "Remind" },
        Remind: { Type: "Pass", End: true },
      },
    },
  },
  {
    id: "intrinsics",
    title: "Intrinsic functions",
    expected: "SUCCEEDED",
    input: { first: "Ada", last: "Lovelace", scores: [3, 5, 8], json: '{"nested":true}' },
    definition: {
      Comment:
        "Intrinsic functions: States.Format, States.ArrayLength, States.MathAdd, States.StringToJson, States.Array.",
      StartAt: "Compute",
      States: {
        Compute: {
          Type: "Pass",
          Parameters: {
            "greeting.$": "States.Format('Hello, {} {}!', $.first, $.last)",
            "count.$": "States.ArrayLength($.scores)",
            "next.$": "States.MathAdd($.scores[2], 1)",
            "parsed.$": "States.StringToJson($.json)",
            "pair.$": "States.Array($.first, $.last)",
          },
          End: true,
        },
      },
    },
  },
  {
    id: "variables",
    title: "Variables",
    expected: "SUCCEEDED",
    input: { price: 20, quantity: 3 },
    definition: {
      Comment: "Variables: Assign keeps values for later states, which read them as $name.",
      StartAt: "Remember",
      States: {
        Remember: { Type: "Pass", Assign: { "unitPrice.$": "$.price", "qty.$": "$.quantity" }, Next: "Use" },
        Use: { Type: "Pass", Parameters: { "unitPrice.$": "$unitPrice", "quantity.$": "$qty" }, End: true },
      },
    },
  },
  {
    id: "jsonata",
    title: "JSONata and variables",
    expected: "SUCCEEDED",
    input: {
      customer: "Ada",
      items: [
        { sku: "pen", price: 2.5, qty: 4 },
        { sku: "ink", price: 12, qty: 1 },
      ],
    },
    definition: {
      Comment:
        "JSONata: Assign keeps the customer, Output computes a total, a Choice Condition tests it, and $states.input reads the state input.",
      QueryLanguage: "JSONata",
      StartAt: "Price",
      States: {
        Price: {
          Type: "Pass",
          Assign: { customer: "{% $states.input.customer %}" },
          Output: {
            lines: "{% $states.input.items.{ 'sku': sku, 'amount': price * qty } %}",
            total: "{% $sum($states.input.items.(price * qty)) %}",
          },
          Next: "Big order?",
        },
        "Big order?": {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.total > 20 %}", Next: "Discount" }],
          Default: "Receipt",
        },
        Discount: {
          Type: "Pass",
          Assign: { discount: 0.1 },
          Output: "{% $merge([$states.input, { 'total': $round($states.input.total * 0.9, 2) }]) %}",
          Next: "Receipt",
        },
        Receipt: {
          Type: "Pass",
          Output: {
            message: "{% 'Thank you, ' & $customer & '!' %}",
            total: "{% $states.input.total %}",
            id: "{% $uuid() %}",
          },
          End: true,
        },
      },
    },
  },
  {
    id: "callback",
    title: "Callback task (mocked test cases)",
    expected: "SUCCEEDED",
    input: { expense: { id: "e-7", amount: 640 } },
    definition: {
      Comment:
        "Callback: a message with the task token goes to an approver's queue; the execution waits until the callback (mocked: see the test cases Approved and Rejected) answers.",
      StartAt: "Ask approval",
      States: {
        "Ask approval": {
          Type: "Task",
          Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          Parameters: {
            QueueUrl: "https://sqs.us-east-1.amazonaws.com/111111111111/approvals",
            MessageBody: { "expense.$": "$.expense", "token.$": "$$.Task.Token" },
          },
          TimeoutSeconds: 86400,
          ResultPath: "$.approval",
          Catch: [{ ErrorEquals: ["Rejected"], ResultPath: "$.rejection", Next: "Rejected" }],
          Next: "Approved?",
        },
        "Approved?": {
          Type: "Choice",
          Choices: [{ Variable: "$.approval.approved", BooleanEquals: true, Next: "Pay" }],
          Default: "Rejected",
        },
        Pay: { Type: "Pass", Result: "paid", ResultPath: "$.status", End: true },
        Rejected: { Type: "Pass", Result: "rejected", ResultPath: "$.status", End: true },
      },
    },
    mock: {
      StateMachines: {
        Expenses: {
          TestCases: {
            Approved: { "Ask approval": "ApprovedAfterADay" },
            Rejected: { "Ask approval": "RejectedAtOnce" },
          },
        },
      },
      MockedResponses: {
        ApprovedAfterADay: {
          "0": {
            Submitted: { MessageId: "m-1", MD5OfMessageBody: "0f3c2e6a0c5e2e3d1b2a9f8e7d6c5b4a" },
            Latency: 3600,
            Return: { approved: true, by: "grace" },
          },
        },
        RejectedAtOnce: { "0": { Throw: { Error: "Rejected", Cause: "Over budget" } } },
      },
    },
  },
  {
    id: "distributed-map",
    title: "Distributed Map over S3",
    expected: "SUCCEEDED",
    input: { bucket: "shop-data", key: "orders.csv" },
    definition: {
      Comment:
        "Distributed Map: reads orders from a CSV object in (mocked) S3, runs one child execution per order (one order is invalid and fails, which the Map tolerates), and writes the results to S3 with a ResultWriter. See the Map runs and S3 objects tabs.",
      StartAt: "Process orders",
      States: {
        "Process orders": {
          Type: "Map",
          Label: "orders",
          ItemReader: {
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
            Parameters: { "Bucket.$": "$.bucket", "Key.$": "$.key" },
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
            StartAt: "Read total",
            States: {
              "Read total": {
                Type: "Pass",
                Parameters: { "id.$": "$.id", "total.$": "States.StringToJson($.total)" },
                Next: "Valid?",
              },
              "Valid?": {
                Type: "Choice",
                Choices: [{ Variable: "$.total", NumericGreaterThan: 0, Next: "Charge" }],
                Default: "Invalid order",
              },
              Charge: {
                Type: "Task",
                Resource: lambda,
                Parameters: { FunctionName: "charge-order", "Payload.$": "$" },
                ResultSelector: { "receipt.$": "$.Payload.receipt" },
                ResultPath: "$.charge",
                End: true,
              },
              "Invalid order": { Type: "Fail", Error: "InvalidOrder", Cause: "The order total must be positive" },
            },
          },
          MaxConcurrency: 2,
          ToleratedFailureCount: 1,
          ResultWriter: {
            Resource: "arn:aws:states:::s3:putObject",
            Parameters: { Bucket: "shop-results", Prefix: "charged" },
          },
          ResultPath: "$.results",
          Next: "Done",
        },
        Done: { Type: "Succeed" },
      },
    },
    mock: {
      StateMachines: { Orders: { TestCases: { Charged: { Charge: "ChargeOk" } } } },
      MockedResponses: { ChargeOk: { "0-999": { Return: { StatusCode: 200, Payload: { receipt: "r-ok" } } } } },
      S3Buckets: ["shop-results"],
      S3Objects: [
        { Bucket: "shop-data", Key: "orders.csv", Content: "id,total\no-1,9.50\no-2,120\no-3,-4\no-4,33.10\no-5,7\n" },
        {
          Bucket: "shop-data",
          Key: "customers.json",
          Content: [
            { id: "c-1", name: "Ada" },
            { id: "c-2", name: "Grace" },
          ],
        },
      ],
    },
  },
];

/** Pretty JSON text of an example's parts, as the editors show it. */
export const pretty = (v: object | undefined) => (v === undefined ? "" : JSON.stringify(v, null, 2));
