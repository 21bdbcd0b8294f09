#!/usr/bin/env python3
"""Everything a saved search or a dashboard panel uses is defined in the app: macros (with
their argument counts), lookups (definition, file and columns), search commands, and the
vishingcorrelate arguments the searchbnf documents."""
import csv
import glob
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_paths  # noqa: E402
import spl  # noqa: E402
import studio  # noqa: E402
from splunk_conf import read_conf  # noqa: E402

# SPL commands built into Splunk that the app's searches may use.
BUILTIN_COMMANDS = {
    "search", "where", "eval", "fields", "lookup", "stats", "chart", "timechart", "sort", "table",
    "head", "tail", "rename", "dedup", "spath", "bin", "bucket", "top", "rare", "eventstats",
    "streamstats", "inputlookup", "fillnull", "makemv", "mvexpand", "convert", "tstats",
    "append", "makeresults", "return", "outputlookup",
}


def macros():
    return read_conf(app_paths.conf_path("macros")).stanzas


def saved_searches():
    return {n: kv["search"] for n, kv in read_conf(app_paths.conf_path("savedsearches")).stanzas.items()}


def dashboard_queries():
    """Every data source's whole search (a chain with its base in front), tokens replaced by a
    quoted stand-in value as the dashboard would substitute them."""
    out = {}
    for path in studio.view_paths():
        _, definition = studio.load(path)
        for ds_id, text in studio.full_queries(definition).items():
            out["%s#%s" % (os.path.basename(path), ds_id)] = studio.TOKEN.sub('"token_value"', text)
    return out


def command_base_searches():
    """The dashboards' ds.search data sources that run vishingcorrelate."""
    out = []
    for path in studio.view_paths():
        _, definition = studio.load(path)
        for ds_id, ds in definition["dataSources"].items():
            if ds["type"] == "ds.search" and "vishingcorrelate" in ds["options"]["query"]:
                out.append("%s#%s" % (os.path.basename(path), ds_id))
    return out


def all_searches():
    s = {"savedsearch " + k: v for k, v in saved_searches().items()}
    s.update({"dashboard " + k: v for k, v in dashboard_queries().items()})
    return s


def lookup_uses(expanded):
    """[(lookup name, [input fields], [output fields])] of every 'lookup' command."""
    out = []
    for seg in spl.pipeline(expanded):
        if spl.command_name(seg) != "lookup":
            continue
        words = seg.split()[1:]
        while words and "=" in words[0]:
            words = words[1:]
        name = words[0]
        rest = " ".join(words[1:])
        m = re.search(r"\b(OUTPUT|OUTPUTNEW)\b", rest)
        inputs, outputs = (rest[:m.start()], rest[m.end():]) if m else (rest, "")

        def fields(part):
            toks = part.replace(",", " ").split()
            res, i = [], 0
            while i < len(toks):
                res.append(toks[i])
                i += 3 if i + 1 < len(toks) and toks[i + 1].upper() == "AS" else 1
            return res
        out.append((name, fields(inputs), fields(outputs)))
    return out


