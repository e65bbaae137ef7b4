//! The man pages' JSON OUTPUT section, rendered from the one description of the
//! records, `docs/json-schema.json` (a JSON Schema a test validates every record
//! against). Each event there says which commands print it (`x-commands`), so a page
//! lists exactly the records its command can print, with every field.

use std::io::Write;

use serde_json::{Map, Value};

/// The record schema, as committed.
pub const SCHEMA: &str = include_str!("../../docs/json-schema.json");

/// The parsed schema (it is part of the binary; a test checks it parses).
pub fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("docs/json-schema.json is valid JSON")
}

/// The events `command` (`tcp-echo serve`; `tcp-echo` for a group, which gets its
/// subcommands' events; empty for the top page, which gets them all) may print.
pub fn events_of<'a>(schema: &'a Value, command: &str) -> Vec<(&'a str, &'a Value)> {
    let Some(events) = schema["$defs"]["events"].as_object() else {
        return Vec::new();
    };
    events
        .iter()
        .filter(|(_, def)| {
            command.is_empty()
                || def["x-commands"].as_array().is_some_and(|cmds| {
                    cmds.iter().filter_map(Value::as_str).any(|c| {
                        c == command || c.strip_prefix(command).is_some_and(|r| r.starts_with(' '))
                    })
                })
        })
        .map(|(name, def)| (name.as_str(), def))
        .collect()
}

/// Write `.SH "JSON OUTPUT"` for `command` (see [`events_of`]); nothing when it prints
/// no records.
pub fn render_section(out: &mut Vec<u8>, command: &str) -> std::io::Result<()> {
    let schema = schema();
    let events = events_of(&schema, command);
    if events.is_empty() {
        return Ok(());
    }
    let fields = schema["$defs"]["fields"].as_object();
    writeln!(out, ".SH \"JSON OUTPUT\"")?;
    writeln!(
        out,
        "{}",
        escape(schema["description"].as_str().unwrap_or(""))
    )?;
    writeln!(
        out,
        ".PP\nEvery record has \\fBevent\\fR and \\fBtime\\fR; the schema is \
         docs/json-schema.json in the source. The records this command prints:"
    )?;
    for (name, def) in events {
        writeln!(out, ".TP\n.B {name}")?;
        writeln!(out, "{}", escape(def["description"].as_str().unwrap_or("")))?;
        let required: Vec<&str> = def["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let props = def["properties"].as_object().cloned().unwrap_or_default();
        let described: Vec<String> = props
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "event" | "time"))
            .map(|(k, v)| {
                let v = resolve(v, fields);
                let what = v["description"]
                    .as_str()
                    .unwrap_or("")
                    .trim_end_matches('.');
                let always = if required.contains(&k.as_str()) {
                    " (always)"
                } else {
                    ""
                };
                format!("{k}{always}: {what}")
            })
            .collect();
        if !described.is_empty() {
            writeln!(out, "Fields: {}.", escape(&described.join("; ")))?;
        }
    }
    Ok(())
}

/// A field written as `{"$ref": "#/$defs/fields/peer"}` reads as the shared one.
fn resolve<'a>(v: &'a Value, fields: Option<&'a Map<String, Value>>) -> &'a Value {
    v["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/fields/"))
        .and_then(|name| fields?.get(name))
        .unwrap_or(v)
}

/// Text as roff, without the backquotes of the schema's `code` spans.
fn escape(s: &str) -> String {
    super::completions::roff_escape(&s.replace('`', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_parses_and_names_every_event_it_defines() {
        let s = schema();
        let listed: Vec<&str> = s["properties"]["event"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let defined: Vec<&str> = s["$defs"]["events"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(listed, defined);
    }

    #[test]
    fn a_page_lists_its_commands_events_and_a_group_its_subcommands() {
        let s = schema();
        let names = |c| -> Vec<&str> { events_of(&s, c).into_iter().map(|(n, _)| n).collect() };
        let serve = names("tcp-echo serve");
        assert!(
            serve.contains(&"connect") && serve.contains(&"summary"),
            "{serve:?}"
        );
        assert!(!serve.contains(&"bench"), "{serve:?}");
        assert!(names("tcp-echo").contains(&"bench"));
        assert!(names("completions").is_empty());
        assert_eq!(
            names("").len(),
            s["$defs"]["events"].as_object().unwrap().len()
        );
    }

    #[test]
    fn fields_read_with_their_shared_descriptions() {
        let mut page = Vec::new();
        render_section(&mut page, "tcp-echo listen").unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with(".SH \"JSON OUTPUT\"\n"), "{page}");
        assert!(page.contains(".B data\n"), "{page}");
        assert!(
            page.contains("bytes_in (always): Bytes received from the peer(s); "),
            "{page}"
        );
    }
}
