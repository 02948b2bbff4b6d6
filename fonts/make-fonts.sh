#!/usr/bin/env bash
# Regenerate everything in fonts/ that is generated:
#   charset.txt (通用规范汉字表 + GB 2312 + the characters of profiles/ and templates/), NotoSerifSC-{Regular,Bold}.otf, NotoSansSC-{Regular,Bold}.otf,
#   NotoSansMonoSC-Regular.otf and OFL.txt
# from Debian's packages fonts-noto-cjk and unicode-data and PyPI's fonttools.
# Rerun it after adding a character to profiles/ or templates/ that the fonts lack
# (the test `bundled_data_has_glyphs` in src/render/fonts.rs says which).
# See README.md.  Needs root for apt-get/pip only if something is missing.
#
# Output is byte-for-byte reproducible for the pinned versions below: the
# subsetter keeps the source fonts' head.created/head.modified (it is run with
# --no-recalc-timestamp) and nothing else in the output depends on time,
# locale or machine.  Run with ALLOW_OTHER_VERSIONS=1 to build from other
# package versions anyway (the output then differs from the committed files).
set -euo pipefail

FONTTOOLS_VERSION=4.68.0
NOTO_CJK_VERSION='1:20220127+repack1-1'  # Debian bookworm
UNICODE_DATA_VERSION='15.0.0-1'          # Debian bookworm

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NOTO=/usr/share/fonts/opentype/noto
UNIHAN=/usr/share/unicode/Unihan_OtherMappings.txt.bz2
PY="${PYTHON:-python3}"
export LC_ALL=C.UTF-8 PYTHONUTF8=1 PYTHONHASHSEED=0
export SOURCE_DATE_EPOCH=1643241600   # 2022-01-27, upstream release; belt and braces

# --- 1. tools and sources -------------------------------------------------
deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

missing=()
[ -n "$(deb_version fonts-noto-cjk)" ] && [ -e "$NOTO/NotoSerifCJK-Regular.ttc" ] || missing+=(fonts-noto-cjk)
[ -n "$(deb_version unicode-data)" ] && [ -e "$UNIHAN" ] || missing+=(unicode-data)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} ..." >&2
  apt-get update
  apt-get install -y -o DPkg::Lock::Timeout=900 "${missing[@]}"
fi

if [ "$("$PY" -c 'import fontTools; print(fontTools.version)' 2>/dev/null || true)" != "$FONTTOOLS_VERSION" ]; then
  "$PY" -m pip install "fonttools==$FONTTOOLS_VERSION"
fi

check_version() { # name wanted actual
  if [ "$2" != "$3" ]; then
    echo "make-fonts.sh: $1 is $3, expected $2" >&2
    [ "${ALLOW_OTHER_VERSIONS:-0}" = 1 ] || { echo "(set ALLOW_OTHER_VERSIONS=1 to go on)" >&2; exit 1; }
  fi
}
check_version fonts-noto-cjk "$NOTO_CJK_VERSION" "$(deb_version fonts-noto-cjk)"
check_version unicode-data "$UNICODE_DATA_VERSION" "$(deb_version unicode-data)"
check_version fonttools "$FONTTOOLS_VERSION" "$("$PY" -c 'import fontTools; print(fontTools.version)')"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# --- 2. character set ----------------------------------------------------
"$PY" "$HERE/make-charset.py" "$UNIHAN" "$HERE/.." "$TMP/charset.txt"

# --- 3. subsets ----------------------------------------------------------
# Index of the face of a .ttc whose family name (name ID 1) is exactly $2.
face_index() {
  "$PY" - "$1" "$2" <<'EOF'
import sys
from fontTools.ttLib import TTCollection
path, family = sys.argv[1], sys.argv[2]
hits = [i for i, f in enumerate(TTCollection(path, lazy=True).fonts)
        if f["name"].getDebugName(1) == family]
if len(hits) != 1:
    sys.exit(f"{path}: {len(hits)} faces named {family!r}")
print(hits[0])
EOF
}

# OpenType layout: all features ('*': kern, palt/halt/vpal/vhal, vert/vrt2,
# vkrn, locl, fwid/hwid/pwid, ccmp, liga, ...), but only the default and the
# Simplified Chinese (ZHS) language systems.  Keeping JAN/KOR/ZHT/ZHH would
# pull their 'locl' glyph variants into the subset (16,506 instead of
# 10,036 glyphs, +70 % size) for text this tool never sets.
LAYOUT_SCRIPTS=""
for s in DFLT cyrl grek hang hani kana latn; do
  LAYOUT_SCRIPTS+="${LAYOUT_SCRIPTS:+,}$s.dflt,$s.ZHS"
