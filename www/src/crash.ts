// What the page shows when the engine crashes (a WebAssembly trap: a bug in aslplay, not in the
// user's state machine): what happened, that a new engine has started and the text is kept,
// and what to report: a share link that reproduces the crash, with the engine's version.

import { button, element } from "./dom";
import { copy } from "./sharebar";
import { encodeState, linkTo, type SharedState, tooLong } from "./share";

/**
 * Fills `box` (the page's alert region) with the crash report for `state` (the editors and
 * options when the engine crashed). `detail` is the worker's error text, `version` the engine's.
 */
export async function showCrash(
  box: HTMLElement,
  detail: string,
  restarted: boolean,
  version: string,
  state: SharedState,
): Promise<void> {
  const link = linkTo(location.href, await encodeState(state));
  const refusal = tooLong(link.length);
  const parts: (string | Node)[] = [
    `The engine crashed (${detail}). This is a bug in aslplay, not in your state machine. `,
    restarted ? "A new engine has started and your text is kept: you can run again. " : "",
  ];
  if (refusal) {
    parts.push(
      `Please report it with your definition, input and mock configuration and the engine version (${version}); the state is too large for a link.`,
    );
  } else {
    const a = element("a", { href: link, target: "_blank", rel: "noopener", textContent: "link to this state" });
    const report = `aslplay ${version} crashed (${detail}) on this state: ${link}`;
    // Where the report is selected for the user to copy if the browser refuses the clipboard.
    const field = element("textarea", { value: report });
    field.setAttribute("aria-label", "Crash report");
    const copyButton = button("Copy report", async () => {
      if (!field.isConnected) copyButton.after(field);
      const copied = await copy(report, field);
      copyButton.textContent = copied ? "Copied" : "Copy the selected text";
      if (copied) field.remove();
    });
    parts.push(
      "Please report it with the engine version (",
      version,
      ") and this ",
      a,
      ", which reproduces it. ",
      copyButton,
    );
  }
  box.replaceChildren(...parts);
  box.dataset.kind = "error";
  box.hidden = false;
}
