// The messages between the page (main thread) and the engine's Web Worker. Payloads that
// come from the engine travel as JSON text, parsed once on the page.

/** What a definition's text is read with when it is a template or has `${name}` placeholders:
 * the files the template names (`DefinitionUri`), by path or file name, and the values the user
 * gave for parameters, substitutions, placeholders and pseudo parameters. */
export interface ProjectInput {
  files: Record<string, string>;
  params: Record<string, string>;
}

/** What a run starts from: the three editors' text plus options. */
export interface StartRequest {
  definition: string;
  input: string;
  /** MockConfigFile text; empty for none. */
  mock: string;
  /** State machine of the mock configuration whose test case is used; empty: its only one. */
  stateMachine: string;
  /** Test case to use from the mock configuration. */
  testCase: string;
  seed: number;
  /** The virtual clock's start (RFC 3339); absent or "" for the engine's default. */
  startTime?: string;
  /** The state machine (logical id) to run when the definition text is a CloudFormation/SAM template. */
  machine?: string;
  /** The template's files and the values given for its placeholders. */
  project?: ProjectInput;
}

/** One whole execution for the lesson checker, beside the visible run (seed 0, default clock). */
export type RunRequest = Pick<StartRequest, "definition" | "input" | "mock" | "stateMachine" | "testCase">;

export type ToWorker =
  /** Validates the definition text (JSON, YAML or a template's `machine`). */
  | { kind: "validate"; seq: number; definition: string; machine?: string; project?: ProjectInput }
  /** Checks JSON text; `what: "mock"` also checks it as a MockConfigFile. */
  | { kind: "checkJson"; seq: number; text: string; what: "json" | "mock" }
  | ({ kind: "start" } & StartRequest)
  /** What happened inside the state visit entered at event `enteredEventId`. */
  | { kind: "inspect"; seq: number; enteredEventId: number }
  | { kind: "step"; count: number }
  | { kind: "run"; batch: number }
  | { kind: "stop" }
  /** A question about the current run or the mock configuration (Map runs, S3), by sequence number. */
  | { kind: "query"; seq: number; query: Query }
  /** A MockConfigFile replaying a history (the wasm `import_history` answer). */
  | { kind: "importHistory"; seq: number; history: string; definition: string; stateMachine: string; testCase: string }
  /** Runs a whole execution in a session of its own (the visible run is left alone); answered
   * with the `Backend.execute` JSON text. */
  | { kind: "execute"; seq: number; request: RunRequest }
  /** TestState (the request as JSON text); loads the tools module on first use. */
  | { kind: "testState"; seq: number; request: string }
  /** A question to the language service (loaded on first use); answered as "answer" (JSON text). */
  | { kind: "language"; seq: number; question: LanguageQuestion };

/** Which editor asks the language service. */
export type LanguageDoc = "definition" | "mock";

/** A question at a position of an editor's text (offsets are UTF-16 code units, as CodeMirror's). */
export interface LanguageRequest {
  doc: LanguageDoc;
  /** The editor's whole text. */
  text: string;
  /** The cursor. */
  offset: number;
  /** For doc "mock": the definition editor's text (its Task state names). */
  definition?: string;
  /** Completion asked with Ctrl+Space. */
  explicit?: boolean;
}

/** What the worker asks the language module. */
export type LanguageQuestion =
  | ({ what: "complete" | "hover" | "signature" } & LanguageRequest)
  | { what: "quickFixes"; doc: LanguageDoc; text: string; diagnostics: AwsDiagnostic[] };

/** Completions at a position: `[from, to)` is the text the chosen option replaces. */
export interface CompletionResult {
  from: number;
  to: number;
  options: CompletionItem[];
}

export interface CompletionItem {
  /** What the list shows and filters on. */
  label: string;
  /** One line, shown beside the label. */
  detail: string;
  type: "property" | "enum" | "constant" | "function" | "variable" | "keyword" | "text" | "class" | "snippet";
  /** Text to insert instead of the label. */
  apply?: string;
  /** `apply` is a CodeMirror snippet template (`${1:placeholder}` fields). */
  snippet?: boolean;
  /** Ranking hint, -99..99. */
  boost?: number;
  /** Longer docs (the hover text), plain text with `code` spans. */
  info?: string;
}

/** Documentation of the word or token under the pointer. */
export interface HoverResult {
  from: number;
  to: number;
  /** e.g. "ResultPath (Task state field)" or "States.Format". */
  title: string;
  /** For functions: "States.Format(template, value1, value2, ...)". */
  signature?: string;
  /** Two or three sentences, plain text with `code` spans. */
  text: string;
  example?: string;
  /** The AWS documentation page. */
  link?: string;
}

/** The function call around the cursor and the parameter being typed. */
export interface SignatureResult {
  label: string;
  parameters: { label: string; doc?: string }[];
  /** Index into `parameters`. */
  active: number;
  doc?: string;
  link?: string;
}

/** A fix for a diagnostic: what the user reads, and the text changes (UTF-16 offsets). */
export interface QuickFix {
  name: string;
  changes: { from: number; to: number; insert: string }[];
}

