//! The renderers on the fixture.

use truce_analysis::{Analysis, Findings, Setting};
use truce_model::Value;

use crate::fixture::ceasefire;

fn findings(case: &truce_model::Case) -> Findings {
    let given = Setting::parse(
        case.space(),
        "hostages=40, ratio=30, withdrawal=populated_areas, permanent_ceasefire=no, guarantees=written",
    )
    .unwrap();
    assert_eq!(given[0], Setting::Set(Value::Int(40)));
    Analysis::new(case)
        .with_bridging(2)
        .with_sensitivity(true)
        .with_outcome("mediators' idea", given)
        .run()
        .unwrap()
}

#[test]
fn text_report() {
    let case = ceasefire();
    insta::assert_snapshot!(truce_report::text::report(&case, &findings(&case)));
}

#[test]
fn json_report() {
    let case = ceasefire();
    let json = truce_report::json::to_string(&case, &findings(&case), None);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema"], truce_report::json::SCHEMA);
    insta::assert_snapshot!(json);
}

#[test]
fn each_section_equals_the_whole_documents_key() {
    use truce_report::json::AnalysisJson;
    let case = ceasefire();
    let f = findings(&case);
    let whole: serde_json::Value =
        serde_json::from_str(&truce_report::json::to_string(&case, &f, None)).unwrap();
    let doc = truce_report::json::analysis(&case, &f, None);
    let object = whole.as_object().unwrap();
    let mut keys = AnalysisJson::KEYS.to_vec();
    keys.sort_unstable();
    assert_eq!(object.keys().map(String::as_str).collect::<Vec<_>>(), keys);
    for key in AnalysisJson::KEYS {
        let section: serde_json::Value = serde_json::from_str(&doc.section(key).unwrap()).unwrap();
        assert_eq!(section, whole[key], "section {key}");
    }
    assert_eq!(doc.section("no-such-key"), None);
}

#[test]
fn svg_plot_is_well_formed_and_labels_every_proposal() {
    let case = ceasefire();
    let f = findings(&case);
    let svg = truce_report::svg::plot(&case, &f);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    // Proposals are numbered by date (1 paris, 2 hamas-counter, 3 may-27, then the given outcome),
    // each mark with its name as a tooltip.
    for label in [
        "1. paris (2024-01-28)",
        "2. hamas-counter",
        "3. may-27",
        "4. mediators&#39; idea",
        ">Nash",
        "utility of israel",
    ] {
        assert!(svg.contains(label), "{label} missing");
    }
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
}

#[test]
fn html_page_is_self_contained() {
    let case = ceasefire();
    let f = findings(&case);
    let svg = truce_report::svg::plot(&case, &f);
    let html = truce_report::html::page(&case, &f, &svg);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("</html>"));
    assert!(!html.contains("src=") && !html.contains("href=\"http") && !html.contains("<link"));
    assert_eq!(html.matches("<script>").count(), 1, "one inline script: sorting");
    assert!(html.contains("Ceasefire fixture") && html.contains("hamas-counter"));
    // Every plot: the utility space, the positions over time and the texts and responses over time.
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(html.contains("positions over time") && html.contains("Texts and responses in the order tabled"));
}

/// The live server's `neutral` mediator: the verdicts and the red lines broken, never a number
/// computed from a preference; the same table with utilities for everyone else.
#[test]
fn verdicts_without_utilities_hold_no_number_of_a_preference() {
    use truce_report::html::{Utilities, components};
    let case = ceasefire();
    let f = findings(&case);
    let shown = components::verdict_table(&case, &f);
    let hidden = components::verdict_table_for(&case, &f, Utilities::Hidden);
    assert!(shown.contains("title=\"utility "), "{shown}");
    assert!(!hidden.contains("utility") && !hidden.contains("reservation"), "{hidden}");
    assert_eq!(shown.matches("<tr").count(), hidden.matches("<tr").count());
    assert!(hidden.contains("no: "), "the red lines broken are named: {hidden}");
    for e in &f.evaluations {
        for v in &e.parties {
            if let Some(u) = v.utility {
                assert!(!hidden.contains(&format!("{:.3}", u.low)), "{hidden}");
            }
        }
    }
    let history = components::history(&case, &f, Utilities::Hidden).concat();
    assert!(history.contains("<figure class=\"history\">") && !history.contains("class=\"utility\""));
}
