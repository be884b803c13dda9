// The Map iteration navigator: for each inline Map that ran, a compact "Iteration ◀ 3 ▶ of 10"
// control above the graph. Choosing an iteration makes the graph show the states inside that
// Map's item processor as they went in that iteration only (status, taken edges, visit counts),
// and clicking such a state selects that iteration's visit. Nested Maps get one control per
// level, the inner one scoped to the chosen outer iteration. The same bar shows the branches of
// each Parallel visit in view (www/src/branches.ts). Reads the StepTracker only.

import { BranchNavigator, STATUS_TEXT, showAfter } from "./branches";
import type { GraphModel } from "./graph";
import { END, transitionKey, type Iteration, type NodeStatus, type Step, type StepTracker } from "./steps";

/** Where a state's visits are looked up: everywhere (null), one iteration's subtree, or nowhere
 * (the chosen iteration has not started). */
type Scope = Iteration | null | "none";

/** What one iteration's subtree holds, per state name. */
interface Subtree {
  latest: Map<string, Step>;
  visits: Map<string, number>;
  steps: Step[];
}

/** The scopes of one look at a tracker. */
interface Resolved {
  /** Per Map name: its visit in view (the latest one in its enclosing scope). */
  mapStep: Map<string, Step | undefined>;
  /** Per Map name: the scope of the states directly in its item processor. */
  inner: Map<string, Scope>;
  subtrees: Map<Iteration, Subtree>;
}

/** What the graph shows, with the chosen iterations applied. */
export interface GraphState {
  statuses: Map<string, NodeStatus>;
  moves: Set<string>;
  visits: Map<string, number>;
  /** Per Map name: the note for its item processor's corner. */
  notes: Map<string, string>;
}

/** The DOM of one Map's control. */
interface Control {
  group: HTMLDivElement;
  all: HTMLButtonElement;
  prev: HTMLButtonElement;
  next: HTMLButtonElement;
  input: HTMLInputElement;
  count: HTMLSpanElement;
  status: HTMLOutputElement;
  failed: HTMLButtonElement;
  /** The Map visit and failure count the failed button's title was made for. */
  failedFor?: [Step, number];
}

/** The Map iteration navigator of the page's graph pane. */
export class MapNavigator {
  /** State name → the innermost Map whose item processor holds it. */
  private mapOf = new Map<string, string>();
  /** The Map states, outer ones before the ones inside them. */
  private maps: string[] = [];
  private names: string[] = [];
  /** Map name → the chosen item index (absent: all iterations, latest visit). */
  private chosen = new Map<string, number>();
  private controls = new Map<string, Control>();
  private serial = 0;
  private branches: BranchNavigator;

  /** `onSelectStep` is told the step a click on a Parallel branch selects. */
  constructor(
    private host: HTMLElement,
    private onChange: () => void,
    onSelectStep: (step: Step) => void = () => {},
  ) {
    this.branches = new BranchNavigator(host, onSelectStep);
  }

  /** Takes the Map structure of a (re)drawn graph; forgets choices of Maps no longer there. */
  setGraph(model: GraphModel) {
    this.mapOf.clear();
    this.names = [];
    this.maps = [];
    for (const n of model.nodes) {
      if (n.kind !== "state") continue;
      this.names.push(n.name);
      if (n.map !== undefined) this.mapOf.set(n.name, n.map);
      if (n.type === "Map") this.maps.push(n.name);
    }
    for (const m of [...this.chosen.keys()]) if (!this.maps.includes(m)) this.chosen.delete(m);
    for (const [m, c] of this.controls) {
      if (this.maps.includes(m)) continue;
      c.group.remove();
      this.controls.delete(m);
    }
    this.branches.setGraph(model);
  }

  /** Back to "All (latest)" everywhere (a new execution). */
  reset() {
    this.chosen.clear();
  }

  /** The chosen item index of a Map (null: all). */
  chosenIndex(map: string): number | null {
    return this.chosen.get(map) ?? null;
  }

  /** Chooses an iteration of a Map (null: all) and tells the page. */
  choose(map: string, index: number | null) {
    if (this.chosenIndex(map) === index) return;
    if (index === null) this.chosen.delete(map);
    else this.chosen.set(map, index);
    this.onChange();
  }

  /** Moves the Maps showing one iteration to the iterations `step` ran in (stepping, history
   * picks); returns whether a choice changed. */
  follow(step: Step | undefined): boolean {
    let changed = false;
    for (let it = step?.iteration ?? null; it; it = it.parent) {
      const map = it.map.name;
      if (this.chosen.has(map) && this.chosen.get(map) !== it.index) {
        this.chosen.set(map, it.index);
        changed = true;
      }
    }
    return changed;
  }

  /** The iterations a visit ran in, outermost first: "Outer #2 › Inner #0" ("" for none). */
  describe(step: Step): string {
    const parts: string[] = [];
    for (let it = step.iteration; it; it = it.parent) parts.unshift(`${it.map.name} #${it.index}`);
    return parts.join(" › ");
  }

