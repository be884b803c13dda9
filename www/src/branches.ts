// The Parallel branch navigator: for each Parallel state whose visit is in view (the latest one,
// or the one inside the Map iterations the Map navigator has chosen), a compact group in the
// navigator bar with one button per branch telling how that branch went in that visit. Clicking
// a branch selects its most relevant step (its first failed step, otherwise its last one).
// Which branch a state is in comes from the graph's clusters; reads the StepTracker only.

import type { GraphModel } from "./graph";
import { END, type IterationStatus, type Step, type StepTracker } from "./steps";

/** How one branch of a Parallel visit went. */
export type BranchStatus = IterationStatus | "not-run";

/** One branch of a Parallel visit, as the navigator shows it. */
export interface BranchView {
  status: BranchStatus;
  /** The visits that ran directly in the branch (the latest attempt's when the Parallel was retried). */
  steps: Step[];
  /** The visit clicking the branch selects (none when the branch has not started). */
  target?: Step;
}

/** What the navigator says about a status (Map iterations and Parallel branches alike). */
export const STATUS_TEXT: Record<string, string> = {
  running: "running",
  succeeded: "succeeded",
  caught: "succeeded (caught an error)",
  retried: "succeeded (after a retry)",
  failed: "failed",
  aborted: "aborted",
  "not-run": "not started",
};

/** A mark that repeats a branch's status without colour. */
const STATUS_MARK: Record<BranchStatus, string> = {
  running: "…",
  succeeded: "✓",
  caught: "✓",
  retried: "✓",
  failed: "✗",
  aborted: "⊘",
  "not-run": "–",
};

/** The Parallel structure of a definition, from its graph. */
interface ParallelShape {
  name: string;
  /** Per branch: the name the button shows ("Branch N" or a short StartAt name). */
  labels: string[];
}

/** The DOM of one Parallel's group. */
interface Group {
  group: HTMLDivElement;
  buttons: HTMLButtonElement[];
  /** What each button selects when clicked. */
  targets: (Step | undefined)[];
}

/** Longest StartAt name a branch button shows instead of "Branch N". */
const SHORT_NAME = 14;

/** Shows `group` in the bar `host` right after `before` (first when null), keeping the
 * groups in the graph's order; moves it only when it is not there yet. */
export function showAfter(host: HTMLElement, group: HTMLElement, before: HTMLElement | null) {
  if (group.parentNode !== host || group.previousElementSibling !== before)
    before ? before.after(group) : host.prepend(group);
  group.hidden = false;
}

/** The Parallel branch groups of the navigator bar. */
export class BranchNavigator {
  /** State name → the innermost Parallel branch holding it. */
  private branchOf = new Map<string, { parallel: string; index: number }>();
  /** The Parallel states, outer ones before the ones inside them. */
  private parallels: ParallelShape[] = [];
  /** States whose exit ends their branch or machine (End, Succeed, Fail). */
  private terminal = new Set<string>();
  private groups = new Map<string, Group>();

  constructor(
    private host: HTMLElement,
    private onSelectStep: (step: Step) => void,
  ) {}

  /** Takes the Parallel structure of a (re)drawn graph. */
  setGraph(model: GraphModel) {
    this.branchOf.clear();
    this.terminal.clear();
    this.parallels = [];
    const clusters = new Map(model.clusters.map((c) => [c.id, c]));
    const counts = new Map<string, number>();
    for (const { branch } of model.clusters)
      if (branch) counts.set(branch.parallel, Math.max(counts.get(branch.parallel) ?? 0, branch.index + 1));
    for (const n of model.nodes) {
      if (n.kind !== "state") continue;
      // The innermost branch cluster above the node (a Parallel or Map node sits in its own cluster).
      for (let c = n.parent; c !== undefined; c = clusters.get(c)?.parent) {
        const place = clusters.get(c)?.branch;
        if (place) {
          this.branchOf.set(n.name, place);
          break;
        }
      }
    }
    for (const e of model.edges) {
      const [from, to] = e.transition.split("\n");
      if (to === END) this.terminal.add(from);
    }
    for (const n of model.nodes) {
      const count = counts.get(n.name);
      if (n.kind !== "state" || n.type !== "Parallel" || count === undefined) continue;
      const labels = Array.from({ length: count }, (_, i) => `Branch ${i + 1}`);
      for (const e of model.edges) {
        if (e.kind !== "branch" || e.from !== n.id) continue;
        const start = e.transition.split("\n")[1] ?? "";
        const place = this.branchOf.get(start);
        if (place?.parallel === n.name && start.length <= SHORT_NAME) labels[place.index] = start;
      }
      this.parallels.push({ name: n.name, labels });
    }
    for (const [name, g] of this.groups) {
      if (this.parallels.some((p) => p.name === name)) continue;
      g.group.remove();
      this.groups.delete(name);
    }
  }

