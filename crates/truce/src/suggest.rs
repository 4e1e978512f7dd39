//! "Did you mean": the closest known name to a misspelt one.

/// The name of `known` closest to `given` (by Jaro-Winkler similarity, at least 0.8; ties keep the
/// first), if any is close enough to be what was meant.
#[must_use]
pub fn closest<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for name in known {
        let score = strsim::jaro_winkler(given, name);
        if score >= 0.8 && best.is_none_or(|(_, b)| score > b) {
            best = Some((name, score));
        }
    }
    best.map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_find_their_name_and_strangers_find_none() {
        let names = ["boulware", "conceder", "linear", "micro"];
        assert_eq!(closest("boulwar", names), Some("boulware"));
        assert_eq!(closest("concder", names), Some("conceder"));
        assert_eq!(closest("xyz", names), None);
        assert_eq!(closest("shutle", ["sao", "single_text", "shuttle"]), Some("shuttle"));
    }
}
