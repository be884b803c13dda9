// What the Learn pane (learn.ts) and a lesson embed (embedlesson.ts) share: loading the tour
// and its lessons (fetched on demand from lessons/, next to the page), the learner's progress
// and work in localStorage, lesson text with its little markup, the verdict's rendering, and
// the checker's Runner over the page's engine worker.

import { button, el } from "../dom";
import type { Engine } from "../engine";
import { type CheckResult, type Lesson, type Runner, type Verdict, type Work, headline, show } from "./check";

/** One lesson of the tour, as the list shows it (build.mjs writes lessons/tour.json). */
export interface TourEntry {
  id: string;
  title: string;
  summary: string;
}

const base = () => new URL("lessons/", location.href);

async function getJson<T>(file: string): Promise<T> {
  const res = await fetch(new URL(file, base()));
  if (!res.ok) throw new Error(`${file}: ${res.status} ${res.statusText}`);
  return (await res.json()) as T;
}

let tourLoaded: Promise<TourEntry[]> | null = null;
/** The lessons in tour order (fetched once). */
export function loadTour(): Promise<TourEntry[]> {
  tourLoaded ??= getJson<TourEntry[]>("tour.json").catch((e) => {
    tourLoaded = null;
    throw e;
  });
  return tourLoaded;
}

const lessons = new Map<string, Promise<Lesson>>();
/** One lesson file (fetched once). */
export function loadLesson(id: string): Promise<Lesson> {
  let found = lessons.get(id);
  if (!found) {
    found = getJson<Lesson>(`${encodeURIComponent(id)}.json`);
    found.catch(() => lessons.delete(id));
    lessons.set(id, found);
  }
  return found;
}

