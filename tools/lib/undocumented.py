#!/usr/bin/env python3
"""Counts the public declarations without a documentation comment, per module, from the
symbol graphs `swift package generate-documentation` extracted (tools/docs runs it first).

usage: undocumented.py SYMBOL_GRAPH_ROOT [--newer-than FILE] [--list] MODULE...

A declaration counts when it is public or open and written in this package's sources (it has
a source location: the compiler's implicit members, such as an enum's init(rawValue:), have
none). An extension block is not a declaration of its own. A witness of a protocol requirement
that carries the requirement's comment (symbol graphs include inherited comments) is
documented by it. Prints one line per module; with --list, each undocumented declaration
as `path:line: kind name`. Exits 1 when any module has one, 2 when a module has no graph
(with --newer-than, none written since FILE was: a run that stopped before it, whose older
graphs would count stale sources).
"""
import glob
import json
import os
import sys


def undocumented(root, module, since):
    """(path, line, kind, name) of each undocumented declaration, or None without a graph
    written after `since` (a time in seconds)."""
    files = glob.glob(os.path.join(root, "*", module, "*.symbols.json"))
    if not files or any(os.path.getmtime(path) < since for path in files):
        return None
    found = set()
    for path in files:
        with open(path) as f:
            graph = json.load(f)
        for symbol in graph["symbols"]:
            if symbol.get("accessLevel") not in ("public", "open"):
                continue
            if symbol["kind"]["identifier"] == "swift.extension":
                continue
            location = symbol.get("location")
            if location is None or symbol.get("docComment"):
                continue
            source = location["uri"].removeprefix("file://")
            line = location["position"]["line"] + 1
            found.add((os.path.relpath(source), line, symbol["kind"]["displayName"].lower(),
                       ".".join(symbol["pathComponents"])))
    return sorted(found)


def main(argv):
    listing = "--list" in argv
    args = [a for a in argv if a != "--list"]
    since = 0.0
    if "--newer-than" in args:
        at = args.index("--newer-than")
        since = os.path.getmtime(args[at + 1])
        del args[at:at + 2]
    root, modules = args[0], args[1:]
    status = 0
    for module in modules:
        missing = undocumented(root, module, since)
        if missing is None:
            print(f"{module}: no symbol graph written by this run under {root}")
            status = 2
            continue
        print(f"{module}: {len(missing)} undocumented public declaration(s)")
        if missing and status == 0:
            status = 1
        if listing:
            for path, line, kind, name in missing:
                print(f"  {path}:{line}: {kind} {name}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
