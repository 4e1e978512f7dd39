//! "Did you mean ...?" for misspelt names.

/// The candidate closest to `name`, if it is close enough to be a likely typo: same letters up to case,
/// or an edit distance (with transpositions) of at most a third of the name's length, and at least 1.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| {
            let d = if c.to_lowercase() == lower { 0 } else { distance(&lower, &c.to_lowercase()) };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Names are short; a full table is simplest. Long inputs are cut off: they are never typos.
    if a.len().abs_diff(b.len()) > 8 || a.len() > 256 || b.len() > 256 {
        return usize::MAX;
    }
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["withdrawal", "aid_trucks_per_day", "permanent_ceasefire"];
        assert_eq!(did_you_mean("withdrawl", names), Some("withdrawal"));
        assert_eq!(did_you_mean("Withdrawal", names), Some("withdrawal"));
        assert_eq!(did_you_mean("aid_truck_per_dya", names), Some("aid_trucks_per_day"));
        assert_eq!(did_you_mean("ceasefire", names), None);
        assert_eq!(did_you_mean("x", names), None);
        assert_eq!(did_you_mean("withdrawal", names), None, "an exact match is not a suggestion");
    }

    #[test]
    fn transpositions_count_once() {
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }
}
