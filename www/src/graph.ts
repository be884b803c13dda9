// The state machine as a graph: built from the definition's JSON, laid out by dagre (Parallel
// branches and Map processors as nested containers), drawn as SVG with zoom, pan and fit.
// From the keyboard the states are one Tab stop (a roving tabindex): the arrow keys, Home and End
// move between them in reading order (top to bottom, left to right), Enter or Space selects one,
// and the view pans to the state that has the focus.
// Every name is set as text (textContent / attributes), never parsed as markup.

import { graphlib, layout } from "@dagrejs/dagre";
import { END, transitionKey, type NodeStatus } from "./steps";

type Obj = Record<string, unknown>;

/** Above this many states the graph is not laid out (dagre would take too long). */
export const MAX_LAID_OUT_STATES = 1500;

interface GNode {
  id: string;
  /** The state's name; empty for start/end/join markers. */
  name: string;
  type: string;
  kind: "state" | "start" | "end" | "join";
  parent?: string;
  /** The state has a Retry policy. */
  retries?: boolean;
  /** The name of the innermost Map state whose item processor holds this state. */
  map?: string;
}
interface GEdge {
  from: string;
  to: string;
  label?: string;
  title?: string;
  kind: "next" | "choice" | "default" | "catch" | "branch";
  /** Which move between states this edge draws: `transitionKey(from, to)`, where `from` is
   * "" for the start and `to` is END for the end (or a branch's end). */
  transition: string;
}
interface GCluster {
  id: string;
  label: string;
  parent?: string;
  /** For an item processor: its Map state's name. */
  map?: string;
  /** For a Parallel's branch: the Parallel state's name and the branch's index. */
  branch?: { parallel: string; index: number };
}

/** The graph of a definition, before layout. */
export interface GraphModel {
  nodes: GNode[];
  edges: GEdge[];
  clusters: GCluster[];
  stateCount: number;
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

const OPS: Record<string, string> = {
  Equals: "==",
  LessThan: "<",
  GreaterThan: ">",
  LessThanEquals: "<=",
  GreaterThanEquals: ">=",
  Matches: "matches",
};

/** A short text for a Choice rule: `$.x > 10`, `$.a == "b" and not ($.c is present)`, or the JSONata Condition. */
export function describeRule(rule: unknown): string {
  if (!isObj(rule)) return "?";
  if (typeof rule.Condition === "string") return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, "");
  if (Array.isArray(rule.And)) return rule.And.map((r) => `(${describeRule(r)})`).join(" and ");
  if (Array.isArray(rule.Or)) return rule.Or.map((r) => `(${describeRule(r)})`).join(" or ");
  if (rule.Not !== undefined) return `not (${describeRule(rule.Not)})`;
  const variable = String(rule.Variable ?? "?");
  for (const [key, value] of Object.entries(rule)) {
    if (key === "Variable" || key === "Next" || key === "Comment" || key === "Assign" || key === "Output") continue;
    const m =
      /^(String|Numeric|Boolean|Timestamp)?(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals|Matches)(Path)?$/.exec(
        key,
      );
    if (m) return `${variable} ${OPS[m[2]]} ${m[3] ? String(value) : JSON.stringify(value)}`;
    const is = /^Is(Null|Present|Numeric|String|Boolean|Timestamp)$/.exec(key);
    if (is) return `${variable} ${value === false ? "is not" : "is"} ${is[1].toLowerCase()}`;
  }
  return variable;
}

