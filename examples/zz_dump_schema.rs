fn main() {
    for s in cpaudit::schema::schemas() {
        println!("== {}", s.file);
        let v = &s.schema;
        let mut defs = vec![("ROOT".to_string(), v.clone())];
        if let Some(d) = v.get("definitions").and_then(|d| d.as_object()) {
            for (k, x) in d {
                defs.push((k.clone(), x.clone()));
            }
        }
        for (k, d) in defs {
            if let Some(p) = d.get("properties").and_then(|p| p.as_object()) {
                let keys: Vec<String> = p
                    .iter()
                    .map(|(pk, pv)| {
                        let desc = pv.get("description").and_then(|x| x.as_str()).unwrap_or("");
                        if desc.contains('：') {
                            pk.clone()
                        } else {
                            format!("!!{pk}")
                        }
                    })
                    .collect();
                println!("{k}: {}", keys.join(" "));
            }
        }
    }
}
