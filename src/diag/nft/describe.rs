//! A rule as nft would print it, roughly (`udp dport { 7001, 7002 } drop`), for the
//! doctor's sentence about it.

use serde_json::Value;

use super::str_of;

/// A rule's statements in nft's own words, roughly: `udp dport { 7001, 7002 } drop`.
pub(super) fn describe_rule(expr: &[Value]) -> String {
    let words: Vec<String> = expr
        .iter()
        .filter_map(|e| {
            if let Some(m) = e.get("match") {
                let op = match m["op"].as_str().unwrap_or("==") {
                    "==" | "in" => String::new(),
                    other => format!("{other} "),
                };
                return Some(format!(
                    "{} {op}{}",
                    describe_left(&m["left"]),
                    describe_value(&m["right"])
                ));
            }
            let (name, arg) = e.as_object()?.iter().next()?;
            match name.as_str() {
                "counter" | "log" => None,
                "jump" | "goto" => {
                    Some(format!("{name} {}", arg["target"].as_str().unwrap_or("?")))
                }
                other => Some(other.to_string()),
            }
        })
        .collect();
    words.join(" ")
}

fn describe_left(left: &Value) -> String {
    if let Some(p) = left.get("payload") {
        return format!("{} {}", str_of(&p["protocol"]), str_of(&p["field"]));
    }
    if let Some(m) = left.get("meta") {
        return format!("meta {}", str_of(&m["key"]));
    }
    if let Some(c) = left.get("ct") {
        return format!("ct {}", str_of(&c["key"]));
    }
    if let Some(n) = left.get("numgen") {
        return format!("numgen {} mod {}", str_of(&n["mode"]), n["mod"]);
    }
    left.as_object()
        .and_then(|o| o.keys().next().cloned())
        .unwrap_or_else(|| "?".into())
}

fn describe_value(v: &Value) -> String {
    if let Some(s) = v.as_str() {
        return s.to_string();
    }
    if let Some(set) = v.get("set").and_then(Value::as_array) {
        let items: Vec<String> = set.iter().map(describe_value).collect();
        return format!("{{ {} }}", items.join(", "));
    }
    if let Some(r) = v.get("range").and_then(Value::as_array) {
        let ends: Vec<String> = r.iter().map(describe_value).collect();
        return ends.join("-");
    }
    if let Some(p) = v.get("prefix") {
        return format!("{}/{}", str_of(&p["addr"]), p["len"]);
    }
    v.to_string()
}
