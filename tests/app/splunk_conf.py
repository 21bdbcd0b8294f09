"""Splunk .conf and .conf.spec reading for the app's tests (Python 3 standard library).

parse_conf() follows splunkd's rules: '#' starts a comment only as the first non-blank
character of a line, a trailing backslash continues the line (the newline is kept in the
value), '[name]' opens a stanza, keys before the first stanza belong to the 'default' stanza,
'key = value' splits at the first '='. Anything else is reported as a problem instead of
being skipped silently, and so are repeated stanzas and keys (splunkd would merge them
quietly, which hides mistakes).

Spec reading: a spec file lists settings as 'key = <type>' at the start of a line and
stanzas as '[pattern]'; placeholders such as <name> or <class> match any text. Settings
before the first stanza are global (valid in every stanza).
"""
import re


class ConfError(Exception):
    pass


class Conf:
    """stanzas: {name: {key: value}}; lines: {(stanza, key): line number}; problems: [str]."""

    def __init__(self):
        self.stanzas = {}
        self.lines = {}
        self.problems = []


def parse_conf(text, origin="<conf>"):
    conf = Conf()
    current = "default"
    conf.stanzas[current] = {}
    raw_lines = text.split("\n")
    i = 0
    while i < len(raw_lines):
        lineno = i + 1
        line = raw_lines[i].rstrip("\r")
        i += 1
        while line.endswith("\\") and i < len(raw_lines):
            line = line[:-1] + "\n" + raw_lines[i].rstrip("\r")
            i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            end = stripped.rfind("]")
            if end < 0:
                conf.problems.append("%s:%d: stanza header without ']': %r" % (origin, lineno, stripped))
                continue
            current = stripped[1:end]
            if current in conf.stanzas and current != "default":
                conf.problems.append("%s:%d: stanza [%s] appears twice" % (origin, lineno, current))
            conf.stanzas.setdefault(current, {})
            continue
        if "=" not in stripped:
            conf.problems.append("%s:%d: line is neither a stanza, a comment nor key = value: %r"
                                 % (origin, lineno, stripped[:60]))
            continue
        key, value = stripped.split("=", 1)
        key = key.strip()
        if not key:
            conf.problems.append("%s:%d: empty key" % (origin, lineno))
            continue
        if key in conf.stanzas[current]:
            conf.problems.append("%s:%d: key %r repeated in [%s]" % (origin, lineno, key, current))
        conf.stanzas[current][key] = value.strip()
        conf.lines[(current, key)] = lineno
    if not conf.stanzas["default"]:
        del conf.stanzas["default"]
    return conf


def read_conf(path):
    with open(path, encoding="utf-8") as f:
        return parse_conf(f.read(), path)


def _pattern_regex(pattern):
    """'action.<action_name>.<parameter>' -> a regex where each <...> matches any text
    and '*' (as in 'remote_queue.*') any run of characters."""
    parts = re.split(r"(<[^<>]*>|\*)", pattern)
    out = []
    for p in parts:
        if p.startswith("<") and p.endswith(">"):
            out.append(".+")
        elif p == "*":
            out.append(".*")
        else:
            out.append(re.escape(p))
    return re.compile("".join(out) + r"\Z", re.S)


def _literal_weight(pattern):
    return len(re.sub(r"<[^<>]*>", "", pattern))


SPEC_KEY = re.compile(r"^((?:[A-Za-z0-9_{}:\-]|<[^<>=]*>)(?:[A-Za-z0-9_.{}:\-*]|<[^<>=]*>)*)\s*=")
SPEC_STANZA = re.compile(r"^\[(.*)\]\s*$")


class Spec:
    """global_keys: [pattern]; sections: [(stanza pattern, [key pattern])]; banners:
    {banner title: [key pattern]} for settings grouped under a '# Title' banner that is not a
    stanza (inputs.conf.spec's 'Modular Inputs' settings)."""

    def __init__(self):
        self.global_keys = []
        self.sections = []
        self.banners = {}

    def merge(self, other):
        self.global_keys += other.global_keys
        self.sections += other.sections
        for k, v in other.banners.items():
            self.banners.setdefault(k, []).extend(v)

    def sections_for(self, stanza):
        """Spec sections whose pattern matches the stanza, most specific (most literal
        characters) first."""
        hits = [(p, keys) for p, keys in self.sections if _pattern_regex(p).match(stanza)]
        hits.sort(key=lambda pk: -_literal_weight(pk[0]))
        return hits

    @staticmethod
    def key_allowed(key, patterns):
        return any(_pattern_regex(p).match(key) for p in patterns)


BANNER = re.compile(r"^#\s*([A-Z][A-Za-z ]+?)\s*$")


def parse_spec(text):
    spec = Spec()
    current = None          # None = global settings
    banner = None
    lines = text.split("\n")
    for idx, line in enumerate(lines):
        m = SPEC_STANZA.match(line)
        if m and not line.startswith("#"):
            current = (m.group(1), [])
            spec.sections.append(current)
            banner = None
            continue
        # A '# Title' line framed by '#####' lines names a group of settings.
        b = BANNER.match(line)
        if b and idx > 0 and lines[idx - 1].startswith("####") and idx + 1 < len(lines) \
                and lines[idx + 1].startswith("####"):
            banner = b.group(1)
            spec.banners.setdefault(banner, [])
            continue
        k = SPEC_KEY.match(line)
        if k:
            if banner is not None:
                spec.banners[banner].append(k.group(1))
            if current is None:
                spec.global_keys.append(k.group(1))
            else:
                current[1].append(k.group(1))
    return spec


def read_spec(path):
    with open(path, encoding="utf-8") as f:
        return parse_spec(f.read())
