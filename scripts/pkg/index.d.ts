export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Diagnostic {
  severity: "ERROR" | "WARNING";
  code: string;
  message: string;
  location?: string;
  line?: number;
  column?: number;
}
export interface Validation {
  result: "OK" | "FAIL";
  diagnostics: Diagnostic[];
  truncated: boolean;
}
export interface HistoryEvent {
  timestamp: string;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: Json;
}
export interface Result {
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  output: Json;
  error: string | null;
  cause: string | null;
}
export interface Options {
  mockConfig?: Json | string;
  stateMachine?: string;
  testCase?: string;
  seed?: number /** The virtual clock's start, RFC 3339 (default 2025-01-01T00:00:00Z). */;
  startTime?: string;
  /** The history event limit (default AWS's 25,000): the execution fails with States.Runtime when it is reached. */
  maxEvents?: number;
  /** The largest state input, output or task result in bytes (default AWS's 262,144): larger fails with States.DataLimitExceeded. */
  maxPayload?: number;
}
export interface Execution {
  step(): HistoryEvent | null;
  /** Runs to the end (in batches, faster than `step()` in a loop) and returns the result. */
  runToEnd(): Result;
  stop(): void;
  readonly status: Result["status"];
  readonly history: HistoryEvent[];
  result(): Result;
  free(): void;
}
/** Loads the three wasm modules (engine, importer, tools); call once before anything else.
 * Sources default to the files next to the package (read from disk in node). */
export function init(
  source?: BufferSource | URL | string,
  importerSource?: BufferSource | URL | string,
  toolsSource?: BufferSource | URL | string,
): Promise<void>;
export function validate(definition: Json | string): Validation;
export function startExecution(definition: Json | string, input?: Json | string, options?: Options): Execution;
export function run(
  definition: Json | string,
  input?: Json | string,
  options?: Options,
): Result & { events: HistoryEvent[] };
export function testState(request: {
  definition: Json | string;
  input?: Json;
  stateName?: string;
  inspectionLevel?: "INFO" | "DEBUG" | "TRACE";
  mock?: Json;
  variables?: Json;
  context?: Json;
  stateConfiguration?: Json;
}): Json;
export interface FoundDefinition {
  logicalId: string;
  /** The name it is deployed under (StateMachineName / Name, else the logical id). */
  name: string;
  /** Null when it could not be read (a missing file, S3): see notes. */
  definition: Json;
  notes: string[];
  origin: string;
  /** The DefinitionUri file, its text, and whether it was missing. */
  file: string | null;
  fileText: string | null;
  missingFile: string | null;
  s3Location: string | null;
  /** The values placeholders took (or could take), and where each comes from. */
  substitutions: {
    name: string;
    value: string | null;
    source: string;
    kind: "substitution" | "parameter" | "pseudo" | "placeholder";
    given: boolean;
  }[];
  /** Placeholders nothing resolved (replaced by UNRESOLVED markers), with their places. */
  unresolved: {
    placeholder: string;
    name: string | null;
    reason: string;
    file: string | null;
    line: number | null;
    column: number | null;
  }[];
}
/** Thrown by the importers: where the problem is. */
export interface ImportError extends Error {
  pointer: string;
  line?: number;
  column?: number;
}
export function definitionsFromText(
  text: string,
  options?: {
    files?: Record<string, string>;
    params?: Record<string, string>;
    accountId?: string;
    region?: string;
    partition?: string;
    stackName?: string;
  },
): FoundDefinition[];
export function importHistory(
  history: Json | string,
  options?: { definition?: Json | string; stateMachine?: string; testCase?: string },
): { mockConfig: Json; notes: string[]; input: string | null };