/** The lesson id in a URL fragment (`#lesson=<id>`, possibly among `&`-separated options). */
export function lessonIdOf(hash: string): string | null {
  for (const part of hash.replace(/^#/, "").split("&"))
    if (part.startsWith("lesson=")) return decodeURIComponent(part.slice(7)) || null;
  return null;
}

// ---- progress and work (localStorage, "aslplay." keys) -------------------------------------

const KEY = "aslplay.";
function read(k: string): string | null {
  try {
    return localStorage.getItem(KEY + k);
  } catch {
    return null;
  }
}
function write(k: string, v: string | null) {
  try {
    if (v === null) localStorage.removeItem(KEY + k);
    else localStorage.setItem(KEY + k, v);
  } catch {
    /* storage full or refused: progress is kept for this visit only */
  }
}

/** The ids of the lessons passed. */
export function passedLessons(): Set<string> {
  try {
    const v = JSON.parse(read("lessons.passed") ?? "[]");
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  } catch {
    return new Set();
  }
}

export function markPassed(id: string) {
  const passed = passedLessons();
  passed.add(id);
  write("lessons.passed", JSON.stringify([...passed]));
}

function readWork(k: string): Work | null {
  try {
    const w = JSON.parse(read(k) ?? "null");
    if (w && typeof w.definition === "string" && typeof w.input === "string" && typeof w.mock === "string")
      return { definition: w.definition, input: w.input, mock: w.mock };
  } catch {
    /* damaged: as if there were none */
  }
  return null;
}

/** The learner's work on a lesson (what the editors held), or null if none was kept. */
export const savedWork = (id: string) => readWork(`lesson.${id}`);
export const saveWork = (id: string, w: Work) => write(`lesson.${id}`, JSON.stringify(w));
/** The learner's own version, kept while the solution (or the starter again) is shown. */
export const keptWork = (id: string) => readWork(`lesson.${id}.mine`);
export const keepWork = (id: string, w: Work | null) => write(`lesson.${id}.mine`, w && JSON.stringify(w));
/** The lesson opened last (Learn resumes there). */
export const lastLesson = () => read("lessons.last");
export const setLastLesson = (id: string) => write("lessons.last", id);

// ---- text ------------------------------------------------------------------------------------

/**
 * Lesson text as DOM nodes: `code`, **bold** and [text](https://link) (links open in a new
 * tab); everything else is plain text, never markup.
 */
export function richText(text: string): Node[] {
  const out: Node[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\((https:\/\/[^\s)]+)\)/g;
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) out.push(document.createTextNode(text.slice(at, m.index)));
    if (m[1] !== undefined) out.push(el("code", "", m[1]));
    else if (m[2] !== undefined) out.push(el("strong", "", m[2]));
    else {
      const a = el("a", "", m[3]);
      a.href = m[4];
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      out.push(a);
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(document.createTextNode(text.slice(at)));
  return out;
}

/** A paragraph of lesson text. */
export function paragraph(text: string, cls = ""): HTMLParagraphElement {
  const p = el("p", cls);
  p.append(...richText(text));
  return p;
}

/**
 * Fills the verdict element: the headline ("Passed: ..." / "Not yet: ...") and a line per
 * check and per missing construct. `onTry` (optional) adds a "Try it" button to each check
 * that differed, to run the learner's machine on that check's input.
 */
export function renderVerdict(host: HTMLElement, v: Verdict, onTry?: (check: CheckResult) => void): void {
  const h = headline(v);
  const colon = h.indexOf(":");
  const head = el("p", "verdict-head");
  head.append(el("strong", "", h.slice(0, colon)), h.slice(colon));
  host.dataset.passed = String(v.passed);
  /** A line of the list: ✓ or ✗ (hidden from screen readers, who hear the words instead). */
  const line = (passed: boolean, said: string) => {
    const li = el("li");
    li.dataset.passed = String(passed);
    const mark = el("span", "mark", passed ? "✓" : "✗");
    mark.setAttribute("aria-hidden", "true");
    li.append(mark);
    if (said) li.append(el("span", "visually-hidden", said));
    return li;
  };
  const list = el("ul", "verdict-list");
  for (const c of v.checks) {
    const li = line(c.passed, c.passed ? "OK: " : "Differs: ");
    li.append(el("span", "check-name", c.passed ? c.name : `${c.name} (input ${show(c.input, 80)})`));
    if (!c.passed) {
      // One difference follows the name; several are listed under it.
      if (c.differences.length === 1) li.append(`: ${c.differences[0]}.`);
      else {
        const sub = el("ul");
        sub.append(...c.differences.map((d) => el("li", "", `${d}.`)));
        li.append(":", sub);
      }
      if (onTry && c.kind === "execution") {
        const b = button("Try it", () => onTry(c), "try");
        b.setAttribute("aria-label", `Try it: run your machine on the input of “${c.name}”`);
        b.title = "Put this check's input in the editors and run your machine on it";
        li.append(c.differences.length === 1 ? " " : "", b);
      }
    }
    list.append(li);
  }
  for (const m of v.missing) {
    const li = line(false, "");
    li.append("Missing: ", ...richText(m));
    list.append(li);
  }
  host.replaceChildren(head, ...(list.childElementCount ? [list] : []));
}

/** How long a check may wait for the engine before giving up. */
const ENGINE_PATIENCE_MS = 20_000;

function patiently(p: Promise<string>): Promise<string> {
  return Promise.race([p, new Promise<string>((ok) => setTimeout(() => ok("timeout"), ENGINE_PATIENCE_MS))]);
}

/** The checker's Runner over the page's engine worker. */
export function engineRunner(engine: Engine): Runner {
  const gone = (json: string) =>
    json === "null"
      ? "the engine was restarted before the check finished; press Check again"
      : json === "timeout"
        ? `the engine did not answer within ${ENGINE_PATIENCE_MS / 1000} s`
        : null;
  return {
    async execute(req) {
      const json = await patiently(engine.execute(req));
      const why = gone(json);
      return why ? { failure: why } : JSON.parse(json);
    },
    async testState(request) {
      const json = await patiently(engine.testState(JSON.stringify(request)));
      const why = gone(json);
      return why ? { error: "Engine", message: why } : JSON.parse(json);
    },
  };
}

let styled: Promise<void> | null = null;
/** Adds the lesson styles (lessons.css, beside the page) once; resolves once they apply. */
export function loadStyles(): Promise<void> {
  styled ??= new Promise((done) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("lessons.css", location.href).href;
    link.onload = link.onerror = () => done();
    document.head.append(link);
  });
  return styled;
}
