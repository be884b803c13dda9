// The S3 pane: the mocked S3 objects (bucket, key, size) a run reads, given in the mock
// configuration's `S3Objects`, and those its ResultWriter wrote (marked as written). A click
// shows an object's content (the first 100,000 bytes, with a download button for all of it).
// The form adds or edits an object by writing into the mock configuration's `S3Objects`, so
// it is kept and shared like the rest; the engine's diagnostics show what is wrong with it.

import type { Query } from "./protocol";
import { button, bytes, count, download, el } from "./dom";

/** How much of an object's text the viewer shows. */
export const SHOWN_BYTES = 100_000;
/** How many objects the table lists. */
const MAX_ROWS = 2_000;

interface ListedObject {
  bucket: string;
  key: string;
  size: number;
  lastModified: string;
  written: boolean;
}

type Listing = { buckets: string[]; objects: ListedObject[] } | { message: string; line: number; column: number };

/** One `S3Objects` entry of a mock configuration. */
interface MockObject {
  Bucket?: unknown;
  Key?: unknown;
  Content?: unknown;
  [other: string]: unknown;
}

/** What the pane needs from the page. */
export interface ObjectsHost {
  query(q: Query): Promise<string>;
  /** A run has started: list its store; otherwise the mock configuration's objects. */
  hasRun(): boolean;
  /** Changes with every new execution, so answers about an older one are dropped. */
  runSerial(): number;
  mockText(): string;
  setMockText(text: string): void;
}

/** The mock configuration text with one S3 object put in (replacing `replace`, or an entry
 * with the same bucket and key), or an error message. */
export function putObject(
  mockText: string,
  object: { bucket: string; key: string; content: string },
  replace?: { bucket: string; key: string },
): { text: string } | { error: string } {
  if (!object.bucket) return { error: "Bucket must be a non-empty string" };
  if (!object.key) return { error: "Key must be a non-empty string" };
  let config: Record<string, unknown>;
  try {
    config = mockText.trim() ? JSON.parse(mockText) : {};
  } catch {
    return { error: "The mock configuration is not valid JSON; fix it first (see Problems)." };
  }
  if (!config || typeof config !== "object" || Array.isArray(config))
    return { error: "The mock configuration must be a JSON object." };
  const list = config.S3Objects ?? [];
  if (!Array.isArray(list)) return { error: "S3Objects in the mock configuration must be an array of objects." };
  const same = (e: MockObject, b: string, k: string) => e && e.Bucket === b && e.Key === k;
  const at = list.findIndex((e: MockObject) =>
    replace ? same(e, replace.bucket, replace.key) : same(e, object.bucket, object.key),
  );
  const before = at >= 0 ? (list[at] as MockObject) : undefined;
  // Content that was a JSON value stays one while the text still parses.
  let content: unknown = object.content;
  if (before && typeof before.Content !== "string" && before.Content !== undefined) {
    try {
      content = JSON.parse(object.content);
    } catch {
      /* now plain text */
    }
  }
  const entry: MockObject = { ...(before ?? {}), Bucket: object.bucket, Key: object.key, Content: content };
  const next = [...list];
  if (at >= 0) next[at] = entry;
  else next.push(entry);
  // A renamed entry must not leave a duplicate behind under its new name.
  const dup = next.findIndex(
    (e: MockObject, i: number) => i !== (at >= 0 ? at : next.length - 1) && same(e, object.bucket, object.key),
  );
  if (dup >= 0) next.splice(dup, 1);
  return { text: JSON.stringify({ ...config, S3Objects: next }, null, 2) };
}

/** The mock configuration text without that S3 object, or an error message. */
export function removeObject(mockText: string, bucket: string, key: string): { text: string } | { error: string } {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(mockText);
  } catch {
    return { error: "The mock configuration is not valid JSON; fix it first (see Problems)." };
  }
  const list = config?.S3Objects;
  if (!Array.isArray(list)) return { error: "The mock configuration has no S3Objects." };
  return {
    text: JSON.stringify(
      { ...config, S3Objects: list.filter((e: MockObject) => !(e && e.Bucket === bucket && e.Key === key)) },
      null,
      2,
    ),
  };
}

/** The content of a mock configuration's entry as the editor form shows it. */
function mockContent(mockText: string, bucket: string, key: string): string | null {
  try {
    const list = (JSON.parse(mockText) as { S3Objects?: MockObject[] })?.S3Objects;
    // A later entry with the same bucket and key replaces an earlier one.
    const e = Array.isArray(list)
      ? [...list].reverse().find((o) => o && o.Bucket === bucket && o.Key === key)
      : undefined;
    if (!e) return null;
    return typeof e.Content === "string" ? e.Content : JSON.stringify(e.Content, null, 2);
  } catch {
    return null;
  }
}

export class ObjectsPane {
  private listing: Listing | null = null;
  private picked: { bucket: string; key: string } | null = null;
  private visible = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;

