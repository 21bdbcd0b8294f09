"""Reading the app's Dashboard Studio views: <dashboard version="2"> with a JSON <definition>.

full_queries() gives each data source's whole search as Splunk runs it: a ds.search's query,
and for a ds.chain (a post-process search) its base's full search, '|', then its own query.
Token references ($name$, $name.earliest$, $name|s$) are substituted from the inputs' default values
(multiselect: comma-joined, as Dashboard Studio substitutes them) or left as they are.
"""
import glob
import json
import os
import re
import xml.etree.ElementTree as ET

import app_paths

TOKEN = re.compile(r"\$([A-Za-z0-9_.]+)(?:\|([a-z]+))?\$")


def view_paths():
    return sorted(glob.glob(os.path.join(app_paths.VIEWS, "*.xml")))


def view_name(path):
    return os.path.splitext(os.path.basename(path))[0]


def load(path):
    """(root element, definition dict) of one view; raises on malformed XML or JSON."""
    root = ET.parse(path).getroot()
    definition = root.find("definition")
    if definition is None or not (definition.text or "").strip():
        raise ValueError("%s: no <definition>" % path)
    return root, json.loads(definition.text)


def default_tokens(definition):
    """{token: value} from the inputs' defaults (time range split into .earliest/.latest)."""
    toks = {}
    for inp in definition.get("inputs", {}).values():
        opts = inp.get("options", {})
        tok, value = opts.get("token"), opts.get("defaultValue")
        if not tok or value is None:
            continue
        if inp["type"] == "input.timerange":
            earliest, latest = value.split(",", 1)
            toks[tok + ".earliest"], toks[tok + ".latest"] = earliest, latest
        elif isinstance(value, list):
            toks[tok] = ",".join(value)
        else:
            toks[tok] = value
    return toks


def substitute(text, tokens):
    """Token references replaced by their values; |s quotes the value as an SPL string."""
    def one(m):
        if m.group(1) not in tokens:
            return m.group(0)
        value = tokens[m.group(1)]
        if m.group(2) == "s":
            return '"%s"' % value.replace("\\", "\\\\").replace('"', '\\"')
        if m.group(2):
            raise ValueError("token filter |%s is not handled" % m.group(2))
        return value
    return TOKEN.sub(one, text)


def chain(definition, ds_id):
    """[base id, ..., ds_id]: the data sources whose queries make up ds_id's search."""
    out, seen = [], set()
    while ds_id is not None:
        if ds_id in seen:
            raise ValueError("data source chain loops at %s" % ds_id)
        seen.add(ds_id)
        ds = definition["dataSources"][ds_id]
        out.insert(0, ds_id)
        ds_id = ds["options"].get("extend") if ds["type"] == "ds.chain" else None
    return out


def full_query(definition, ds_id, tokens=None):
    parts = [definition["dataSources"][d]["options"]["query"].strip() for d in chain(definition, ds_id)]
    text = "\n| ".join(parts)
    return substitute(text, tokens) if tokens is not None else text


def full_queries(definition, tokens=None):
    return {d: full_query(definition, d, tokens) for d in definition.get("dataSources", {})}


def panel_sources(definition):
    """{visualization id: primary data source id} of every visualization with data."""
    return {vid: v["dataSources"]["primary"] for vid, v in definition.get("visualizations", {}).items()
            if v.get("dataSources", {}).get("primary")}