  /** The visit of a state that clicking its node selects: the latest one in its scope. */
  stepFor(t: StepTracker, name: string): Step | undefined {
    const r = this.resolve(t);
    return this.latestIn(t, r, this.scopeOf(r, name), name);
  }

  /** The graph's statuses, taken moves, visit counts and processor notes. */
  view(t: StepTracker): GraphState {
    const r = this.resolve(t);
    const statuses = new Map<string, NodeStatus>();
    const visits = new Map<string, number>();
    const notes = new Map<string, string>();
    const scoped = new Map<string, Scope>();
    for (const name of this.names) {
      const scope = this.scopeOf(r, name);
      if (scope !== null) scoped.set(name, scope);
      const s = this.latestIn(t, r, scope, name);
      if (s) statuses.set(name, s.status);
      const n = scope === null ? t.visits.get(name) : scope === "none" ? 0 : this.subtree(r, scope).visits.get(name);
      if (n) visits.set(name, n);
    }
    if (!scoped.size) return { statuses, moves: t.moves, visits, notes };
    const moves = new Set<string>();
    for (const m of t.moves) {
      const [from, to] = m.split("\n");
      if (!scoped.has(to === END ? from : to)) moves.add(m);
    }
    const done = new Set<Iteration>();
    for (const scope of scoped.values()) {
      if (scope === null || scope === "none" || done.has(scope)) continue;
      done.add(scope);
      for (const s of this.subtree(r, scope).steps) {
        if (scoped.get(s.name) !== scope) continue;
        moves.add(transitionKey(s.from, s.name));
        if (s.stateType === "Fail" || (s.exited !== undefined && s.status !== "caught"))
          moves.add(transitionKey(s.name, END));
      }
    }
    for (const map of this.maps) {
      const index = this.chosen.get(map);
      if (index === undefined) continue;
      const it = r.inner.get(map);
      notes.set(map, `#${index} · ${it && it !== "none" ? it.status : "not started"}`);
    }
    return { statuses, moves, visits, notes };
  }

  /** Shows one control per Map that has iterations in view, then the branches of each Parallel
   * visit in view; `selected` marks its Map's control and its branch. */
  render(t: StepTracker, selected?: Step) {
    const r = this.resolve(t);
    let anyShown = false;
    let before: HTMLElement | null = null;
    for (const map of this.maps) {
      const step = r.mapStep.get(map);
      const total = step ? Math.max(step.length ?? 0, step.iterations?.length ?? 0) : 0;
      let c = this.controls.get(map);
      if (!step || !total) {
        if (c) c.group.hidden = true;
        continue;
      }
      c ??= this.build(map);
      // Keep the controls in the graph's order (outer Maps first).
      showAfter(this.host, c.group, before);
      before = c.group;
      anyShown = true;
      this.update(c, map, step, total, r, selected);
    }
    if (this.branches.render(t, (name) => this.latestIn(t, r, this.scopeOf(r, name), name), before, selected))
      anyShown = true;
    this.host.hidden = !anyShown;
  }

