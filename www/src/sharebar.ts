// The playground's side of share links: the "Share" panel (Copy link, Copy embed code), and
// opening a link. A link's state is shown without overwriting the work kept in
// localStorage: that work stays stored until the user edits what the link showed; at that
// first edit it is copied to "previous" and the edited state becomes the stored work.
// "Restore my previous work" brings it back in either case. A link that cannot be read
// leaves an empty, working page and says why; its content is only ever text in editors.

import {
  LinkError,
  MAX_LINK_CHARS,
  decodeState,
  emptyState,
  encodeState,
  linkTo,
  payloadOf,
  projectOf,
  projectText,
  tooLong,
  type SharedState,
} from "./share";

/** What the share panel needs from the page. */
export interface ShareHost {
  /** The state the page shows now (without a step). */
  current(): SharedState;
  /** The selected step's index, or null. */
  selectedStep(): number | null;
  /** Shows a state: editors, test case, options; runs and selects `step` when it has one. */
  show(state: SharedState): void;
  /** The page's localStorage (keys without the page's prefix). */
  read(key: string): string | null;
  write(key: string, value: string): void;
}

/** The keys of the user's work in storage. */
const WORK_KEYS = ["definition", "input", "mock", "testCase", "seed", "startTime", "project"] as const;
type Work = Record<(typeof WORK_KEYS)[number], string>;

function workOf(s: SharedState): Work {
  return {
    definition: s.definition,
    input: s.input,
    mock: s.mock,
    testCase: JSON.stringify(s.testCase ?? ["", ""]),
    seed: String(s.seed),
    startTime: s.startTime,
    project: projectText(s),
  };
}

function stateOf(w: Partial<Record<string, string | null>>): SharedState {
  let testCase: [string, string] | null = null;
  try {
    const tc = JSON.parse(w.testCase ?? "null");
    if (Array.isArray(tc) && typeof tc[0] === "string" && typeof tc[1] === "string" && (tc[0] || tc[1]))
      testCase = [tc[0], tc[1]];
  } catch {
    /* no test case */
  }
  return {
    definition: w.definition ?? "",
    input: w.input ?? "",
    mock: w.mock ?? "",
    testCase,
    seed: Number(w.seed) || 0,
    startTime: w.startTime ?? "",
    ...projectOf(w.project),
  };
}

/**
 * Keeps the stored work while a link's state is shown. The page asks `holds(key, value)`
 * before each store: the link's own values are not stored; the first other value (an edit)
 * backs the old work up as "previous" and stores the whole edited state.
 */
export class StorageHold {
  private held: Work | null = null;
  private host: ShareHost | null = null;
  /** Called once the hold is released by an edit. */
  onRelease: () => void = () => undefined;

  attach(host: ShareHost) {
    this.host = host;
  }

  get active() {
    return this.held !== null;
  }

  begin(work: Work) {
    this.held = work;
  }

  end() {
    this.held = null;
  }

  /** True when (key, value) must not be stored now. */
  holds(key: string, value: string): boolean {
    if (!this.held || !(WORK_KEYS as readonly string[]).includes(key)) return false;
    if (this.held[key as keyof Work] === value) return true;
    this.release();
    return false;
  }

  private release() {
    const host = this.host;
    this.held = null;
    if (!host) return;
    const old: Record<string, string | null> = {};
    for (const k of WORK_KEYS) old[k] = host.read(k);
    if (old.definition !== null) host.write("previous", JSON.stringify(old));
    const now = workOf(host.current());
    for (const k of WORK_KEYS) host.write(k, now[k]);
    dropFragment();
    this.onRelease();
  }
}

/** The page's one hold (main.ts asks it before storing). */
export const storageHold = new StorageHold();

