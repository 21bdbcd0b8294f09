"""Runs the dashboards' searches on the bundled demo data, without Splunk.

What a search reads comes from real parts: the demo events (tests/data/demo/demo_events.csv,
what splunkd hands a search), the real vishingcorrelate driven over the chunked protocol
(vd_scp_drive, map then reporting phase) with the arguments the search text gives it, and the
app's person macros (person_macros.py, the macros in Python). What the panels' post-process
searches do with those rows is evaluated here for the subset of SPL the dashboards use;
anything outside it raises UnsupportedSpl instead of guessing.

Every field a command names must exist in its input (the union of the input rows' fields, or
for the command's output, the columns it really emitted): a search that names a field the
command does not emit raises MissingField. That is the dashboards' field check.
"""
import csv
import datetime as dt
import io
import os
import re
import subprocess
import tempfile

import person_macros
import spl


class UnsupportedSpl(Exception):
    pass


class MissingField(Exception):
    pass


MV_SEP = "\n"


def decode_csv(text):
    """Rows of a splunkd-style CSV: multivalue cells (newline-joined) become lists; the
    __mv_ columns are dropped (their plain column carries the same values). Returns
    (columns, rows)."""
    reader = csv.DictReader(io.StringIO(text))
    cols = [c for c in reader.fieldnames if not c.startswith("__mv_")]
    rows = []
    for r in reader:
        row = {}
        for c in cols:
            v = r.get(c)
            if v is None or v == "":
                continue
            row[c] = v.split(MV_SEP) if MV_SEP in v and c != "_raw" else v
        rows.append(row)
    return cols, rows


class Table:
    """Rows plus the fields they carry (a field may be known and empty on every row)."""

    def __init__(self, fields, rows):
        self.fields = list(dict.fromkeys(fields))
        self.rows = rows

    def need(self, command, *names):
        for n in names:
            if n not in self.fields:
                raise MissingField("%s names field %r, which its input does not have (input fields: %s)"
                                   % (command, n, ", ".join(sorted(self.fields))))