  /** How each branch of a Parallel visit went. */
  branches(t: StepTracker, p: Step, count: number): BranchView[] {
    const steps: Step[][] = Array.from({ length: count }, () => []);
    const end = p.exited ?? Infinity;
    for (let i = p.index + 1; i < t.steps.length; i++) {
      const s = t.steps[i];
      if (s.entered > end) break;
      if (s.parent !== p.index) continue;
      const place = this.branchOf.get(s.name);
      if (place?.parallel !== p.name || place.index >= count) continue;
      // A move from the Parallel itself starts a branch: a retried Parallel runs every branch again.
      if (s.from === p.name) steps[place.index] = [];
      steps[place.index].push(s);
    }
    const open = (p.exited === undefined && p.status !== "failed") || (p.openInside?.size ?? 0) > 0;
    return steps.map((list) => {
      const last = list.at(-1);
      if (!last) return { status: "not-run", steps: list };
      const failed = list.find((s) => s.status === "failed");
      if (failed)
        return {
          status: failed.failures > 0 || failed.stateType === "Fail" ? "failed" : "aborted",
          steps: list,
          target: failed,
        };
      const ended = last.exited !== undefined && last.status !== "caught" && this.terminal.has(last.name);
      const status: BranchStatus =
        last.status === "running" || (!ended && open)
          ? "running"
          : !ended
            ? "aborted"
            : list.some((s) => s.status === "caught")
              ? "caught"
              : list.some((s) => s.status === "retried")
                ? "retried"
                : "succeeded";
      return { status, steps: list, target: last };
    });
  }

  /** Shows, after `before` (or first), a group per Parallel whose visit `visitOf` finds;
   * `selected` marks the branch it ran in. Returns whether any group is shown. */
  render(
    t: StepTracker,
    visitOf: (name: string) => Step | undefined,
    before: HTMLElement | null,
    selected?: Step,
  ): boolean {
    let any = false;
    for (const shape of this.parallels) {
      const p = visitOf(shape.name);
      let g = this.groups.get(shape.name);
      if (!p) {
        if (g) g.group.hidden = true;
        continue;
      }
      g ??= this.build(shape);
      showAfter(this.host, g.group, before);
      before = g.group;
      any = true;
      let current = -1;
      for (let s = selected; s; s = t.steps[s.parent]) {
        if (s.parent !== p.index) continue;
        current = this.branchOf.get(s.name)?.index ?? -1;
        break;
      }
      for (const [i, b] of this.branches(t, p, shape.labels.length).entries())
        this.update(g, shape, i, b, i === current);
      g.group.classList.toggle("current", current >= 0 || selected === p);
    }
    return any;
  }

  private build(shape: ParallelShape): Group {
    const group = document.createElement("div");
    group.className = "map-nav-group branch-nav-group";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", `Parallel branches: ${shape.name}`);
    const name = document.createElement("span");
    name.className = "map-nav-name";
    name.textContent = shape.name;
    name.title = `Branches of the Parallel state "${shape.name}"`;
    group.append(name);
    const g: Group = { group, buttons: [], targets: [] };
    shape.labels.forEach((label, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "branch-nav-branch";
      const mark = document.createElement("span");
      mark.className = "branch-nav-mark";
      mark.setAttribute("aria-hidden", "true");
      const text = document.createElement("span");
      text.textContent = label;
      const note = document.createElement("span");
      note.className = "branch-nav-note";
      b.append(mark, text, note);
      b.addEventListener("click", () => {
        const step = g.targets[i];
        if (step) this.onSelectStep(step);
      });
      g.buttons.push(b);
      group.append(b);
    });
    this.groups.set(shape.name, g);
    return g;
  }

  private update(g: Group, shape: ParallelShape, i: number, b: BranchView, current: boolean) {
    const button = g.buttons[i];
    if (!button) return;
    g.targets[i] = b.target;
    const label = shape.labels[i];
    const noted = b.status === "caught" ? "caught" : b.status === "retried" ? "retried" : "";
    // The words the button shows come first, in order (WCAG 2.5.3), then where it is and its status:
    // "Orders, branch 2 of Fetch both: succeeded", "Branch 2, caught, of Fetch both: ...".
    const numbered = label === `Branch ${i + 1}`;
    const shown = noted ? `${label}, ${noted},` : numbered ? label : `${label},`;
    const place = numbered ? `of ${shape.name}` : `branch ${i + 1} of ${shape.name}`;
    const text = `${shown} ${place}: ${STATUS_TEXT[b.status]}`;
    if (button.getAttribute("aria-label") !== text) {
      button.setAttribute("aria-label", text);
      button.dataset.status = b.status;
      const [mark, , note] = button.children;
      mark.textContent = STATUS_MARK[b.status];
      note.textContent = noted;
    }
    const title = b.target ? `${text}. Click to inspect ${b.target.name}.` : text;
    if (button.title !== title) button.title = title;
    button.disabled = !b.target;
    button.classList.toggle("current", current);
  }
}
