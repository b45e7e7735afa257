"""Hostile payloads in the style of the OWASP XSS filter-evasion cheat sheet. Each would set a marker on the page
(``data-pwned`` on <html>, title PWNED) if it ever ran."""

from __future__ import annotations

MARK = "document.documentElement.setAttribute('data-pwned','1');document.title='PWNED'"

PAYLOADS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f'"><svg onload="{MARK}">',
    f"</textarea><script>{MARK}</script>",
    f'<a href="javascript:{MARK}">link</a>',
    f"' onmouseover='{MARK}' x='",
    f'<iframe src="javascript:{MARK}"></iframe>',
    f'<body onload="{MARK}">',
    f"<style>@import 'javascript:{MARK}';</style>",
    f'<math><mtext><table><mglyph><style><img src=x onerror="{MARK}">',
    f"<IMG SRC=JaVaScRiPt:{MARK}>",
    f'<IMG """><SCRIPT>{MARK}</SCRIPT>">',
    f"<<SCRIPT>{MARK};//<</SCRIPT>",
    f"<svg/onload={MARK}>",
    f'<SCRIPT/XSS SRC="data:text/javascript,{MARK}"></SCRIPT>',
    f'<INPUT TYPE="IMAGE" SRC="javascript:{MARK};">',
    f'<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:{MARK};">',
    f'<DIV STYLE="background-image: url(javascript:{MARK})">',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    f'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:{MARK}">entity link</a>',
    f"<details open ontoggle={MARK}>",
    f"<video><source onerror={MARK}></video>",
    f"]]><script>{MARK}</script><![CDATA[",
    f"--><script>{MARK}</script><!--",
    f"</style></title></script><script>{MARK}</script>",
    '<base href="javascript:/">',
    "{{ 7*7 }} {% raw %} ${7*7} #{7*7}",
    "\u202e<script>evil</script>\u0000\x1b[31m",
]

FORBIDDEN_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "base", "video", "source", "math",
                  "frame", "frameset", "form", "link"}  # fmt: skip
"""Elements that must never appear in a report built from data (our template has none of them)."""
