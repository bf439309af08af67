"""Journey 6's keyboard half: every control reached by Tab shows a clearly
visible focus indicator (axe-core does not check this)."""


def test_tab_stops_show_a_focus_ring(sign_in):
    page = sign_in("demo-ward")
    page.goto("/wards")
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const s = getComputedStyle(el);
            return {tag: el.tagName, text: (el.innerText || el.value || '').slice(0, 30),
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
        }""")
        if style is None:
            continue
        seen += 1
        assert style["outline"] != "none" and style["width"] >= 2, f"no focus ring on {style}"
        assert style["shadow"] != "none", f"focus ring has no contrasting halo on {style}"
    assert seen >= 10
