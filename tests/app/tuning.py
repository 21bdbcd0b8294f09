"""The vishing_tuning macro (default/macros.conf) in Python, for pre-normalized vc_* rows: what
its 'lookup' and 'eval' steps set in vc_identity_initiator, vc_identity_target, vc_helpdesk
and vc_allowlisted. Keep it in step with the macros; references_test checks that the macros
use these lookups and columns.

Splunk semantics mirrored: keys are lower-cased with any DOMAIN\\ prefix removed
(vishing_identity_keys); lookups match case-insensitively (case_sensitive_match = false);
a lookup with several matches yields multivalue output with repeated values collapsed, which
is why maintenance windows are decided by counting (started - ended > 0), not by pairing.
"""
import csv
import datetime as dt
import os
import re


def _key(value):
    if not value:
        return None
    return re.sub(r"^[^\\]*\\", "", value).lower()


def _read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _lookup(rows, column, value):
    if value is None:
        return []
    return [r for r in rows if r[column].lower() == value.lower()]


def _distinct(values):
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _epoch(text):
    """coalesce(tonumber(x), strptime(x, "%Y-%m-%dT%H:%M:%S%z"))"""
    try:
        return float(text)
    except ValueError:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z").timestamp()


class Tuning:
    def __init__(self, lookup_dir):
        p = lambda n: os.path.join(lookup_dir, n + ".csv")
        self.helpdesk = _read(p("vishing_helpdesk_accounts"))
        self.allowlist = _read(p("vishing_allowlisted_initiators"))
        self.identity = _read(p("vishing_identity_map"))
        self.windows = _read(p("vishing_maintenance_windows"))

    def apply(self, row):
        """Returns a copy of a vc_* row with the tuning columns set as the macro sets them."""
        row = dict(row)
        signin = (row.get("vc_kind") or "").lower() == "signin"
        initiator = None if signin else _key(row.get("vc_initiator") or row.get("vc_initiator_app"))
        target = _key(row.get("vc_target"))
        t = float(row.get("vc_time") or row["_time"])

        # vishing_identity_lookup
        for col, key in (("vc_identity_initiator", initiator), ("vc_identity_target", target)):
            hit = _lookup(self.identity, "account", key)
            if not row.get(col) and hit:
                row[col] = hit[0]["identity"]
        # vishing_helpdesk_lookup
        hit = _lookup(self.helpdesk, "account", initiator)
        if (row.get("vc_helpdesk") or "").lower() == "true" or (hit and hit[0]["helpdesk"].lower() == "true"):
            row["vc_helpdesk"] = "true"
        # vishing_allowlist_lookup
        allow = _lookup(self.allowlist, "initiator", initiator)
        wins = _lookup(self.windows, "initiator", initiator) + _lookup(self.windows, "initiator", "*")
        starts = _distinct([w["start"] for w in _lookup(self.windows, "initiator", initiator)]) + \
            _distinct([w["start"] for w in _lookup(self.windows, "initiator", "*")])
        ends = _distinct([w["end"] for w in _lookup(self.windows, "initiator", initiator)]) + \
            _distinct([w["end"] for w in _lookup(self.windows, "initiator", "*")])
        active = sum(1 for s in starts if _epoch(s) <= t) - sum(1 for e in ends if _epoch(e) < t)
        if (row.get("vc_allowlisted") or "").lower() == "true" or allow or (wins and active > 0):
            row["vc_allowlisted"] = "true"
        return row
