// Small DOM helpers for the page's views (the Map Run view, the S3 pane, the inspector, the
// dialogs, the editor's tooltips, the value path panel, the lessons). Every
// piece of data goes in as text (textContent), never as markup.

/** An element with a class and optional text content. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls = "", text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A new element with properties (`className`, `value`, ...) and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** A button with a label that runs `onClick` (unless it is turned off with `setEnabled`). */
export function button(label: string, onClick: () => void, cls = ""): HTMLButtonElement {
  const b = el("button", cls, label);
  b.type = "button";
  whenEnabled(b, onClick);
  return b;
}

const numbers = new Intl.NumberFormat("en-US");
/** `1,234` (one formatter: toLocaleString makes a new one on every call, which is slow). */
export const count = (n: number) => numbers.format(n);

/** Bytes as people read them: `512 B`, `12.5 KiB`, `3.1 MiB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Offers `text` as a file download named `name`. */
export function download(name: string, text: string, type = "application/octet-stream") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Makes a box that scrolls its content (a `<pre>` with a max-height) reachable with Tab while,
 * and only while, its content overflows it, so that keyboard users can scroll it (WCAG 2.1.1).
 */
export function scrollableByKeyboard(box: HTMLElement) {
  new ResizeObserver(() => {
    const overflows = box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
    if (overflows) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  }).observe(box);
}

/**
 * Turns a toolbar button off or on without taking it out of the focus order: `aria-disabled`
 * rather than `disabled`, so that the focus stays on Run or Step while a run starts (a disabled
 * button drops the keyboard focus to the page). Its click listeners are guarded by `whenEnabled`.
 */
export function setEnabled(b: HTMLElement, enabled: boolean) {
  if (enabled) b.removeAttribute("aria-disabled");
  else b.setAttribute("aria-disabled", "true");
}

/** Runs `action` on a click of `b` while it is not aria-disabled (see `setEnabled`). */
export function whenEnabled(b: HTMLElement, action: () => void) {
  b.addEventListener("click", () => {
    if (b.getAttribute("aria-disabled") !== "true") action();
  });
}
