//! Option benefits: every benefit quantity names what it is (a code or a name), so the
//! reports and the sums can say what was saved.

use crate::compute::benefits::key;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// Reports every benefit quantity that has neither a code nor a name.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    let options = audit
        .options
        .options
        .iter()
        .map(|o| ("narratives/04-options.yaml", &o.benefits));
    let results = audit
        .implementation
        .results
        .iter()
        .map(|r| ("narratives/06-implementation.yaml", &r.benefits));
    for (file, b) in options.chain(results) {
        for q in &b.quantities {
            if key(q).is_none() {
                d.push(
                    Diagnostic::error(
                        "options::benefit-unnamed",
                        "a benefit quantity has neither a `code` nor a `name`",
                    )
                    .at(Place::yaml(file, &q.quantity.referenced))
                    .help("add `code: water` (or a pollutant code of the industry profile such as `COD`), or `name: {zh: …, en: …}`"),
                );
            }
        }
    }
}