function dropFragment() {
  if (payloadOf(location.hash) !== null) history.replaceState(null, "", location.pathname + location.search);
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The `<iframe>` and the host-side resize script for an embed of `src`. */
export function embedSnippet(src: string, title: string): string {
  const origin = new URL(src).origin;
  const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${attr(src)}" title="${attr(title)}" style="width:100%;height:420px;border:0" loading="lazy"></iframe>
<script>
// Sizes aslplay embeds to their content: they post {type: "aslplay:resize", height}.
addEventListener("message", (e) => {
  if (e.origin !== ${JSON.stringify(origin)} || !e.data || e.data.type !== "aslplay:resize") return;
  for (const f of document.querySelectorAll("iframe"))
    if (f.contentWindow === e.source) f.style.height = Math.ceil(Number(e.data.height) || 0) + "px";
});
</script>`;
}

/** A short title for an embed: the definition's Comment, or a plain one. */
function titleOf(definition: string): string {
  try {
    const c = (JSON.parse(definition) as { Comment?: unknown }).Comment;
    if (typeof c === "string" && c.trim()) return `aslplay: ${c.trim().slice(0, 80)}`;
  } catch {
    /* not JSON */
  }
  return "aslplay: state machine";
}

async function copy(text: string, field: HTMLInputElement | HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

/** Wires the Share panel and opens the link in the address bar, if any. */
export function installShare(host: ShareHost) {
  storageHold.attach(host);
  const box = byId<HTMLDetailsElement>("share-box");
  const linkField = byId<HTMLInputElement>("share-link");
  const embedField = byId<HTMLTextAreaElement>("share-embed");
  const withStep = byId<HTMLInputElement>("share-step");
  const note = byId("share-note");
  const copyLink = byId<HTMLButtonElement>("copy-link");
  const copyEmbed = byId<HTMLButtonElement>("copy-embed");
  let made: { link: string; embed: string } | null = null;
  let serial = 0;

  function say(text: string, kind: "info" | "error") {
    note.textContent = text;
    note.dataset.kind = kind;
    if (kind === "error") note.setAttribute("role", "alert");
    else note.removeAttribute("role"); // aria-live="polite" announces it
  }

  /** Makes the link (and embed code) for the state shown now. */
  async function make() {
    const mine = ++serial;
    const state = host.current();
    const step = host.selectedStep();
    withStep.disabled = step === null;
    if (withStep.checked && step !== null) state.step = step;
    const payload = await encodeState(state);
    if (mine !== serial) return;
    const link = linkTo(location.href, payload);
    const refusal = tooLong(link.length);
    copyLink.disabled = copyEmbed.disabled = !!refusal;
    if (refusal) {
      made = null;
      linkField.value = "";
      embedField.value = "";
      say(refusal, "error");
      return;
    }
    const embed = embedSnippet(linkTo(new URL("embed.html", location.href).href, payload), titleOf(state.definition));
    made = { link, embed };
    linkField.value = link;
    embedField.value = embed;
    say(
      `${link.length.toLocaleString("en-US")} of ${MAX_LINK_CHARS.toLocaleString("en-US")} characters. Everything is in the link; nothing is uploaded.`,
      "info",
    );
  }

  box.addEventListener("toggle", () => {
    if (box.open) void make();
  });
  withStep.addEventListener("change", () => void make());
  copyLink.addEventListener("click", async () => {
    await make();
    if (made)
      say(
        (await copy(made.link, linkField))
          ? "Link copied."
          : "Copy the selected link (the browser refused the clipboard).",
        "info",
      );
  });
  copyEmbed.addEventListener("click", async () => {
    await make();
    if (made)
      say(
        (await copy(made.embed, embedField))
          ? "Embed code copied: paste it into your page's HTML."
          : "Copy the selected embed code (the browser refused the clipboard).",
        "info",
      );
  });

  storageHold.onRelease = () =>
    showBanner("Your edits are now your saved work; what you had before the link was kept.");
  byId("restore-work").addEventListener("click", restore);
  byId("banner-close").addEventListener("click", () => (byId("share-banner").hidden = true));
  window.addEventListener("hashchange", () => void open());
  void open();

  function showBanner(text: string, kind: "info" | "error" = "info") {
    const banner = byId("share-banner");
    byId("banner-text").textContent = text;
    banner.dataset.kind = kind;
    const previous = storageHold.active ? host.read("definition") : host.read("previous");
    byId("restore-work").hidden = previous === null;
    banner.hidden = false;
  }

  /** Shows a state while keeping the stored work (see StorageHold). */
  function showHeld(state: SharedState) {
    storageHold.begin(workOf(state));
    host.show(state);
    storageHold.begin(workOf(host.current()));
  }

  async function open() {
    const payload = payloadOf(location.hash);
    if (payload === null) return;
    try {
      const state = await decodeState(payload);
      showHeld(state);
      showBanner("You are looking at a shared link. Your own work stays saved in this browser until you edit here.");
    } catch (e) {
      showHeld(emptyState());
      const why = e instanceof LinkError ? e.message : "it could not be read";
      showBanner(`This link could not be opened: ${why}. The page is empty; your own work is kept.`, "error");
    }
  }

  function restore() {
    const fromStorage = storageHold.active;
    let previous: SharedState;
    if (fromStorage) {
      const w: Record<string, string | null> = {};
      for (const k of WORK_KEYS) w[k] = host.read(k);
      previous = stateOf(w);
    } else {
      try {
        previous = stateOf(JSON.parse(host.read("previous") ?? "{}"));
      } catch {
        previous = emptyState();
      }
      // What the link became after editing is kept in turn, so nothing is lost.
      host.write("previous", JSON.stringify(workOf(host.current())));
    }
    storageHold.end();
    host.show(previous);
    const now = workOf(host.current());
    for (const k of WORK_KEYS) host.write(k, now[k]);
    dropFragment();
    byId("share-banner").hidden = true;
  }
}
