// Turns the history events into steps (one per state visit) and the status of each state,
// the way the graph and the inspector show them. Reads events only; decides no ASL rule.

import type { HistoryEvent } from "./protocol";

/** The `to` of a move that ends an execution, a branch or an iteration. */
export const END = "#end";
/** The key of a move from state `from` ("" for the start) to state `to` (or END). */
export const transitionKey = (from: string, to: string) => `${from}\n${to}`;

/** What the graph shows on a state's node. */
export type NodeStatus = "not-run" | "running" | "succeeded" | "failed" | "caught" | "retried";

/** One visit of a state: from its *StateEntered event to its *StateExited event. */
export interface Step {
  index: number;
  name: string;
  stateType: string;
  /** Positions in the events array (not event ids). */
  entered: number;
  exited?: number;
  /** Positions of every event that happened while this was the innermost open step. */
  events: number[];
  failures: number;
  /** The last attempt failed and no success followed it yet. */
  failing: boolean;
  status: NodeStatus;
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
  private open: Step[] = [];
  private count = 0;

  reset() {
    this.steps = [];
    this.eventStep = [];
    this.latest.clear();
    this.moves.clear();
    this.visits.clear();
    this.open = [];
    this.count = 0;
  }

  /** Folds events[count..upTo) in. */
  advance(events: HistoryEvent[], upTo: number) {
    for (; this.count < upTo && this.count < events.length; this.count++) this.add(events, this.count);
  }

  get processed() {
    return this.count;
  }

  /** The name of the state a move into event `e` came from ("" for the start). */
  private cameFrom(events: HistoryEvent[], e: HistoryEvent): string {
    let at = (e.previousEventId ?? 0) - 1;
    if (events[at]?.id !== e.previousEventId) at = events.findIndex((x) => x.id === e.previousEventId);
    const prev = events[at];
    if (!prev || prev.type === "ExecutionStarted") return "";
    if (/StateExited$/.test(prev.type)) return stateName(prev);
    const s = this.eventStep[at];
    return s !== undefined && s >= 0 ? this.steps[s].name : "";
  }

  private add(events: HistoryEvent[], at: number) {
    const e = events[at];
    const type = e.type;
    const entered = /^(\w+)StateEntered$/.exec(type);
    if (entered) {
      const name = stateName(e);
      this.moves.add(transitionKey(this.cameFrom(events, e), name));
      this.visits.set(name, (this.visits.get(name) ?? 0) + 1);
      if (entered[1] === "Fail") this.moves.add(transitionKey(name, END));
      const step: Step = { index: this.steps.length, name, stateType: entered[1], entered: at, events: [at], failures: 0, failing: false, status: "running" };
      this.steps.push(step);
      this.open.push(step);
      this.latest.set(name, step);
      this.eventStep.push(step.index);
      return;
    }
    const exited = /^(\w+)StateExited$/.exec(type);
    if (exited) {
      const name = stateName(e);
      let i = this.open.length - 1;
      while (i >= 0 && this.open[i].name !== name) i--;
      if (i < 0) {
        this.eventStep.push(-1);
        return;
      }
      const step = this.open[i];
      // Steps still open inside it (a Fail state in a caught branch) end with it.
      for (const inner of this.open.splice(i)) if (inner !== step && inner.status === "running") inner.status = "failed";
      step.exited = at;
      step.events.push(at);
      step.status = step.failing ? "caught" : step.failures > 0 ? "retried" : "succeeded";
      // A terminal state's exit goes to the end (the graph has no such edge for the others).
      if (!step.failing) this.moves.add(transitionKey(name, END));
      this.eventStep.push(step.index);
      return;
    }
    const top = this.open[this.open.length - 1];
    this.eventStep.push(top && !type.startsWith("Execution") ? top.index : -1);
    if (type === "ExecutionFailed" || type === "ExecutionTimedOut" || type === "ExecutionAborted") {
      for (const s of this.open) s.status = "failed";
      this.open = [];
      return;
    }
    if (!top) return;
    top.events.push(at);
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
  for (const [k, v] of Object.entries(e)) if (k.endsWith("EventDetails") && v && typeof v === "object") return v as Record<string, unknown>;
  return undefined;
}

/** Milliseconds since the epoch of an event's timestamp (epoch seconds, ms, or ISO text). */
export function eventTime(e: HistoryEvent): number {
  const t = e.timestamp;
  if (typeof t === "number") return t > 1e11 ? t : t * 1000;
  const ms = Date.parse(String(t));
  return Number.isNaN(ms) ? 0 : ms;
}
