// Runs one execution to its end for the lesson checker, on a wasm Session the caller made:
// the worker does it for the page (beside the visible run, which it leaves alone), and the
// lesson tests do it in node. Answers JSON text, built from the engine's own JSON without
// parsing it again: `{"result": {status, output, error, cause}, "events": [...], "stopped"?}`.

/** What runToEnd needs of a wasm `Session` (src/wasm.rs). */
export interface RunnableSession {
  run_slice(maxEvents: number, budget: number): string;
  status(): string;
  result(): string;
  stop(): string;
}

/** Work a check may take before it is stopped: an endless loop ends at the engine's event
 * limit long before this; a huge distributed Map might not. */
export const CHECK_TIME_LIMIT_MS = 5000;

/** Runs `session` until it ends (or `limitMs` of work have passed: it is then stopped). */
export function runToEnd(session: RunnableSession, limitMs = CHECK_TIME_LIMIT_MS, now = () => Date.now()): string {
  const start = now();
  const parts: string[] = [];
  const keep = (slice: string) => {
    const inner = slice.trim().slice(1, -1).trim();
    if (inner) parts.push(inner);
  };
  let stopped = false;
  while (session.status() === "RUNNING") {
    if (now() - start > limitMs) {
      keep(session.stop());
      stopped = true;
      break;
    }
    keep(session.run_slice(2000, 200_000));
  }
  keep(session.run_slice(1_000_000, 1_000_000)); // events still pending after the end, if any
  return `{"result":${session.result()},"events":[${parts.join(",")}]${stopped ? `,"stopped":${limitMs}` : ""}}`;
}
