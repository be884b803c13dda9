//! AWS Step Functions' additions to JSONata: `$partition`, `$range`, `$hash`, `$random`
//! (optionally seeded), `$uuid` and `$parse`, installed as host functions on an
//! [`Environment`](super::Environment). Randomness comes from the engine's seeded source.

use std::cell::RefCell;
use std::rc::Rc;

use super::{Environment, JsonataError, NativeFn};
use crate::random::Random;
use crate::value::{Number, Value};

fn num(args: &[Option<Value>], i: usize) -> Option<f64> {
    args.get(i).and_then(|a| a.as_ref()).and_then(Value::as_f64)
}

fn error(code: &str, message: String) -> JsonataError {
    JsonataError::new(code, message)
}

fn int_value(x: f64) -> Value {
    Value::Number(Number::from_f64(x))
}

fn partition(args: &[Option<Value>]) -> Result<Option<Value>, JsonataError> {
    let Some(Some(array)) = args.first() else { return Ok(None) };
    let items: Vec<Value> = match array {
        Value::Array(a) => a.as_ref().clone(),
        other => vec![other.clone()],
    };
    let size = num(args, 1).unwrap_or(0.0);
    if size.fract() != 0.0 || size < 1.0 {
        return Err(error(
            "D3040",
            format!(
                "Invalid argument: The chunk size must be a positive integer, but was {}",
                crate::host::to_string(size)
            ),
        ));
    }
    let chunks = items.chunks(size as usize).map(|c| Value::from(c.to_vec())).collect::<Vec<_>>();
    Ok(Some(Value::from(chunks)))
}

fn range(args: &[Option<Value>]) -> Result<Option<Value>, JsonataError> {
    let (Some(start), Some(end), Some(step)) = (num(args, 0), num(args, 1), num(args, 2)) else {
        return Ok(None);
    };
    if start.fract() != 0.0 || end.fract() != 0.0 || step.fract() != 0.0 || step == 0.0 {
        return Err(error(
            "D3040",
            "Invalid arguments: start, end and step must be integers and step must not be 0".into(),
        ));
    }
    let count = ((end - start) / step).floor() + 1.0;
    if count > 1000.0 {
        return Err(error(
            "D2014",
            format!("The range would produce {} items; at most 1000 are allowed", crate::host::to_string(count)),
        ));
    }
    let mut out = Vec::new();
    let mut x = start;
    for _ in 0..count.max(0.0) as usize {
        out.push(int_value(x));
        x += step;
    }
    Ok(Some(Value::from(out)))
}

fn hash(args: &[Option<Value>]) -> Result<Option<Value>, JsonataError> {
    let Some(Some(data)) = args.first() else { return Ok(None) };
    let text = match data {
        Value::String(s) => s.to_string(),
        other => crate::json::to_string(other),
    };
    let algorithm = args.get(1).and_then(|a| a.as_ref()).and_then(Value::as_str).unwrap_or("");
    // The digests are the intrinsic functions' (`States.Hash`): one implementation.
    match crate::digest::hex_digest(algorithm, text.as_bytes()) {
        Some(hex) => Ok(Some(Value::from(hex))),
        None => Err(error(
            "D3137",
            format!(
                "The hash algorithm {algorithm} is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"
            ),
        )),
    }
}

fn unit_from(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

fn seeded_unit(seed: f64) -> f64 {
    let mut z = seed.to_bits().wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    unit_from(z ^ (z >> 31))
}

fn parse(args: &[Option<Value>]) -> Result<Option<Value>, JsonataError> {
    let Some(Some(Value::String(s))) = args.first() else { return Ok(None) };
    crate::json::parse(s)
        .map(Some)
        .map_err(|e| error("D3140", format!("Unable to parse the string as JSON: {}", e.message)))
}

/// Installs the six functions on `env`.
pub(crate) fn install(env: &mut Environment, random: Rc<RefCell<dyn Random>>) {
    let add = |env: &mut Environment, name: &str, sig: &str, f: NativeFn| {
        // The signatures are fixed and valid.
        let _ = env.bind_function(name, sig, f);
    };
    add(env, "partition", "<an:a>", Rc::new(partition));
    add(env, "range", "<nnn:a>", Rc::new(range));
    add(env, "hash", "<xs:s>", Rc::new(hash));
    add(env, "parse", "<s-:j>", Rc::new(parse));
    let r = random.clone();
    add(
        env,
        "random",
        "<n?:n>",
        Rc::new(move |args: &[Option<Value>]| {
            let x = match num(args, 0) {
                Some(seed) => seeded_unit(seed),
                None => unit_from(r.borrow_mut().next_u64()),
            };
            Ok(Some(Value::Number(Number::Float(x))))
        }),
    );
    add(
        env,
        "uuid",
        "<:s>",
        Rc::new(move |_: &[Option<Value>]| {
            let s = crate::random::uuid_v4(&mut *random.borrow_mut());
            Ok(Some(Value::from(s)))
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonata::Expression;
    use crate::random::SeededRandom;

    fn eval(src: &str, input: &str) -> Result<Option<Value>, JsonataError> {
        let mut env = Environment::new();
        env.add_step_functions(Rc::new(RefCell::new(SeededRandom(7))));
        Expression::parse(src)?.evaluate(Some(&crate::json::parse(input).unwrap()), &env)
    }

    #[test]
    fn recorded_aws_results() {
        let s = |src: &str, input: &str| crate::json::to_string(&eval(src, input).unwrap().unwrap());
        assert_eq!(s("$partition(a, 2)", r#"{"a":[0,1,2,3]}"#), "[[0,1],[2,3]]");
        assert_eq!(s("$partition(a, 5)", r#"{"a":[0,1,2]}"#), "[[0,1,2]]");
        assert_eq!(s("$range(0, 9, 3)", "null"), "[0,3,6,9]");
        assert_eq!(s("$range(1, 9, 2)", "null"), "[1,3,5,7,9]");
        assert_eq!(s("$parse(a)", r#"{"a":"{\"Arg1\": 1, \"Arg2\": []}"}"#), r#"{"Arg1":1,"Arg2":[]}"#);
        assert_eq!(s("$parse('-0')", "null"), "0");
        assert_eq!(s("$hash('abc', 'MD5')", "null"), "\"900150983cd24fb0d6963f7d28e17f72\"");
        assert_eq!(s("$random(5) = $random(5)", "null"), "true");
        assert_eq!(s("$length($uuid())", "null"), "36");
    }
}
