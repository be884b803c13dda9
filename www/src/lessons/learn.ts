// The playground's Learn mode: a lesson pane beside the editors, graph, history and inspector.
// `#lesson=<id>` opens a lesson; `#learn` (the toolbar's Learn link) resumes the tour where
// the learner left it. The pane shows the lesson's text and goal, Check (the checker runs the
// learner's machine with the real engine, check.ts), hints one at a time, the solution (the
// learner's version is kept to restore), the next lesson, and the list of lessons with those
// passed. While a lesson is open the editors hold that lesson's work, kept per lesson in
// localStorage; the sandbox's stored work is left alone and comes back on leaving.
// Loaded on demand by main.ts, so the page's first load does not carry it.

import { button as btn, el, setEnabled } from "../dom";
import type { Engine } from "../engine";
import { type CheckResult, type Lesson, type Verdict, type Work, checkLesson, workOf } from "./check";
import {
  type TourEntry,
  engineRunner,
  keepWork,
  keptWork,
  lastLesson,
  lessonIdOf,
  loadLesson,
  loadStyles,
  loadTour,
  markPassed,
  paragraph,
  passedLessons,
  renderVerdict,
  richText,
  saveWork,
  savedWork,
  setLastLesson,
} from "./tour";

/** What the Learn mode needs of the playground (main.ts). */
export interface LearnHost {
  engine: Engine;
  /** The editors' text now. */
  work(): Work;
  /** Shows a machine in the editors; the run is reset and the graph redrawn. `testCase`
   * ([state machine, test case]; "" for the only one) is then picked in the test case menu. */
  show(work: Work, testCase?: [string, string] | null): void;
  /** Presses Run. */
  run(): void;
  /** From now on the editors' changes call `onEdit` instead of being stored as the sandbox's
   * work (a lesson is open). */
  capture(onEdit: () => void): void;
  /** Ends `capture`: the sandbox's stored work is shown again and edits are stored as before. */
  release(): void;
}

const same = (a: Work, b: Work) => a.definition === b.definition && a.input === b.input && a.mock === b.mock;

