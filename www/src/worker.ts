// The engine's Web Worker: loads the wasm build of the library and answers the page's
// messages. Runs are split
// into batches so a "stop" message gets in between them; if the engine is stuck inside one
// step, the page terminates this worker and starts a new one.

import type { Backend, FromWorker, LanguageQuestion, Query, Session, ToWorker } from "./protocol";
import { loadWasmBackend } from "./backend/wasm";
import { definitionToRun, isPlainJson, validateSource } from "./definitionsource";

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

let backend: Backend | null = null;
let session: Session | null = null;
let running = false;
const queue: ToWorker[] = [];

async function boot() {
  try {
    backend = await loadWasmBackend();
  } catch (e) {
    post({
      kind: "fatal",
      message: `The engine (WebAssembly) could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
    });
    return;
  }
  post({ kind: "ready", version: backend.version });
  for (const m of queue.splice(0)) receive(m);
}

function sendEvents(json: string) {
  if (!session) return;
  const status = session.status();
  const done = status !== "RUNNING";
  post({
    kind: "events",
    json,
    status,
    result: done ? session.result() : undefined,
    transitions: session.stateTransitions(),
  });
  if (done) running = false;
}

/** Scheduler turns per event of a batch: a distributed Map's children run without events of
 * the execution's own history, so a batch is also bounded by turns. */
const TURNS_PER_EVENT = 16;

/** Runs in batches sized to take about 30 ms each, so the page sees progress and a stop gets in. */
function runLoop(batch: number, max: number) {
  if (!running || !session) return;
  const t0 = performance.now();
  try {
    sendEvents(session.runSlice(batch, batch * TURNS_PER_EVENT));
  } catch (e) {
    running = false;
    post({ kind: "fatal", message: String(e) });
    return;
  }
  const took = performance.now() - t0;
  const next = took < 15 ? Math.min(max, batch * 2) : took > 60 ? Math.max(1, batch >> 1) : batch;
  if (running) setTimeout(() => runLoop(next, max), 0);
}

function handle(m: ToWorker) {
  if (!backend) {
    queue.push(m);
    return;
  }
  try {
    switch (m.kind) {
      case "validate":
        post({
          kind: "validation",
          seq: m.seq,
          json: validateSource(m.definition, m.machine ?? "", backend, m.project),
        });
        break;
      case "checkJson":
        post({
          kind: "jsonChecked",
          seq: m.seq,
          json: m.what === "mock" ? backend.checkMock(m.text) : backend.checkJson(m.text),
        });
        break;
      case "inspect":
        post({ kind: "inspection", seq: m.seq, json: session ? session.inspection(m.enteredEventId) : "null" });
        break;
      case "start": {
        running = false;
        stepSerial++;
        session = null;
        // The definition text may be YAML or a CloudFormation/SAM template: run what it holds.
        const toRun = definitionToRun(m.definition, m.machine ?? "", backend, m.project);
        if ("failure" in toRun) {
          post({ kind: "startFailed", message: toRun.failure, validation: toRun.validation });
          break;
        }
        try {
          session = backend.start({ ...m, definition: toRun.definition });
          post({ kind: "started" });
        } catch (e) {
          const parsed = parseError(e);
          post({ kind: "startFailed", message: parsed.message, validation: toRun.relocate(parsed.validation) });
        }
        break;
      }
      case "importHistory":
        post({
          kind: "imported",
          seq: m.seq,
          json: backend.importHistory(m.history, m.definition, m.stateMachine, m.testCase),
        });
        break;
      case "step":
        if (session) stepLoop(m.count, ++stepSerial);
        break;
      case "query":
        post({ kind: "answer", seq: m.seq, json: answer(m.query) });
        break;
      case "execute":
        post({ kind: "answer", seq: m.seq, json: backend.execute(m.request) });
        break;
      case "testState":
        post({ kind: "answer", seq: m.seq, json: backend.testState(m.request) });
        break;
      case "language":
        languageAnswer(m.seq, m.question);
        break;
      case "run":
        if (session && !running) {
          running = true;
          stepSerial++;
          // Small first batches: the page sees the first events at once, and if the engine then
          // gets stuck inside one step, few events are lost with the replaced worker.
          runLoop(1, m.batch);
        }
        break;
      case "stop":
        running = false;
        stepSerial++;
        // Always answer, so the page knows the worker is alive and need not be replaced.
        if (session) sendEvents(session.status() === "RUNNING" ? session.stop() : "[]");
        else post({ kind: "events", json: "[]", status: "ABORTED" });
        break;
    }
  } catch (e) {
    running = false;
    post({ kind: "fatal", message: String(e instanceof Error ? e.message : e) });
  }
}

/** Counts Step requests; a stop (or a newer step) ends the slices of an older one. */
let stepSerial = 0;

/** One Step: the next event, taken in slices so that a Map Run of many children does not
 * hold the worker (a stop gets in between slices). */
function stepLoop(count: number, serial: number) {
  if (!session || serial !== stepSerial) return;
  try {
    const json = session.runSlice(count, 50_000);
    if (json === "[]" && session.status() === "RUNNING") setTimeout(() => stepLoop(count, serial), 0);
    else sendEvents(json);
  } catch (e) {
    post({ kind: "fatal", message: String(e) });
  }
}

/** Answers a language question, loading the language module on the first one; "null" (or
 * "[]" for quick fixes) when the module cannot be loaded or the service fails. */
function languageAnswer(seq: number, question: LanguageQuestion) {
  const none = question.what === "quickFixes" ? "[]" : "null";
  if (!backend) return post({ kind: "answer", seq, json: none });
  const b = backend;
  b.loadLanguage().then(
    () => {
      let json = none;
      try {
        json = b.language(question);
      } catch (e) {
        console.error("language service:", e);
      }
      post({ kind: "answer", seq, json });
    },
    (e: unknown) => {
      console.error("The language service (WebAssembly) could not be loaded:", e);
      post({ kind: "answer", seq, json: none });
    },
  );
}

/** Answers the Map Run view and the S3 pane. */
function answer(q: Query): string {
  if (!backend) return "null";
  switch (q.what) {
    case "mapRuns":
      return session ? session.mapRuns() : "[]";
    case "mapRunChildren":
      return session ? session.mapRunChildren(q.mapRunArn, q.status, q.offset, q.limit) : "null";
    case "childExecution":
      return session ? session.childExecution(q.mapRunArn, q.index) : "null";
    case "s3Objects":
      if (q.mock !== undefined) return backend.mockS3Objects(q.mock);
      return session ? session.s3Objects() : "null";
    case "s3Object":
      if (q.mock !== undefined) return backend.mockS3Object(q.mock, q.bucket, q.key, q.maxBytes);
      return session ? session.s3Object(q.bucket, q.key, q.maxBytes) : "null";
    case "memory":
      return String(backend.memoryBytes());
  }
}

function parseError(e: unknown): { message: string; validation?: string } {
  const text = e instanceof Error ? e.message : String(e);
  try {
    const v = JSON.parse(text);
    if (v && typeof v.message === "string") {
      return { message: v.message, validation: v.validation ? JSON.stringify(v.validation) : undefined };
    }
  } catch {
    /* not JSON: a plain message */
  }
  return { message: text };
}

/** Messages that arrive while an on-demand module loads wait here, to keep their order. */
let waiting: ToWorker[] | null = null;
/** The wasm modules fetched on first use: the importer (YAML, templates, histories) and the
 * tools (TestState, for the lesson checker). */
const onDemand = {
  importer: { state: "absent", load: (b: Backend) => b.loadImporter(), name: "The importer" },
  tools: { state: "absent", load: (b: Backend) => b.loadTools(), name: "TestState (the tools module)" },
};

/** The on-demand module handling the message needs first, if it is not loaded yet. */
function moduleFor(m: ToWorker): keyof typeof onDemand | null {
  const needed =
    m.kind === "importHistory" || ((m.kind === "validate" || m.kind === "start") && !isPlainJson(m.definition))
      ? "importer"
      : m.kind === "testState"
        ? "tools"
        : null;
  return needed && onDemand[needed].state === "absent" ? needed : null;
}

/** Handles a message, first loading the on-demand module it needs (once). */
function receive(m: ToWorker) {
  if (waiting) {
    waiting.push(m);
    return;
  }
  const needed = backend ? moduleFor(m) : null;
  if (!backend || !needed) {
    handle(m);
    return;
  }
  const module = onDemand[needed];
  waiting = [m];
  module
    .load(backend)
    .then(
      () => {
        module.state = "loaded";
      },
      (e: unknown) => {
        module.state = "failed";
        post({
          kind: "fatal",
          message: `${module.name} (WebAssembly) could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
        });
      },
    )
    .finally(() => {
      const held = waiting ?? [];
      waiting = null;
      for (const x of held) receive(x);
    });
}

self.onmessage = (ev: MessageEvent<ToWorker>) => receive(ev.data);
boot();
