// Share links: the playground's whole state (definition, input, mock configuration, chosen
// test case, seed, start time, optionally the selected step; for a SAM/CloudFormation template,
// the files it names and the values given for its placeholders) as the URL fragment
// `#s=1.<data>`. The number before the dot is the link format (2 when the link carries files or
// values, which a format-1 page would drop; 1 otherwise); `<data>` is the state's JSON,
// compressed with the browser's own CompressionStream("deflate-raw") and written in
// base64url. Nothing goes to a server (a fragment never does). Decoding treats the link as
// untrusted data: every field is type-checked, sizes are capped, and nothing in it is ever
// executed or inserted as HTML. No DOM here, so node can run it too.

/** The newest link format this page writes and reads; it reads every older one too. Format 2
 * adds `files` and `params`; a link without them is written as format 1, which older pages read. */
export const SHARE_FORMAT = 2;

/**
 * The longest link "Copy link" makes, in characters. RFC 9110 §4.1 recommends that every
 * sender and recipient support URIs of at least 8000 octets; chat tools, mail clients and
 * proxies cut or refuse longer ones unpredictably (browsers accept far more: Chromium 2 MB).
 */
export const MAX_LINK_CHARS = 8000;

/** The longest fragment the page tries to read (Chromium's own URL limit is 2 MB). */
const MAX_READ_CHARS = 2_097_152;
/** The most decompressed JSON text a link may expand to (a guard against deflate bombs). */
const MAX_STATE_BYTES = 16 * 1024 * 1024;

/** The fragment key of a share link: `#s=<format>.<data>`. */
export const FRAGMENT_KEY = "s";

/** Everything a link restores. Text fields are the editors' text exactly. */
export interface SharedState {
  definition: string;
  input: string;
  /** MockConfigFile text; "" for none. */
  mock: string;
  /** The chosen [state machine, test case] of the mock configuration, or null. */
  testCase: [string, string] | null;
  /** Seeds States.UUID, States.MathRandom and retry jitter (0 to 2^32 - 1). */
  seed: number;
  /** The virtual clock's start, RFC 3339; "" for the engine's default. */
  startTime: string;
  /** The state machine (logical id) picked when the definition is a CloudFormation/SAM
   * template with several; absent: the first. */
  machine?: string;
  /** The selected step (its index among the execution's state visits); the page runs the
   * execution on opening and shows that step. Absent: none. */
  step?: number;
  /** Files a template names (`DefinitionUri`), by path. Absent: none (format 2). */
  files?: Record<string, string>;
  /** Values given for a template's parameters, substitutions and placeholders. Absent: none (format 2). */
  params?: Record<string, string>;
}

/** A state's files and given values as one text (how the page stores them). */
export function projectText(state: Pick<SharedState, "files" | "params">): string {
  return JSON.stringify({ files: state.files ?? {}, params: state.params ?? {} });
}

/** The files and given values of a {@link projectText}; none when it cannot be read. */
export function projectOf(text: string | null | undefined): Pick<SharedState, "files" | "params"> {
  try {
    const o = JSON.parse(text ?? "") as { files?: unknown; params?: unknown };
    const map = (v: unknown) =>
      v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every(isText)
        ? (v as Record<string, string>)
        : {};
    return { files: map(o.files), params: map(o.params) };
  } catch {
    return { files: {}, params: {} };
  }
}

/** The state of an empty page (what a link that cannot be read leaves). */
export function emptyState(): SharedState {
  return { definition: "", input: "", mock: "", testCase: null, seed: 0, startTime: "" };
}

/** Why a link could not be read; `message` is for people. */
export class LinkError extends Error {}

const B64URL = /^[A-Za-z0-9_-]*$/;

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  if (!B64URL.test(text) || text.length % 4 === 1)
    throw new LinkError("its data is not base64url text (was it cut or changed?)");
  let bin: string;
  try {
    bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  } catch {
    throw new LinkError("its data is not base64url text (was it cut or changed?)");
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Reads a whole stream, refusing more than `limit` bytes. */
async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new LinkError(`it expands to more than ${limit / 1024 / 1024} MB`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  return collect(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("deflate-raw")), Infinity);
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    return await collect(
      new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate-raw")),
      MAX_STATE_BYTES,
    );
  } catch (e) {
    if (e instanceof LinkError) throw e;
    throw new LinkError("its data is damaged (it does not decompress)");
  }
}