class ReferencesTest(unittest.TestCase):
    def test_every_macro_is_defined_with_its_argument_count(self):
        defined = macros()
        for where, search in all_searches().items():
            with self.subTest(search=where):
                self.assertTrue(spl.macro_calls(search), "uses no macro (sources must come from macros)")
                try:
                    expanded = spl.expand(search, defined)
                except KeyError as err:
                    self.fail("macro %s is not defined in macros.conf" % err)
                self.assertNotIn("`", expanded, "unexpanded backtick left")
        # Macros used by other macros are defined too, and macros with args declare them.
        for name, kv in defined.items():
            for called, _ in spl.macro_calls(kv.get("definition", "")):
                self.assertIn(called, defined, "macro [%s] calls undefined %s" % (name, called))
            m = re.fullmatch(r".+\((\d+)\)", name)
            if m:
                self.assertEqual(len(kv.get("args", "").split(",")), int(m.group(1)))
            self.assertTrue(kv.get("definition"), "[%s] has no definition" % name)

    def test_every_lookup_is_defined_with_collection_and_fields(self):
        """Every lookup and inputlookup / outputlookup names a KV store lookup definition whose
        collection (collections.conf) has the fields it uses; the app ships no lookup files
        (admins' rows live in the KV store and survive upgrades)."""
        transforms = read_conf(app_paths.conf_path("transforms")).stanzas
        collections = read_conf(app_paths.conf_path("collections")).stanzas
        defined = macros()
        used = set()
        for where, search in all_searches().items():
            expanded = spl.expand(search, defined)
            uses = lookup_uses(expanded)
            uses += [(m, [], []) for m in re.findall(r"\b(?:inputlookup|outputlookup)\s+(?:append=\w+\s+)?(\w+)", expanded)]
            for name, inputs, outputs in uses:
                with self.subTest(search=where, lookup=name):
                    self.assertIn(name, transforms, "lookup %s has no transforms.conf stanza" % name)
                    kv = transforms[name]
                    self.assertEqual(kv.get("external_type"), "kvstore", name)
                    self.assertIn(kv["collection"], collections, name)
                    fields = [f.strip() for f in kv["fields_list"].split(",")]
                    self.assertEqual(sorted(f for f in fields if f != "_key"),
                                     sorted(k[len("field."):] for k in collections[kv["collection"]]
                                            if k.startswith("field.")), name)
                    for col in inputs + outputs:
                        self.assertIn(col, fields, "%s has no field %s" % (name, col))
                    used.add(name)
        self.assertEqual(used, {"vishing_helpdesk_accounts", "vishing_allowlisted_initiators",
                                "vishing_identity_map", "vishing_maintenance_windows", "vishing_known_ips"})
        self.assertEqual(set(transforms) - {"default"}, used)
        self.assertFalse(os.path.exists(app_paths.LOOKUPS) and os.listdir(app_paths.LOOKUPS),
                         "the app ships no lookup files")

    def test_every_command_is_builtin_or_the_apps(self):
        commands = read_conf(app_paths.conf_path("commands")).stanzas
        defined = macros()
        for where, search in all_searches().items():
            with self.subTest(search=where):
                segs = spl.pipeline(spl.expand(search, defined))
                for seg in segs[1:]:
                    name = spl.command_name(seg)
                    self.assertTrue(name in BUILTIN_COMMANDS or name in commands,
                                    "command %r is neither built in nor in commands.conf" % name)

    def test_command_arguments_match_searchbnf_and_design(self):
        bnf = read_conf(app_paths.conf_path("searchbnf")).stanzas["vishingcorrelate-command"]
        documented = set(re.findall(r"\b([a-z_]+)=", bnf["syntax"]))
        self.assertEqual(documented, set(app_paths.COMMAND_ARGS))
        for key in ("description", "usage", "example1", "comment1", "shortdesc"):
            self.assertTrue(bnf.get(key), key)
        for arg in app_paths.COMMAND_ARGS:
            self.assertIn(arg, bnf["description"])
        defined = macros()
        calls = 0
        for where, search in all_searches().items():
            for seg in spl.pipeline(spl.expand(search, defined)):
                if spl.command_name(seg) == "vishingcorrelate":
                    calls += 1
                    for key in spl.command_args(seg):
                        self.assertIn(key, app_paths.COMMAND_ARGS, "%s: unknown argument %s" % (where, key))
        self.assertGreaterEqual(calls, 4 + 2)
        # Saved searches plus one base search per dashboard (the panels post-process it).
        self.assertEqual(len(command_base_searches()), 2, command_base_searches())

    def test_helpdesk_regex_macro_is_the_default(self):
        self.assertEqual(macros()["vishing_helpdesk_regex"]["definition"],
                         '"%s"' % app_paths.COMMAND_ARGS["helpdesk_regex"])

    def test_fields_macro_keeps_every_field_the_command_reads(self):
        words = set(macros()["vishing_fields"]["definition"].split())
        required = """_time _raw sourcetype source EventCode SubjectUserName SubjectDomainName
            TargetUserName TargetDomainName TargetSid Keywords status Operation UserId ObjectId
            Actor{}.ID Target{}.ID ClientIP ResultStatus ModifiedProperties{}.Name
            ModifiedProperties{}.NewValue ModifiedProperties{}.OldValue activityDisplayName
            activityDateTime initiatedBy.user.userPrincipalName initiatedBy.user.ipAddress
            initiatedBy.app.displayName targetResources{}.userPrincipalName targetResources{}.type
            result correlationId id TimeGenerated OperationName Result CorrelationId InitiatedBy
            TargetResources operationName category properties.* userPrincipalName ipAddress
            status.errorCode vc_*""".split()
        self.assertEqual(sorted(set(required) - words), [])
        self.assertEqual(spl.command_name(macros()["vishing_fields"]["definition"]), "fields")

    def test_saved_searches_put_fields_and_tuning_before_the_command(self):
        for name, search in saved_searches().items():
            if "phase=map" in search:
                continue  # the baseline search: sign-ins normalized by the map phase, no tuning
            with self.subTest(search=name):
                segs = [s.strip() for s in spl.pipeline(search)]
                idx = [i for i, s in enumerate(segs) if s.startswith("vishingcorrelate")]
                self.assertEqual(len(idx), 1)
                self.assertEqual(segs[idx[0] - 2], "`vishing_fields`")
                self.assertEqual(segs[idx[0] - 1], "`vishing_tuning`")
                self.assertNotRegex(spl.expand(segs[0], macros()), r"^\s*$")


if __name__ == "__main__":
    unittest.main(verbosity=2)
