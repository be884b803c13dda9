// The "Project files" dialog, loaded on first use: the files a SAM/CloudFormation template in
// the definition editor names (DefinitionUri), which of them the page has and which it lacks,
// the files held (each removable), and two ways to add one: open files, or paste a file's text
// under the name the template asks for (typed for you when a file is missing).

import { element } from "./dom";
import type { GivenFile, ImportExport } from "./importexport";

let dialog: HTMLDialogElement | null = null;
let owner: ImportExport | null = null;
/** Redraws the dialog's lists (the template or the files changed). */
let refresh: () => void = () => undefined;

const size = (text: string) => {
  const n = new TextEncoder().encode(text).length;
  return n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KB`;
};

/** Opens the dialog for the page's import and export object. */
export function openProjectFiles(io: ImportExport) {
  owner = io;
  const d = dialog ?? build();
  refresh();
  d.showModal();
  (d.querySelector<HTMLElement>("[data-first]") ?? d.querySelector<HTMLElement>("button"))?.focus();
}

function build(): HTMLDialogElement {
  const title = element("h2", { id: "project-title" }, "Project files");
  const hint = element(
    "p",
    { className: "hint" },
    "A SAM or CloudFormation template may keep its state machine in a file it names (",
    element("code", {}, "DefinitionUri: statemachine/flow.asl.json"),
    "). Give the page that file: open it, drop it on the definition editor (with the template or after it), or paste it below. Files are matched by path, or by file name.",
  );
  const needed = element("ul", { className: "project-needed" });
  needed.setAttribute("aria-label", "Files the template names");
  const held = element("ul", { className: "project-held" });
  held.setAttribute("aria-label", "Files given");
  const picker = element("input", { type: "file", multiple: true, hidden: true });
  const open = element("button", { type: "button", textContent: "Open files…" });
  open.addEventListener("click", () => picker.click());
  const outcome = element("p", { className: "dialog-outcome" });
  outcome.setAttribute("aria-live", "polite");
  const say = (text: string, kind: "ok" | "error") => {
    outcome.dataset.kind = kind;
    outcome.textContent = text;
  };
  picker.addEventListener("change", async () => {
    const files = await Promise.all(
      [...(picker.files ?? [])].map(async (f) => ({ name: f.webkitRelativePath || f.name, text: await f.text() })),
    );
    picker.value = "";
    if (!files.length || !owner) return;
    owner.addProjectFiles(files);
    say(`Added ${files.map((f) => f.name).join(", ")}.`, "ok");
  });
  const name = element("input", { size: 32, spellcheck: false, placeholder: "statemachine/flow.asl.json" });
  name.setAttribute("aria-label", "File name");
  name.dataset.first = "true";
  const area = element("textarea", { spellcheck: false, placeholder: '{"StartAt": ..., "States": {...}}' });
  area.setAttribute("aria-label", "File contents");
  const add = element("button", { type: "button", textContent: "Add file", className: "primary" });
  add.addEventListener("click", () => {
    const file: GivenFile = { name: name.value.trim(), text: area.value };
    if (!file.name) return say("Name the file first (as the template's DefinitionUri writes it).", "error");
    if (!file.text.trim()) return say("Paste the file's text first.", "error");
    owner?.addProjectFiles([file]);
    area.value = "";
    say(`Added ${file.name}.`, "ok");
  });
  const close = element("button", { type: "button", textContent: "Close" });
  const d = element(
    "dialog",
    { className: "dialog project-dialog" },
    title,
    hint,
    element("h3", {}, "Named by the template"),
    needed,
    element("h3", {}, "Given"),
    held,
    element("div", { className: "dialog-row" }, open, picker),
    element("div", { className: "dialog-row" }, element("label", {}, "File name ", name)),
    area,
    outcome,
    element("div", { className: "dialog-actions" }, element("span", { className: "spacer" }), close, add),
  );
  d.setAttribute("aria-labelledby", "project-title");
  close.addEventListener("click", () => d.close());
  d.addEventListener("close", () => {
    outcome.textContent = "";
    delete outcome.dataset.kind;
  });
  refresh = () => {
    if (!owner) return;
    const named = owner.namedFiles();
    needed.replaceChildren(
      ...(named.length
        ? named.map((n) =>
            element(
              "li",
              { className: n.missing ? "missing" : "" },
              element("code", {}, n.file),
              ` (${n.machine}): ${n.missing ? "missing" : "given"}`,
            ),
          )
        : [element("li", {}, "None: the definition editor holds no template that names a file.")]),
    );
    const firstMissing = named.find((n) => n.missing);
    if (firstMissing && !name.value) name.value = firstMissing.file;
    const files = owner.heldFiles();
    held.replaceChildren(
      ...(files.length
        ? files.map((f) => {
            const remove = element("button", { type: "button", textContent: "Remove" });
            remove.setAttribute("aria-label", `Remove ${f.name}`);
            remove.addEventListener("click", () => {
              owner?.removeProjectFile(f.name);
              say(`Removed ${f.name}.`, "ok");
            });
            return element("li", {}, element("code", {}, f.name), ` ${size(f.text)} `, remove);
          })
        : [element("li", {}, "No files yet.")]),
    );
  };
  document.body.append(d);
  dialog = d;
  return d;
}

/** Redraws the dialog when it is open (the page re-read the template with the files). */
export function projectChanged() {
  if (dialog?.open) refresh();
}
