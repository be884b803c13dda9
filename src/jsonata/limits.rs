//! The limits that keep a JSONata expression from exhausting the host: how deep the parser
//! and the value helpers nest, how much native stack a parse or a regular-expression match may
//! use, and how stack use is measured. The evaluator's own depth, stack and step limits are
//! set per evaluation in the `Environment`.

/// Deepest nesting of sub-expressions the parser accepts.
pub(crate) const PARSE_MAX_NESTING: usize = 400;
/// Native stack the parser (and the post-parse pass) may use; wasm's stack is small.
pub(crate) const PARSE_STACK_LIMIT: usize = if cfg!(target_arch = "wasm32") { 256 * 1024 } else { 1024 * 1024 };

/// Steps one regular-expression match may take.
pub(crate) const REGEX_STEP_BUDGET: usize = 5_000_000;
/// Native stack one match may use (repetitions of groups recurse per iteration).
pub(crate) const REGEX_STACK_LIMIT: usize = 256 * 1024;

/// How deep the evaluator's recursive helpers follow nested arrays and objects.
pub(crate) const MAX_NESTING: usize = 1000;

#[cfg(test)]
thread_local! {
    static PROBE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The deepest stack use seen by this thread's evaluations (tests only); resets it.
#[cfg(test)]
pub(crate) fn stack_probe() -> usize {
    PROBE.with(|p| p.replace(0))
}

/// Records a stack use for [`stack_probe`] (tests only).
#[cfg(test)]
pub(crate) fn note_stack_use(used: usize) {
    PROBE.with(|p| p.set(p.get().max(used)));
}

/// An address on the current stack (for measuring stack use).
#[inline(never)]
pub(crate) fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}