def _values(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _fmt_num(x):
    return str(int(x)) if float(x).is_integer() else ("%.3f" % x).rstrip("0")


class Context:
    def __init__(self, demo_csv, command, driver, macros, idmap_rows, now):
        with open(demo_csv, newline="", encoding="utf-8") as f:
            self.demo_text = f.read()
        self.demo_fields, self.demo_rows = decode_csv(self.demo_text)
        self.command, self.driver, self.macros = command, driver, macros
        self.idmap = person_macros.IdentityMap(idmap_rows)
        self.now = now
        self.command_runs = []

    def run_command(self, table, args):
        """vishingcorrelate over the rows of `table` that are demo events, as splunkd runs it."""
        keep = {id(r) for r in table.rows}
        reader = csv.reader(io.StringIO(self.demo_text))
        header = next(reader)
        lines = [row for row, parsed in zip(reader, self.demo_rows) if id(parsed) in keep]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(lines)
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
            f.write(buf.getvalue())
            path = f.name
        try:
            out = subprocess.run([self.driver, "--emulate-preop", "--indexers", "2", "--args", args, "--timeout", "60",
                                  path, "--", self.command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, timeout=120)
        finally:
            os.unlink(path)
        if out.returncode != 0:
            raise AssertionError("vd_scp_drive exit %d:\n%s" % (out.returncode, out.stderr[-3000:]))
        cols, rows = decode_csv(out.stdout)
        self.command_runs.append((args, cols, len(rows)))
        return Table(cols, rows)


def _expand_macro_value(text, macros):
    return spl.expand(text, macros)


MACRO_ONLY = re.compile(r'^`([A-Za-z0-9_]+)(?:\("((?:[^"\\]|\\.)*)"\))?`$')


def run(query, ctx):
    """Evaluates one full search (tokens already substituted); returns a Table."""
    segments = spl.pipeline(query)
    table = first_segment(segments[0], ctx)
    for seg in segments[1:]:
        table = command(seg, table, ctx)
    return table


def _arg(text):
    """The value of a quoted macro argument (SPL string escapes undone)."""
    return re.sub(r"\\(.)", r"\1", text)


def first_segment(seg, ctx):
    text = " ".join(seg.split())
    if text.startswith("search "):
        text = text[len("search "):]
    demo = Table(ctx.demo_fields, ctx.demo_rows)
    if text == "`vishing_all_sources`":
        return demo
    m = re.fullmatch(r'`vishing_all_sources` `vishing_person_terms\("((?:[^"\\]|\\.)*)"\)`', text)
    if m:
        terms = person_macros.person_terms(_arg(m.group(1)), ctx.idmap)
        return Table(demo.fields, [r for r in demo.rows if person_macros.matches_terms(r, terms)])
    m = MACRO_ONLY.match(text)
    if m and m.group(1) == "vishing_person_events":
        rows = person_macros.person_events(ctx.demo_rows, _arg(m.group(2)), ctx.idmap)
        added = ["event_kind", "source_family", "role", "initiator", "account", "touched_by", "operation", "ip",
                 "outcome"]
        return Table(demo.fields + added, rows)
    raise UnsupportedSpl("first segment %r" % seg)


def command(seg, table, ctx):
    text = seg.strip()
    m = MACRO_ONLY.match(text)
    if m:
        name, arg = m.group(1), m.group(2)
        if name in ("vishing_fields", "vishing_tuning") and arg is None:
            # vishing_fields keeps the fields the command reads; vishing_tuning sets vc_* columns
            # from lookups that hold none of the demo's accounts (checked by the test).
            return table
        if name == "vishing_person_findings":
            return Table(table.fields, person_macros.person_findings(table.rows, _arg(arg), ctx.idmap))
        raise UnsupportedSpl("macro %r" % text)
    name = spl.command_name(text)
    rest = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
    handler = COMMANDS.get(name)
    if handler is None:
        raise UnsupportedSpl("command %r" % name)
    return handler(rest, table, ctx)


# ---------------------------------------------------------------- commands

def c_vishingcorrelate(rest, table, ctx):
    args = _expand_macro_value(rest, ctx.macros).strip()
    return ctx.run_command(table, " ".join(args.split()))


TERM = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_.{}]*)\s*(=|!=|\s+IN\s*)\s*(\((?:[^)"]|"[^"]*")*\)|"(?:[^"\\]|\\.)*"|\S+)')


def _unquote(v):
    v = v.strip()
    return v[1:-1] if len(v) >= 2 and v[0] == v[-1] == '"' else v


def _wild(pattern, value):
    rx = "^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$"
    return re.match(rx, value, re.I) is not None


def c_search(rest, table, ctx):
    conds, pos = [], 0
    rest = rest.strip()
    while pos < len(rest):
        m = TERM.match(rest, pos)
        if not m:
            raise UnsupportedSpl("search clause %r" % rest[pos:])
        field, op, value = m.group(1), m.group(2).strip(), m.group(3)
        table.need("search", field)
        if op == "IN":
            values = [_unquote(v) for v in value.strip()[1:-1].split(",") if v.strip()]
        else:
            values = [_unquote(value)]
        conds.append((field, op, values))
        pos = m.end()
        while pos < len(rest) and rest[pos] == " ":
            pos += 1

    def ok(row):
        for field, op, values in conds:
            hit = any(_wild(p, v) for p in values for v in _values(row.get(field)))
            if (op == "!=") == hit:
                return False
        return True
    return Table(table.fields, [r for r in table.rows if ok(r)])


def _strftime(value, fmt):
    x = _num(_first(value))
    if x is None:
        return None
    return dt.datetime.fromtimestamp(x, dt.timezone.utc).strftime(fmt)


def _first(v):
    return v[0] if isinstance(v, list) else v


def _duration(seconds):
    s = int(seconds)
    days, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return ("%d+" % days if days else "") + "%02d:%02d:%02d" % (h, m, s)


