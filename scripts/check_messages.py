"""Fail when a committed .mo catalogue does not hold what its .po says (run `make messages`)."""

import gettext
import subprocess
import sys
import tempfile
from pathlib import Path

locale = Path(__file__).resolve().parent.parent / "src" / "dealercrm" / "locale"


def catalog(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


stale = []
for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
    mo = po.with_suffix(".mo")
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "fresh.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", fresh, po], check=True)
        if not mo.exists() or catalog(mo) != catalog(fresh):
            stale.append(po)
if stale:
    print("compiled messages are missing or stale; run `make messages`:", *stale, sep="\n  ")
    sys.exit(1)
print(f"translation catalogues up to date ({len(list(locale.glob('*/LC_MESSAGES/*.po')))} files)")
