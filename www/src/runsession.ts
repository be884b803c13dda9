// One execution as the playground and the embed run it: the run state machine (idle →
// starting → active → finished), the events received with a cursor over them (Step back and
// Step move it; it follows new events while at the end), the result, the engine's count of
// state transitions, the engine listener's run half, Run/Step/Stop/Reset, and the stop of an
// engine stuck inside one step. DOM-free: each page renders the session in its hooks.

import type { EngineListener } from "./engine";
import type { HistoryEvent, StartRequest } from "./protocol";
import { StepTracker } from "./steps";

/** Where the execution is: none yet (or reset), asked to start, running or paused, over. */
export type Phase = "idle" | "starting" | "active" | "finished";

/** How Run goes on: not at all (paused or stepping), at once in batches, or one event per tick. */
export type Running = "no" | "instant" | "animated";

/** How long a stop may take before the engine's worker is replaced (it is stuck inside a step). */
export const STOP_GRACE_MS = 700;

/** What the session asks of the engine (www/src/engine.ts's Engine has it all). */
export interface RunEngine {
  start(req: StartRequest): void;
  step(count?: number): void;
  run(batch?: number): void;
  /** Aborts; calls `onKilled` if no answer came within `graceMs` (the worker was replaced). */
  stop(graceMs: number, onKilled: () => void): void;
  /** The inspection of the visit entered at that event (JSON text, "null" if none). */
  inspect(enteredEventId: number): Promise<string>;
}

/** The engine listener's run half (the page adds `onReady`). */
export type RunListener = Omit<EngineListener, "onReady">;

/** What a page does when its session changes. Every hook but `changed` is optional. */
export interface RunHooks {
  /** Something changed: render. Called last, after any other hook. */
  changed(): void;
  /** New events arrived (already in `events`); `ended` when the execution is over. */
  received?(batch: HistoryEvent[], ended: boolean): void;
  /** The run's data was cleared (a new start, or Reset): drop what was derived from it. */
  cleared?(): void;
  /** The engine refused to start; `validation` is its validation answer (JSON text) if any. */
  startFailed?(message: string, validation?: string): void;
  /** The engine failed; `restarted` when a new worker has been started in its place. */
  fatal?(message: string, restarted: boolean): void;
  /** A stop was not answered in time: the worker was replaced and the history now ends
   * with an ExecutionAborted event made here (the step it was stuck in never happened). */
  killed?(): void;
  /** Milliseconds between the events of an animated run; 0 (the default) runs at once. */
  speed?(): number;
}

/** The cause of the ExecutionAborted event written when a stuck engine was replaced. */
export const KILLED_CAUSE = `Stopped: the engine did not answer within ${STOP_GRACE_MS / 1000} s, so it was restarted.`;

export class RunSession<E extends RunEngine = RunEngine> {
  /** The engine, made by the constructor's `connect` with this session's listener. */
  readonly engine: E;
  phase: Phase = "idle";
  running: Running = "no";
  /** The events received so far. */
  events: HistoryEvent[] = [];
  /** How many events the view shows (Step back / Step move it; it follows new events at the end). */
  cursor = 0;
  /** The engine's status ("" before the first answer). */
  status = "";
  /** {status, output, error, cause} once the execution has ended. */
  result: Record<string, unknown> | null = null;
  /** State transitions so far as the library counts them (states entered plus retries,
   * `Execution::state_transitions`); null before the engine's first answer. */
  transitions: number | null = null;
  /** The state visits of `events`. */
  readonly tracker = new StepTracker();
  /** Counts executions (and resets), so an answer about an older one is not taken for this one. */
  serial = 0;

  private pending: "run" | "step" = "run";
  private animTimer: ReturnType<typeof setTimeout> | undefined;
  private stopRequested = false;
  /** After Reset, the old execution's last answers are dropped until the next one starts. */
  private discardEvents = false;
  /** The engine's inspections of finished visits, by entered event id (null: asked, or none). */
  private inspections = new Map<number, Record<string, unknown> | null>();

  constructor(
    private hooks: RunHooks,
    connect: (listener: RunListener) => E,
  ) {
    this.engine = connect({
      onStarted: () => this.started(),
      onStartFailed: (message, validation) => this.startFailed(message, validation),
      onEvents: (json, status, result, transitions) => this.receive(json, status, result, transitions),
      onFatal: (message, restarted) => this.fatal(message, restarted),
    });
  }

  /** An execution is starting, or running (or paused between steps). */
  get busy(): boolean {
    return this.phase === "starting" || this.live;
  }

  /** The engine holds an execution that can go on. */
  get live(): boolean {
    return this.phase === "active" && this.status === "RUNNING";
  }

  /** Step back would move the cursor. */
  get canStepBack(): boolean {
    return this.running === "no" && this.cursor > 0;
  }

  /** Runs: on from where a paused execution is, else a new execution from `request()`. */
  run(request: () => StartRequest) {
    if (this.running !== "no" || this.phase === "starting") return;
    if (this.live) {
      this.cursor = this.events.length;
      this.beginRun();
      this.hooks.changed();
    } else this.start("run", request);
  }

  /** One step: pauses an animated run; else shows the next event received, asks the engine
   * for the next one, or starts a new execution from `request()` and takes its first step. */
  step(request: () => StartRequest) {
    if (this.running === "instant") return;
    if (this.running === "animated") {
      this.running = "no";
      clearTimeout(this.animTimer);
      this.hooks.changed();
      return;
    }
    if (this.cursor < this.events.length) {
      this.cursor++;
      this.hooks.changed();
    } else if (this.live) this.engine.step(1);
    else if (this.phase !== "starting") this.start("step", request);
  }

