#!/usr/bin/env python3
"""Checks that the folders of each Swift module form one stack (docs/architecture.md).

A folder may use the top-level names (types, functions, globals) declared in folders below it
in its module's list, never those of a folder above it. Names are found by their declarations at
column 0; a use is any word of a file (comments and string literals left out) equal to such a
name. Exits 1 naming every use that points up, 0 when there is none.

    python3 .ci/check-layers.py
"""
import os
import re
import sys

# Each module's folders, bottom first (docs/architecture.md draws them).
LAYERS = {
    "Sources/SpanLog": ["Support", "Context", "Records", "Filters", "Encoding", "Sinks", "Logging", "Tracing", "Metrics", "Telemetry"],
    "Sources/SpanLogReader": ["JSON", "Records", "Input", "Query", "Index", "Follow", "Trace", "Render", "Stats"],
    "Sources/SpanLogHummingbird": ["Propagation", "Metrics", "Client", "Middleware"],
}

DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate|open|final|indirect|nonisolated)\s+)*"
    r"(?:class|struct|enum|protocol|actor|typealias|func|let|var)\s+([A-Za-z_]\w*)",
    re.M,
)
WORD = re.compile(r"\b[A-Za-z_]\w*\b")
COMMENT = re.compile(r"//.*|/\*.*?\*/", re.S)
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def swift_files(directory):
    for parent, _, names in os.walk(directory):
        for name in sorted(names):
            if name.endswith(".swift"):
                yield os.path.join(parent, name)


def check(module, order):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", module)
    files = {}
    for path in swift_files(root):
        folder = os.path.relpath(path, root).split(os.sep)[0]
        if folder.endswith(".swift"):
            folder = "."
        files.setdefault(folder, []).append(path)
    problems = []
    unknown = sorted(set(files) - set(order))
    if unknown:
        problems.append(f"{module}: folders missing from the stack in .ci/check-layers.py: {', '.join(unknown)}")
    owner = {}
    for folder, paths in files.items():
        for path in paths:
            with open(path, encoding="utf-8") as handle:
                for match in DECLARATION.finditer(handle.read()):
                    owner.setdefault(match.group(1), set()).add(folder)
    rank = {folder: index for index, folder in enumerate(order)}
    for folder, paths in files.items():
        for path in paths:
            with open(path, encoding="utf-8") as handle:
                text = STRING.sub('""', COMMENT.sub("", handle.read()))
            for word in sorted(set(WORD.findall(text))):
                for other in owner.get(word, ()):
                    if other != folder and rank.get(other, -1) > rank.get(folder, -1):
                        problems.append(
                            f"{module}/{os.path.relpath(path, root)} ({folder}) uses {word} from {other}, a folder above it"
                        )
    return problems


def main():
    problems = []
    for module, order in LAYERS.items():
        problems += check(module, order)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} uses point up the folder stack")
        return 1
    print(f"folder stacks hold: {', '.join(LAYERS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