  private build(map: string): Control {
    const id = `map-nav-${this.serial++}`;
    const group = document.createElement("div");
    group.className = "map-nav-group";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", `Map iterations: ${map}`);
    const name = document.createElement("span");
    name.className = "map-nav-name";
    name.textContent = map;
    name.title = `Iterations of the Map state "${map}"`;
    const button = (text: string, label: string, cls = "") => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.title = label;
      if (cls) b.className = cls;
      return b;
    };
    const all = button("All", "All iterations (latest)", "map-nav-all");
    const prev = button("◀", "Previous iteration");
    const next = button("▶", "Next iteration");
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Iteration";
    const input = document.createElement("input");
    input.id = id;
    input.type = "number";
    input.min = "0";
    input.step = "1";
    input.placeholder = "all";
    input.className = "map-nav-index";
    const count = document.createElement("span");
    count.className = "map-nav-count";
    const status = document.createElement("output");
    status.className = "map-nav-status";
    status.setAttribute("aria-live", "polite");
    const failed = button("Next failed", "Next failed iteration", "map-nav-failed");
    group.append(name, label, prev, input, next, count, all, status, failed);
    const c: Control = { group, all, prev, next, input, count, status, failed };
    const last = () => Math.max(0, Number(input.max));
    all.addEventListener("click", () => this.choose(map, null));
    prev.addEventListener("click", () => {
      const i = this.chosenIndex(map);
      this.choose(map, i === null ? last() : Math.max(0, i - 1));
    });
    next.addEventListener("click", () => {
      const i = this.chosenIndex(map);
      this.choose(map, i === null ? 0 : Math.min(last(), i + 1));
    });
    input.addEventListener("input", () => {
      const text = input.value.trim();
      const n = Number(text);
      const ok = text === "" || (Number.isInteger(n) && n >= 0 && n <= last());
      input.setAttribute("aria-invalid", String(!ok));
      if (ok) this.choose(map, text === "" ? null : n);
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") this.choose(map, null);
    });
    failed.addEventListener("click", () => {
      const target = this.nextFailed(c, map);
      if (target !== null) this.choose(map, target);
    });
    this.controls.set(map, c);
    return c;
  }

  /** The next failed iteration after the chosen one (wrapping), or null. */
  private nextFailed(c: Control, map: string): number | null {
    const its = c.failedFor?.[0].iterations;
    if (!its) return null;
    const from = this.chosenIndex(map) ?? -1;
    for (let k = 1; k <= its.length; k++) {
      const i = (from + k) % its.length;
      if (its[i]?.status === "failed") return i;
    }
    return null;
  }

  private update(c: Control, map: string, step: Step, total: number, r: Resolved, selected?: Step) {
    const index = this.chosenIndex(map);
    const setText = (e: HTMLElement, text: string) => {
      if (e.textContent !== text) e.textContent = text;
    };
    const max = String(total - 1);
    if (c.input.max !== max) c.input.max = max;
    const shown = index === null ? "" : String(index);
    if (document.activeElement !== c.input && c.input.value !== shown) {
      c.input.value = shown;
      c.input.removeAttribute("aria-invalid");
    }
    c.all.setAttribute("aria-pressed", String(index === null));
    c.prev.disabled = index === 0;
    c.next.disabled = index === total - 1;
    setText(c.count, `of ${total.toLocaleString("en-US")}`);
    const started = step.iterations?.length ?? 0;
    const it = r.inner.get(map);
    let status: string;
    let kind: string;
    if (index === null) {
      kind = "all";
      status = started < total ? `latest · ${started.toLocaleString("en-US")} started` : "latest of each state";
    } else if (it && it !== "none") {
      kind = it.status;
      status = STATUS_TEXT[it.status];
    } else {
      kind = "not-run";
      status = "not started";
    }
    setText(c.status, status);
    c.status.dataset.status = kind;
    const failures = step.failedIterations ?? 0;
    c.failed.disabled = failures === 0;
    setText(c.failed, failures ? `Next failed (${failures.toLocaleString("en-US")})` : "No failed");
    // Its name holds the words it shows (WCAG 2.5.3).
    const name = failures ? "Next failed iteration" : "No failed iteration";
    if (c.failed.getAttribute("aria-label") !== name) c.failed.setAttribute("aria-label", name);
    if (c.failedFor?.[0] !== step || c.failedFor[1] !== failures) {
      c.failedFor = [step, failures];
      const list: number[] = [];
      for (const x of step.iterations ?? []) if (x?.status === "failed" && list.push(x.index) >= 20) break;
      c.failed.title = failures
        ? `Failed iterations: ${list.join(", ")}${failures > list.length ? ", …" : ""}`
        : "No iteration failed";
    }
    let current = false;
    for (let name = selected?.name; name !== undefined; name = this.mapOf.get(name)) if (name === map) current = true;
    c.group.classList.toggle("current", current);
  }

  // ---- scopes -------------------------------------------------------------------------------

  /** Resolves, outer Maps first, each Map's visit in view and the scope of its item processor. */
  private resolve(t: StepTracker): Resolved {
    const r: Resolved = { mapStep: new Map(), inner: new Map(), subtrees: new Map() };
    for (const map of this.maps) {
      const outer = this.scopeOf(r, map);
      const step = this.latestIn(t, r, outer, map);
      r.mapStep.set(map, step);
      const index = this.chosen.get(map);
      r.inner.set(map, index === undefined ? outer : (step?.iterations?.[index] ?? "none"));
    }
    return r;
  }

  /** The scope a state's visits are looked up in. */
  private scopeOf(r: Resolved, name: string): Scope {
    const map = this.mapOf.get(name);
    return map === undefined ? null : (r.inner.get(map) ?? null);
  }

  private latestIn(t: StepTracker, r: Resolved, scope: Scope, name: string): Step | undefined {
    if (scope === null) return t.latest.get(name);
    if (scope === "none") return undefined;
    return this.subtree(r, scope).latest.get(name);
  }

  /** Every visit in an iteration and in the iterations nested in it (computed once per look). */
  private subtree(r: Resolved, it: Iteration): Subtree {
    let s = r.subtrees.get(it);
    if (s) return s;
    s = { latest: new Map(), visits: new Map(), steps: [] };
    const stack = [it];
    for (let x = stack.pop(); x; x = stack.pop()) {
      for (const step of x.steps) s.steps.push(step);
      for (const inner of x.inner) stack.push(inner);
    }
    s.steps.sort((a, b) => a.index - b.index);
    for (const step of s.steps) {
      s.latest.set(step.name, step);
      s.visits.set(step.name, (s.visits.get(step.name) ?? 0) + 1);
    }
    r.subtrees.set(it, s);
    return s;
  }
}
