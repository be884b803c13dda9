// The three CodeMirror 6 editors (definition, input, mock configuration), each with JSON
// highlighting and a linter whose diagnostics come from the engine (debounced as you type),
// with the language service's quick fixes as their actions. The language service's
// completions, hover docs and signature help are added later (www/src/language.ts).

import { EditorState, type Extension, Facet, StateEffect, type Text } from "@codemirror/state";
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
  syntaxTree,
  HighlightStyle,
} from "@codemirror/language";
import { json } from "@codemirror/lang-json";
import { linter, lintGutter, type Action, type Diagnostic } from "@codemirror/lint";
import { tags } from "@lezer/highlight";
import type { SyntaxNode } from "@lezer/common";
import type { AwsDiagnostic, QuickFix } from "./protocol";

/** A problem at a 1-based line and column of an editor's text. */
export interface Problem {
  line: number;
  column: number;
  severity: "error" | "warning";
  message: string;
  code?: string;
  /** The engine's diagnostic this problem shows (quick fixes are asked for it). */
  diagnostic?: AwsDiagnostic;
}

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: "var(--syn-key)" },
  { tag: tags.string, color: "var(--syn-string)" },
  { tag: tags.number, color: "var(--syn-number)" },
  { tag: [tags.bool, tags.null], color: "var(--syn-keyword)" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "13px", backgroundColor: "var(--editor-bg)", color: "var(--fg)" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", lineHeight: "1.45" },
  ".cm-gutters": {
    backgroundColor: "var(--editor-gutter)",
    color: "var(--muted)",
    borderRight: "1px solid var(--border)",
  },
  ".cm-activeLine": { backgroundColor: "var(--editor-active)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused": { outline: "2px solid var(--accent)", outlineOffset: "-2px" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "var(--selection) !important" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)" },
});

/** Converts 1-based line/column to a document offset, clamped into the document. */
export function offsetOf(state: EditorState, line: number, column: number): number {
  const l = state.doc.line(Math.min(Math.max(1, line), state.doc.lines));
  return Math.min(l.from + Math.max(0, column - 1), l.to);
}

function toDiagnostics(state: EditorState, problems: Problem[], fixes: QuickFix[][] = []): Diagnostic[] {
  return problems.map((p, i) => {
    const from = offsetOf(state, p.line, p.column);
    const word = state.doc.lineAt(from);
    // Underline from the column to the end of the token (or one character at least).
    const rest = state.sliceDoc(from, word.to);
    const m = /^("(?:[^"\\]|\\.)*"?|[^\s,:{}[\]]+)/.exec(rest);
    const to = Math.min(word.to, from + Math.max(1, m ? m[0].length : 1));
    return {
      from,
      to: Math.max(to, from),
      severity: p.severity,
      message: p.code ? `${p.message} [${p.code}]` : p.message,
      actions: fixes[i]?.map((fix) => fixAction(fix, state.doc)),
    };
  });
}

/** A quick fix as a lint action; it applies only to the text it was made for (a re-check follows any edit). */
function fixAction(fix: QuickFix, checked: Text): Action {
  return {
    name: fix.name,
    apply(view) {
      if (view.state.doc !== checked) return;
      view.dispatch({ changes: fix.changes, scrollIntoView: true, userEvent: "input.fix" });
      view.focus();
    },
  };
}

/** Whether `pos` is inside a JSON string (between its quotes) of the editor's syntax tree. */
function insideString(state: EditorState, pos: number): boolean {
  for (let node: SyntaxNode | null = syntaxTree(state).resolveInner(pos, -1); node; node = node.parent) {
    if (node.name !== "String" && node.name !== "PropertyName") continue;
    const closed = node.to - node.from > 1 && state.sliceDoc(node.to - 1, node.to) === '"';
    return node.from < pos && (pos < node.to || !closed);
  }
  return false;
}

export interface EditorOptions {
  parent: HTMLElement;
  label: string;
  text: string;
  /** Called (debounced) with the text; returns the problems to underline. */
  check: (text: string) => Promise<Problem[]>;
  /** Quick fixes for the problems `check` found in `text`: one list per problem, in order. */
  fixes?: (text: string, problems: Problem[]) => Promise<QuickFix[][]>;
  onChange: (text: string) => void;
  /** More extensions (e.g. a listener for the cursor). */
  extensions?: Extension[];
}

/**
 * Ctrl/Cmd+F: loads CodeMirror's search (a separate chunk, kept out of the first load), adds its
 * keys and selection-match highlighting to this editor, and opens its panel.
 */