/** Builds the graph of a parsed definition. */
export function buildGraph(definition: unknown): GraphModel {
  const model: GraphModel = { nodes: [], edges: [], clusters: [], stateCount: 0 };
  const ids = new Map<string, string>();
  let serial = 0;
  const idFor = (name: string) => {
    let id = ids.get(name);
    if (!id) {
      id = `s${serial++}`;
      ids.set(name, id);
    }
    return id;
  };
  model.nodes.push({ id: "start", name: "", type: "Start", kind: "start" });
  model.nodes.push({ id: "end", name: "", type: "End", kind: "end" });

  /** Adds one machine's states; returns the ids its StartAt and its terminals map to. */
  const machine = (
    m: unknown,
    parent: string | undefined,
    exitTo: string,
    entryFrom: string,
    entryName: string,
    map?: string,
  ) => {
    if (!isObj(m) || !isObj(m.States)) return;
    const states = m.States as Obj;
    if (typeof m.StartAt === "string" && Object.hasOwn(states, m.StartAt)) {
      const kind = entryFrom === "start" ? "next" : "branch";
      model.edges.push({
        from: entryFrom,
        to: idFor(m.StartAt),
        kind,
        transition: transitionKey(entryName, m.StartAt),
      });
    }
    const target = (n: unknown) => (typeof n === "string" && Object.hasOwn(states, n) ? idFor(n) : undefined);
    for (const [name, raw] of Object.entries(states)) {
      if (!isObj(raw)) continue;
      model.stateCount++;
      const type = String(raw.Type ?? "?");
      const id = idFor(name);
      let from = id;
      if ((type === "Parallel" || type === "Map") && model.stateCount <= MAX_LAID_OUT_STATES) {
        const cluster = `c${serial++}`;
        const join = `j${serial++}`;
        model.clusters.push({ id: cluster, label: `${name} (${type})`, parent });
        model.nodes.push({
          id,
          name,
          type,
          kind: "state",
          parent: cluster,
          retries: Array.isArray(raw.Retry) && raw.Retry.length > 0,
          map,
        });
        model.nodes.push({ id: join, name: "", type: "join", kind: "join", parent: cluster });
        const inner =
          type === "Parallel" ? (Array.isArray(raw.Branches) ? raw.Branches : []) : [raw.ItemProcessor ?? raw.Iterator];
        inner.forEach((b, i) => {
          const branch = `c${serial++}`;
          if (type === "Parallel") {
            model.clusters.push({
              id: branch,
              label: `Branch ${i + 1}`,
              parent: cluster,
              branch: { parallel: name, index: i },
            });
            machine(b, branch, join, id, name, map);
          } else {
            model.clusters.push({ id: branch, label: "Item processor", parent: cluster, map: name });
            machine(b, branch, join, id, name, name);
          }
        });
        from = join;
      } else {
        model.nodes.push({
          id,
          name,
          type,
          kind: "state",
          parent,
          retries: Array.isArray(raw.Retry) && raw.Retry.length > 0,
          map,
        });
      }
      const move = (to: unknown) => transitionKey(name, String(to));
      const next = target(raw.Next);
      if (next) model.edges.push({ from, to: next, kind: "next", transition: move(raw.Next) });
      if (type === "Choice") {
        (Array.isArray(raw.Choices) ? raw.Choices : []).forEach((rule) => {
          const to = isObj(rule) ? target(rule.Next) : undefined;
          const text = describeRule(rule);
          if (to && isObj(rule))
            model.edges.push({
              from,
              to,
              kind: "choice",
              label: text.length > 40 ? `${text.slice(0, 39)}…` : text,
              title: text,
              transition: move(rule.Next),
            });
        });
        const def = target(raw.Default);
        if (def) model.edges.push({ from, to: def, kind: "default", label: "Default", transition: move(raw.Default) });
      }
      for (const c of Array.isArray(raw.Catch) ? raw.Catch : []) {
        const to = isObj(c) ? target(c.Next) : undefined;
        const errors = isObj(c) && Array.isArray(c.ErrorEquals) ? c.ErrorEquals.join(", ") : "";
        if (to && isObj(c))
          model.edges.push({
            from,
            to,
            kind: "catch",
            label: `Catch ${errors}`.slice(0, 40),
            title: `Catch ${errors}`,
            transition: move(c.Next),
          });
      }
      if (raw.End === true || type === "Succeed" || type === "Fail")
        model.edges.push({ from, to: exitTo, kind: "next", transition: move(END) });
    }
  };
  if (isObj(definition)) machine(definition, undefined, "end", "start", "");
  return model;
}

const SVG = "http://www.w3.org/2000/svg";
const el = <K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  parent?: Element,
) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
};

