// The Map Run view, like the AWS console's: each distributed Map run of the execution with
// its ARN, status and item counts, a paged table of its child executions (filtered by
// status), and the history, input and output of the child picked. Everything is asked of the
// worker a page at a time, so a run of 100,000 children never reaches the page whole.

import type { HistoryEvent, Query } from "./protocol";
import { HistoryTable, cut } from "./history";
import { StepTracker } from "./steps";
import { button, count, el, scrollableByKeyboard } from "./dom";

/** Children per page of the table. */
export const PAGE_SIZE = 100;
/** How often a visible view asks again while the execution runs. */
const POLL_MS = 300;

/** DescribeMapRun's itemCounts. */
export interface ItemCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
}

/** One map run as the worker describes it (`Session::map_runs`). */
export interface MapRun {
  mapRunArn: string;
  mapState: string | null;
  status: string;
  startedEventId: number;
  parent: { mapRunArn: string; index: number } | null;
  startDate: number;
  stopDate: number | null;
  error: string | null;
  cause: string | null;
  itemCounts: ItemCounts;
}

interface ChildRow {
  index: number;
  name: string;
  status: string;
  startDate: number;
  stopDate: number | null;
}

interface ChildExecution {
  name: string;
  status: string;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  events: HistoryEvent[];
}

/** What the view needs from the page. */
export interface MapRunHost {
  query(q: Query): Promise<string>;
  /** Changes with every new execution, so answers about an older one are dropped. */
  runSerial(): number;
  /** The execution is still running (the view keeps asking while it is visible). */
  running(): boolean;
  /** A run has started since the last reset (before one, there is nothing to ask about). */
  hasRun(): boolean;
  /** The execution's start (ms), from which times are shown. */
  startTime(): number;
  /** The view wants to be shown (a link to a map run was followed). */
  show(): void;
}

const COUNT_LABELS: [keyof ItemCounts, string][] = [
  ["pending", "Pending"],
  ["running", "Running"],
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["timedOut", "Timed out"],
  ["aborted", "Aborted"],
  ["total", "Total"],
];

const STATUS_FILTERS: [string, string][] = [
  ["", "All statuses"],
  ["RUNNING", "Running"],
  ["SUCCEEDED", "Succeeded"],
  ["FAILED", "Failed"],
  ["TIMED_OUT", "Timed out"],
  ["ABORTED", "Aborted"],
];

/** The ARN of the map run an event started (a MapRunStarted event), if it is one. */
export function startedMapRun(e: HistoryEvent | undefined): string | null {
  if (e?.type !== "MapRunStarted") return null;
  const d = e.mapRunStartedEventDetails as { mapRunArn?: unknown } | undefined;
  return typeof d?.mapRunArn === "string" ? d.mapRunArn : null;
}

/** The last part of a map run ARN (`label:uuid`), short enough for a list. */
const shortArn = (arn: string) => arn.slice(arn.indexOf(":mapRun:") >= 0 ? arn.indexOf("/") + 1 : 0);

export class MapRunView {
  private runs: MapRun[] = [];
  private selected: string | null = null;
  private filter = "";
  private offset = 0;
  private page: { matching: number; children: ChildRow[] } = { matching: 0, children: [] };
  private child: { index: number; data: ChildExecution | null } | null = null;
  private visible = false;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  /** MapRunStarted events seen in the execution's own history (the tab's count until asked). */
  private startedSeen = 0;
  private asking = false;
  private askAgain = false;

  private head: HTMLElement;
  private runPicker: HTMLSelectElement;
  private summary: HTMLElement;
  private filterSelect: HTMLSelectElement;
  private pageLabel: HTMLElement;
  private prevBtn: HTMLButtonElement;
  private nextBtn: HTMLButtonElement;
  private firstBtn: HTMLButtonElement;
  private lastBtn: HTMLButtonElement;
  private tbody: HTMLTableSectionElement;
  private childHead: HTMLElement;
  private childIo: HTMLElement;
  private childEvents: HistoryEvent[] = [];
  private childTracker = new StepTracker();
  private childHistory: HistoryTable;
  private body: HTMLElement;
  private empty: HTMLElement;

