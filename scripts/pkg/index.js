// aslplay's JavaScript API over the wasm build: JSON values in, JSON values out.
import * as wasm from './aslplay.js';

let ready = false;

/** Loads the wasm module: call once before anything else (in node, reads the file; in a
 * browser, fetches `aslplay_bg.wasm` next to this file unless `source` is given). */
export async function init(source) {
  if (ready) return;
  if (source === undefined && typeof process !== 'undefined' && process.versions?.node) {
    const { readFile } = await import('node:fs/promises');
    source = await readFile(new URL('./aslplay_bg.wasm', import.meta.url));
  }
  await wasm.default(source === undefined ? undefined : { module_or_path: source });
  ready = true;
}

const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

/** AWS's ValidateStateMachineDefinition response, with line and column on each diagnostic. */
export function validate(definition) {
  return JSON.parse(wasm.validate(text(definition)));
}

/** An execution you advance yourself: `step()` returns the next history event or null. */
export function startExecution(definition, input = {}, options = {}) {
  let session;
  try {
    session = new wasm.Session(text(definition), text(input), options.mockConfig ? text(options.mockConfig) : '',
      options.stateMachine ?? '', options.testCase ?? '', options.seed ?? 0);
  } catch (e) {
    throw new Error(typeof e === 'string' ? e : String(e));
  }
  const events = [];
  return {
    step() {
      const batch = JSON.parse(session.run_batch(1));
      if (batch.length === 0) return null;
      events.push(batch[0]);
      return batch[0];
    },
    stop() { events.push(...JSON.parse(session.stop())); },
    get status() { return session.status(); },
    get history() { return events; },
    result() { return JSON.parse(session.result()); },
    free() { session.free(); },
  };
}

/** Runs an execution to its end: `{status, output, error, cause, events}`. */
export function run(definition, input = {}, options = {}) {
  const exec = startExecution(definition, input, options);
  while (exec.step() !== null) { /* one event at a time */ }
  const out = { ...exec.result(), events: exec.history };
  exec.free();
  return out;
}

/** AWS's TestState: `{definition, input, stateName, inspectionLevel, mock, variables, context, stateConfiguration}`. */
export function testState(request) {
  return JSON.parse(wasm.test_state(JSON.stringify(request)));
}