/** What the Map Run view and the S3 pane ask the worker; the answer is JSON text ("null" if none). */
export type Query =
  | { what: "mapRuns" }
  | { what: "mapRunChildren"; mapRunArn: string; status: string; offset: number; limit: number }
  | { what: "childExecution"; mapRunArn: string; index: number }
  /** The run's S3 objects, or with `mock` those of that mock configuration text. */
  | { what: "s3Objects"; mock?: string }
  | { what: "s3Object"; bucket: string; key: string; maxBytes: number; mock?: string }
  /** The engine's WebAssembly memory in bytes. */
  | { what: "memory" };

export type FromWorker =
  | { kind: "ready"; version: string }
  | { kind: "validation"; seq: number; json: string }
  | { kind: "jsonChecked"; seq: number; json: string }
  | { kind: "inspection"; seq: number; json: string }
  | { kind: "answer"; seq: number; json: string }
  | { kind: "imported"; seq: number; json: string }
  | { kind: "started" }
  | { kind: "startFailed"; message: string; validation?: string }
  /** Events as a JSON array text; `result` (JSON text) once the execution has ended;
   * `transitions`: the engine's state transitions so far (Session.stateTransitions). */
  | { kind: "events"; json: string; status: string; result?: string; transitions?: number }
  | { kind: "fatal"; message: string };

/** One AWS history event as GetExecutionHistory returns it. */
export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: number | string;
  type: string;
  [details: string]: unknown;
}

/** A diagnostic in AWS's ValidateStateMachineDefinition shape, plus line/column. */
export interface AwsDiagnostic {
  severity: "ERROR" | "WARNING";
  code: string;
  message: string;
  location: string;
  line?: number;
  column?: number;
}

/** The engine behind the worker: the wasm build of the library. */
export interface Backend {
  version: string;
  validate(definition: string): string;
  checkJson(text: string): string;
  /** Like checkJson, and also checks the text as a MockConfigFile. */
  checkMock(text: string): string;
  /** Loads the importer module (YAML, templates, histories) that `definitions` and
   * `importHistory` need; fetched on first use only. */
  loadImporter(): Promise<void>;
  /** Loads the tools module (TestState), fetched on first use only. */
  loadTools(): Promise<void>;
  /** TestState: the API's response as JSON text, or `{"error","message"}` (tools module). */
  testState(request: string): string;
  /** Runs a whole execution in a session of its own, to its end: JSON text
   * `{"result": {status, output, error, cause}, "events": [...], "stopped"?}` (see
   * lessons/execute.ts), or `{"failure": message, "diagnostics"?: [...]}` when it cannot start. */
  execute(req: RunRequest): string;
  /** The state machines in a definition text (the wasm `definitions_from_text` answer);
   * `options` is JSON text (`{files, params}`). */
  definitions(text: string, options: string): string;
  /** Where JSON pointers (a JSON array text) stand in a JSON or YAML text (the wasm `locate` answer). */
  locate(text: string, pointers: string): string;
  /** A MockConfigFile replaying a history (the wasm `import_history` answer). */
  importHistory(history: string, definition: string, stateMachine: string, testCase: string): string;
  /** Loads the language module (completions, hover, signature help, quick fixes) on first use. */
  loadLanguage(): Promise<void>;
  /** Answers a language question (after `loadLanguage`) as JSON text ("null" for nothing). */
  language(question: LanguageQuestion): string;
  /** Starts a session; throws an Error whose message is JSON ({message, validation?}). */
  start(req: StartRequest): Session;
  /** The S3 objects of a mock configuration text (see Session.s3Objects), or {message,line,column}. */
  mockS3Objects(mock: string): string;
  mockS3Object(mock: string, bucket: string, key: string, maxBytes: number): string;
  /** The size of the engine's WebAssembly memory in bytes. */
  memoryBytes(): number;
}

/** One execution: advance it, read its status and result. */
export interface Session {
  /** Up to `n` more events as a JSON array text ("[]" once finished). */
  runBatch(n: number): string;
  stop(): string;
  status(): string;
  /** {"status","output","error","cause"} as JSON text. */
  result(): string;
  /** State transitions so far: states entered plus retries, as the library counts them
   * (`Execution::state_transitions`); the page's execution summary shows this number. */
  stateTransitions(): number;
  /** The inspection of the visit entered at that event id as JSON text, or "null". */
  inspection(enteredEventId: number): string;
  /** Up to `n` more events, or fewer when `budget` scheduler turns are spent (a distributed Map's children). */
  runSlice(n: number, budget: number): string;
  /** The distributed Map runs (JSON array text of {mapRunArn, mapState, status, itemCounts, ...}). */
  mapRuns(): string;
  /** One page of a map run's children: {matching, offset, children: [{index, name, status, startDate, stopDate}]}. */
  mapRunChildren(mapRunArn: string, status: string, offset: number, limit: number): string;
  /** A child execution with its history: {name, status, input, output, error, cause, events}, or "null". */
  childExecution(mapRunArn: string, index: number): string;
  /** The run's mocked S3: {buckets, objects: [{bucket, key, size, lastModified, written}]}. */
  s3Objects(): string;
  /** {size, content, truncated}, or "null". */
  s3Object(bucket: string, key: string, maxBytes: number): string;
}