let measureCtx: CanvasRenderingContext2D | null = null;
function textWidth(text: string, font: string) {
  measureCtx ??= document.createElement("canvas").getContext("2d");
  if (!measureCtx) return text.length * 7.5;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

/** A state's status in words, as the graph's nodes tell it to assistive technology. */
export const NODE_STATUS_TEXT: Record<NodeStatus, string> = {
  "not-run": "not run",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  caught: "failed, error caught",
  retried: "succeeded after a retry",
};

/**
 * A node's accessible name: what it shows (the state's name, its type, "Retry" when it has a
 * Retry policy), then its status: "Charge card, Task, Retry: succeeded". The visible words come
 * first and in order, so that speech input users can say what they see (WCAG 2.5.3).
 */
export function nodeLabel(name: string, type: string, retries: boolean, status: NodeStatus): string {
  return `${name}, ${type}${retries ? ", Retry" : ""}: ${NODE_STATUS_TEXT[status]}`;
}

const NAME_FONT = "600 13px system-ui, sans-serif";
const LABEL_FONT = "11px system-ui, sans-serif";
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The graph view: draws a model, shows statuses, reports clicks on states. */
export class GraphView {
  readonly svg: SVGSVGElement;
  private viewport: SVGGElement;
  private nodesByName = new Map<string, SVGGElement>();
  /** Each state's "×n" visit count, drawn beside its node (not inside: it is not the node's label). */
  private badgesByName = new Map<string, SVGTextElement>();
  private badgeLayer: SVGGElement | null = null;
  private edgesByMove = new Map<string, SVGGElement[]>();
  /** The note drawn in each item processor's corner, by its Map state's name. */
  private processorNotes = new Map<string, SVGTextElement>();
  private selected: SVGGElement | null = null;
  /** The state nodes in reading order (by their centre's y, then x). */
  private order: [number, number, SVGGElement][] = [];
  /** The one node in the Tab order. */
  private tabStop: SVGGElement | null = null;
  private scale = 1;
  private tx = 0;
  private ty = 0;
  private width = 0;
  private height = 0;
  /** What the last render had to say (the graph was too large), or "". */
  private renderNote = "";

  constructor(
    private host: HTMLElement,
    private message: HTMLElement,
    private onSelect: (name: string) => void,
  ) {
    this.svg = el("svg", { class: "graph-svg", role: "group", "aria-label": "State machine graph" });
    const defs = el("defs", {}, this.svg);
    for (const kind of ["next", "catch"]) {
      const marker = el(
        "marker",
        {
          id: `arrow-${kind}`,
          viewBox: "0 0 10 10",
          refX: 9,
          refY: 5,
          markerWidth: 9,
          markerHeight: 9,
          markerUnits: "userSpaceOnUse",
          orient: "auto-start-reverse",
        },
        defs,
      );
      el("path", { d: "M0,0 L10,5 L0,10 z", class: `arrow arrow-${kind}` }, marker);
    }
    this.viewport = el("g", { class: "viewport" }, this.svg);
    host.appendChild(this.svg);
    this.enablePanZoom();
  }

  /** Shows a note above the graph: `text`, or (null) what the last render had to say. */
  note(text: string | null) {
    const shown = text ?? this.renderNote;
    this.message.textContent = shown;
    this.message.hidden = !shown;
  }

  /** Lays out and draws a model; returns false (and says why) when it is too large to draw. */
  render(model: GraphModel): boolean {
    this.viewport.replaceChildren();
    this.nodesByName.clear();
    this.edgesByMove.clear();
    this.processorNotes.clear();
    this.badgesByName.clear();
    this.order = [];
    this.tabStop = null;
    this.selected = null;
    const tooLarge = model.stateCount > MAX_LAID_OUT_STATES;
    this.renderNote = tooLarge
      ? `The graph has ${model.stateCount.toLocaleString("en-US")} states, more than the ${MAX_LAID_OUT_STATES.toLocaleString("en-US")} it draws; the run, history and inspector still work.`
      : "";
    this.note(null);
    if (tooLarge) return false;
    const g = new graphlib.Graph({ compound: true, multigraph: true });
    g.setGraph({ rankdir: "TB", nodesep: 28, ranksep: 36, edgesep: 12, marginx: 16, marginy: 16 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const c of model.clusters) g.setNode(c.id, {});
    for (const n of model.nodes) {
      const size =
        n.kind === "state"
          ? {
              width:
                Math.max(
                  textWidth(clip(n.name, 48), NAME_FONT),
                  textWidth(n.retries ? `${n.type} · ↻ Retry` : n.type, LABEL_FONT),
                ) + 28,
              height: 44,
            }
          : { width: n.kind === "join" ? 10 : 22, height: n.kind === "join" ? 10 : 22 };
      g.setNode(n.id, size);
    }
    for (const c of model.clusters) if (c.parent) g.setParent(c.id, c.parent);
    for (const n of model.nodes) if (n.parent) g.setParent(n.id, n.parent);
    model.edges.forEach((e, i) => {
      const label = e.label ? { width: textWidth(e.label, LABEL_FONT) + 8, height: 16, labelpos: "c" } : {};
      g.setEdge(e.from, e.to, { ...label }, `e${i}`);
    });
    try {
      layout(g as never);
    } catch (e) {
      this.renderNote = `The graph could not be laid out (${e instanceof Error ? e.message : String(e)}); the run, history and inspector still work.`;
      this.note(null);
      return false;
    }

    const clusterLayer = el("g", { class: "clusters" }, this.viewport);
    const edgeLayer = el("g", { class: "edges" }, this.viewport);
    const nodeLayer = el("g", { class: "nodes" }, this.viewport);
    this.badgeLayer = el("g", { class: "badges", "aria-hidden": "true" }, this.viewport);
    for (const c of model.clusters) {
      const b = g.node(c.id) as { x: number; y: number; width: number; height: number };
      // The container's own state is the node at its top, so its label is a tooltip only.
      const group = el("g", { class: `cluster ${c.parent ? "inner" : "outer"}` }, clusterLayer);
      el("rect", { x: b.x - b.width / 2, y: b.y - b.height / 2, width: b.width, height: b.height, rx: 8 }, group);
      el("title", {}, group).textContent = c.label;
      if (c.map !== undefined)
        this.processorNotes.set(
          c.map,
          el(
            "text",
            { x: b.x + b.width / 2 - 6, y: b.y - b.height / 2 + 13, "text-anchor": "end", class: "cluster-note" },
            group,
          ),
        );
    }
    model.edges.forEach((e, i) => {
      const d = g.edge(e.from, e.to, `e${i}`) as
        | { points: { x: number; y: number }[]; x?: number; y?: number }
        | undefined;
      if (!d?.points?.length) return;
      const group = el("g", { class: `edge edge-${e.kind}` }, edgeLayer);
      const same = this.edgesByMove.get(e.transition);
      if (same) same.push(group);
      else this.edgesByMove.set(e.transition, [group]);
      const pts = d.points;
      let path = `M${pts[0].x},${pts[0].y}`;
      for (let k = 1; k < pts.length - 1; k++) {
        const mid = { x: (pts[k].x + pts[k + 1].x) / 2, y: (pts[k].y + pts[k + 1].y) / 2 };
        path += ` Q${pts[k].x},${pts[k].y} ${mid.x},${mid.y}`;
      }
      const last = pts[pts.length - 1];
      path += ` L${last.x},${last.y}`;
      el("path", { d: path, "marker-end": `url(#arrow-${e.kind === "catch" ? "catch" : "next"})` }, group);
      if (e.label && d.x !== undefined && d.y !== undefined) {
        const w = textWidth(e.label, LABEL_FONT) + 8;
        el("rect", { x: d.x - w / 2, y: d.y - 8, width: w, height: 16, rx: 3, class: "edge-label-bg" }, group);
        el("text", { x: d.x, y: d.y + 4, class: "edge-label", "text-anchor": "middle" }, group).textContent = e.label;
        if (e.title) el("title", {}, group).textContent = e.title;
      }
    });
    for (const n of model.nodes) {
      const b = g.node(n.id) as { x: number; y: number; width: number; height: number };
      if (n.kind !== "state") {
        const group = el("g", { class: `marker marker-${n.kind}` }, nodeLayer);
        el("circle", { cx: b.x, cy: b.y, r: b.width / 2 }, group);
        if (n.kind !== "join") el("title", {}, group).textContent = n.kind === "start" ? "Start" : "End";
        continue;
      }
      const group = el(
        "g",
        {
          class: `node node-${n.type}`,
          role: "button",
          tabindex: -1,
          "aria-label": nodeLabel(n.name, n.type, !!n.retries, "not-run"),
          "data-type": n.type,
          "data-retries": n.retries ? "true" : "false",
          "data-status": "not-run",
          "data-name": n.name,
        },
        nodeLayer,
      );
      el("rect", { x: b.x - b.width / 2, y: b.y - b.height / 2, width: b.width, height: b.height, rx: 6 }, group);
      // The keyboard focus ring, drawn just outside the box (style.css shows it on :focus-visible).
      const ring = { x: b.x - b.width / 2 - 4, y: b.y - b.height / 2 - 4, width: b.width + 8, height: b.height + 8 };
      el("rect", { ...ring, rx: 9, class: "focus-ring" }, group);
      el("text", { x: b.x, y: b.y - 3, "text-anchor": "middle", class: "node-name" }, group).textContent = clip(
        n.name,
        48,
      );
      const typeLine = n.retries ? `${n.type} · ↻ Retry` : n.type;
      // A space between the two lines (SVG draws none) keeps their words apart for assistive tools.
      group.append(" ");
      el("text", { x: b.x, y: b.y + 13, "text-anchor": "middle", class: "node-type" }, group).textContent = typeLine;
      const title = el("title", { "data-base": `${n.name} (${typeLine})` }, group);
      title.textContent = title.dataset.base ?? "";
      group.addEventListener("click", () => this.onSelect(n.name));
      group.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          this.onSelect(n.name);
        } else this.moveFocus(group, ev);
      });
      group.addEventListener("focus", () => {
        this.setTabStop(group);
        this.reveal(group);
      });
      this.nodesByName.set(n.name, group);
      this.order.push([b.y, b.x, group]);
    }
    this.order.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    this.setTabStop(this.order[0]?.[2] ?? null);
    const size = g.graph() as { width?: number; height?: number };
    this.width = size.width ?? 0;
    this.height = size.height ?? 0;
    this.fit();
    return true;
  }

  /** Sets every node's data-status (names missing from `statuses` are not-run). */
  setStatuses(statuses: Map<string, NodeStatus>) {
    for (const [name, node] of this.nodesByName) {
      const s = statuses.get(name) ?? "not-run";
      if (node.getAttribute("data-status") === s) continue;
      node.setAttribute("data-status", s);
      node.setAttribute(
        "aria-label",
        nodeLabel(name, node.dataset.type ?? "", node.dataset.retries === "true", s as NodeStatus),
      );
    }
  }

  /** Shows "×n" on states entered more than once (loops, Map iterations); the node's
   * description (its title) says it in words. */
  setVisits(visits: Map<string, number>) {
    for (const [name, node] of this.nodesByName) {
      const n = visits.get(name) ?? 0;
      let badge = this.badgesByName.get(name);
      const title = node.querySelector<SVGTitleElement>("title");
      const described = `${title?.dataset.base ?? name}${n < 2 ? "" : `, entered ${n.toLocaleString("en-US")} times`}`;
      if (title && title.textContent !== described) title.textContent = described;
      if (n < 2) {
        badge?.remove();
        this.badgesByName.delete(name);
        continue;
      }
      if (!badge) {
        const r = node.querySelector("rect");
        // Just above the node's top-right corner, clear of its name and of the incoming edge.
        const x = Number(r?.getAttribute("x")) + Number(r?.getAttribute("width"));
        const y = Number(r?.getAttribute("y")) - 4;
        badge = el("text", { x, y, "text-anchor": "end", class: "visits", "data-for": name }, this.badgeLayer ?? node);
        this.badgesByName.set(name, badge);
      }
      const text = `×${n.toLocaleString("en-US")}`;
      if (badge.textContent !== text) badge.textContent = text;
    }
  }

  /** Writes a note in the corner of each Map's item processor (by Map name; others are cleared). */
  setProcessorNotes(notes: Map<string, string>) {
    for (const [map, text] of this.processorNotes) {
      const shown = notes.get(map) ?? "";
      if (text.textContent !== shown) text.textContent = shown;
    }
  }

  /** Marks the edges of the moves made so far (keys from `transitionKey`) as taken. */
  setTaken(moves: Set<string>) {
    for (const [move, groups] of this.edgesByMove) {
      const taken = moves.has(move);
      for (const g of groups) if (g.classList.contains("taken") !== taken) g.classList.toggle("taken", taken);
    }
  }

  /** Marks a state as the selected one (null: none). */
  select(name: string | null) {
    this.selected?.classList.remove("selected");
    this.selected = name === null ? null : (this.nodesByName.get(name) ?? null);
    this.selected?.classList.add("selected");
    if (this.selected) this.setTabStop(this.selected);
  }

  /** Makes `node` the graph's one Tab stop. */
  private setTabStop(node: SVGGElement | null) {
    if (node === this.tabStop) return;
    this.tabStop?.setAttribute("tabindex", "-1");
    this.tabStop = node;
    node?.setAttribute("tabindex", "0");
  }

  /** Arrow keys, Home and End move the focus between the nodes in reading order. */
  private moveFocus(from: SVGGElement, ev: KeyboardEvent) {
    const at = this.order.findIndex((o) => o[2] === from);
    const last = this.order.length - 1;
    const to: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowRight: at + 1,
      ArrowUp: at - 1,
      ArrowLeft: at - 1,
      Home: 0,
      End: last,
    };
    if (!(ev.key in to) || at < 0 || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    ev.preventDefault();
    this.order[Math.min(last, Math.max(0, to[ev.key]))][2].focus();
  }

  /** Pans the view so that `node` is inside it (a node focused from the keyboard may be out of view). */
  private reveal(node: SVGGElement) {
    const r = node.getBoundingClientRect();
    const view = this.svg.getBoundingClientRect();
    const margin = 12;
    let dx = 0;
    let dy = 0;
    if (r.left < view.left + margin) dx = view.left + margin - r.left;
    else if (r.right > view.right - margin) dx = view.right - margin - r.right;
    if (r.top < view.top + margin) dy = view.top + margin - r.top;
    else if (r.bottom > view.bottom - margin) dy = view.bottom - margin - r.bottom;
    if (!dx && !dy) return;
    this.tx += dx;
    this.ty += dy;
    this.apply();
  }

  private apply() {
    this.viewport.setAttribute("transform", `translate(${this.tx},${this.ty}) scale(${this.scale})`);
  }

  /** Scales and centres the whole graph in the view. */
  fit() {
    const w = this.host.clientWidth || 600;
    const h = this.host.clientHeight || 400;
    if (!this.width || !this.height) return;
    this.scale = Math.min(1.5, Math.min(w / this.width, h / this.height) * 0.95);
    this.tx = (w - this.width * this.scale) / 2;
    this.ty = (h - this.height * this.scale) / 2;
    this.apply();
  }

  /** Zooms by `factor` around the view point (cx, cy), the centre by default. */
  zoom(factor: number, cx = (this.host.clientWidth || 600) / 2, cy = (this.host.clientHeight || 400) / 2) {
    const next = Math.min(4, Math.max(0.05, this.scale * factor));
    const f = next / this.scale;
    this.tx = cx - (cx - this.tx) * f;
    this.ty = cy - (cy - this.ty) * f;
    this.scale = next;
    this.apply();
  }

  private enablePanZoom() {
    this.svg.addEventListener(
      "wheel",
      (ev) => {
        ev.preventDefault();
        const r = this.svg.getBoundingClientRect();
        this.zoom(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
      },
      { passive: false },
    );
    let drag: { x: number; y: number; tx: number; ty: number } | null = null;
    this.svg.addEventListener("pointerdown", (ev) => {
      if ((ev.target as Element).closest(".node")) return;
      drag = { x: ev.clientX, y: ev.clientY, tx: this.tx, ty: this.ty };
      this.svg.setPointerCapture(ev.pointerId);
      this.svg.classList.add("panning");
    });
    this.svg.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      this.tx = drag.tx + ev.clientX - drag.x;
      this.ty = drag.ty + ev.clientY - drag.y;
      this.apply();
    });
    const end = () => {
      drag = null;
      this.svg.classList.remove("panning");
    };
    this.svg.addEventListener("pointerup", end);
    this.svg.addEventListener("pointercancel", end);
  }
}
