#!/usr/bin/env python3
"""Check that the bundled subsets keep every charset character their source has.

Usage: check-coverage.py [--verbose]   (run from anywhere; paths are fixed)

For each subset in fonts/, compare its cmap with the cmap of the face it was
cut from (looked up by family name in the Debian fonts-noto-cjk .ttc files):
every code point of its charset that the source face maps must be mapped by
the subset, and the source must map every code point of parts 3 (GB 2312) and 4
(the characters of profiles/ and templates/).  Prints, per font, how many charset code points the source face
lacks; for the 8,105 Table of General Standard Chinese Characters it lists
every missing character, for the non-Han blocks it lists them only with
--verbose (most of those are code points the blocks reserve or that Noto CJK
never drew, e.g. most of Miscellaneous Symbols).  Exits 1 on any failure.
"""
import os
import sys

from fontTools.subset import parse_unicodes
from fontTools.ttLib import TTCollection, TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
NOTO = "/usr/share/fonts/opentype/noto"
CHARSET = os.path.join(HERE, "charset.txt")
MONO_CHARSET = "U+0020-007E,U+00A0-00FF"  # as in make-fonts.sh

FONTS = [
    # subset file, source .ttc, family name, charset (None = charset.txt)
    ("NotoSerifSC-Regular.otf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", None),
    ("NotoSerifSC-Bold.otf", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", None),
    ("NotoSansSC-Regular.otf", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", None),
    ("NotoSansSC-Bold.otf", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", None),
    ("NotoSansMonoSC-Regular.otf", "NotoSansCJK-Regular.ttc", "Noto Sans Mono CJK SC",
     MONO_CHARSET),
]


def read_charset(path):
    """Return (all code points, {part number: its code points}) in file order."""
    allcps, parts, part = [], {}, 1
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("# Part "):
                part = int(line[len("# Part "):].split(":")[0])
            cps = parse_unicodes(line.split("#")[0])
            allcps += cps
            parts.setdefault(part, []).extend(cps)
    return list(dict.fromkeys(allcps)), parts


def source_cmap(ttc, family):
    coll = TTCollection(os.path.join(NOTO, ttc), lazy=True)
    faces = [f for f in coll.fonts if f["name"].getDebugName(1) == family]
    if len(faces) != 1:
        sys.exit(f"{ttc}: {len(faces)} faces named {family!r}")
    return faces[0]["name"].getDebugName(1), faces[0].getBestCmap()


def ranges(cps):
    out, cps = [], sorted(cps)
    for cp in cps:
        if out and cp == out[-1][1] + 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in out)


def main():
    verbose = "--verbose" in sys.argv
    full, parts = read_charset(CHARSET)
    tgh = parts[2]
    assert len(tgh) == len(set(tgh)) == 8105, len(tgh)
    # Parts 3 (GB 2312) and 4 (the bundled data's characters) must be drawn in full.
    required = {3: "GB 2312", 4: "profiles/ and templates/"}
    failed = False
    for name, ttc, family, spec in FONTS:
        charset = full if spec is None else list(dict.fromkeys(parse_unicodes(spec)))
        _, src = source_cmap(ttc, family)
        sub_font = TTFont(os.path.join(HERE, name))
        sub = sub_font.getBestCmap()
        sub_family = sub_font["name"].getDebugName(1)
        has = [cp for cp in charset if cp in src]
        lacks = [cp for cp in charset if cp not in src]
        lost = [cp for cp in has if cp not in sub]
        extra = sorted(set(sub) - set(charset))
        ok = not lost and sub_family == family
        failed |= not ok
        print(f"{name}: family {sub_family!r}; charset {len(charset)} code points, "
              f"source has {len(has)}, subset keeps {len(has) - len(lost)}, "
              f"lost {len(lost)}, source lacks {len(lacks)}; "
              f"subset cmap {len(sub)} entries ({len(extra)} outside charset), "
              f"{len(sub_font.getGlyphOrder())} glyphs  [{'OK' if ok else 'FAIL'}]")
        if lost:
            print("  LOST:", ranges(lost))
        if spec is None:
            tgh_lacks = [cp for cp in tgh if cp not in src]
            print(f"  通用规范汉字表: {8105 - len(tgh_lacks)} of 8105 in source and subset; "
                  f"source lacks {len(tgh_lacks)}:"
                  + "".join(f"\n    U+{cp:04X} {chr(cp)}" for cp in tgh_lacks))
            for part, what in required.items():
                cps = parts.get(part, [])
                missing = [cp for cp in cps if cp not in src]
                failed |= bool(missing)
                print(f"  part {part} ({what}): {len(cps)} code points, source lacks "
                      f"{len(missing)}" + "".join(f"\n    U+{cp:04X} {chr(cp)}" for cp in missing)
                      + ("  [FAIL]" if missing else ""))
            other = [cp for cp in lacks if cp not in set(tgh)]
            print(f"  non-Han charset code points the source lacks: {len(other)}"
                  + (f"\n    {ranges(other)}" if verbose else " (--verbose lists them)"))
        elif lacks:
            print("  source lacks:", ranges(lacks))
        if extra and verbose:
            print("  cmap entries outside charset (kept by layout closure):", ranges(extra))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
