//! The lines that differ between two versions of a generated Typst source, so that
//! `watch` can hand Typst each changed stretch as its own edit.
//!
//! `Source::replace` edits one range, from the first difference to the last. Every input
//! edit changes the evidence root, which the source prints near its end, so that range
//! would run from the edited paragraph to the end of the document: Typst would parse
//! all of it again, give it new spans and lay out every page after the edit. Separate
//! edits keep the unchanged text, and its layout, as it was.

use std::ops::Range;

/// A stretch of differing lines: `old` lines are replaced by `new` lines (indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// Lines of the old text.
    pub old: Range<usize>,
    /// Lines of the new text that replace them.
    pub new: Range<usize>,
}

/// The hunks that turn `old` into `new`, in order, found with Myers' algorithm; `None`
/// when more than `max` lines differ (a single replacement is as good then).
pub fn hunks(old: &[&str], new: &[&str], max: usize) -> Option<Vec<Hunk>> {
    // Common lines at both ends cost nothing to skip and keep the search small.
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut hunks = Vec::new();
    let mut last = (0, 0);
    for (x, y, len) in snakes(a, b, max)? {
        if (x, y) != last {
            hunks.push(Hunk {
                old: prefix + last.0..prefix + x,
                new: prefix + last.1..prefix + y,
            });
        }
        last = (x + len, y + len);
    }
    if last != (a.len(), b.len()) {
        hunks.push(Hunk {
            old: prefix + last.0..prefix + a.len(),
            new: prefix + last.1..prefix + b.len(),
        });
    }
    Some(hunks)
}

/// The runs of equal lines `(x, y, len)` of a shortest edit script from `a` to `b`, in
/// order; `None` when it needs more than `max` insertions and deletions.
fn snakes(a: &[&str], b: &[&str], max: usize) -> Option<Vec<(usize, usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let limit = (n + m).min(max as isize);
    // v[k] is the furthest x on diagonal k = x - y; `trace[d]` keeps v after step d for
    // diagonals -d..=d.
    let off = limit + 1;
    let mut v = vec![0isize; 2 * off as usize + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let at = |v: &[isize], k: isize| v[(k + off) as usize];
    let mut found = None;
    'search: for d in 0..=limit {
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && at(&v, k - 1) < at(&v, k + 1)) {
                at(&v, k + 1)
            } else {
                at(&v, k - 1) + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(k + off) as usize] = x;
            if x >= n && y >= m {
                trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
                found = Some(d);
                break 'search;
            }
        }
        trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
    }
    let depth = found?;
    // Walk back from the end: each step is a run of equal lines after one edit.
    let mut runs = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=depth).rev() {
        let prev = &trace[d as usize - 1];
        let get = |k: isize| prev[(k + d - 1) as usize];
        let k = x - y;
        let pk = if k == -d || (k != d && get(k - 1) < get(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let px = get(pk);
        let py = px - pk;
        // The edit leads from (px, py) to (sx, sy); equal lines follow up to (x, y).
        let (sx, sy) = if pk == k + 1 {
            (px, py + 1)
        } else {
            (px + 1, py)
        };
        if x > sx {
            runs.push((sx as usize, sy as usize, (x - sx) as usize));
        }
        (x, y) = (px, py);
    }
    if x > 0 {
        runs.push((0, 0, x as usize));
    }
    runs.reverse();
    Some(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the hunks to `old`, last first (as `DocWorld` does with byte ranges).
    fn apply(old: &[&str], new: &[&str], hunks: &[Hunk]) -> Vec<String> {
        let mut out: Vec<String> = old.iter().map(|s| s.to_string()).collect();
        for h in hunks.iter().rev() {
            out.splice(
                h.old.clone(),
                new[h.new.clone()].iter().map(|s| s.to_string()),
            );
        }
        out
    }

    fn lines(s: &str) -> Vec<&str> {
        s.split_inclusive('\n').collect()
    }

    #[test]
    fn separate_changes_are_separate_hunks() {
        let old = lines("a\nb\nc\nd\ne\nf\nroot 1\n");
        let new = lines("a\nb2\nc\nd\ne\nf\nroot 2\n");
        let h = hunks(&old, &new, 100).unwrap();
        assert_eq!(
            h,
            vec![
                Hunk {
                    old: 1..2,
                    new: 1..2
                },
                Hunk {
                    old: 6..7,
                    new: 6..7
                }
            ]
        );
        assert_eq!(apply(&old, &new, &h), new);
    }

    #[test]
    fn insertions_deletions_and_edges() {
        let cases = [
            ("", "x\n"),
            ("x\n", ""),
            ("a\nb\nc\n", "a\nb\nc\n"),
            ("a\nb\nc\n", "x\na\nc\ny\n"),
            ("a\nb\nc\nd\n", "d\nc\nb\na\n"),
            ("a\nb\na\nb\na\n", "b\na\nb\n"),
            ("p\nq\nr\ns\nt\nu", "p\nQ\nr\nnew\ns\nt\nU"),
        ];
        for (a, b) in cases {
            let (old, new) = (lines(a), lines(b));
            let h = hunks(&old, &new, 100).unwrap();
            assert_eq!(apply(&old, &new, &h), new, "{a:?} → {b:?}");
        }
    }

    #[test]
    fn random_edits_round_trip() {
        // A fixed pseudo-random sequence: lines from a small alphabet, so that many
        // lines repeat, edited by insertions, deletions and changes.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200 {
            let old: Vec<String> = (0..next(60)).map(|_| format!("{}\n", next(6))).collect();
            let mut new = old.clone();
            for _ in 0..next(8) {
                let at = next(new.len() as u64 + 1) as usize;
                match next(3) {
                    0 => new.insert(at, format!("{}\n", next(6))),
                    1 if at < new.len() => drop(new.remove(at)),
                    _ if at < new.len() => new[at] = format!("x{}\n", next(6)),
                    _ => {}
                }
            }
            let old: Vec<&str> = old.iter().map(String::as_str).collect();
            let new: Vec<&str> = new.iter().map(String::as_str).collect();
            let h = hunks(&old, &new, 1000).unwrap();
            assert_eq!(apply(&old, &new, &h), new, "{old:?} → {new:?}");
        }
    }

    #[test]
    fn too_many_differences_give_up() {
        let old: Vec<String> = (0..50).map(|i| format!("{i}\n")).collect();
        let new: Vec<String> = (0..50).map(|i| format!("{}\n", i + 100)).collect();
        let old: Vec<&str> = old.iter().map(String::as_str).collect();
        let new: Vec<&str> = new.iter().map(String::as_str).collect();
        assert!(hunks(&old, &new, 20).is_none());
        assert_eq!(apply(&old, &new, &hunks(&old, &new, 1000).unwrap()), new);
    }
}