  private title: HTMLElement;
  private problem: HTMLElement;
  private tbody: HTMLTableSectionElement;
  private side: HTMLElement;

  constructor(
    host: HTMLElement,
    private page: ObjectsHost,
    private onCount: (n: number | null) => void,
  ) {
    host.replaceChildren();
    const bar = el("div", "s3-bar");
    this.title = el("span", "s3-title");
    bar.append(
      this.title,
      button("Add object", () => this.edit(null), "primary-ish"),
    );
    this.problem = el("p", "s3-problem");
    this.problem.setAttribute("role", "alert");
    this.problem.hidden = true;
    const scroll = el("div", "s3-scroll");
    const table = el("table", "s3-table");
    table.setAttribute("aria-label", "S3 objects");
    const head = table.createTHead().insertRow();
    for (const [label, cls] of [
      ["Bucket", "c-bucket"],
      ["Key", "c-key"],
      ["Size", "c-size"],
      ["Source", "c-source"],
      ["", "c-act"],
    ]) {
      const th = el("th", cls, label);
      th.scope = "col";
      head.appendChild(th);
    }
    this.tbody = table.createTBody();
    scroll.appendChild(table);
    const list = el("section", "s3-list");
    list.append(bar, this.problem, scroll);
    this.side = el("section", "s3-side");
    this.side.setAttribute("aria-label", "S3 object");
    const body = el("div", "s3-body");
    body.append(list, this.side);
    host.append(body);
    this.showNothing();
    this.render();
  }

  /** The view was shown or hidden; a shown one lists the objects again. */
  setVisible(visible: boolean) {
    this.visible = visible;
    if (visible) this.refresh();
  }