EVAL_FORMS = [
    (re.compile(r'^strftime\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*"([^"]*)"\s*\)$'),
     lambda m, row, ctx: _strftime(row.get(m.group(1)), m.group(2)), lambda m: [m.group(1)]),
    (re.compile(r'^tostring\(\s*now\(\)\s*-\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*"duration"\s*\)$'),
     lambda m, row, ctx: None if _num(_first(row.get(m.group(1)))) is None
     else _duration(ctx.now - _num(_first(row.get(m.group(1))))), lambda m: [m.group(1)]),
]


def _split_assignments(rest):
    out, cur, depth, quote = [], "", 0, False
    for ch in rest:
        if ch == '"':
            quote = not quote
        elif not quote and ch == "(":
            depth += 1
        elif not quote and ch == ")":
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [a.strip() for a in out if a.strip()]


def c_eval(rest, table, ctx):
    fields = list(table.fields)
    rows = [dict(r) for r in table.rows]
    for assignment in _split_assignments(rest):
        target, expr = [x.strip() for x in assignment.split("=", 1)]
        for rx, fn, refs in EVAL_FORMS:
            m = rx.match(expr)
            if m:
                break
        else:
            raise UnsupportedSpl("eval expression %r" % expr)
        Table(fields, []).need("eval", *refs(m))
        for r in rows:
            v = fn(m, r, ctx)
            if v is None:
                r.pop(target, None)
            else:
                r[target] = v
        if target not in fields:
            fields.append(target)
    return Table(fields, rows)


def _by_split(rest):
    m = re.match(r"^(.*?)(?:\s+BY\s+(.*))?$", rest.strip(), re.S | re.I)
    return m.group(1), (m.group(2) or "").replace(",", " ").split()


AGG = re.compile(r"\b(count|dc|values|min|max|sum|latest)\b(?:\(([^)]*)\))?(?:\s+AS\s+([A-Za-z_][A-Za-z0-9_]*))?", re.I)


def _aggregate(fn, field, rows):
    fn = fn.lower()
    if fn == "count" and not field:
        return _fmt_num(len(rows))
    vals = [v for r in rows for v in _values(r.get(field))]
    nums = [x for x in (_num(v) for v in vals) if x is not None]
    if fn == "count":
        return _fmt_num(len(vals))
    if fn == "dc":
        return _fmt_num(len(set(vals)))
    if fn == "values":
        return sorted(set(vals)) or None
    if fn == "sum":
        return _fmt_num(sum(nums)) if nums else None
    if fn in ("min", "max"):
        if not vals:
            return None
        if len(nums) == len(vals):
            return _fmt_num(min(nums) if fn == "min" else max(nums))
        return min(vals) if fn == "min" else max(vals)
    if fn == "latest":
        dated = [(_num(r.get("_time")) or 0, r) for r in rows if r.get(field) is not None]
        return max(dated, key=lambda x: x[0])[1][field] if dated else None
    raise UnsupportedSpl("aggregation %s" % fn)


def _parse_aggs(text, table, command_name):
    aggs = []
    for m in AGG.finditer(text):
        fn, field, alias = m.group(1), (m.group(2) or "").strip(), m.group(3)
        if field:
            table.need(command_name, field)
        aggs.append((fn, field, alias or ("%s(%s)" % (fn, field) if field else fn)))
    if not aggs:
        raise UnsupportedSpl("%s without aggregations: %r" % (command_name, text))
    return aggs


def c_stats(rest, table, ctx):
    agg_text, by = _by_split(rest)
    aggs = _parse_aggs(agg_text, table, "stats")
    table.need("stats", *by)
    groups = {}
    for r in table.rows:
        keys = [_values(r.get(b)) for b in by]
        if any(not k for k in keys):
            continue          # stats drops rows without a BY field
        combos = [[]]
        for k in keys:
            combos = [c + [v] for c in combos for v in k]
        for c in combos:
            groups.setdefault(tuple(c), []).append(r)
    rows = []
    for key in sorted(groups):
        row = dict(zip(by, key))
        for fn, field, alias in aggs:
            v = _aggregate(fn, field, groups[key])
            if v is not None:
                row[alias] = v
        rows.append(row)
    return Table(by + [a for _, _, a in aggs], rows)


