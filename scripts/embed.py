#!/usr/bin/env python3
"""Writes a C header holding a file's bytes as an array: embed.py NAME IN OUT gives
`static const char NAME[]` (NUL-terminated) and `NAME_len`."""
import sys


def main():
    name, src, out = sys.argv[1:4]
    data = open(src, "rb").read()
    rows = [", ".join(str(b) for b in data[i:i + 16]) for i in range(0, len(data), 16)]
    with open(out, "w") as f:
        f.write(f"/* Generated from {src} by scripts/embed.py: do not edit. */\n")
        f.write(f"static const char {name}[] = {{\n    " + ",\n    ".join(rows)
                + (",\n    0\n};\n" if rows else "0 };\n"))
        f.write(f"static const unsigned long {name}_len = {len(data)};\n")


if __name__ == "__main__":
    main()
