// The tabs of the history pane — Execution history, Map runs, S3 objects — and the wiring of
// the Map Run view and the S3 pane to the page. The Map runs and S3 views take the whole
// right-hand side (graph, history and inspector) while shown; Execution history gives it back.

import type { HistoryEvent, Query } from "./protocol";
import { MapRunView, mapRunLink, startedMapRun } from "./maprun";
import { ObjectsPane } from "./objects";
import { eventTime } from "./steps";

type Tab = "history" | "mapruns" | "s3";

/** What the panes need from the page. */
export interface PanesHost {
  query(q: Query): Promise<string>;
  runSerial(): number;
  /** The execution's own history so far. */
  events(): HistoryEvent[];
  /** The execution is running. */
  running(): boolean;
  /** A run has started since the last reset (the worker holds its session). */
  hasRun(): boolean;
  mockText(): string;
  setMockText(text: string): void;
}

const $ = (id: string) => document.getElementById(id) as HTMLElement;

/** The history pane's tabs with the Map Run view and the S3 pane behind them. */
export class RunPanes {
  readonly mapRuns: MapRunView;
  readonly objects: ObjectsPane;
  private tab: Tab = "history";

  constructor(private host: PanesHost) {
    this.mapRuns = new MapRunView(
      $("mapruns"),
      {
        query: (q) => host.query(q),
        runSerial: () => host.runSerial(),
        running: () => host.running(),
        hasRun: () => host.hasRun(),
        startTime: () => {
          const first = host.events()[0];
          return first ? eventTime(first) : 0;
        },
        show: () => this.show("mapruns"),
      },
      (n) => ($("maprun-count").textContent = n ? String(n) : ""),
    );
    this.objects = new ObjectsPane(
      $("s3"),
      {
        query: (q) => host.query(q),
        hasRun: () => host.hasRun(),
        runSerial: () => host.runSerial(),
        mockText: () => host.mockText(),
        setMockText: (t) => host.setMockText(t),
      },
      (n) => ($("s3-count").textContent = n ? String(n) : ""),
    );
    for (const tab of ["history", "mapruns", "s3"] as Tab[])
      $(`tab-${tab}`).addEventListener("click", () => this.show(tab));
    $("view-tabs").addEventListener("keydown", (ev) => {
      if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
      const order: Tab[] = ["history", "mapruns", "s3"];
      const next = order[(order.indexOf(this.tab) + (ev.key === "ArrowRight" ? 1 : 2)) % 3];
      this.show(next);
      $(`tab-${next}`).focus();
    });
    this.objects.changed(0);
  }

  /** Shows one tab's view. */
  show(tab: Tab) {
    this.tab = tab;
    for (const t of ["history", "mapruns", "s3"] as Tab[]) {
      const b = $(`tab-${t}`);
      b.setAttribute("aria-selected", String(t === tab));
      b.tabIndex = t === tab ? 0 : -1;
      $(t === "history" ? "history" : t).hidden = t !== tab;
    }
    const layout = document.querySelector<HTMLElement>(".layout");
    if (layout) {
      if (tab === "history") delete layout.dataset.view;
      else layout.dataset.view = tab;
    }
    this.mapRuns.setVisible(tab === "mapruns");
    this.objects.setVisible(tab === "s3");
  }

  /** A new execution started, or the page was reset. */
  reset() {
    this.mapRuns.reset();
    this.objects.changed(0);
  }

  /** New events of the execution's own history arrived (`ended`: the execution is over). */
  noteEvents(batch: HistoryEvent[], ended: boolean) {
    this.mapRuns.noteEvents(batch);
    if (ended || batch.some((e) => /^MapRun(Succeeded|Failed)$/.test(e.type))) this.objects.changed(0);
  }

  /** The mock configuration was edited. */
  mockChanged() {
    if (!this.host.hasRun()) this.objects.changed(400);
  }

  /** Event `e` of the history was picked: a MapRunStarted event opens its map run. */
  picked(e: HistoryEvent | undefined) {
    const arn = startedMapRun(e);
    if (arn) this.mapRuns.openRun(arn);
  }

  /** Adds a link to the map run the selected step started (if any) to the inspector. */
  decorateInspector(inspector: HTMLElement, stepEvents: HistoryEvent[]) {
    const link = mapRunLink(stepEvents, (arn) => this.mapRuns.openRun(arn));
    // Near the top, under the step's title, where it is seen without scrolling.
    const sub = inspector.querySelector(":scope > .sub");
    if (link && sub) sub.after(link);
    else if (link) inspector.prepend(link);
  }
}
