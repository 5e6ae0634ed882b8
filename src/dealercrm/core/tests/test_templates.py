"""Every template keeps to the content security policy: no inline styles, scripts or handlers.

The policy (django-csp) allows only the app's own files, so an inline `style=""` or `<script>`
with code is silently ignored by the browser: the page looks or works wrong, with no error on
the server. Data for scripts goes through `json_script`, which is not code.
"""

from __future__ import annotations

import re
from pathlib import Path

import dealercrm

ROOT = Path(dealercrm.__file__).parent
TEMPLATES = sorted(p for p in ROOT.glob("**/templates/**/*.html") if "vendor" not in p.parts)
INLINE = [
    (re.compile(r"""\sstyle\s*=\s*["']"""), "inline style"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']"""), "inline event handler"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>\s*\S", re.S), "inline script"),
]


def test_the_project_has_templates_to_check():
    assert len(TEMPLATES) > 50


def test_no_template_has_inline_styles_scripts_or_event_handlers():
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in TEMPLATES
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
