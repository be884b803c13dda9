// The page's handle on the engine worker: spawns it, answers validation requests by sequence
// number, and replaces the worker when a stop must not wait for it or when the engine failed
// (a wasm trap leaves the module unusable).

import type {
  AwsDiagnostic,
  CompletionResult,
  FromWorker,
  HoverResult,
  LanguageDoc,
  LanguageQuestion,
  LanguageRequest,
  ProjectInput,
  Query,
  RunRequest,
  QuickFix,
  SignatureResult,
  StartRequest,
  ToWorker,
} from "./protocol";

export interface EngineListener {
  onReady(version: string): void;
  onStarted(): void;
  onStartFailed(message: string, validation?: string): void;
  /** New events (JSON array text), the status, the result (JSON text) once ended, and the
   * engine's state transitions so far (absent when the worker had no execution). */
  onEvents(json: string, status: string, result?: string, transitions?: number): void;
  /** The engine failed; `restarted` when a new worker has been started in its place. */
  onFatal(message: string, restarted: boolean): void;
}

export class Engine {
  private worker!: Worker;
  private seq = 0;
  private pending = new Map<number, (json: string) => void>();
  /** Called when the worker's answer to "stop" is overdue. */
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  /** The worker has loaded the engine (a failure before that is not retried). */
  private ready = false;

  constructor(
    private listener: EngineListener,
    private workerUrl: string,
  ) {
    this.spawn();
  }

  private spawn() {
    this.ready = false;
    this.worker = new Worker(this.workerUrl, { type: "module" });
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data);
    this.worker.onerror = (ev) => this.fail(ev.message || "The engine worker failed");
  }

  /** Replaces the worker with a new one; pending questions are answered with "null". */
  private replace() {
    this.worker.terminate();
    for (const done of this.pending.values()) done("null");
    this.pending.clear();
    this.spawn();
  }

  private fail(message: string) {
    const restart = this.ready;
    if (restart) this.replace();
    this.listener.onFatal(message, restart);
  }

  private post(m: ToWorker) {
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker) {
    switch (m.kind) {
      case "ready":
        this.ready = true;
        return this.listener.onReady(m.version);
      case "validation":
      case "inspection":
      case "answer":
      case "imported":
      case "jsonChecked": {
        const done = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        return done?.(m.json);
      }
      case "started":
        return this.listener.onStarted();
      case "startFailed":
        return this.listener.onStartFailed(m.message, m.validation);
      case "events":
        if (m.status !== "RUNNING") this.clearStopTimer();
        return this.listener.onEvents(m.json, m.status, m.result, m.transitions);
      case "fatal":
        return this.fail(m.message);
    }
  }

  private ask(make: (seq: number) => ToWorker): Promise<string> {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.post(make(seq));
    });
  }

  /** The validator's answer (AWS ValidateStateMachineDefinition JSON text). */
  validate(definition: string, machine = "", project?: ProjectInput): Promise<string> {
    return this.ask((seq) => ({ kind: "validate", seq, definition, machine, project }));
  }

  /** A MockConfigFile replaying a history: the wasm `import_history` answer (JSON text). */
  importHistory(history: string, definition: string, stateMachine: string, testCase: string): Promise<string> {
    return this.ask((seq) => ({ kind: "importHistory", seq, history, definition, stateMachine, testCase }));
  }

  /** `"null"` when `text` is fine, else `{"message","line","column"}` as JSON text. */
  checkJson(text: string, what: "json" | "mock" = "json"): Promise<string> {
    return this.ask((seq) => ({ kind: "checkJson", seq, text, what }));
  }

  /** The inspection of the visit entered at that event (JSON text, "null" if none yet). */
  inspect(enteredEventId: number): Promise<string> {
    return this.ask((seq) => ({ kind: "inspect", seq, enteredEventId }));
  }

  /** Asks about the run or the mock configuration's S3 (Map Run view, S3 pane); JSON text. */
  query(query: Query): Promise<string> {
    return this.ask((seq) => ({ kind: "query", seq, query }));
  }

  /** Runs a whole execution beside the visible one, for the lesson checker: the
   * `Backend.execute` JSON text ("null" if the worker was replaced meanwhile). */
  execute(request: RunRequest): Promise<string> {
    return this.ask((seq) => ({ kind: "execute", seq, request }));
  }

  /** TestState (request and answer as JSON text; "null" if the worker was replaced meanwhile). */
  testState(request: string): Promise<string> {
    return this.ask((seq) => ({ kind: "testState", seq, request }));
  }

  /** Asks the language service (its module loads in the worker on the first question). */
  private async language<T>(question: LanguageQuestion): Promise<T | null> {
    const json = await this.ask((seq) => ({ kind: "language", seq, question }));
    try {
      return JSON.parse(json) as T | null;
    } catch {
      return null;
    }
  }

  /** Completions at `req.offset` of an editor's text, or null. */
  complete(req: LanguageRequest): Promise<CompletionResult | null> {
    return this.language<CompletionResult>({ what: "complete", ...req });
  }

  /** Documentation of what is at `req.offset`, or null. */
  hover(req: LanguageRequest): Promise<HoverResult | null> {
    return this.language<HoverResult>({ what: "hover", ...req });
  }

  /** The function call around `req.offset` and the parameter being typed, or null. */
  signature(req: LanguageRequest): Promise<SignatureResult | null> {
    return this.language<SignatureResult>({ what: "signature", ...req });
  }

  /** Quick fixes for each diagnostic of `req.text`: one list per diagnostic, in order. */
  async quickFixes(req: { doc: LanguageDoc; text: string; diagnostics: AwsDiagnostic[] }): Promise<QuickFix[][]> {
    const fixes = await this.language<QuickFix[][]>({ what: "quickFixes", ...req });
    return Array.isArray(fixes) ? fixes : req.diagnostics.map(() => []);
  }

  start(req: StartRequest) {
    this.post({ kind: "start", ...req });
  }

  step(count = 1) {
    this.post({ kind: "step", count });
  }

  run(batch = 500) {
    this.post({ kind: "run", batch });
  }

  /**
   * Asks the engine to abort the execution (it answers with an ExecutionAborted event). If it
   * has not answered within `graceMs` (stuck inside one step), the worker is terminated and a
   * new one started; `onKilled` is then called.
   */
  stop(graceMs: number, onKilled: () => void) {
    this.post({ kind: "stop" });
    this.clearStopTimer();
    this.stopTimer = setTimeout(() => {
      this.replace();
      onKilled();
    }, graceMs);
  }

  /** The engine answered after a stop: no need to kill it. */
  clearStopTimer() {
    clearTimeout(this.stopTimer);
    this.stopTimer = undefined;
  }
}