/** The payload of a link: `<format>.<base64url of the deflated JSON>`. */
export async function encodeState(state: SharedState): Promise<string> {
  const fields: Record<string, unknown> = {
    definition: state.definition,
    input: state.input,
    mock: state.mock,
    testCase: state.testCase,
    seed: state.seed,
    startTime: state.startTime,
  };
  if (state.machine) fields.machine = state.machine;
  if (state.step !== undefined) fields.step = state.step;
  const project =
    (state.files && Object.keys(state.files).length) || (state.params && Object.keys(state.params).length);
  if (state.files && Object.keys(state.files).length) fields.files = state.files;
  if (state.params && Object.keys(state.params).length) fields.params = state.params;
  const packed = await deflate(new TextEncoder().encode(JSON.stringify(fields)));
  return `${project ? SHARE_FORMAT : 1}.${toBase64Url(packed)}`;
}

/** The payload in a URL fragment (`#s=...`, possibly among other `&`-separated options). */
export function payloadOf(hash: string): string | null {
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  for (const part of text.split("&"))
    if (part.startsWith(`${FRAGMENT_KEY}=`)) return part.slice(FRAGMENT_KEY.length + 1);
  return null;
}

/** A URL (without fragment) with the payload as its fragment. */
export function linkTo(base: string, payload: string): string {
  const url = new URL(base);
  url.hash = `${FRAGMENT_KEY}=${payload}`;
  return url.href;
}

/** Why a link of `length` characters is refused, or null when it is short enough. */
export function tooLong(length: number): string | null {
  if (length <= MAX_LINK_CHARS) return null;
  const n = (x: number) => x.toLocaleString("en-US");
  return `The link would be ${n(length)} characters long, more than the ${n(MAX_LINK_CHARS)} that browsers, chat tools and mail clients are sure to accept, so none was made. Shorten the definition, input or mock configuration (the link carries all three).`;
}

const isText = (v: unknown): v is string => typeof v === "string";

/** Checks a decoded object field by field; anything of the wrong type is refused. */
function checkState(v: unknown): SharedState {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new LinkError("its data is not a playground state");
  const o = v as Record<string, unknown>;
  const text = (k: string): string => {
    const x = o[k] ?? "";
    if (!isText(x)) throw new LinkError(`its "${k}" is not text`);
    return x;
  };
  const state: SharedState = {
    definition: text("definition"),
    input: text("input"),
    mock: text("mock"),
    testCase: null,
    seed: 0,
    startTime: text("startTime"),
  };
  const tc = o.testCase;
  if (tc !== undefined && tc !== null) {
    if (!Array.isArray(tc) || tc.length !== 2 || !isText(tc[0]) || !isText(tc[1]))
      throw new LinkError('its "testCase" is not a [state machine, test case] pair');
    state.testCase = [tc[0], tc[1]];
  }
  const seed = o.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new LinkError('its "seed" is not a whole number from 0 to 4294967295');
  state.seed = seed;
  if (o.machine !== undefined && o.machine !== null) {
    if (!isText(o.machine)) throw new LinkError('its "machine" is not text');
    if (o.machine) state.machine = o.machine;
  }
  if (o.step !== undefined && o.step !== null) {
    if (typeof o.step !== "number" || !Number.isInteger(o.step) || o.step < 0)
      throw new LinkError('its "step" is not a step number');
    state.step = o.step;
  }
  for (const key of ["files", "params"] as const) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "object" || Array.isArray(v) || !Object.values(v).every(isText))
      throw new LinkError(`its "${key}" is not a map of names to text`);
    // A plain object, so names like "__proto__" stay data.
    state[key] = Object.assign(Object.create(null) as Record<string, string>, v);
  }
  return state;
}

/** Reads a payload (`<format>.<data>`); throws LinkError saying what is wrong with it. */
export async function decodeState(payload: string): Promise<SharedState> {
  if (payload.length > MAX_READ_CHARS)
    throw new LinkError(`it is ${payload.length.toLocaleString("en-US")} characters long, more than a browser keeps`);
  const dot = payload.indexOf(".");
  const format = dot < 0 ? "" : payload.slice(0, dot);
  if (!/^\d{1,6}$/.test(format)) throw new LinkError("it has no format number (it should start with #s=1.)");
  if (Number(format) < 1 || Number(format) > SHARE_FORMAT) {
    throw new LinkError(
      Number(format) > SHARE_FORMAT
        ? `it was made in link format ${format}, newer than this page reads (${SHARE_FORMAT}); open it with a newer aslplay`
        : `its link format ${format} is unknown`,
    );
  }
  const json = new TextDecoder("utf-8", { fatal: false }).decode(await inflate(fromBase64Url(payload.slice(dot + 1))));
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new LinkError("its data is damaged (not JSON)");
  }
  return checkState(parsed);
}
