// A lesson in an embed (embed.html#lesson=<id>), for documentation pages: the lesson's title,
// goal, Check, Hint and verdict above the embed's editable definition, graph and result, and
// a link to the lesson in the playground's tour. The learner's work and progress are kept as
// in the tour (same localStorage keys, so a learner who opens the tour on the same site finds
// them). Loaded on demand by embed.ts.

import { button, el, setEnabled } from "../dom";
import type { Engine } from "../engine";
import { type Lesson, type Work, checkLesson, workOf } from "./check";
import {
  engineRunner,
  loadLesson,
  loadStyles,
  markPassed,
  paragraph,
  passedLessons,
  renderVerdict,
  richText,
  saveWork,
  savedWork,
} from "./tour";

/** What a lesson embed needs of the embed page (embed.ts). */
export interface EmbedLessonHost {
  engine: Engine;
  work(): Work;
  /** Shows a machine in the editors (the run is cleared, the graph redrawn). */
  show(work: Work): void;
  /** Shows the mock configuration pane (for lessons with mocks). */
  showMocks(): void;
  /** Where the lesson box goes (before the embed's controls). */
  before: HTMLElement;
}

/** Adds the lesson box; resolves once the lesson is shown, with a function to call on every edit. */
export async function installEmbedLesson(id: string, host: EmbedLessonHost): Promise<() => void> {
  await loadStyles();
  const box = el("section", "lesson-embed");
  box.setAttribute("aria-label", "Lesson");
  host.before.before(box);
  let lesson: Lesson;
  try {
    lesson = await loadLesson(id);
  } catch {
    box.replaceChildren(paragraph(`There is no lesson “${id}”: check the embed's address (#lesson=<id>).`));
    return () => undefined;
  }
  const title = el("h2", "lesson-title", lesson.title);
  const goal = el("div", "lesson-goal");
  goal.append(el("h3", "", "Goal"), paragraph(lesson.goal));
  const actions = el("div", "lesson-actions");
  actions.setAttribute("role", "group");
  actions.setAttribute("aria-label", "Lesson actions");
  const check = button("Check", () => void runCheck(), "primary");
  const hint = button("Hint", () => revealHint());
  const tour = el("a", "lesson-tour", "Open in the tour ↗");
  tour.href = new URL(`index.html#lesson=${encodeURIComponent(id)}`, location.href).href;
  tour.target = "_blank";
  tour.rel = "noopener noreferrer";
  actions.append(check, hint, tour);
  const verdict = el("div", "lesson-verdict");
  verdict.setAttribute("role", "status");
  verdict.setAttribute("aria-live", "polite");
  if (passedLessons().has(id)) verdict.append(paragraph("You passed this lesson before.", "verdict-idle"));
  const hints = el("ol", "lesson-hints");
  hints.setAttribute("aria-label", "Hints");
  box.append(title, goal, actions, verdict, hints);

  const runner = engineRunner(host.engine);
  async function runCheck() {
    setEnabled(check, false); // (turned off, it keeps the keyboard focus)
    verdict.replaceChildren(paragraph("Checking: running the machine on the lesson's inputs…", "verdict-idle"));
    delete verdict.dataset.passed;
    try {
      const v = await checkLesson(lesson, host.work(), runner);
      renderVerdict(verdict, v);
      if (v.passed) markPassed(id);
    } finally {
      setEnabled(check, true);
    }
  }
  let shown = 0;
  function revealHint() {
    if (shown >= lesson.hints.length) return;
    const li = el("li");
    li.append(...richText(lesson.hints[shown++]));
    hints.append(li);
    setEnabled(hint, shown < lesson.hints.length);
  }

  if (lesson.starter.mocks) host.showMocks();
  host.show(savedWork(id) ?? workOf(lesson.starter));
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => saveWork(id, host.work()), 250);
  };
}
