#!/usr/bin/env python3
"""Every dashboard is well-formed Simple XML 1.1 whose panels have searches, whose tokens are
defined, and whose drill-downs and the navigation point at views the app ships."""
import glob
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_paths  # noqa: E402

TOKEN = re.compile(r"\$([A-Za-z0-9_.]+)(?:\|[a-z]+)?\$")
PANEL_ELEMENTS = ("chart", "table", "single", "event", "map", "viz")


def views():
    return sorted(glob.glob(os.path.join(app_paths.VIEWS, "*")))


def view_names():
    return {os.path.splitext(os.path.basename(p))[0] for p in views()}


def defined_tokens(root):
    toks = set()
    for inp in root.iter("input"):
        tok = inp.get("token")
        if tok:
            toks.add(tok)
            if inp.get("type") == "time":
                toks.update({tok + ".earliest", tok + ".latest"})
    for tag in ("eval", "set"):
        for el in root.iter(tag):
            if el.get("token"):
                toks.add(el.get("token"))
    return toks


class DashboardTest(unittest.TestCase):
    def test_views_exist_and_are_xml(self):
        self.assertEqual(view_names(), {"vishing_overview", "vishing_investigation"})
        for p in views():
            self.assertTrue(p.endswith(".xml"), p)
            self.assertNotIn(" ", os.path.basename(p))

    def test_simple_xml_1_1(self):
        for path in views():
            with self.subTest(view=os.path.basename(path)):
                root = ET.parse(path).getroot()   # raises on malformed XML
                self.assertIn(root.tag, ("form", "dashboard"))
                self.assertEqual(root.get("version"), "1.1")
                self.assertTrue((root.findtext("label") or "").strip())
                panels = list(root.iter("panel"))
                self.assertGreaterEqual(len(panels), 3)
                for panel in panels:
                    elements = [e for e in panel if e.tag in PANEL_ELEMENTS]
                    self.assertTrue(elements, "panel without a visualization")
                    for e in elements:
                        q = e.find("search/query")
                        self.assertIsNotNone(q, "visualization without a search")
                        self.assertTrue((q.text or "").strip())
                        self.assertEqual(e.find("search/earliest").text, "$time.earliest$")
                        self.assertEqual(e.find("search/latest").text, "$time.latest$")

    def test_tokens_are_defined(self):
        for path in views():
            with self.subTest(view=os.path.basename(path)):
                root = ET.parse(path).getroot()
                toks = defined_tokens(root)
                for el in root.iter():
                    text = (el.text or "") + " ".join(el.attrib.values())
                    for tok in TOKEN.findall(text):
                        if tok.startswith(("row.", "click.", "form.")) or tok == "value":
                            continue
                        self.assertIn(tok, toks, "token $%s$ is never set" % tok)

    def test_drilldowns_reach_the_investigation_view(self):
        root = ET.parse(os.path.join(app_paths.VIEWS, "vishing_overview.xml")).getroot()
        links = [l.text.strip() for l in root.iter("link")]
        self.assertGreaterEqual(len(links), 2)
        for link in links:
            target = link.split("?", 1)[0]
            self.assertIn(target, view_names())
            self.assertIn("form.user=$row.", link)
        inv = ET.parse(os.path.join(app_paths.VIEWS, "vishing_investigation.xml")).getroot()
        self.assertIn("user", defined_tokens(inv))

    def test_nav_points_at_shipped_views(self):
        nav = ET.parse(app_paths.NAV).getroot()
        self.assertEqual(nav.tag, "nav")
        names = [v.get("name") for v in nav.iter("view")]
        defaults = [v.get("name") for v in nav.iter("view") if v.get("default") == "true"]
        self.assertEqual(defaults, ["vishing_overview"])
        for n in names:
            self.assertTrue(n in view_names() or n == "search", n)


if __name__ == "__main__":
    unittest.main(verbosity=2)
