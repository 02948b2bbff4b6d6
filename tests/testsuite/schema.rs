//! The JSON Schemas of the YAML files: the shipped copies equal freshly generated ones,
//! an independent validator (the `jsonschema` crate) accepts the sample and the `init`
//! scaffold and rejects a misspelled key, every YAML file names its schema on line 1,
//! and docs/reference.md is what `cpaudit schema --markdown` prints.
//!
//! `CPAUDIT_BLESS=1 cargo test --test schema` rewrites the shipped schemas and the
//! reference after a change of the model.

use crate::common::{sample, scratch};
use cpaudit::schema::{SchemaFile, modeline, reference_markdown, schemas, to_text};
use serde_json::Value;
use std::path::Path;

fn bless() -> bool {
    std::env::var_os("CPAUDIT_BLESS").is_some()
}

/// The YAML file as JSON, read the way an editor's YAML 1.2 parser reads it.
fn yaml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors(schema: &SchemaFile, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(&schema.schema)
        .unwrap_or_else(|e| panic!("{} is not a valid schema: {e}", schema.schema_name));
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_schemas_are_valid_draft_07() {
    for s in schemas() {
        assert_eq!(
            s.schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "{}",
            s.schema_name
        );
        assert!(
            jsonschema::draft7::meta::is_valid(&s.schema),
            "{} is not a valid draft-07 schema",
            s.schema_name
        );
    }
}

#[test]
fn the_shipped_schemas_are_the_generated_ones() {
    let dir = sample().join("schemas");
    let mut stale = Vec::new();
    for s in schemas() {
        let path = dir.join(s.schema_name);
        let fresh = to_text(&s.schema);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(fresh.as_str()) {
            if bless() {
                std::fs::write(&path, &fresh).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the shipped schemas differ from the model: {stale:?}; run `cargo run -- schema --out sample-audit/schemas` \
         (or `CPAUDIT_BLESS=1 cargo test --test schema`)"
    );
}

#[test]
fn the_reference_is_generated_from_the_schemas() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference.md");
    let fresh = reference_markdown();
    if std::fs::read_to_string(&path).ok().as_deref() != Some(fresh.as_str()) {
        if bless() {
            std::fs::write(&path, &fresh).unwrap();
        } else {
            panic!(
                "docs/reference.md is not what `cpaudit schema --markdown` prints; run \
                 `cargo run -q -- schema --markdown > docs/reference.md` (or `CPAUDIT_BLESS=1 cargo test --test schema`)"
            );
        }
    }
    // Every field of every file is in it.
    for s in schemas() {
        for key in s.schema["properties"].as_object().unwrap().keys() {
            assert!(fresh.contains(&format!("| `{key}` |")), "{key} missing");
        }
    }
    for header in ["`编号 ID`", "`批次1 Batch 1`", "`许可总量 Permitted (t/a)`"] {
        assert!(fresh.contains(header), "{header} missing");
    }
}

#[test]
fn the_sample_validates_and_names_its_schemas() {
    for s in schemas() {
        let path = sample().join(s.file);
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(Some(first.to_string()), modeline(s.file), "{}", s.file);
        // The modeline's path leads to the shipped schema.
        let target = first.split("$schema=").nth(1).unwrap();
        let resolved = path.parent().unwrap().join(target);
        assert!(
            resolved.is_file(),
            "{} names {}",
            s.file,
            resolved.display()
        );
        let e = errors(&s, &yaml_as_json(&path));
        assert!(e.is_empty(), "{} does not validate: {e:#?}", s.file);
    }
}

#[test]
fn a_misspelled_key_is_rejected() {
    let all = schemas();
    let audit = &all[0];
    let mut json = yaml_as_json(&sample().join("audit.yaml"));
    let enterprise = json["enterprise"].as_object_mut().unwrap();
    let v = enterprise.remove("legal_representative").unwrap();
    enterprise.insert("legal_representitive".into(), v);
    let e = errors(audit, &json);
    assert!(
        e.iter().any(|m| m.contains("legal_representitive")),
        "the typo is not reported: {e:#?}"
    );
    // Nested deep in a narrative too: an option's benefits.
    let options = &all[4];
    let mut json = yaml_as_json(&sample().join(options.file));
    let benefits = json["options"][0]["benefits"].as_object_mut().unwrap();
    benefits.insert("ecnomic".into(), Value::from(1.0));
    let e = errors(options, &json);
    assert!(e.iter().any(|m| m.contains("ecnomic")), "{e:#?}");
    // And a value outside an enumeration.
    let mut json = yaml_as_json(&sample().join(options.file));
    json["options"][0]["cost"] = Value::from("cheap");
    assert!(!errors(options, &json).is_empty());
}

#[test]
fn the_init_scaffold_validates() {
    for industry in [
        cpaudit::init::Industry::Dyeing,
        cpaudit::init::Industry::Electroplating,
    ] {
        let dir = scratch("schema-init").join("audit");
        cpaudit::init::init(&dir, industry, (2026, 3, 1)).unwrap();
        for s in schemas() {
            let path = dir.join(s.file);
            let e = errors(&s, &yaml_as_json(&path));
            assert!(e.is_empty(), "{} ({industry:?}): {e:#?}", s.file);
            // The scaffold's schemas are the same files.
            let shipped = std::fs::read_to_string(dir.join("schemas").join(s.schema_name)).unwrap();
            assert_eq!(shipped, to_text(&s.schema));
        }
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }
}

/// The schemas state the default limit of a prose text, so that an editor flags an
/// overlong text before `check` does; the two numbers are one.
#[test]
fn the_schemas_state_the_prose_limit() {
    let limit = cpaudit::load::limits::PROSE_CHARS.default;
    for s in cpaudit::schema::schemas() {
        let text = cpaudit::schema::to_text(&s.schema);
        assert!(
            text.contains(&format!("\"maxLength\": {limit}")),
            "{} lacks maxLength {limit}",
            s.schema_name
        );
    }
}
