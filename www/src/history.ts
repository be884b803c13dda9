// The execution history as a real <table>: ID, Type, Step, Started after, with expandable
// details and a filter. Only the rows in view are in the DOM (fixed row height, spacer rows
// above and below), so 25,000 events scroll smoothly. From the keyboard the rows are one Tab
// stop (a roving tabindex): arrows, Page Up/Down, Home and End move between them, Enter or Space
// picks the event, Right and Left open and close its details.

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

/** Counts the tables made, for unique ids. */
let tables = 0;

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
  /** The event whose row takes the keyboard focus (the roving tab stop), or -1 for the first shown. */
  private focusIndex = -1;

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
    // Reached through its rows (one Tab stop); focusable itself only as a fallback.
    this.scroller.tabIndex = -1;
    const table = document.createElement("table");
    table.className = "history";
    table.setAttribute("aria-label", "Execution history");
    const keys = document.createElement("p");
    keys.className = "visually-hidden";
    keys.id = `history-keys-${++tables}`;
    keys.textContent = "Arrow keys move between events; Enter selects one; Right and Left open and close its details.";
    table.setAttribute("aria-describedby", keys.id);
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
    this.scroller.append(keys, table);
    host.append(bar, this.scroller);
    this.scroller.addEventListener("scroll", () => {
      const s = this.scroller;
      this.follow = s.scrollTop + s.clientHeight >= s.scrollHeight - ROW;
      this.schedule();
    });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.tbody.addEventListener("keydown", (ev) => this.onKey(ev));
    this.layout();
  }

  /** Keyboard use of the rows: move, pick, open and close details. */
  private onKey(ev: KeyboardEvent) {
    const row = (ev.target as Element).closest?.("tr.event") as HTMLTableRowElement | null;
    if (!row || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const i = Number(row.dataset.index);
    const k = this.filtered.indexOf(i);
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW) - 2);
    const last = this.filtered.length - 1;
    const move: Record<string, number> = {
      ArrowDown: k + 1,
      ArrowUp: k - 1,
      PageDown: k + page,
      PageUp: k - page,
      Home: 0,
      End: last,
    };
    if (ev.key in move) this.focusRow(Math.min(last, Math.max(0, move[ev.key])));
    else if (ev.key === "Enter" || ev.key === " ") this.onPick(i);
    else if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      const open = ev.key === "ArrowRight";
      if (this.expanded.has(i) === open) return;
      if (open) this.expanded.add(i);
      else this.expanded.delete(i);
      this.layout();
    } else return;
    ev.preventDefault();
  }

  /** Moves the keyboard focus to the row at position `k` of the filtered list, scrolled into view. */
  private focusRow(k: number) {
    const i = this.filtered[k];
    if (i === undefined) return;
    this.focusIndex = i;
    const s = this.scroller;
    const headH = 30;
    const top = this.tops[k];
    if (top < s.scrollTop) s.scrollTop = top;
    else if (top + ROW + headH > s.scrollTop + s.clientHeight) s.scrollTop = top + ROW + headH - s.clientHeight;
    this.follow = false;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.draw();
    this.tbody.querySelector<HTMLElement>(`tr.event[data-index="${i}"]`)?.focus({ preventScroll: true });
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
    this.focusIndex = -1;
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
    // Redrawing replaces the rows: the focused one gets the focus back afterwards.
    const focused = document.activeElement?.closest?.("tr.event") as HTMLElement | null;
    const refocus = focused && this.tbody.contains(focused) ? Number(focused.dataset.index) : -1;
    const rendered = (i: number) => {
      const k = this.filtered.indexOf(i);
      return k >= from && k < to;
    };
    const roving = this.focusIndex >= 0 && rendered(this.focusIndex) ? this.focusIndex : this.filtered[from];
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
      tr.tabIndex = i === roving ? 0 : -1;
      if (i === this.cursor) tr.setAttribute("aria-current", "step");
      const open = this.expanded.has(i);
      const idCell = tr.insertCell();
      const toggle = document.createElement("button");
      toggle.className = "expand";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.setAttribute("aria-label", `Details of event ${e.id}`);
      toggle.textContent = `${open ? "▾" : "▸"} ${e.id}`;
      toggle.tabIndex = -1; // the row's Right and Left keys open and close the details
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
      tr.addEventListener("focus", () => {
        this.focusIndex = i;
      });
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
    if (refocus >= 0) {
      const again = this.tbody.querySelector<HTMLElement>(`tr.event[data-index="${refocus}"]`);
      if (again) again.focus({ preventScroll: true });
      else s.focus({ preventScroll: true }); // scrolled out of the drawn rows: keep the focus in the table
    }
    if (followTop >= 0 && Math.abs(s.scrollTop - followTop) > 1) s.scrollTop = followTop;
  }
}
