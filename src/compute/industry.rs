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

/// What the reports print for a typed pollutant code: the name (and symbol) the audit's
/// industry profile declares for it (by code or alias), else another known profile's
/// (the media in the order given), else the common names of `templates/strings.yaml`.
/// None: nobody names it, and the reports print the code as typed.
pub fn pollutant_label(audit: &Audit, media: &[Medium], typed: &str) -> Option<PollutantName> {
    name_pollutant(
        profiles(audit),
        media,
        typed,
        crate::load::industry::common_pollutant_names(),
    )
}

/// Every pollutant code the audit's workbooks type (discharges, permitted totals, the
/// components of the measured streams), with what the reports print for it; codes nobody
/// names are left out (`check` warns about them).
pub fn pollutant_names(audit: &Audit) -> std::collections::BTreeMap<String, PollutantName> {
    typed_codes(audit)
        .into_iter()
        .filter_map(|(code, media, _)| {
            pollutant_label(audit, &media, &code).map(|name| (code, name))
        })
        .collect()
}

/// Every typed pollutant code, with the media to look it up in and where it is first typed.
pub fn typed_codes(audit: &Audit) -> Vec<(String, Vec<Medium>, &Cell)> {
    let both = || vec![Medium::Wastewater, Medium::WasteGas];
    let t = &audit.tables;
    let mut out: Vec<(String, Vec<Medium>, &Cell)> = Vec::new();
    let rows = t
        .discharges
        .iter()
        .map(|r| (&r.pollutant, vec![r.medium]))
        .chain(t.permits.iter().map(|r| (&r.pollutant, both())))
        .chain(t.components.iter().map(|r| (&r.component, both())));
    for (code, media) in rows {
        match out.iter_mut().find(|(c, _, _)| *c == code.value) {
            Some((_, m, _)) => {
                for x in media {
                    if !m.contains(&x) {
                        m.push(x);
                    }
                }
            }
            None => out.push((code.value.clone(), media, &code.cell)),
        }
    }
    out
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