function openSearch(view: EditorView): boolean {
  void import("@codemirror/search").then((search) => {
    if (!view.state.facet(searchLoaded)) {
      view.dispatch({
        effects: StateEffect.appendConfig.of([
          searchLoaded.of(true),
          keymap.of(search.searchKeymap),
          search.highlightSelectionMatches(),
        ]),
      });
    }
    search.openSearchPanel(view);
  });
  return true;
}

/** Whether this editor already has the search extensions. */
const searchLoaded = Facet.define<boolean, boolean>({ combine: (v) => v.some(Boolean) });

/** How to leave an editor from the keyboard (Tab indents in it): CodeMirror's own ways. */
export const EDITOR_KEYS = "Tab indents here. To move on: Escape, then Tab (or Ctrl+M: Tab moves the focus).";
let editorCount = 0;

/** One labelled JSON editor with engine-backed linting. */
export class JsonEditor {
  readonly view: EditorView;
  readonly label: string;

  constructor(opts: EditorOptions) {
    this.label = opts.label;
    const hint = keysHint(opts.parent);
    this.view = new EditorView({
      parent: opts.parent,
      state: EditorState.create({
        doc: opts.text,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(highlight),
          json(),
          lintGutter(),
          linter(
            async (view) => {
              const { state } = view;
              const text = state.doc.toString();
              const problems = await opts.check(text);
              const fixes = opts.fixes && problems.length ? await opts.fixes(text, problems).catch(() => []) : [];
              return toDiagnostics(state, problems, fixes);
            },
            { delay: 350 },
          ),
          keymap.of([
            ...defaultKeymap,
            ...historyKeymap,
            ...foldKeymap,
            { key: "Mod-f", run: openSearch },
            indentWithTab,
          ]),
          // An explicit tabindex: tools that look for keyboard access to the scroller see it.
          EditorView.contentAttributes.of({ "aria-label": opts.label, tabindex: "0", "aria-describedby": hint.id }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) opts.onChange(u.state.doc.toString());
          }),
          theme,
          opts.extensions ?? [],
        ],
      }),
    });
    this.watchFocus(hint);
  }

  /** Shows the keys hint while the editor has a focus that came from the keyboard. */
  private watchFocus(hint: HTMLElement) {
    let pointer = false;
    this.view.dom.addEventListener("pointerdown", () => {
      pointer = true;
    });
    this.view.contentDOM.addEventListener("focus", () => {
      hint.hidden = pointer;
      pointer = false;
    });
    this.view.contentDOM.addEventListener("blur", () => {
      hint.hidden = true;
    });
  }

  get text() {
    return this.view.state.doc.toString();
  }

  /** Replaces the whole text (undoable) and shows it from its start (not scrolled sideways as the old text was). */
  setText(text: string) {
    this.view.dispatch({
      changes: { from: 0, to: this.view.state.doc.length, insert: text },
      selection: { anchor: 0 },
    });
    this.view.scrollDOM.scrollLeft = 0;
  }

  /** Adds extensions to this editor (e.g. the language service's, once loaded). */
  extend(extension: Extension) {
    this.view.dispatch({ effects: StateEffect.appendConfig.of(extension) });
  }

  /**
   * Replaces the selection with `text`: as a string's content (escaped) when the cursor is inside
   * a JSON string, else as `alone` (e.g. the text as a JSON string). Focuses the editor after it.
   */
  insertAtCursor(text: string, alone: string) {
    const { state } = this.view;
    const { from, to } = state.selection.main;
    const insert = insideString(state, from) ? JSON.stringify(text).slice(1, -1) : alone;
    this.view.dispatch({
      changes: { from, to, insert },
      selection: { anchor: from + insert.length },
      scrollIntoView: true,
      userEvent: "input",
    });
    this.view.focus();
  }

  /** Puts the cursor at a 1-based line/column and focuses the editor. */
  reveal(line: number, column: number) {
    const at = offsetOf(this.view.state, line, column);
    this.view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    this.view.focus();
  }
}

/** The hint that tells how to leave the editor: the content's description, shown on keyboard focus. */
function keysHint(parent: HTMLElement): HTMLElement {
  const hint = document.createElement("p");
  hint.className = "editor-keys";
  hint.id = `editor-keys-${++editorCount}`;
  hint.textContent = EDITOR_KEYS;
  hint.hidden = true;
  parent.append(hint);
  return hint;
}
