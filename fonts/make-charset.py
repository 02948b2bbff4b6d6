#!/usr/bin/env python3
"""Regenerate fonts/charset.txt, the character set of the bundled font subsets.

Usage: make-charset.py UNIHAN_OTHERMAPPINGS(.txt|.txt.bz2) REPO_ROOT OUTPUT

The set has four parts, each listing only what the parts before it lack:

1. non-Han Unicode blocks (EXTRA_RANGES below);
2. the 8,105 characters of the 通用规范汉字表;
3. every character of GB 2312-1980 (its 682 symbols and 6,763 hanzi), enumerated with
   Python's own `gb2312` codec over rows 1-87, cells 1-94;
4. every character of cpaudit's bundled data that prints into reports: every file
   under REPO_ROOT/profiles/ and REPO_ROOT/templates/ (whitespace and control
   characters aside), so that a new profile or string with a rare character (磺 in
   氨基磺酸镍) gets its glyph when the fonts are regenerated.

The 8,105 characters of the Table of General Standard Chinese Characters
(通用规范汉字表, State Council of the PRC, 2013) are read from the kTGH field
of the Unicode Consortium's Unihan database (Unihan_OtherMappings.txt), as
shipped by Debian's package `unicode-data` in
/usr/share/unicode/Unihan_OtherMappings.txt.bz2.  kTGH values look like
"2013:0001": the table's edition and the character's serial number; numbers
0001-3500 are level 1, 3501-6500 level 2 and 6501-8105 level 3.

The output is in the format pyftsubset --unicodes-file reads: one code point
or range (U+XXXX or U+XXXX-YYYY) per line; everything after '#' is a comment.
check-coverage.py reads the same file.
"""
import bz2
import os
import sys

from fontTools.subset import parse_unicodes

# Non-Han ranges kept in addition to the 8,105 characters.  Ranges name whole
# Unicode blocks (or documented parts of them); a code point the source font
# lacks is simply not in the subset (check-coverage.py lists them).
EXTRA_RANGES = [
    ("0020-007E", "Basic Latin (ASCII, printable)"),
    ("00A0-00FF", "Latin-1 Supplement (incl. ° ± · × ÷ ² ³ µ ¼ §)"),
    ("0100-017F", "Latin Extended-A"),
    ("01CD-01DC", "Latin Extended-B: pinyin with caron/diaeresis (ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ)"),
    ("01F8-01F9", "Latin Extended-B: pinyin Ǹ ǹ"),
    ("0251", "IPA: ɑ (pinyin alpha as in GB 2312)"),
    ("0261", "IPA: ɡ (pinyin script g as in GB 2312)"),
    ("02C6-02DD", "Spacing Modifier Letters: ˆ ˇ ˉ ˊ ˋ ˙ ˚ ˜ (bopomofo/pinyin tones)"),
    ("0370-03FF", "Greek and Coptic (α β γ δ μ σ ρ Ω Δ Σ)"),
    ("1E3E-1E3F", "Latin Extended Additional: pinyin Ḿ ḿ"),
    ("2000-206F", "General Punctuation (‰ ‱ † ‡ • … ‘ ’ “ ” — ‖ ′ ″ ※)"),
    ("2070-209F", "Superscripts and Subscripts (⁰ ⁴ ⁻ ₀ ₂ ₃ ₄)"),
    ("20A0-20CF", "Currency Symbols (€ ₤ ₩ …)"),
    ("2100-214F", "Letterlike Symbols (℃ ℉ № ™ ℓ Ω Å)"),
    ("2150-218F", "Number Forms (⅓ ⅔ Ⅰ–Ⅻ ⅰ–ⅻ)"),
    ("2190-21FF", "Arrows"),
    ("2200-22FF", "Mathematical Operators (≤ ≥ ≈ ≠ ± ∑ − √ ∞ ∝ ∈ ∩ ∪)"),
    ("2300-23FF", "Miscellaneous Technical (⌀ diameter, ⌒ arc)"),
    ("2460-24FF", "Enclosed Alphanumerics (①–⑳ ⑴–⒇ ⒈–⒛ Ⓐ–ⓩ)"),
    ("2500-257F", "Box Drawing"),
    ("2580-259F", "Block Elements"),
    ("25A0-25FF", "Geometric Shapes (■ □ ▲ △ ● ○ ◆ ◇ ◎)"),
    ("2600-26FF", "Miscellaneous Symbols (★ ☆ ☐ ☑ ☒ ♀ ♂)"),
    ("2700-27BF", "Dingbats (✓ ✔ ✗ ✘ ❶–❿ ➀–➓)"),
    ("3000-303F", "CJK Symbols and Punctuation (、 。 〈 〉 《 》 「 」 【 】 〇 〔 〕)"),
    ("30FB", "Katakana middle dot ・"),
    ("3220-325F", "Enclosed CJK: parenthesized ideographs ㈠–㈩ ㈱ and circled numbers ㉑–㉟"),
    ("3280-32BF", "Enclosed CJK: circled ideographs ㊀–㊉ ㊣ and circled numbers ㊱–㊿"),
    ("3300-33FF", "CJK Compatibility (㎡ ㎥ ㎏ ㎎ ㎞ ㎝ ㎜ ㏄ ㎖ ㎘ ㏑)"),
    ("FE10-FE1F", "Vertical Forms"),
    ("FE30-FE4F", "CJK Compatibility Forms (︵ ︶ … ﹏)"),
    ("FE50-FE6F", "Small Form Variants"),
    ("FF00-FFEF", "Halfwidth and Fullwidth Forms (，：；！？（）％ ＋ ～ ￥)"),
    ("FFFD", "Replacement character �"),
]