  /** Something changed (a run ended, the mock configuration was edited): list again soon. */
  changed(delay = 200) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), delay);
  }

  /** Lists the objects now (only while visible; the count is kept otherwise). */
  async refresh() {
    clearTimeout(this.timer);
    const n = ++this.asked;
    const fromRun = this.page.hasRun();
    const q: Query = fromRun ? { what: "s3Objects" } : { what: "s3Objects", mock: this.page.mockText() };
    const json = await this.page.query(q);
    if (n !== this.asked) return;
    this.listing = JSON.parse(json) as Listing | null;
    if (!this.listing && fromRun) this.listing = { buckets: [], objects: [] };
    this.render();
    if (this.visible && this.picked && !this.side.querySelector("form")) this.view(this.picked.bucket, this.picked.key);
  }

  private render() {
    const fromRun = this.page.hasRun();
    this.title.textContent = fromRun ? "S3 objects of this run" : "S3 objects in the mock configuration";
    const l = this.listing;
    if (l && "message" in l) {
      this.problem.textContent = `Mock configuration ${l.line}:${l.column}: ${l.message}`;
      this.problem.hidden = false;
      this.onCount(null);
      return;
    }
    this.problem.hidden = true;
    const all = l?.objects ?? [];
    this.onCount(all.length);
    const objects = all.slice(0, MAX_ROWS);
    const rows = objects.map((o) => {
      const tr = el("tr");
      if (this.picked && this.picked.bucket === o.bucket && this.picked.key === o.key) tr.classList.add("picked");
      tr.insertCell().textContent = o.bucket;
      const keyCell = tr.insertCell();
      keyCell.className = "key";
      const open = button(o.key, () => this.view(o.bucket, o.key), "link");
      open.title = `Show s3://${o.bucket}/${o.key}`;
      keyCell.appendChild(open);
      const size = tr.insertCell();
      size.textContent = bytes(o.size);
      size.title = `${count(o.size)} bytes`;
      const src = tr.insertCell();
      src.className = o.written ? "written" : "";
      src.textContent = o.written ? "written" : "mock";
      src.title = o.written ? "Written by the run (a ResultWriter)" : "Given in the mock configuration's S3Objects";
      const act = tr.insertCell();
      if (!o.written) {
        const b = button("Edit", () => this.edit(o), "small");
        b.setAttribute("aria-label", `Edit ${o.bucket}/${o.key}`);
        act.appendChild(b);
      }
      return tr;
    });
    if (all.length > MAX_ROWS) {
      const tr = el("tr", "none");
      const td = tr.insertCell();
      td.colSpan = 5;
      td.textContent = `Showing the first ${count(MAX_ROWS)} of ${count(all.length)} objects.`;
      rows.push(tr);
    }
    if (!rows.length) {
      const tr = el("tr", "none");
      const td = tr.insertCell();
      td.colSpan = 5;
      td.textContent =
        'No S3 objects. Add one, or give S3Objects in the mock configuration: [{"Bucket", "Key", "Content"}].';
      rows.push(tr);
    }
    this.tbody.replaceChildren(...rows);
  }

  private showNothing() {
    this.side.replaceChildren(el("p", "muted", "Pick an object to see its content."));
  }

  private fetch(bucket: string, key: string, maxBytes: number): Promise<string> {
    const q: Query = this.page.hasRun()
      ? { what: "s3Object", bucket, key, maxBytes }
      : { what: "s3Object", bucket, key, maxBytes, mock: this.page.mockText() };
    return this.page.query(q);
  }

  /** Shows an object's content (the first SHOWN_BYTES of it). */
  private async view(bucket: string, key: string) {
    this.picked = { bucket, key };
    this.render();
    const serial = this.page.runSerial();
    const found = JSON.parse(await this.fetch(bucket, key, SHOWN_BYTES)) as {
      size: number;
      content: string;
      truncated: boolean;
    } | null;
    if (serial !== this.page.runSerial() || this.picked?.bucket !== bucket || this.picked?.key !== key) return;
    const head = el("div", "s3-object-head");
    head.append(el("h3", "", `s3://${bucket}/${key}`), el("span", "muted", `${bytes(found?.size ?? 0)}`));
    if (!found) {
      this.side.replaceChildren(head, el("p", "muted", "This object is no longer there."));
      return;
    }
    const parts: HTMLElement[] = [head];
    const name = key.slice(key.lastIndexOf("/") + 1) || "object";
    const dl = button("Download", async () => {
      const all = JSON.parse(await this.fetch(bucket, key, 0)) as { content: string } | null;
      if (all) download(name, all.content, /\.json$/.test(key) ? "application/json" : "text/plain");
    });
    head.appendChild(dl);
    if (found.truncated) {
      parts.push(
        el(
          "p",
          "s3-note",
          `Showing the first ${count(SHOWN_BYTES)} bytes of ${count(found.size)}; Download has all of it.`,
        ),
      );
    }
    const pre = el("pre", "s3-content", pretty(found.content, found.truncated));
    pre.setAttribute("aria-label", "Object content");
    pre.tabIndex = 0;
    parts.push(pre);
    this.side.replaceChildren(...parts);
  }

  /** The add/edit form; saving writes the mock configuration's S3Objects. */
  private edit(o: ListedObject | null) {
    const form = el("form", "s3-form");
    form.setAttribute("aria-label", o ? "Edit S3 object" : "Add S3 object");
    const field = (label: string, input: HTMLInputElement | HTMLTextAreaElement) => {
      const l = el("label", "s3-field");
      l.append(el("span", "", label), input);
      form.appendChild(l);
      return input;
    };
    const bucket = field("Bucket", el("input")) as HTMLInputElement;
    const key = field("Key", el("input")) as HTMLInputElement;
    const content = field("Content", el("textarea")) as HTMLTextAreaElement;
    bucket.value = o?.bucket ?? this.picked?.bucket ?? "";
    key.value = o?.key ?? "";
    content.value = o ? (mockContent(this.page.mockText(), o.bucket, o.key) ?? "") : "";
    content.rows = 12;
    content.spellcheck = false;
    const error = el("p", "s3-problem");
    error.setAttribute("role", "alert");
    error.hidden = true;
    const note = el("p", "muted", "Saved into S3Objects of the mock configuration; a run started after it reads it.");
    const actions = el("div", "s3-actions");
    const save = el("button", "primary", "Save to mock configuration");
    save.type = "submit";
    actions.append(
      save,
      button("Cancel", () => (this.picked ? this.view(this.picked.bucket, this.picked.key) : this.showNothing())),
    );
    if (o) {
      actions.appendChild(
        button("Delete", () => {
          const r = removeObject(this.page.mockText(), o.bucket, o.key);
          if ("error" in r) return fail(r.error);
          this.page.setMockText(r.text);
          this.picked = null;
          this.showNothing();
          this.changed(0);
        }),
      );
    }
    const fail = (message: string) => {
      error.textContent = message;
      error.hidden = false;
    };
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const object = { bucket: bucket.value.trim(), key: key.value, content: content.value };
      const r = putObject(this.page.mockText(), object, o ? { bucket: o.bucket, key: o.key } : undefined);
      if ("error" in r) return fail(r.error);
      this.page.setMockText(r.text);
      this.picked = { bucket: object.bucket, key: object.key };
      error.hidden = true;
      this.changed(0);
      if (!this.page.hasRun()) setTimeout(() => this.picked && this.view(this.picked.bucket, this.picked.key), 300);
      else
        this.side.replaceChildren(
          el(
            "p",
            "muted",
            `Saved s3://${object.bucket}/${object.key} to the mock configuration; the next run reads it.`,
          ),
        );
    });
    form.append(error, actions, note);
    this.side.replaceChildren(form);
    (o ? content : bucket.value ? key : bucket).focus();
  }
}

/** JSON content indented for reading (when whole and not too large); other text as is. */
function pretty(text: string, truncated: boolean): string {
  if (truncated || text.length > 2_000_000) return text;
  const t = text.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
