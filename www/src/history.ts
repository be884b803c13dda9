// The execution history as a real <table>: ID, Type, Step, Started after, with expandable
// details and a filter. Only the rows in view are in the DOM (fixed row height, spacer rows
// above and below), so 25,000 events scroll smoothly.

import type { HistoryEvent } from "./protocol";
import { eventDetails, eventTime, parseField } from "./steps";
import { scrollableByKeyboard } from "./dom";

const ROW = 28;
const DETAIL_LINE = 17;
const DETAIL_MAX_LINES = 16;
/** Longest text shown in a details block; longer values are cut with a note. */
export const MAX_SHOWN_CHARS = 100_000;

/** Pretty JSON of an event's details with its JSON-text fields expanded, cut to MAX_SHOWN_CHARS. */
export function detailsText(e: HistoryEvent): string {
  const d = eventDetails(e);
  if (!d) return "(no details)";
  const expanded: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d))
    expanded[k] = k === "input" || k === "output" || k === "parameters" ? parseField(v) : v;
  return cut(JSON.stringify(expanded, null, 2));
}

/** `text`, or its beginning with a note of how much was left out. */
export function cut(text: string): string {
  if (text.length <= MAX_SHOWN_CHARS) return text;
  return `${text.slice(0, MAX_SHOWN_CHARS)}\n… (${(text.length - MAX_SHOWN_CHARS).toLocaleString("en-US")} more characters not shown)`;
}

export interface HistorySource {
  events: HistoryEvent[];
  /** Name of the step each event belongs to ("" for the execution's own events). */
  stepName(index: number): string;
}

export class HistoryTable {
  private scroller: HTMLElement;
  private tbody: HTMLTableSectionElement;
  private filterText = "";
  private filtered: number[] = [];
  /** Positions (in `filtered`) of rows, and their top offsets, recomputed on change. */
  private tops: number[] = [];
  private expanded = new Set<number>();
  private searchCache: string[] = [];
  /** Pretty details of expanded events (a 5 MB input is formatted once, not on every scroll). */
  private detailCache = new Map<number, string>();
  private shownCount = 0;
  private cursor = -1;
  private highlighted = new Set<number>();
  private frame = 0;
  private follow = true;

  constructor(
    host: HTMLElement,
    private source: HistorySource,
    private onPick: (index: number) => void,
  ) {
    host.replaceChildren();
    const bar = document.createElement("div");
    bar.className = "history-bar";
    const filter = document.createElement("input");
    filter.type = "search";
    filter.placeholder = "Filter events (type, step, details)";
    filter.setAttribute("aria-label", "Filter events");
    filter.addEventListener("input", () => {
      this.filterText = filter.value.trim().toLowerCase();
      this.refilter();
    });
    this.countEl = document.createElement("span");
    this.countEl.className = "history-count";
    bar.append(filter, this.countEl);
    this.scroller = document.createElement("div");
    this.scroller.className = "history-scroll";
    this.scroller.tabIndex = 0;
    const table = document.createElement("table");
    table.className = "history";
    table.setAttribute("aria-label", "Execution history");
    const head = table.createTHead().insertRow();
    for (const [label, cls] of [
      ["ID", "c-id"],
      ["Type", "c-type"],
      ["Step", "c-step"],
      ["After (ms)", "c-time"],
    ]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.className = cls;
      th.textContent = label;
      head.appendChild(th);
    }
    this.tbody = table.createTBody();
    this.scroller.appendChild(table);
    host.append(bar, this.scroller);
    this.scroller.addEventListener("scroll", () => {
      const s = this.scroller;
      this.follow = s.scrollTop + s.clientHeight >= s.scrollHeight - ROW;
      this.schedule();
    });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.layout();
  }

  private countEl: HTMLElement;

  private matches(i: number): boolean {
    if (!this.filterText) return true;
    let s = this.searchCache[i];
    if (s === undefined) {
      const e = this.source.events[i];
      s = this.searchCache[i] =
        `${e.type}\n${this.source.stepName(i)}\n${JSON.stringify(eventDetails(e) ?? "")}`.toLowerCase();
    }
    return s.includes(this.filterText);
  }

  /** Everything changed (a new run, a reset). */
  reset() {
    this.filtered = [];
    this.searchCache = [];
    this.detailCache.clear();
    this.expanded.clear();
    this.shownCount = 0;
    this.cursor = -1;
    this.follow = true;
    this.update();
  }

  /** New events were appended to the source. */
  update() {
    const events = this.source.events;
    for (let i = this.shownCount; i < events.length; i++) if (this.matches(i)) this.filtered.push(i);
    this.shownCount = events.length;
    this.layout();
  }

  private refilter() {
    this.filtered = [];
    for (let i = 0; i < this.source.events.length; i++) if (this.matches(i)) this.filtered.push(i);
    this.shownCount = this.source.events.length;
    this.layout();
  }