def read_tgh(path):
    opener = bz2.open if path.endswith(".bz2") else open
    entries = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            cp, field, value = line.rstrip("\n").split("\t")
            if field != "kTGH":
                continue
            # A code point can in principle carry several space-separated values.
            for v in value.split():
                edition, serial = v.split(":")
                if edition == "2013":
                    entries.append((int(serial), int(cp[2:], 16)))
    entries.sort()
    serials = [s for s, _ in entries]
    cps = [c for _, c in entries]
    if serials != list(range(1, 8106)) or len(set(cps)) != 8105:
        sys.exit(f"kTGH data is not 8,105 unique serials 0001-8105 "
                 f"(got {len(entries)} entries, {len(set(cps))} code points)")
    return entries


def read_gb2312():
    """GB 2312-1980 in its own order: (row, cell, character) for every assigned cell.

    Rows 1-9 are the 682 symbols, rows 16-87 the 6,763 hanzi (level 1: rows 16-55,
    level 2: rows 56-87); rows 10-15 and 88-94 are unassigned.  Python's codec maps
    row 1 cell 4 to U+30FB and row 1 cell 10 to U+2015; other mappings (WHATWG's GBK
    index) give U+00B7 and U+2014 there, which part 1 keeps too.
    """
    out = []
    for row in range(1, 95):
        for cell in range(1, 95):
            try:
                c = bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.append((row, cell, c))
    symbols = sum(1 for r, _, _ in out if r <= 9)
    hanzi = sum(1 for r, _, _ in out if 16 <= r <= 87)
    if (symbols, hanzi, len(out)) != (682, 6763, 7445):
        sys.exit(f"gb2312 codec gives {symbols} symbols and {hanzi} hanzi "
                 f"({len(out)} in all), not 682 and 6,763")
    return out


def data_characters(root):
    """Characters of every file under profiles/ and templates/, with the first file
    (in sorted path order) each appears in."""
    first = {}
    for top in ("profiles", "templates"):
        paths = []
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            paths += [os.path.join(dirpath, f) for f in files]
        for path in sorted(paths):
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            for c in text:
                if c.isspace() or not c.isprintable():
                    continue
                first.setdefault(c, rel)
    return first


def level(serial):
    return 1 if serial <= 3500 else 2 if serial <= 6500 else 3


def main():
    src, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    entries = read_tgh(src)
    counts = {1: 0, 2: 0, 3: 0}
    for s, _ in entries:
        counts[level(s)] += 1
    assert counts == {1: 3500, 2: 3000, 3: 1605}, counts
    lines = [
        "# cpaudit font subset character set -- generated by fonts/make-charset.py; do not edit.",
        "# Format: one code point (U+XXXX) or inclusive range (U+XXXX-YYYY) per line;",
        "# text after '#' is a comment.  Read by pyftsubset --unicodes-file and by",
        "# fonts/check-coverage.py.",
        "#",
        "# Part 1: non-Han blocks (whole Unicode blocks unless noted).",
    ]
    for rng, label in EXTRA_RANGES:
        lines.append(f"U+{rng:<12} # {label}")
    lines += [
        "#",
        "# Part 2: the 8,105 characters of the Table of General Standard Chinese",
        "# Characters (通用规范汉字表, 2013), in the table's own order, from the kTGH",
        "# field of Unihan_OtherMappings.txt (Debian package unicode-data).",
        f"# Level 1: {counts[1]}, level 2: {counts[2]}, level 3: {counts[3]}, total: {len(entries)}.",
        "# Comment columns: the character, its serial number in the table, its level.",
    ]
    for s, cp in entries:
        lines.append(f"U+{cp:04X}  # {chr(cp)} {s:04d} L{level(s)}")

    have = set()
    for rng, _ in EXTRA_RANGES:
        have.update(parse_unicodes(rng))
    have.update(cp for _, cp in entries)

    gb = read_gb2312()
    gb_new = [(r, c, ch) for r, c, ch in gb if ord(ch) not in have]
    n_sym = sum(1 for r, _, _ in gb_new if r <= 9)
    lines += [
        "#",
        "# Part 3: the characters of GB 2312-1980 that parts 1 and 2 lack, in GB 2312",
        "# order, from Python's gb2312 codec (682 symbols in rows 1-9 and 6,763 hanzi in",
        "# rows 16-87 in all).",
        f"# Symbols: {n_sym}, hanzi: {len(gb_new) - n_sym}, total: {len(gb_new)}.",
        "# Comment columns: the character, its row and cell (区位码).",
    ]
    for r, c, ch in gb_new:
        lines.append(f"U+{ord(ch):04X}  # {ch} {r:02d}{c:02d}")
    have.update(ord(ch) for _, _, ch in gb)

    extra = sorted((ord(c), f) for c, f in data_characters(root).items() if ord(c) not in have)
    lines += [
        "#",
        "# Part 4: characters of cpaudit's bundled data (profiles/, templates/) that",
        "# parts 1-3 lack, by code point.",
        f"# Total: {len(extra)}.",
        "# Comment columns: the character, the first file it is in.",
    ]
    for cp, f in extra:
        lines.append(f"U+{cp:04X}  # {chr(cp)} {f}")
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