  constructor(
    host: HTMLElement,
    private page_: MapRunHost,
    private onCount: (n: number) => void,
  ) {
    host.replaceChildren();
    this.empty = el("p", "maprun-empty");
    this.head = el("div", "maprun-head");
    this.runPicker = el("select", "maprun-picker");
    this.runPicker.setAttribute("aria-label", "Map run");
    this.runPicker.addEventListener("change", () => this.openRun(this.runPicker.value));
    this.summary = el("div", "maprun-summary");
    this.head.append(this.runPicker, this.summary);

    const list = el("section", "maprun-children");
    list.setAttribute("aria-label", "Child executions");
    const bar = el("div", "maprun-bar");
    this.filterSelect = el("select");
    this.filterSelect.setAttribute("aria-label", "Filter child executions by status");
    for (const [value, label] of STATUS_FILTERS) {
      const o = el("option", "", label);
      o.value = value;
      this.filterSelect.appendChild(o);
    }
    this.filterSelect.addEventListener("change", () => {
      this.filter = this.filterSelect.value;
      this.offset = 0;
      this.ask();
    });
    this.firstBtn = button("«", () => this.goto(0), "pager");
    this.firstBtn.setAttribute("aria-label", "First page");
    this.prevBtn = button("‹", () => this.goto(this.offset - PAGE_SIZE), "pager");
    this.prevBtn.setAttribute("aria-label", "Previous page");
    this.nextBtn = button("›", () => this.goto(this.offset + PAGE_SIZE), "pager");
    this.nextBtn.setAttribute("aria-label", "Next page");
    this.lastBtn = button(
      "»",
      () => this.goto(Math.floor(Math.max(0, this.page.matching - 1) / PAGE_SIZE) * PAGE_SIZE),
      "pager",
    );
    this.lastBtn.setAttribute("aria-label", "Last page");
    this.pageLabel = el("span", "maprun-page");
    this.pageLabel.setAttribute("aria-live", "polite");
    bar.append(this.filterSelect, this.firstBtn, this.prevBtn, this.pageLabel, this.nextBtn, this.lastBtn);
    const scroll = el("div", "maprun-scroll");
    const table = el("table", "maprun-table");
    table.setAttribute("aria-label", "Child executions");
    const headRow = table.createTHead().insertRow();
    for (const [label, cls] of [
      ["Name", "c-name"],
      ["Status", "c-status"],
      ["Started (ms)", "c-time"],
      ["Duration (ms)", "c-time"],
    ]) {
      const th = el("th", cls, label);
      th.scope = "col";
      headRow.appendChild(th);
    }
    this.tbody = table.createTBody();
    scroll.appendChild(table);
    list.append(bar, scroll);

    const detail = el("section", "maprun-child");
    detail.setAttribute("aria-label", "Child execution");
    this.childHead = el("div", "maprun-child-head");
    this.childIo = el("div", "maprun-child-io");
    const historyHost = el("div", "maprun-child-history history-host");
    const view = this;
    detail.append(this.childHead, this.childIo, historyHost);
    this.childHistory = new HistoryTable(
      historyHost,
      {
        get events() {
          return view.childEvents;
        },
        stepName: (i) => {
          const s = this.childTracker.eventStep[i];
          return s !== undefined && s >= 0 ? this.childTracker.steps[s].name : "";
        },
      },
      (i) => {
        // A nested distributed Map: its MapRunStarted event leads to that run.
        const arn = startedMapRun(this.childEvents[i]);
        if (arn) this.openRun(arn);
      },
    );
    // Labels of its own, apart from the execution's history table.
    historyHost.querySelector("table")?.setAttribute("aria-label", "Child execution history");
    historyHost.querySelector("input")?.setAttribute("aria-label", "Filter child execution events");

    this.body = el("div", "maprun-body");
    this.body.append(list, detail);
    host.append(this.empty, this.head, this.body);
    this.render();
  }

  /** A new execution (or none): forget everything. */
  reset() {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.runs = [];
    this.selected = null;
    this.offset = 0;
    this.page = { matching: 0, children: [] };
    this.child = null;
    this.startedSeen = 0;
    this.showChild();
    this.render();
    this.onCount(0);
  }

  /** New events of the execution's own history arrived (counts the map runs started). */
  noteEvents(batch: HistoryEvent[]) {
    let n = 0;
    for (const e of batch) if (e.type === "MapRunStarted") n++;
    if (n) {
      this.startedSeen += n;
      this.onCount(Math.max(this.startedSeen, this.runs.length));
    }
    if (this.visible && !this.pollTimer) this.ask();
  }

