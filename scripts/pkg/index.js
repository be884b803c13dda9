// aslplay's JavaScript API over the wasm build: JSON values in, JSON values out.
import * as wasm from "./aslplay.js";
import * as importer from "./aslplay_importer.js";
import * as tools from "./aslplay_tools.js";

let ready = null;

/** Loads the three wasm modules: the engine's (`aslplay_bg.wasm`: validate, run, step), the
 * importer's (`aslplay_importer_bg.wasm`: definitionsFromText, importHistory) and the tools'
 * (`aslplay_tools_bg.wasm`: testState). Call once before anything else. In node it reads the
 * files; in a browser it fetches them next to this file unless sources are given. */
export function init(source, importerSource, toolsSource) {
  const load = async (glue, given, file) => glue.default({ module_or_path: given ?? (await defaultSource(file)) });
  ready ??= Promise.all([
    load(wasm, source, "./aslplay_bg.wasm"),
    load(importer, importerSource, "./aslplay_importer_bg.wasm"),
    load(tools, toolsSource, "./aslplay_tools_bg.wasm"),
  ]).then(() => undefined);
  return ready;
}

/** In node, the file's bytes; in a browser, its URL next to this module. */
async function defaultSource(file) {
  const url = new URL(file, import.meta.url);
  if (typeof process !== "undefined" && process.versions?.node) {
    const { readFile } = await import("node:fs/promises");
    return readFile(url);
  }
  return url;
}

const text = (v) => (typeof v === "string" ? v : JSON.stringify(v));

/** AWS's ValidateStateMachineDefinition response, with line and column on each diagnostic. */
export function validate(definition) {
  return JSON.parse(wasm.validate(text(definition)));
}

/** A limit option: absent (AWS's own limit) or a whole number of at least 1. */
function limit(value, name) {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > 0xffffffff) {
    throw new Error(`${name} must be a whole number from 1 to 4294967295, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** An execution you advance yourself: `step()` returns the next history event or null. */
export function startExecution(definition, input = {}, options = {}) {
  let session;
  try {
    session = new wasm.Session(
      text(definition),
      text(input),
      options.mockConfig ? text(options.mockConfig) : "",
      options.stateMachine ?? "",
      options.testCase ?? "",
      options.seed ?? 0,
      options.startTime,
      limit(options.maxEvents, "maxEvents"),
      limit(options.maxPayload, "maxPayload"),
    );
  } catch (e) {
    throw new Error(typeof e === "string" ? e : String(e));
  }
  const events = [];
  return {
    step() {
      const batch = JSON.parse(session.run_batch(1));
      if (batch.length === 0) return null;
      events.push(batch[0]);
      return batch[0];
    },
    stop() {
      events.push(...JSON.parse(session.stop()));
    },
    runToEnd() {
      for (;;) {
        const batch = JSON.parse(session.run_batch(4096));
        if (batch.length === 0) return JSON.parse(session.result());
        for (const e of batch) events.push(e);
      }
    },
    get status() {
      return session.status();
    },
    get history() {
      return events;
    },
    result() {
      return JSON.parse(session.result());
    },
    free() {
      session.free();
    },
  };
}

/** Runs an execution to its end: `{status, output, error, cause, events}`. */
export function run(definition, input = {}, options = {}) {
  const exec = startExecution(definition, input, options);
  const out = { ...exec.runToEnd(), events: exec.history };
  exec.free();
  return out;
}

/** AWS's TestState: `{definition, input, stateName, inspectionLevel, mock, variables, context, stateConfiguration}`. */
export function testState(request) {
  return JSON.parse(tools.test_state(JSON.stringify(request)));
}

/** An importer's `{error}` answer as a thrown Error with `pointer`, `line` and `column`. */
function imported(answer) {
  const value = JSON.parse(answer);
  if (value.error) throw Object.assign(new Error(value.error.message), value.error);
  return value;
}

/** The state machines in a text (ASL as JSON or YAML, or a CloudFormation/SAM template, JSON
 * or YAML), read as the deployed stack would have them: `[{logicalId, name, definition, notes,
 * file, missingFile, s3Location, substitutions, unresolved, ...}]`. Options: `files` (`{path:
 * text}`: the files a template's DefinitionUri names), `params` (`{name: value}`: values for
 * parameters, substitutions, placeholders, pseudo parameters), `accountId`, `region`,
 * `partition`, `stackName`. Throws an Error with `line`/`column` (text) or `pointer`
 * (template) when there is none. */
export function definitionsFromText(text, options = {}) {
  return imported(importer.definitions_from_text(text, JSON.stringify(options))).machines;
}

/** A MockConfigFile that replays an execution history (`{events: [...]}` or an array, as
 * `aws stepfunctions get-execution-history` prints it): `{mockConfig, notes, input}`, `input`
 * being the recorded execution input as JSON text (null if absent). Options: `definition`
 * (helps when events lack previousEventId), `stateMachine` ('StateMachine'), `testCase` ('Replay'). */
export function importHistory(history, options = {}) {
  const definition = options.definition === undefined ? "" : text(options.definition);
  return imported(
    importer.import_history(
      text(history),
      definition,
      options.stateMachine ?? "StateMachine",
      options.testCase ?? "Replay",
    ),
  );
}
