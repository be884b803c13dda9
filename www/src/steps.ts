// Turns the history events into steps (one per state visit) and the status of each state,
// the way the graph and the inspector show them; attributes every event to the inline Map
// iteration it ran in (following `previousEventId`, so interleaved Parallel branches and Map
// iterations stay apart). Reads events only; decides no ASL rule.

import type { HistoryEvent } from "./protocol";

/** The `to` of a move that ends an execution, a branch or an iteration. */
export const END = "#end";
/** The key of a move from state `from` ("" for the start) to state `to` (or END). */
export const transitionKey = (from: string, to: string) => `${from}\n${to}`;

/** What the graph shows on a state's node. */
export type NodeStatus = "not-run" | "running" | "succeeded" | "failed" | "caught" | "retried";

/** How an inline Map iteration went. */
export type IterationStatus = "running" | "succeeded" | "caught" | "retried" | "failed" | "aborted";

/** One visit of a state: from its *StateEntered event to its *StateExited event. */
export interface Step {
  index: number;
  name: string;
  stateType: string;
  /** Positions in the events array (not event ids). */
  entered: number;
  exited?: number;
  /** Positions of every event that belongs to this visit (in its own branch or iteration). */
  events: number[];
  failures: number;
  /** The last attempt failed and no success followed it yet. */
  failing: boolean;
  status: NodeStatus;
  /** The state the move into this visit came from ("" for the start). */
  from: string;
  /** The Map or Parallel visit this one ran inside (-1: none). */
  parent: number;
  /** The inline Map iteration this visit ran in (null: none). */
  iteration: Iteration | null;
  /** For a Map visit: its iterations by item index (the latest attempt's when the Map was retried). */
  iterations?: Iteration[];
  /** For a Map visit: the item count its MapStateStarted announced. */
  length?: number;
  /** For a Map visit: how many of its iterations failed. */
  failedIterations?: number;
  /** Visits inside this one that are still running. */
  openInside?: Set<Step>;
}

/** One iteration of an inline Map visit, from its MapIterationStarted event. */
export interface Iteration {
  /** The Map visit. */
  map: Step;
  /** The item's index ($$.Map.Item.Index). */
  index: number;
  /** The iteration the Map visit itself ran in (null: none). */
  parent: Iteration | null;
  status: IterationStatus;
  /** Position of its MapIterationStarted event. */
  started: number;
  /** The visits that ran directly in it. */
  steps: Step[];
  /** The iterations of Maps that ran inside it. */
  inner: Iteration[];
}

/** Builds steps incrementally as events arrive; `reset` starts over. */
export class StepTracker {
  steps: Step[] = [];
  /** For each event (by position), the step it belongs to (-1: the execution itself). */
  eventStep: number[] = [];
  /** Latest step per state name. */
  latest = new Map<string, Step>();
  /** How many times each state was entered. */
  visits = new Map<string, number>();
  /** The moves between states made so far (keys from `transitionKey`). */
  moves = new Set<string>();
  /** For each event, the innermost visit still open in its branch/iteration after it (-1: none). */
  private openAfter: number[] = [];
  /** For each event, the inline Map iteration it ran in. */
  private iterationOf: (Iteration | null)[] = [];
  /** Every visit still running. */
  private running = new Set<Step>();
  /** Event id → position, built only when ids are not their position + 1. */
  private positions: Map<number, number> | null = null;
  private count = 0;

  reset() {
    this.steps = [];
    this.eventStep = [];
    this.latest.clear();
    this.moves.clear();
    this.visits.clear();
    this.openAfter = [];
    this.iterationOf = [];
    this.running.clear();
    this.positions = null;
    this.count = 0;
  }

  /** Folds events[count..upTo) in. */
  advance(events: HistoryEvent[], upTo: number) {
    for (; this.count < upTo && this.count < events.length; this.count++) this.add(events, this.count);
  }

  get processed() {
    return this.count;
  }

