//! Quantities: how each kind of figure is rounded and printed. One policy per kind, so
//! that a figure prints the same in every table, sentence and document (an NPV with two
//! decimals in the option's table and in the summary alike). Templates print a figure
//! with `{{ x | q("money") }}`; an unknown kind is an error when the template renders.

/// A kind of figure, with its rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An amount of money in 10⁴ CNY (investment, NPV), or 10⁴ CNY a year (savings,
    /// cash flows): two decimals, i.e. to the hundred yuan.
    Money,
    /// A period in years (paybacks, lives): two decimals.
    Years,
    /// A rate of return (IRR): a percentage with two decimals.
    ReturnRate,
    /// A ratio of money to money (NPVR): a percentage with one decimal.
    MoneyRatio,
    /// A rate set by the audit (discount, tax, benchmark): a percentage, whole.
    SetRate,
    /// A balance's closure error: a percentage with two decimals.
    Closure,
}

impl Kind {
    /// Every kind, with the name templates use.
    pub const ALL: [(&'static str, Kind); 6] = [
        ("money", Kind::Money),
        ("years", Kind::Years),
        ("return_rate", Kind::ReturnRate),
        ("money_ratio", Kind::MoneyRatio),
        ("set_rate", Kind::SetRate),
        ("closure", Kind::Closure),
    ];

    /// The kind a template names.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// Decimals shown, and whether the value (a fraction) prints as a percentage.
    pub fn rounding(self) -> (usize, bool) {
        match self {
            Kind::Money | Kind::Years => (2, false),
            Kind::ReturnRate | Kind::Closure => (2, true),
            Kind::MoneyRatio => (1, true),
            Kind::SetRate => (0, true),
        }
    }

    /// The figure as printed: `1,234.50`, `12.35%`.
    pub fn format(self, x: f64) -> String {
        match self.rounding() {
            (digits, false) => format_number(x, digits),
            (digits, true) => format!("{}%", format_number(x * 100.0, digits)),
        }
    }
}

/// Formats with fixed decimals and `,` between thousands; `-0.00` prints as `0.00`.
pub fn format_number(x: f64, digits: usize) -> String {
    let s = format!("{:.*}", digits, x.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let negative = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(format_number(1234567.891, 2), "1,234,567.89");
        assert_eq!(format_number(999.996, 2), "1,000.00");
        assert_eq!(format_number(-0.001, 2), "0.00");
        assert_eq!(format_number(-1500.0, 0), "−1,500");
        assert_eq!(format_number(12.0, 0), "12");
    }

    #[test]
    fn each_kind_rounds_one_way() {
        assert_eq!(Kind::Money.format(-12.345), "−12.35");
        assert_eq!(Kind::ReturnRate.format(0.152_34), "15.23%");
        assert_eq!(Kind::MoneyRatio.format(0.152_34), "15.2%");
        assert_eq!(Kind::SetRate.format(0.08), "8%");
        for (name, kind) in Kind::ALL {
            assert_eq!(Kind::from_name(name), Some(kind));
        }
        assert_eq!(Kind::from_name("npv"), None);
    }
}