  /** The view was shown or hidden; a shown one asks for fresh data. */
  setVisible(visible: boolean) {
    this.visible = visible;
    if (visible) this.ask();
    else {
      clearTimeout(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  /** Shows the map run with this ARN (once the worker knows it). */
  openRun(arn: string) {
    if (this.selected !== arn) {
      this.selected = arn;
      this.offset = 0;
      this.child = null;
      this.showChild();
    }
    this.page_.show();
    this.ask();
  }

  private goto(offset: number) {
    this.offset = Math.max(0, offset);
    this.ask();
  }

  /** Asks the worker for the runs and the page in view; while the execution runs and the
   * view is visible, asks again every POLL_MS. One question at a time. */
  private async ask() {
    if (this.asking) {
      this.askAgain = true;
      return;
    }
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.asking = true;
    const serial = this.page_.runSerial();
    try {
      const runs = this.page_.hasRun()
        ? (JSON.parse(await this.page_.query({ what: "mapRuns" })) as MapRun[] | null)
        : [];
      if (serial !== this.page_.runSerial()) return;
      this.runs = runs ?? [];
      this.onCount(Math.max(this.startedSeen, this.runs.length));
      if (!this.runs.some((r) => r.mapRunArn === this.selected)) this.selected = this.runs[0]?.mapRunArn ?? null;
      if (this.selected && this.visible) {
        const q: Query = {
          what: "mapRunChildren",
          mapRunArn: this.selected,
          status: this.filter,
          offset: this.offset,
          limit: PAGE_SIZE,
        };
        const page = JSON.parse(await this.page_.query(q)) as { matching: number; children: ChildRow[] } | null;
        if (serial !== this.page_.runSerial()) return;
        this.page = page ?? { matching: 0, children: [] };
        if (this.offset > 0 && this.offset >= this.page.matching) {
          // The filter left fewer pages than before: show the last one.
          this.offset = Math.floor(Math.max(0, this.page.matching - 1) / PAGE_SIZE) * PAGE_SIZE;
          this.askAgain = true;
        }
        if (this.child && (!this.child.data || this.child.data.status === "RUNNING"))
          await this.loadChild(this.child.index, serial);
      }
      this.render();
    } finally {
      this.asking = false;
      if (this.askAgain) {
        this.askAgain = false;
        this.ask();
      } else if (this.visible && this.page_.running() && serial === this.page_.runSerial()) {
        this.pollTimer = setTimeout(() => {
          this.pollTimer = undefined;
          this.ask();
        }, POLL_MS);
      }
    }
  }

  private async loadChild(index: number, serial: number) {
    if (!this.selected) return;
    const json = await this.page_.query({ what: "childExecution", mapRunArn: this.selected, index });
    if (serial !== this.page_.runSerial() || this.child?.index !== index) return;
    this.child.data = JSON.parse(json) as ChildExecution | null;
    this.showChild();
  }

  private async pickChild(index: number) {
    this.child = { index, data: null };
    this.renderRows();
    this.showChild();
    await this.loadChild(index, this.page_.runSerial());
  }

  private render() {
    const run = this.runs.find((r) => r.mapRunArn === this.selected);
    this.empty.hidden = !!run;
    this.head.hidden = this.body.hidden = !run;
    if (!run) {
      this.empty.textContent = this.page_.running()
        ? "No distributed Map run has started yet."
        : "No distributed Map run. A Map state whose ItemProcessor has ProcessorConfig Mode DISTRIBUTED starts one when it runs; its child executions are listed here.";
      return;
    }
    // The run picker (several runs: nested ones, or a Map state visited more than once).
    const options = this.runs.map((r) => {
      const o = el(
        "option",
        "",
        `${r.mapState ?? "Map"} · ${shortArn(r.mapRunArn)} · ${r.status}${r.parent ? ` (in child ${r.parent.index})` : ""}`,
      );
      o.value = r.mapRunArn;
      return o;
    });
    this.runPicker.replaceChildren(...options);
    this.runPicker.value = run.mapRunArn;
    this.runPicker.hidden = this.runs.length < 2;

    const t0 = this.page_.startTime();
    const title = el("div", "maprun-title");
    const h = el("h3", "", run.mapState ?? "Map run");
    const badge = el("span", "badge", run.status);
    badge.dataset.status = run.status;
    title.append(h, badge);
    const arn = el("code", "maprun-arn", run.mapRunArn);
    arn.title = "Map run ARN";
    const times = el(
      "p",
      "maprun-times",
      `Started ${count(run.startDate - t0)} ms after the execution${run.stopDate !== null ? `, ended ${count(run.stopDate - t0)} ms after it` : ""}.`,
    );
    const counts = el("dl", "maprun-counts");
    counts.setAttribute("aria-label", "Item counts");
    for (const [k, label] of COUNT_LABELS) {
      const box = el("div", `count-${k}`);
      box.append(el("dt", "", label), el("dd", "", count(run.itemCounts[k])));
      counts.appendChild(box);
    }
    const done = run.itemCounts.total - run.itemCounts.pending - run.itemCounts.running;
    const bar = el("progress", "maprun-progress");
    bar.max = Math.max(1, run.itemCounts.total);
    bar.value = done;
    bar.setAttribute("aria-label", `${count(done)} of ${count(run.itemCounts.total)} items done`);
    const parts: HTMLElement[] = [title, arn, times, counts, bar];
    if (run.error || run.cause)
      parts.push(el("p", "maprun-error", `${run.error ?? ""}${run.cause ? `: ${run.cause}` : ""}`));
    this.summary.replaceChildren(...parts);
    this.renderRows();
  }

  private renderRows() {
    const { matching, children } = this.page;
    const from = matching ? this.offset + 1 : 0;
    const to = this.offset + children.length;
    this.pageLabel.textContent = `${count(from)}–${count(to)} of ${count(matching)}`;
    this.firstBtn.disabled = this.prevBtn.disabled = this.offset === 0;
    this.nextBtn.disabled = this.lastBtn.disabled = to >= matching;
    const t0 = this.page_.startTime();
    const rows = children.map((c) => {
      const tr = el("tr");
      if (this.child?.index === c.index) tr.classList.add("picked");
      const nameCell = tr.insertCell();
      const open = button(c.name, () => this.pickChild(c.index), "link");
      open.title = `Item ${c.index}: show this child execution's history`;
      nameCell.appendChild(open);
      const st = tr.insertCell();
      st.className = "status";
      st.dataset.status = c.status;
      st.textContent = c.status;
      tr.insertCell().textContent = count(c.startDate - t0);
      tr.insertCell().textContent = c.stopDate === null ? "" : count(c.stopDate - c.startDate);
      return tr;
    });
    if (!rows.length) {
      const tr = el("tr", "none");
      const td = tr.insertCell();
      td.colSpan = 4;
      td.textContent = this.filter ? "No child execution has this status." : "No child execution has started yet.";
      rows.push(tr);
    }
    this.tbody.replaceChildren(...rows);
  }

  private showChild() {
    const c = this.child?.data;
    if (!this.child) {
      this.childHead.replaceChildren(el("p", "muted", "Pick a child execution to see its history, input and output."));
      this.childIo.replaceChildren();
    } else if (!c) {
      this.childHead.replaceChildren(el("p", "muted", `Loading child execution ${this.child.index}…`));
      this.childIo.replaceChildren();
    } else {
      const title = el("div", "maprun-title");
      const badge = el("span", "badge", c.status);
      badge.dataset.status = c.status;
      title.append(el("h3", "", c.name), badge);
      this.childHead.replaceChildren(title);
      const io: HTMLElement[] = [];
      const block = (label: string, value: unknown) => {
        const box = el("section", "stage");
        const pre = el("pre", "", cut(typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? "")));
        scrollableByKeyboard(pre);
        box.append(el("h4", "", label), pre);
        io.push(box);
      };
      block("Input", c.input);
      if (c.status === "SUCCEEDED") block("Output", c.output);
      if (c.error || c.cause) block("Error", `${c.error ?? ""}${c.cause ? `: ${c.cause}` : ""}`);
      this.childIo.replaceChildren(...io);
    }
    this.childEvents = c?.events ?? [];
    this.childTracker.reset();
    this.childTracker.advance(this.childEvents, this.childEvents.length);
    this.childHistory.reset();
  }
}

/** A "Map Run" box for the inspector when the selected step started one: its ARN and a
 * button that opens it in the Map Run view. `null` when the step started none. */
export function mapRunLink(stepEvents: HistoryEvent[], open: (arn: string) => void): HTMLElement | null {
  const arns = stepEvents.map(startedMapRun).filter((a): a is string => !!a);
  if (!arns.length) return null;
  const box = el("section", "stage maprun-link");
  box.append(el("h3", "", "Map Run"));
  for (const arn of arns) {
    const row = el("div", "maprun-link-row");
    row.append(
      el("code", "", arn),
      button("Open Map Run", () => open(arn)),
    );
    box.appendChild(row);
  }
  return box;
}