  /** The inline Map iteration the event at position `at` ran in (null: none or not folded in yet). */
  iterationAt(at: number): Iteration | null {
    return this.iterationOf[at] ?? null;
  }

  /** The position of the event before the one at `at` in its branch/iteration (-1: none). */
  private previous(events: HistoryEvent[], at: number): number {
    const id = events[at].previousEventId;
    if (id === undefined || id === null) return at - 1; // no chain recorded: the event before it
    if (id <= 0) return -1;
    if (events[id - 1]?.id === id && id - 1 < at) return id - 1;
    if (!this.positions) {
      this.positions = new Map();
      for (let i = 0; i < at; i++) this.positions.set(events[i].id, i);
    }
    for (let i = this.positions.size; i < at; i++) this.positions.set(events[i].id, i);
    const p = this.positions.get(id);
    return p !== undefined && p < at ? p : at - 1;
  }

  /** The name of the state a move into the event after `prev` came from ("" for the start). */
  private cameFrom(events: HistoryEvent[], prev: number): string {
    const e = events[prev];
    if (!e || e.type === "ExecutionStarted") return "";
    if (/StateExited$/.test(e.type)) return stateName(e);
    const s = this.eventStep[prev];
    return s !== undefined && s >= 0 ? this.steps[s].name : "";
  }

  private open(step: Step) {
    this.running.add(step);
    const parent = this.steps[step.parent];
    if (parent) {
      parent.openInside ??= new Set();
      parent.openInside.add(step);
    }
  }

  /** The visit is over: it leaves the running sets, and the visits still open inside it (a Fail
   * state in a failed branch, the iterations a failed Map aborted) end as failed. */
  private close(step: Step) {
    this.running.delete(step);
    this.steps[step.parent]?.openInside?.delete(step);
    const inside = step.openInside;
    step.openInside = undefined;
    if (inside) for (const s of inside) this.fail(s);
    if (step.iterations?.some((it) => it?.status === "running"))
      for (const it of step.iterations) if (it?.status === "running") it.status = "aborted";
  }

  private fail(step: Step) {
    if (step.status === "running") step.status = "failed";
    this.close(step);
  }

  private add(events: HistoryEvent[], at: number) {
    const e = events[at];
    const type = e.type;
    const prev = this.previous(events, at);
    const openBefore = prev >= 0 ? (this.openAfter[prev] ?? -1) : -1;
    const iteration = prev >= 0 ? (this.iterationOf[prev] ?? null) : null;
    const entered = /^(\w+)StateEntered$/.exec(type);
    if (entered) {
      const name = stateName(e);
      const from = this.cameFrom(events, prev);
      this.moves.add(transitionKey(from, name));
      this.visits.set(name, (this.visits.get(name) ?? 0) + 1);
      if (entered[1] === "Fail") this.moves.add(transitionKey(name, END));
      const step: Step = {
        index: this.steps.length,
        name,
        stateType: entered[1],
        entered: at,
        events: [at],
        failures: 0,
        failing: false,
        status: "running",
        from,
        parent: openBefore,
        iteration,
      };
      this.steps.push(step);
      iteration?.steps.push(step);
      this.open(step);
      this.latest.set(name, step);
      this.record(step.index, step.index, iteration);
      return;
    }
    const exited = /^(\w+)StateExited$/.exec(type);
    if (exited) {
      const name = stateName(e);
      let step = this.steps[openBefore];
      while (step && step.name !== name) step = this.steps[step.parent];
      if (!step) {
        this.record(-1, openBefore, iteration);
        return;
      }
      step.exited = at;
      step.events.push(at);
      step.status = step.failing ? "caught" : step.failures > 0 ? "retried" : "succeeded";
      this.close(step);
      // A terminal state's exit goes to the end (the graph has no such edge for the others).
      if (!step.failing) this.moves.add(transitionKey(name, END));
      this.record(step.index, step.parent, iteration);
      return;
    }
    if (type.startsWith("Execution")) {
      this.record(-1, openBefore, iteration);
      if (type === "ExecutionFailed" || type === "ExecutionTimedOut" || type === "ExecutionAborted")
        for (const s of [...this.running]) this.fail(s);
      return;
    }
    const mapIteration = /^MapIteration(Started|Succeeded|Failed|Aborted)$/.exec(type);
    if (mapIteration) {
      this.iterationEvent(events, at, mapIteration[1], openBefore, iteration);
      return;
    }
    const top = this.steps[openBefore];
    this.record(top ? top.index : -1, openBefore, iteration);
    if (!top) return;
    top.events.push(at);
    if (type === "MapStateStarted") {
      const length = Number((eventDetails(e) as { length?: unknown } | undefined)?.length);
      if (Number.isFinite(length)) top.length = length;
    }
    if (/(Failed|TimedOut)$/.test(type)) {
      top.failures++;
      top.failing = true;
      top.status = "failed";
    } else if (top.failing && /(Scheduled|Started)$/.test(type) && !/^(Map|Parallel)State/.test(type)) {
      top.failing = false;
      top.status = "retried";
    } else if (/Succeeded$/.test(type)) {
      top.failing = false;
    }
  }

