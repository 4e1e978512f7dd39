#!/usr/bin/env bash
# Seeds (or tops up) each fuzz target's corpus in fuzz/corpus/<target>/ from the repository's
# fixtures and example cases, so a run starts from real files and the corpora grow as fixtures are
# added. Files are named by content hash: running it again adds only new inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
data=crates/truce-formats/tests/data
seed() { # target, files...
    local target=$1
    shift
    mkdir -p "fuzz/corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "fuzz/corpus/$target/$(sha1sum "$f" | cut -c1-16)"
    done
}
seed case_toml $(find "$data/case" cases -name '*.toml')
seed genius_domain $(grep -l '<negotiation_template\|<objective' $(find "$data/genius" crates/truce-cli/tests/data -name '*.xml') | xargs grep -L 'evaluation=' || true)
seed genius_profile $(grep -l 'evaluation=\|<weight' $(find "$data/genius" crates/truce-cli/tests/data -name '*.xml') || true)
seed geniusweb $(find "$data/geniusweb" -name '*.json')
seed negmas $(find "$data/negmas" -name '*.yaml' -o -name '*.yml')
seed events $(find "$data/monitor" cases -path '*event*' \( -name '*.csv' -o -name '*.jsonl' -o -name '*.ndjson' \))
for t in fuzz/corpus/*/; do echo "$t: $(ls "$t" | wc -l) inputs"; done