  private details(i: number): string {
    let text = this.detailCache.get(i);
    if (text === undefined) {
      text = detailsText(this.source.events[i]);
      this.detailCache.set(i, text);
    }
    return text;
  }

  private detailLines(i: number) {
    return Math.min(DETAIL_MAX_LINES, this.details(i).split("\n", DETAIL_MAX_LINES + 1).length);
  }

  private layout() {
    this.tops = new Array(this.filtered.length + 1);
    let y = 0;
    this.filtered.forEach((ev, k) => {
      this.tops[k] = y;
      y += ROW + (this.expanded.has(ev) ? this.detailLines(ev) * DETAIL_LINE + 16 : 0);
    });
    this.tops[this.filtered.length] = y;
    const total = this.source.events.length;
    this.countEl.textContent = this.filterText
      ? `${this.filtered.length.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events`
      : `${total.toLocaleString("en-US")} events`;
    this.schedule();
  }

  private schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Marks the rows of these events (the selected step's). */
  setHighlighted(indices: number[]) {
    const same = indices.length === this.highlighted.size && indices.every((i) => this.highlighted.has(i));
    if (same) return;
    this.highlighted = new Set(indices);
    this.schedule();
  }

  /** Highlights the row of event `index` (the step cursor) and scrolls it into view. */
  setCursor(index: number) {
    this.cursor = index;
    const k = this.filtered.indexOf(index);
    if (k >= 0) {
      const top = this.tops[k];
      const s = this.scroller;
      if (top < s.scrollTop || top + ROW > s.scrollTop + s.clientHeight - ROW)
        s.scrollTop = Math.max(0, top - s.clientHeight / 2);
    }
    this.schedule();
  }

  private first(y: number) {
    let lo = 0;
    let hi = this.filtered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tops[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private draw() {
    const s = this.scroller;
    const total = this.tops[this.filtered.length] ?? 0;
    const headH = 30;
    // Following the end: draw the last rows, then scroll there once they exist.
    const followTop = this.follow && this.cursor < 0 ? Math.max(0, total + headH - s.clientHeight) : -1;
    const top = Math.max(0, (followTop >= 0 ? followTop : s.scrollTop) - headH);
    const from = Math.max(0, this.first(top) - 5);
    let to = from;
    while (to < this.filtered.length && this.tops[to] < top + s.clientHeight + ROW * 5) to++;
    const rows: HTMLTableRowElement[] = [];
    const spacer = (h: number) => {
      const tr = document.createElement("tr");
      tr.className = "spacer";
      tr.style.height = `${h}px`;
      tr.setAttribute("aria-hidden", "true");
      return tr;
    };
    rows.push(spacer(this.tops[from] ?? 0));
    const t0 = this.source.events.length ? eventTime(this.source.events[0]) : 0;
    for (let k = from; k < to; k++) {
      const i = this.filtered[k];
      const e = this.source.events[i];
      const tr = document.createElement("tr");
      tr.className = "event";
      if (/Failed|TimedOut|Aborted/.test(e.type)) tr.classList.add("bad");
      if (/Succeeded$/.test(e.type)) tr.classList.add("good");
      if (i === this.cursor) tr.classList.add("cursor");
      if (this.highlighted.has(i)) tr.classList.add("in-step");
      tr.dataset.index = String(i);
      const open = this.expanded.has(i);
      const idCell = tr.insertCell();
      const toggle = document.createElement("button");
      toggle.className = "expand";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.setAttribute("aria-label", `Details of event ${e.id}`);
      toggle.textContent = `${open ? "▾" : "▸"} ${e.id}`;
      toggle.addEventListener("click", (ev) => {
        ev.stopPropagation();
        if (open) this.expanded.delete(i);
        else this.expanded.add(i);
        this.layout();
      });
      idCell.appendChild(toggle);
      const typeCell = tr.insertCell();
      typeCell.textContent = typeCell.title = e.type;
      const stepCell = tr.insertCell();
      stepCell.textContent = stepCell.title = this.source.stepName(i);
      tr.insertCell().textContent = String(Math.round(eventTime(e) - t0));
      tr.addEventListener("click", () => this.onPick(i));
      rows.push(tr);
      if (open) {
        const dr = document.createElement("tr");
        dr.className = "details";
        const td = dr.insertCell();
        td.colSpan = 4;
        const pre = document.createElement("pre");
        pre.style.height = `${this.detailLines(i) * DETAIL_LINE + 8}px`;
        pre.textContent = this.details(i);
        scrollableByKeyboard(pre);
        td.appendChild(pre);
        rows.push(dr);
      }
    }
    rows.push(spacer(total - (this.tops[to] ?? total)));
    this.tbody.replaceChildren(...rows);
    if (followTop >= 0 && Math.abs(s.scrollTop - followTop) > 1) s.scrollTop = followTop;
  }
}
