// The editor side of the ASL language service (issue 12): CodeMirror extensions that ask the
// service (src/language/, in the worker; see Engine.complete/hover/signature) for completions
// with snippets, hover documentation and signature help, and render its answers. This module
// and @codemirror/autocomplete are a chunk the page loads after it is interactive
// (main.ts), not part of the first load. Quick fixes are lint actions: see editors.ts.

import {
  autocompletion,
  snippet,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from "@codemirror/autocomplete";
import { el } from "./dom";
import { EditorState, type Extension, StateEffect, StateField } from "@codemirror/state";
import { EditorView, ViewPlugin, hoverTooltip, showTooltip, type Tooltip, type ViewUpdate } from "@codemirror/view";
import type {
  CompletionResult as LanguageCompletion,
  HoverResult,
  LanguageDoc,
  LanguageRequest,
  SignatureResult,
} from "./protocol";

/** What the extensions ask: the Engine client answers these (each null when it has nothing). */
export interface LanguageService {
  complete(req: LanguageRequest): Promise<LanguageCompletion | null>;
  hover(req: LanguageRequest): Promise<HoverResult | null>;
  signature(req: LanguageRequest): Promise<SignatureResult | null>;
}

/** Which editor the extensions serve, and for the mock configuration, the definition's text. */
export interface LanguageTarget {
  doc: LanguageDoc;
  definition?: () => string;
}

/** Plain text with `code` spans, as the service writes its docs, into DOM nodes. */
export function docText(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  text.split(/(`[^`\n]+`)/).forEach((part, i) => {
    if (i % 2 === 0) {
      if (part) out.append(part);
    } else {
      const code = document.createElement("code");
      code.textContent = part.slice(1, -1);
      out.append(code);
    }
  });
  return out;
}

/** The "AWS documentation" link, opening in a new tab. */
function docLink(href: string): HTMLAnchorElement {
  const a = el("a", "asl-doc-link", "AWS documentation");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

/** A hover answer as the tooltip's content: title, signature, text, example, link. */
export function hoverContent(h: HoverResult): HTMLElement {
  const box = el("div", "asl-doc");
  box.append(el("div", "asl-doc-title", h.title));
  if (h.signature) box.append(el("code", "asl-doc-signature", h.signature));
  const p = el("p", "asl-doc-text");
  p.append(docText(h.text));
  box.append(p);
  if (h.example) box.append(el("pre", "asl-doc-example", h.example));
  if (h.link) box.append(docLink(h.link));
  return box;
}

/** A completion option's longer docs, for the info panel beside the list. */
function infoContent(info: string): Node {
  const box = el("div", "asl-doc asl-doc-info");
  const p = el("p", "asl-doc-text");
  p.append(docText(info));
  box.append(p);
  return box;
}

function request(state: EditorState, target: LanguageTarget, offset: number, explicit?: boolean): LanguageRequest {
  return {
    doc: target.doc,
    text: state.doc.toString(),
    offset,
    definition: target.definition?.(),
    explicit,
  };
}

/** The list is filtered locally while the word typed grows; any other character asks again. */
const SAME_WORD = /^[\w$-]*$/;

/** The character just typed is part of a key, a value, a path or a function name. */
const TYPED = /["\w$.@]$/;

function completions(service: LanguageService, target: LanguageTarget) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    // While typing, the list opens on a word, a quote or a path being typed, not after `{`, `,`,
    // `:` or a space: Enter there must start a new line rather than take a suggestion nobody
    // asked for (Ctrl+Space still asks anywhere).
    if (!ctx.explicit && !ctx.matchBefore(TYPED)) return null;
    const answer = await service.complete(request(ctx.state, target, ctx.pos, ctx.explicit));
    if (!answer || ctx.aborted || !answer.options.length) return null;
    const options: Completion[] = answer.options.map((o) => ({
      label: o.label,
      detail: o.detail || undefined,
      type: o.type,
      boost: o.boost,
      apply: o.apply === undefined ? undefined : o.snippet ? snippet(o.apply) : o.apply,
      info: o.info ? () => infoContent(o.info as string) : undefined,
    }));
    return { from: answer.from, to: answer.to, options, validFor: SAME_WORD };
  };
}

function hover(service: LanguageService, target: LanguageTarget) {
  return hoverTooltip(
    async (view, pos) => {
      const h = await service.hover(request(view.state, target, pos));
      if (!h) return null;
      return { pos: h.from, end: h.to, above: true, create: () => ({ dom: hoverContent(h) }) };
    },
    { hoverTime: 250 },
  );
}

// ---- signature help --------------------------------------------------------------------

/** The signature to show at a position, or null for none. */
const setSignature = StateEffect.define<{ pos: number; help: SignatureResult } | null>();

/** The label with the active parameter emphasized, and that parameter's doc. */
export function signatureContent(help: SignatureResult): HTMLElement {
  const box = el("div", "asl-signature");
  const label = el("code", "asl-signature-label");
  // Find each parameter's label in turn after the opening parenthesis.
  let at = Math.max(0, help.label.indexOf("(") + 1);
  let from = -1;
  let to = -1;
  // A parameter documented for several ("value1, ...") is found by its first name.
  help.parameters.forEach((p, i) => {
    let name = p.label;
    let found = help.label.indexOf(name, at);
    if (found < 0) {
      name = p.label.split(/[\s,]/)[0];
      found = name ? help.label.indexOf(name, at) : -1;
    }
    if (found < 0) return;
    if (i === help.active) [from, to] = [found, found + name.length];
    at = found + name.length;
  });
  if (from < 0) label.textContent = help.label;
  else {
    const active = el("strong", "asl-signature-active", help.label.slice(from, to));
    label.append(help.label.slice(0, from), active, help.label.slice(to));
  }
  box.append(label);
  const doc = help.parameters[help.active]?.doc ?? help.doc;
  if (doc) {
    const p = el("p", "asl-signature-doc");
    p.append(docText(doc));
    box.append(p);
  }
  return box;
}

const signatureField = StateField.define<Tooltip | null>({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects)
      if (e.is(setSignature)) {
        if (!e.value) return null;
        const { pos, help } = e.value;
        return { pos, above: true, create: () => ({ dom: signatureContent(help) }) };
      }
    if (value && tr.docChanged) return { ...value, pos: tr.changes.mapPos(value.pos) };
    return value;
  },
  provide: (f) => showTooltip.from(f),
});

/** Asks for signature help when the cursor moves or the text changes (the newest answer wins). */
function signatureHelp(service: LanguageService, target: LanguageTarget) {
  return ViewPlugin.fromClass(
    class {
      serial = 0;
      timer: ReturnType<typeof setTimeout> | undefined;
      shown = "";
      constructor(readonly view: EditorView) {}
      update(u: ViewUpdate) {
        if (u.docChanged || u.selectionSet || u.focusChanged) {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => void this.ask(), 60);
        }
      }
      async ask() {
        const serial = ++this.serial;
        const { state } = this.view;
        const head = state.selection.main.head;
        const line = state.doc.lineAt(head);
        // Only inside a call: the line holds a parenthesis before the cursor.
        const help =
          this.view.hasFocus && state.sliceDoc(line.from, head).includes("(")
            ? await service.signature(request(state, target, head))
            : null;
        if (serial !== this.serial || this.view.state.doc !== state.doc) return;
        const key = help ? JSON.stringify([help.label, help.active]) : "";
        if (key === this.shown) return;
        this.shown = key;
        this.view.dispatch({ effects: setSignature.of(help ? { pos: head, help } : null) });
      }
      destroy() {
        clearTimeout(this.timer);
        this.serial++;
      }
    },
  );
}

/**
 * Completions (Ctrl+Space, and while typing), hover docs and signature help for one editor,
 * answered by `service` for `target`.
 */
export function languageSupport(service: LanguageService, target: LanguageTarget): Extension {
  return [
    autocompletion({
      override: [completions(service, target)],
      activateOnTyping: true,
      // After a key is completed as `"Key": ""` with the cursor in the value, offer its values.
      activateOnCompletion: (c) => c.type === "property",
      icons: true,
    }),
    // A snippet's placeholder used twice (a state's name in StartAt and States) is edited at once.
    EditorState.allowMultipleSelections.of(true),
    hover(service, target),
    signatureField,
    signatureHelp(service, target),
    typeOverParen,
  ];
}

/**
 * A `)` typed just before a `)` steps over it when the line's parentheses are already
 * balanced: a completed function comes with its closing parenthesis (`$uppercase(|)`), and a
 * learner who types the arguments and `)` should get one, not two. Where one is missing, the
 * `)` is inserted as usual.
 */
const typeOverParen = EditorView.inputHandler.of((view, from, to, text) => {
  if (text !== ")" || from !== to || view.state.sliceDoc(from, from + 1) !== ")") return false;
  const line = view.state.doc.lineAt(from).text;
  let depth = 0;
  for (const c of line) depth += c === "(" ? 1 : c === ")" ? -1 : 0;
  if (depth > 0) return false;
  view.dispatch({ selection: { anchor: from + 1 }, scrollIntoView: true, userEvent: "input.type" });
  return true;
});
