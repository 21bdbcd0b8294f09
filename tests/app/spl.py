"""Just enough SPL handling for the app's reference checks: macro expansion and pipeline
splitting that respects quotes."""
import re

MACRO_CALL = re.compile(r"`([A-Za-z0-9_]+)(?:\(([^`]*)\))?`")


def split_args(text):
    """Macro call arguments: comma separated, commas inside quotes kept."""
    out, cur, quote = [], "", False
    for ch in text:
        if ch == '"':
            quote = not quote
        if ch == "," and not quote:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return out


def macro_calls(search):
    """[(stanza name as macros.conf spells it, [args])] of every macro call in the text."""
    out = []
    for m in MACRO_CALL.finditer(search):
        args = split_args(m.group(2)) if m.group(2) is not None else []
        out.append(("%s(%d)" % (m.group(1), len(args)) if args else m.group(1), args))
    return out


def expand(search, macros, depth=0):
    """Expands every macro call with its definition (args substituted). Raises KeyError with
    the stanza name of an undefined macro."""
    if depth > 20:
        raise RecursionError("macro expansion deeper than 20 levels")

    def one(m):
        args = split_args(m.group(2)) if m.group(2) is not None else []
        name = "%s(%d)" % (m.group(1), len(args)) if args else m.group(1)
        if name not in macros:
            raise KeyError(name)
        body = macros[name].get("definition", "")
        names = [a.strip() for a in macros[name].get("args", "").split(",") if a.strip()]
        for n, v in zip(names, args):
            body = body.replace("$%s$" % n, v)
        return expand(body, macros, depth + 1)
    return MACRO_CALL.sub(one, search)


def pipeline(search):
    """Splits an SPL string at '|' outside double quotes and brackets; returns the commands
    (the first segment is the implicit 'search')."""
    segments, cur, quote, depth, i = [], "", False, 0, 0
    while i < len(search):
        ch = search[i]
        if ch == "\\" and quote and i + 1 < len(search):
            cur += search[i:i + 2]
            i += 2
            continue
        if ch == '"':
            quote = not quote
        elif not quote and ch == "[":
            depth += 1
        elif not quote and ch == "]":
            depth -= 1
        if ch == "|" and not quote and depth == 0:
            segments.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    segments.append(cur.strip())
    return [s for s in segments if s]


def command_name(segment):
    return segment.split(None, 1)[0].lower() if segment.split() else ""


def command_args(segment):
    """key=value arguments of one command segment (values may be quoted)."""
    return dict((k, v[1:-1] if v.startswith('"') and v.endswith('"') else v)
                for k, v in re.findall(r'\b([A-Za-z_]+)=("(?:[^"\\]|\\.)*"|\S+)', segment))