def c_timechart(rest, table, ctx):
    m = re.match(r"^span=(\d+)([mhd])\s+count\s+BY\s+([A-Za-z_][A-Za-z0-9_]*)$", rest.strip())
    if not m:
        raise UnsupportedSpl("timechart %r" % rest)
    span = int(m.group(1)) * {"m": 60, "h": 3600, "d": 86400}[m.group(2)]
    by = m.group(3)
    table.need("timechart", "_time", by)
    buckets, series = {}, []
    for r in table.rows:
        t = _num(r.get("_time"))
        if t is None:
            continue
        b = int(t // span * span)
        for s in _values(r.get(by)) or ["NULL"]:
            if s not in series:
                series.append(s)
            buckets.setdefault(b, {}).setdefault(s, 0)
            buckets[b][s] += 1
    series.sort()
    rows = []
    if buckets:
        for b in range(min(buckets), max(buckets) + span, span):
            row = {"_time": dt.datetime.fromtimestamp(b, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")}
            for s in series:
                row[s] = str(buckets.get(b, {}).get(s, 0))
            rows.append(row)
    return Table(["_time"] + series, rows)


def c_chart(rest, table, ctx):
    m = re.match(r"^count\s+OVER\s+([A-Za-z_][A-Za-z0-9_]*)\s+BY\s+([A-Za-z_][A-Za-z0-9_]*)$", rest.strip())
    if not m:
        raise UnsupportedSpl("chart %r" % rest)
    over, by = m.group(1), m.group(2)
    table.need("chart", over, by)
    cells, series = {}, []
    for r in table.rows:
        for o in _values(r.get(over)):
            for s in _values(r.get(by)):
                if s not in series:
                    series.append(s)
                cells.setdefault(o, {}).setdefault(s, 0)
                cells[o][s] += 1
    series.sort()
    rows = [dict([(over, o)] + [(s, str(cells[o].get(s, 0))) for s in series]) for o in sorted(cells)]
    return Table([over] + series, rows)


def c_sort(rest, table, ctx):
    words = rest.replace(",", " ").split()
    limit = None
    if words and words[0].isdigit():
        limit = int(words.pop(0)) or None
    keys, desc = [], False
    for w in words:
        if w in ("-", "+"):
            desc = w == "-"
            continue
        if w[0] in "-+":
            desc, w = w[0] == "-", w[1:]
        keys.append((w, desc))
        desc = False
    table.need("sort", *[k for k, _ in keys])
    rows = list(table.rows)
    for field, d in reversed(keys):
        present = [r for r in rows if r.get(field) is not None]
        missing = [r for r in rows if r.get(field) is None]
        nums = all(_num(_first(r[field])) is not None for r in present)
        present.sort(key=lambda r: _num(_first(r[field])) if nums else str(_first(r[field])).lower(), reverse=d)
        rows = present + missing
    return Table(table.fields, rows[:limit] if limit else rows)


def c_table(rest, table, ctx):
    names = rest.replace(",", " ").split()
    table.need("table", *names)
    return Table(names, [{n: r[n] for n in names if n in r} for r in table.rows])


def c_fields(rest, table, ctx):
    names = rest.replace(",", " ").split()
    if names and names[0] in ("-", "+"):
        raise UnsupportedSpl("fields %s" % names[0])
    table.need("fields", *names)
    return Table(names, [{n: r[n] for n in names if n in r} for r in table.rows])


COMMANDS = {"vishingcorrelate": c_vishingcorrelate, "search": c_search, "eval": c_eval, "stats": c_stats,
            "timechart": c_timechart, "chart": c_chart, "sort": c_sort, "table": c_table, "fields": c_fields}


def to_answer(table):
    """The search results as a Dashboard Studio data source answers them: {fields, columns}."""
    return {"fields": [{"name": f} for f in table.fields],
            "columns": [[r.get(f) for r in table.rows] for f in table.fields]}