/** Installs Learn mode and opens the lesson the address names (called once). */
export function installLearn(host: LearnHost): void {
  const runner = engineRunner(host.engine);
  let tour: TourEntry[] = [];
  let lesson: Lesson | null = null;
  let hintsShown = 0;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let opening = 0;
  let shownBefore = false;
  /** The machine the verdict shown is about. */
  let checked: Work | null = null;

  // ---- the pane ------------------------------------------------------------------------------

  const pane = el("section", "lesson-pane");
  pane.id = "lesson-pane";
  pane.setAttribute("aria-label", "Lesson");
  const count = el("span", "lesson-count");
  const leave = btn("Leave the tour", () => close(), "lesson-leave");
  leave.title = "Back to the sandbox: your own machine comes back, and your lesson work stays kept";
  const title = el("h2", "lesson-title");
  title.tabIndex = -1;
  const body = el("div", "lesson-body");
  const text = el("div", "lesson-text");
  const goal = el("div", "lesson-goal");
  const checkBtn = btn("Check", () => void check(), "primary");
  checkBtn.title = "Run your machine on the lesson's checks";
  const hintBtn = btn("Hint", () => revealHint());
  const solutionBtn = btn("Show solution", () => askSolution());
  const nextBtn = btn("Next lesson", () => goNext());
  const actions = el("div", "lesson-actions");
  actions.setAttribute("role", "group");
  actions.setAttribute("aria-label", "Lesson actions");
  actions.append(checkBtn, hintBtn, solutionBtn, nextBtn);
  const confirmBox = el("div", "lesson-confirm");
  confirmBox.setAttribute("role", "group");
  confirmBox.hidden = true;
  const restoreRow = el("p", "lesson-restore");
  restoreRow.hidden = true;
  const verdict = el("div", "lesson-verdict");
  verdict.setAttribute("role", "status");
  verdict.setAttribute("aria-live", "polite");
  const hints = el("ol", "lesson-hints");
  hints.setAttribute("aria-label", "Hints");
  const next = el("div", "lesson-next");
  const navBox = el("details", "lesson-nav-box");
  const navSummary = el("summary");
  // Named from the start: the count follows once the tour is loaded (renderNav).
  navSummary.textContent = "All lessons";
  const nav = el("nav", "lesson-nav");
  nav.setAttribute("aria-label", "Lessons");
  const navList = el("ol");
  nav.append(navList);
  navBox.append(navSummary, nav);
  const top = el("div", "lesson-top");
  top.append(count, leave);
  body.append(text, goal, actions, confirmBox, restoreRow, verdict, hints, next, navBox);
  pane.append(top, title, body);

  // ---- opening and leaving -------------------------------------------------------------------

  async function open(id: string) {
    const mine = ++opening;
    await loadStyles();
    if (!pane.isConnected) {
      document.querySelector("main.layout")?.prepend(pane);
      document.body.classList.add("learning");
      document.getElementById("learn-link")?.setAttribute("aria-current", "page");
    }
    try {
      tour = await loadTour();
    } catch (e) {
      if (mine !== opening) return;
      return failed(
        "The lessons could not be loaded",
        `The list of lessons could not be fetched (${e instanceof Error ? e.message : String(e)}). Reload the page to try again.`,
      );
    }
    let found: Lesson;
    try {
      found = await loadLesson(id);
    } catch {
      if (mine !== opening) return;
      return failed("Lesson not found", `There is no lesson “${id}”. Pick one from the list below.`);
    }
    if (mine !== opening) return;
    flushSave();
    lesson = found;
    setLastLesson(id);
    hintsShown = 0;
    const at = tour.findIndex((t) => t.id === id);
    count.textContent = at >= 0 ? `Lesson ${at + 1} of ${tour.length}` : "Lesson";
    title.textContent = lesson.title;
    document.title = `${lesson.title} · aslplay Learn`;
    text.replaceChildren(...lesson.explanation.map((p) => paragraph(p)));
    const goalHead = el("h3", "", "Goal");
    goal.replaceChildren(goalHead, paragraph(lesson.goal));
    hints.replaceChildren();
    setEnabled(hintBtn, true);
    hintBtn.title = `${lesson.hints.length} hint${lesson.hints.length === 1 ? "" : "s"}, one at a time`;
    setEnabled(checkBtn, true);
    setEnabled(solutionBtn, true);
    const last = at < 0 || at + 1 >= tour.length;
    setEnabled(nextBtn, !last);
    checkBtn.classList.add("primary");
    nextBtn.classList.remove("primary");
    nextBtn.title = last ? "This is the last lesson of the tour" : `Next: ${tour[at + 1].title}`;
    confirmBox.hidden = true;
    verdict.replaceChildren(
      paragraph(
        passedLessons().has(id)
          ? "You passed this lesson before. Press Check to check the machine in the editors again."
          : "Change the machine in the editors, then press Check.",
        "verdict-idle",
      ),
    );
    delete verdict.dataset.passed;
    delete verdict.dataset.stale;
    checked = null;
    next.replaceChildren();
    renderNav();
    host.capture(() => undefined); // the lesson's text is shown, not stored anywhere
    host.show(savedWork(id) ?? workOf(lesson.starter));
    host.capture(edited);
    showRestore();
    body.scrollTop = 0;
    // Moving from lesson to lesson, focus follows to the new title (a screen reader reads it);
    // on arriving at the page, focus stays where the browser put it.
    if (shownBefore) title.focus({ preventScroll: true });
    shownBefore = true;
  }

  function failed(heading: string, message: string) {
    flushSave();
    lesson = null;
    host.release(); // the editors are the sandbox's again
    count.textContent = "Lesson";
    title.textContent = heading;
    text.replaceChildren(paragraph(message));
    goal.replaceChildren();
    hints.replaceChildren();
    verdict.replaceChildren();
    next.replaceChildren();
    confirmBox.hidden = restoreRow.hidden = true;
    for (const b of [checkBtn, hintBtn, solutionBtn, nextBtn]) setEnabled(b, false);
    renderNav();
    navBox.open = true;
  }

  function close() {
    flushSave();
    opening++;
    lesson = null;
    host.release();
    pane.remove();
    document.body.classList.remove("learning");
    document.getElementById("learn-link")?.removeAttribute("aria-current");
    document.title = "aslplay: Step Functions in the browser";
    if (lessonIdOf(location.hash) !== null || location.hash === "#learn")
      history.pushState(null, "", location.pathname + location.search);
    document.getElementById("learn-link")?.focus();
  }

  /** Follows the address: a lesson, the tour (resume), or (another fragment) leaves the tour. */
  function follow() {
    const id = lessonIdOf(location.hash);
    if (id !== null) return void open(id);
    if (location.hash === "#learn") {
      void loadTour().then(
        (t) => {
          const passed = passedLessons();
          const resume = lastLesson();
          const to = resume && t.some((x) => x.id === resume) ? resume : (t.find((x) => !passed.has(x.id)) ?? t[0])?.id;
          history.replaceState(null, "", `#lesson=${encodeURIComponent(to ?? "first-state-machine")}`);
          follow();
        },
        () => void open(lastLesson() ?? "first-state-machine"),
      );
      return;
    }
    if (pane.isConnected) close();
  }

  // ---- the learner's work ----------------------------------------------------------------------

  /** A verdict about the machine before a change says so (the input editor does not count: the
   * checks bring their own inputs). */
  function noteChange() {
    const now = host.work();
    const changed = checked && (now.definition !== checked.definition || now.mock !== checked.mock);
    if (changed && verdict.dataset.passed !== undefined && !verdict.dataset.stale) {
      verdict.dataset.stale = "true";
      verdict.append(paragraph("Your machine has changed since this check: press Check again.", "verdict-stale"));
    }
  }

  function edited() {
    clearTimeout(saveTimer);
    const id = lesson?.id;
    if (!id) return;
    noteChange();
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      if (lesson?.id === id) saveWork(id, host.work());
    }, 250);
  }

  function flushSave() {
    if (saveTimer === undefined || !lesson) return;
    clearTimeout(saveTimer);
    saveTimer = undefined;
    saveWork(lesson.id, host.work());
  }

  /** Replaces the editors' machine, keeping the learner's version to restore. */
  function replaceWith(w: Work) {
    if (!lesson) return;
    const now = host.work();
    const unchanged = (x: Work) => x.definition === now.definition && x.mock === now.mock;
    // The learner's own version is kept (not the starter, nor a solution shown before).
    if (!unchanged(workOf(lesson.starter)) && !unchanged(solutionWork(lesson, now))) keepWork(lesson.id, now);
    host.show(w);
    saveWork(lesson.id, w);
    showRestore();
  }

  function showRestore() {
    const id = lesson?.id;
    const kept = id ? keptWork(id) : null;
    restoreRow.hidden = !kept || same(kept, host.work());
    if (restoreRow.hidden || !id || !kept) return;
    const restore = btn("Restore my version", () => {
      host.show(kept);
      saveWork(id, kept);
      keepWork(id, null);
      showRestore();
      checkBtn.focus();
    });
    restoreRow.replaceChildren("Your own version is kept. ", restore);
  }

  /** The solution as the editors show it: its definition, and its input and mocks when it has
   * them (else the learner's stay). */
  function solutionWork(l: Lesson, now: Work): Work {
    const w = workOf(l.solution);
    return {
      definition: w.definition,
      input: l.solution.input === undefined ? now.input : w.input,
      mock: l.solution.mocks ? w.mock : now.mock,
    };
  }

  function askSolution() {
    if (!lesson) return;
    const now = host.work();
    const solution = solutionWork(lesson, now);
    if (same(now, solution)) return;
    const starter = workOf(lesson.starter);
    if (now.definition === starter.definition && now.mock === starter.mock) {
      replaceWith(solution);
      return;
    }
    confirmBox.setAttribute("aria-label", "Load the solution?");
    const load = btn(
      "Load the solution",
      () => {
        confirmBox.hidden = true;
        replaceWith(solution);
        checkBtn.focus();
      },
      "primary",
    );
    const cancel = btn("Cancel", () => {
      confirmBox.hidden = true;
      solutionBtn.focus();
    });
    confirmBox.replaceChildren(
      paragraph(
        "The solution replaces the machine in the editors. Your version is kept: **Restore my version** brings it back.",
      ),
      load,
      cancel,
    );
    confirmBox.hidden = false;
    load.focus();
  }

  // ---- hints, checking, next -----------------------------------------------------------------

  function revealHint() {
    if (!lesson || hintsShown >= lesson.hints.length) return;
    const li = el("li");
    li.append(...richText(lesson.hints[hintsShown]));
    hints.append(li);
    li.scrollIntoView({ block: "nearest" });
    hintsShown++;
    const left = lesson.hints.length - hintsShown;
    setEnabled(hintBtn, left > 0); // (turned off, the button keeps the keyboard focus)
    hintBtn.title = left
      ? `${left} more hint${left === 1 ? "" : "s"}`
      : "No more hints: Show solution shows the answer";
  }

  async function check() {
    if (!lesson) return;
    const checking = lesson;
    setEnabled(checkBtn, false);
    verdict.replaceChildren(paragraph("Checking: running your machine on the lesson's inputs…", "verdict-idle"));
    delete verdict.dataset.passed;
    let v: Verdict;
    const work = host.work();
    try {
      v = await checkLesson(checking, work, runner);
    } catch (e) {
      v = {
        passed: false,
        blocked: `the check failed: ${e instanceof Error ? e.message : String(e)}.`,
        checks: [],
        missing: [],
      };
    }
    setEnabled(checkBtn, true);
    if (lesson !== checking) return;
    delete verdict.dataset.stale;
    checked = work;
    renderVerdict(verdict, v, tryInput);
    noteChange(); // a change made while the check ran
    verdict.scrollIntoView({ block: "nearest" });
    // Once passed, Next lesson is the thing to press.
    const last = nextBtn.getAttribute("aria-disabled") === "true";
    checkBtn.classList.toggle("primary", !v.passed || last);
    nextBtn.classList.toggle("primary", v.passed && !last);
    if (v.passed) {
      markPassed(checking.id);
      renderNav();
      next.replaceChildren(el("h3", "", "What next"), paragraph(checking.next));
    } else next.replaceChildren();
  }

  /** Puts a check's input (and its own mocks and test case) in the editors and runs the
   * learner's machine. Mocks the learner wrote are kept to restore. */
  function tryInput(c: CheckResult) {
    if (!lesson) return;
    const now = host.work();
    const mock = c.mock === null ? now.mock : JSON.stringify(JSON.parse(c.mock), null, 2);
    const starterMock = workOf(lesson.starter).mock;
    if (mock !== now.mock && now.mock.trim() && now.mock !== starterMock) keepWork(lesson.id, now);
    const w = { definition: now.definition, input: JSON.stringify(c.input, null, 2), mock };
    host.show(w, c.testCase);
    saveWork(lesson.id, w);
    showRestore();
    host.run();
  }

  function goNext() {
    const at = tour.findIndex((t) => t.id === lesson?.id);
    const to = tour[at + 1];
    if (to) location.hash = `lesson=${encodeURIComponent(to.id)}`;
  }

  function renderNav() {
    const passed = passedLessons();
    const done = tour.filter((t) => passed.has(t.id)).length;
    navSummary.textContent = `All lessons (${done} of ${tour.length} passed)`;
    navList.replaceChildren(
      ...tour.map((t) => {
        const li = el("li");
        const a = el("a");
        a.href = `#lesson=${encodeURIComponent(t.id)}`;
        a.title = t.summary;
        const isPassed = passed.has(t.id);
        const mark = el("span", "mark", isPassed ? "✓" : "");
        mark.setAttribute("aria-hidden", "true");
        a.append(mark, t.title);
        if (isPassed) a.append(el("span", "visually-hidden", " (passed)"));
        li.dataset.passed = String(isPassed);
        if (t.id === lesson?.id) a.setAttribute("aria-current", "page");
        li.append(a);
        return li;
      }),
    );
  }

  window.addEventListener("hashchange", follow);
  window.addEventListener("pagehide", flushSave);
  follow();
}