  /** Shows one event less (the engine is not asked). */
  stepBack() {
    if (!this.canStepBack) return;
    this.cursor--;
    this.hooks.changed();
  }

  /** Shows the first `count` events at least (a picked event), unless a run is going on. */
  showUpTo(count: number) {
    if (this.cursor < count && this.running === "no") this.cursor = Math.min(count, this.events.length);
  }

  /** Asks the engine to abort the execution; if it is stuck inside a step, its worker is
   * replaced after STOP_GRACE_MS and the history is ended here (hook `killed`). */
  stop() {
    if (!this.busy) return;
    clearTimeout(this.animTimer);
    this.stopRequested = true;
    this.engine.stop(STOP_GRACE_MS, () => this.killed());
  }

  /** Forgets the execution (stopping it if it runs); its late answers are dropped. */
  reset() {
    clearTimeout(this.animTimer);
    if (this.busy) {
      this.discardEvents = true;
      this.engine.stop(STOP_GRACE_MS, () => undefined);
    }
    this.phase = "idle";
    this.running = "no";
    this.clear();
    this.hooks.changed();
  }

  /**
   * The engine's inspection of the visit entered at event `enteredId`: known, or null. When
   * `ask` (the visit is over) and the engine was not asked yet, asks it once; `arrived` is
   * called when an answer for this execution comes.
   */
  inspection(enteredId: number, ask: boolean, arrived: () => void): Record<string, unknown> | null {
    const known = this.inspections.get(enteredId);
    if (known === undefined && ask) {
      this.inspections.set(enteredId, null); // asked once
      const serial = this.serial;
      void this.engine.inspect(enteredId).then((json) => {
        const found = JSON.parse(json) as Record<string, unknown> | null;
        if (serial !== this.serial || !found) return;
        this.inspections.set(enteredId, found);
        arrived();
      });
    }
    return known ?? null;
  }

  private start(action: "run" | "step", request: () => StartRequest) {
    clearTimeout(this.animTimer);
    this.clear();
    const req = request();
    this.phase = "starting";
    this.pending = action;
    if (action === "run") this.running = this.speed() === 0 ? "instant" : "animated";
    this.engine.start(req);
    this.hooks.changed();
  }

  private clear() {
    this.serial++;
    this.inspections.clear();
    this.events = [];
    this.cursor = 0;
    this.result = null;
    this.status = "";
    this.transitions = null;
    this.tracker.reset();
    this.hooks.cleared?.();
  }

  private speed(): number {
    return this.hooks.speed?.() ?? 0;
  }

  private beginRun() {
    if (this.speed() === 0) {
      this.running = "instant";
      this.engine.run(500);
    } else {
      this.running = "animated";
      this.engine.step(1);
    }
  }

  private started() {
    this.discardEvents = false;
    this.phase = "active";
    this.status = "RUNNING";
    if (this.pending === "step") this.engine.step(1);
    else this.beginRun();
    this.hooks.changed();
  }

  private startFailed(message: string, validation?: string) {
    this.discardEvents = false;
    this.phase = "idle";
    this.running = "no";
    this.hooks.startFailed?.(message, validation);
    this.hooks.changed();
  }

  private receive(json: string, status: string, result?: string, transitions?: number) {
    if (this.discardEvents) return;
    const batch = JSON.parse(json) as HistoryEvent[];
    const following = this.cursor === this.events.length;
    for (const e of batch) this.events.push(e);
    if (following) this.cursor = this.events.length;
    this.status = status;
    if (result) this.result = JSON.parse(result);
    if (transitions !== undefined) this.transitions = transitions;
    this.tracker.advance(this.events, this.events.length);
    const ended = status !== "RUNNING";
    if (ended) {
      this.phase = "finished";
      this.running = "no";
      clearTimeout(this.animTimer);
    } else if (this.running === "animated" && !this.stopRequested) {
      this.animTimer = setTimeout(() => this.engine.step(1), this.speed());
    }
    this.stopRequested = false;
    this.hooks.received?.(batch, ended);
    this.hooks.changed();
  }

  private fatal(message: string, restarted: boolean) {
    this.running = "no";
    clearTimeout(this.animTimer);
    if (this.phase === "starting" || this.phase === "active") {
      this.phase = "finished";
      if (this.status === "RUNNING" || !this.status) this.status = "ABORTED";
    }
    this.hooks.fatal?.(message, restarted);
    this.hooks.changed();
  }

  /** The engine was stuck inside a step and its worker was replaced, so the execution is
   * gone: the history ends as a stopped execution's does, after the last event received. */
  private killed() {
    const last = this.events[this.events.length - 1];
    if (last && last.type !== "ExecutionAborted") {
      const following = this.cursor === this.events.length;
      this.events.push({
        id: last.id + 1,
        previousEventId: last.id,
        timestamp: last.timestamp,
        type: "ExecutionAborted",
        executionAbortedEventDetails: { cause: KILLED_CAUSE },
      });
      if (following) this.cursor = this.events.length;
      this.tracker.advance(this.events, this.events.length);
    }
    this.phase = "finished";
    this.running = "no";
    this.status = "ABORTED";
    this.result = { status: "ABORTED", error: null, cause: KILLED_CAUSE };
    this.hooks.killed?.();
    this.hooks.changed();
  }
}
