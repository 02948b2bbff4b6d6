//! The audit's industry profile as compute reads it: a pollutant code's name, the toxic
//! list a typed pollutant or a raw material is on. The checks of the data against the
//! profile are in `check/industry.rs`.

use crate::model::*;

/// The name of a pollutant code as the audit's industry profile declares it.
pub fn pollutant_name(audit: &Audit, medium: Medium, typed: &str) -> Option<Text> {
    profiles(audit)
        .find_map(|p| p.pollutant(medium, typed))
        .map(|p| p.name.clone())
}

/// The toxic-list entry of a typed pollutant code: the code itself in the toxic list, or
/// the toxic id of the pollutant an industry profile declares under that code or alias
/// (the audit's own profile first).
pub fn toxic_entry<'a>(audit: &'a Audit, medium: Medium, typed: &str) -> Option<&'a Text> {
    if let Some(t) = audit.toxic_pollutants.get(typed) {
        return Some(t);
    }
    if medium == Medium::Wastewater {
        let key = normalise_code(typed);
        if let Some((_, t)) = audit
            .toxic_pollutants
            .iter()
            .find(|(k, _)| normalise_code(k) == key)
        {
            return Some(t);
        }
    }
    profiles(audit)
        .filter_map(|p| p.pollutant(medium, typed))
        .find_map(|p| p.toxic.as_ref())
        .and_then(|id| audit.toxic_pollutants.get(&id.value))
}

/// The toxic-material entry of the audit's industry profile a material's name matches.
pub fn toxic_material<'a>(audit: &'a Audit, name: &Text) -> Option<&'a ToxicMaterialDecl> {
    audit.industry.as_ref()?.toxic_material(name)
}

/// The audit's industry profile, then the other known ones.
fn profiles(audit: &Audit) -> impl Iterator<Item = &IndustryFile> {
    let own = audit.industry.as_ref();
    own.into_iter().chain(
        audit
            .industry_profiles
            .values()
            .filter(move |p| own.is_none_or(|o| o.id != p.id)),
    )
}
