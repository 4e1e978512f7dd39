//! The JSON Schema of the case format, generated from the raw types (`docs/case-format.schema.json`).
//! Editors use it to complete and check case files written in TOML.

use super::raw::RawFile;

/// The JSON Schema (draft 7) of a case file, pretty-printed with a final newline.
#[must_use]
pub fn json_schema() -> String {
    // Draft 7: the newest draft that TOML editors' validators (Taplo, Even Better TOML) support.
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<RawFile>().to_value();
    drop_null(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// TOML has no null: an optional field is one that may be left out, so the `null` alternatives
/// schemars adds for `Option` fields are removed.
fn drop_null(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    object.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any_of)) = object.get_mut("anyOf") {
                any_of.retain(|s| {
                    s.as_object()
                        .is_none_or(|o| !(o.len() == 1 && o.get("type").is_some_and(|t| t == "null")))
                });
                if any_of.len() == 1
                    && let Some(Value::Object(only)) = any_of.pop()
                {
                    object.remove("anyOf");
                    for (k, v) in only {
                        object.entry(k).or_insert(v);
                    }
                }
            }
            object.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// Fails when the committed schema is out of date. Regenerate it with
    /// `UPDATE_SCHEMA=1 cargo test -p truce-formats schema`.
    #[test]
    fn committed_schema_is_up_to_date() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/case-format.schema.json");
        let generated = json_schema();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/case-format.schema.json is out of date with the case-file types; regenerate it with\n\
             UPDATE_SCHEMA=1 cargo test -p truce-formats schema"
        );
    }

    #[test]
    fn schema_describes_every_top_level_key() {
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        let properties = schema["properties"].as_object().unwrap();
        let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        for key in super::super::raw::TOP_LEVEL_KEYS {
            assert!(keys.contains(key), "{key} missing from {keys:?}");
        }
        assert_eq!(
            schema["additionalProperties"],
            serde_json::Value::Bool(false),
            "unknown keys are refused"
        );
    }
}
