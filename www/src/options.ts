// The execution options the toolbar's "Options" panel sets: the seed (States.UUID,
// States.MathRandom, retry jitter) and the virtual clock's start time. Kept in localStorage
// like the editors' text; the engine checks the start time for real when a run starts.

/** The engine's default start: 2025-01-01T00:00:00Z (src/engine Options::default). */
export const DEFAULT_START_TIME = "2025-01-01T00:00:00Z";

/** RFC 3339 as Step Functions accepts it (the engine's parse_rfc3339 decides for real). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Why `text` is not a seed (0 to 2^32 - 1), or null. */
export function seedProblem(text: string): string | null {
  return /^\d{1,10}$/.test(text.trim()) && Number(text) <= 0xffffffff
    ? null
    : "The seed is a whole number from 0 to 4294967295.";
}

/** Why `text` is not a start time (blank is the default), or null. */
export function startTimeProblem(text: string): string | null {
  const t = text.trim();
  return !t || (RFC3339.test(t) && !Number.isNaN(Date.parse(t)))
    ? null
    : `The start time is an RFC 3339 timestamp like ${DEFAULT_START_TIME}.`;
}

/** The two inputs of the Options panel. */
export class RunOptions {
  private seedInput: HTMLInputElement;
  private startInput: HTMLInputElement;

  /** Binds to #opt-seed and #opt-start; `read`/`write` are the page's storage. */
  constructor(
    read: (k: string) => string | null,
    private write: (k: string, v: string) => void,
  ) {
    this.seedInput = document.getElementById("opt-seed") as HTMLInputElement;
    this.startInput = document.getElementById("opt-start") as HTMLInputElement;
    this.startInput.placeholder = DEFAULT_START_TIME;
    this.set(Number(read("seed") ?? 0) || 0, read("startTime") ?? "", false);
    for (const [input, key, problem] of [
      [this.seedInput, "seed", seedProblem],
      [this.startInput, "startTime", startTimeProblem],
    ] as const) {
      input.addEventListener("input", () => {
        const p = problem(input.value);
        input.setCustomValidity(p ?? "");
        input.title = p ?? "";
        input.setAttribute("aria-invalid", String(!!p));
        if (!p) this.write(key, input.value.trim());
      });
    }
  }

  /** The seed to run with (the default 0 while the field is not a valid seed). */
  get seed(): number {
    return seedProblem(this.seedInput.value) ? 0 : Number(this.seedInput.value);
  }

  /** The start time text ("" for the default); the engine refuses an invalid one with a message. */
  get startTime(): string {
    return this.startInput.value.trim();
  }

  /** Shows these values (and keeps them when `keep`). */
  set(seed: number, startTime: string, keep = true) {
    this.seedInput.value = String(seed);
    this.startInput.value = startTime;
    for (const input of [this.seedInput, this.startInput]) {
      input.setCustomValidity("");
      input.removeAttribute("aria-invalid");
    }
    if (keep) {
      this.write("seed", String(seed));
      this.write("startTime", startTime);
    }
  }
}