done

subset() { # source.ttc family output.otf unicodes-option
  local src="$NOTO/$1" family="$2" out="$3" unicodes="$4" idx
  idx="$(face_index "$src" "$family")"
  echo "subsetting $1 #$idx ($family) -> $out" >&2
  "$PY" -m fontTools.subset "$src" \
    --font-number="$idx" \
    "$unicodes" \
    --layout-features='*' \
    --layout-scripts="$LAYOUT_SCRIPTS" \
    --name-IDs='*' --name-languages='*' \
    --no-hinting \
    --no-glyph-names \
    --no-recalc-timestamp \
    --output-file="$TMP/$out"
}

# One pyftsubset at a time: each needs one core and ~250 MB (~1 min in all).
subset NotoSerifCJK-Regular.ttc "Noto Serif CJK SC" NotoSerifSC-Regular.otf --unicodes-file="$TMP/charset.txt"
subset NotoSerifCJK-Bold.ttc    "Noto Serif CJK SC" NotoSerifSC-Bold.otf    --unicodes-file="$TMP/charset.txt"
subset NotoSansCJK-Regular.ttc  "Noto Sans CJK SC"  NotoSansSC-Regular.otf  --unicodes-file="$TMP/charset.txt"
subset NotoSansCJK-Bold.ttc     "Noto Sans CJK SC"  NotoSansSC-Bold.otf     --unicodes-file="$TMP/charset.txt"
# Monospace face for hashes and file paths: ASCII + Latin-1 only
# (keep in step with MONO_CHARSET in check-coverage.py).
subset NotoSansCJK-Regular.ttc  "Noto Sans Mono CJK SC" NotoSansMonoSC-Regular.otf --unicodes=U+0020-007E,U+00A0-00FF

# --- 4. licence ----------------------------------------------------------
# The copyright notices (name ID 0 of the source faces, and the Files: *
# stanza of Debian's copyright file) followed by the OFL 1.1 text exactly as
# Debian ships it in /usr/share/doc/fonts-noto-cjk/copyright (its
# "License: SIL-1.1" paragraph, with the deb822 indentation undone).
"$PY" - "$NOTO" /usr/share/doc/fonts-noto-cjk/copyright "$TMP/OFL.txt" <<'EOF'
import sys
from fontTools.ttLib import TTCollection
noto, copyright_file, out = sys.argv[1:]
notices = []  # "family: notice" from name IDs 0 (copyright) and 7 (trademark)
for ttc in ("NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc",
            "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"):
    for f in TTCollection(f"{noto}/{ttc}", lazy=True).fonts:
        family = f["name"].getDebugName(1)
        if family not in ("Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans Mono CJK SC"):
            continue
        for nid in (0, 7):
            s = f"{family}: {f['name'].getDebugName(nid)}"
            if s not in notices:
                notices.append(s)
paras = open(copyright_file, encoding="utf-8").read().split("\n\n")
debian_cr = next(p for p in paras if p.startswith("Files: *\n"))
debian_cr = [l for l in debian_cr.splitlines() if l.startswith("Copyright:")]
lic = next(p for p in paras if p.startswith("License: SIL-1.1\n"))
body = []
for l in lic.splitlines()[1:]:
    assert l.startswith(" "), l
    l = l[1:]
    body.append("" if l == "." else l)
text = (
    "The fonts in this folder are subsets of Noto Serif CJK and Noto Sans CJK\n"
    "(Debian package fonts-noto-cjk), which carry these notices\n"
    "(name IDs 0 and 7 of the source faces):\n\n"
    + "\n".join(notices) + "\n"
    + "\n".join("Debian's copyright file for fonts-noto-cjk: " + l for l in debian_cr) + "\n\n"
    + "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
    + "This license is copied below, and is also available with a FAQ at:\n"
    + "http://scripts.sil.org/OFL\n\n\n"
    + "\n".join(body) + "\n"
)
open(out, "w", encoding="utf-8", newline="\n").write(text)
EOF

# --- 5. install into fonts/ and report -----------------------------------
for f in charset.txt NotoSerifSC-Regular.otf NotoSerifSC-Bold.otf NotoSansSC-Regular.otf \
         NotoSansSC-Bold.otf NotoSansMonoSC-Regular.otf OFL.txt; do
  mv -f "$TMP/$f" "$HERE/$f"
  chmod 644 "$HERE/$f"
done
"$PY" "$HERE/check-coverage.py"
(cd "$HERE" && ls -l -- *.otf charset.txt OFL.txt && sha256sum -- *.otf charset.txt OFL.txt)