  /** MapIterationStarted opens an iteration of the Map visit it chains from; the others end the
   * iteration they chain from (its visits still open end as failed when it failed). */
  private iterationEvent(
    events: HistoryEvent[],
    at: number,
    what: string,
    openBefore: number,
    iteration: Iteration | null,
  ) {
    if (what === "Started") {
      const map = this.steps[openBefore];
      if (!map) {
        this.record(-1, openBefore, iteration);
        return;
      }
      const index = Number((eventDetails(events[at]) as { index?: unknown } | undefined)?.index);
      const it: Iteration = {
        map,
        index: Number.isInteger(index) && index >= 0 ? index : (map.iterations?.length ?? 0),
        parent: iteration,
        status: "running",
        started: at,
        steps: [],
        inner: [],
      };
      map.iterations ??= [];
      if (it.index < 1e7) map.iterations[it.index] = it;
      iteration?.inner.push(it);
      map.events.push(at);
      this.record(map.index, map.index, it);
      return;
    }
    if (!iteration) {
      this.record(-1, openBefore, iteration);
      return;
    }
    const map = iteration.map;
    // What was still open in the iteration's own fiber ends with it.
    for (let s = this.steps[openBefore]; s && s !== map; s = this.steps[s.parent]) this.fail(s);
    if (iteration.status === "running") {
      if (what === "Succeeded") {
        const handled = iteration.steps.map((s) => s.status);
        iteration.status = handled.includes("caught")
          ? "caught"
          : handled.includes("retried")
            ? "retried"
            : "succeeded";
      } else {
        iteration.status = what === "Failed" ? "failed" : "aborted";
        if (what === "Failed") map.failedIterations = (map.failedIterations ?? 0) + 1;
      }
    }
    map.events.push(at);
    this.record(map.index, map.index, iteration.parent);
  }

  private record(step: number, openAfter: number, iteration: Iteration | null) {
    this.eventStep.push(step);
    this.openAfter.push(openAfter);
    this.iterationOf.push(iteration);
  }
}
/** The state name in a *StateEntered or *StateExited event. */
function stateName(e: HistoryEvent): string {
  const d = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
  return String(d?.name ?? "?");
}

/** The parsed value of a JSON text field of an event, or the text when it is not JSON. */
export function parseField(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The details object of an event (its one `*EventDetails` member). */
export function eventDetails(e: HistoryEvent): Record<string, unknown> | undefined {
  for (const [k, v] of Object.entries(e))
    if (k.endsWith("EventDetails") && v && typeof v === "object") return v as Record<string, unknown>;
  return undefined;
}

/** Milliseconds since the epoch of an event's timestamp (epoch seconds, ms, or ISO text). */
export function eventTime(e: HistoryEvent): number {
  const t = e.timestamp;
  if (typeof t === "number") return t > 1e11 ? t : t * 1000;
  const ms = Date.parse(String(t));
  return Number.isNaN(ms) ? 0 : ms;
}
