#!/usr/bin/env python3
"""Generates the system-call and operation numbers and libsys's invocation stubs
from kernel/uapi/resurgo/calls.tbl. Usage: gen_calls.py TABLE OUT_DIR"""
import os
import sys

BANNER = "/* Generated from kernel/uapi/resurgo/calls.tbl by scripts/gen_calls.py: do not edit. */\n"


def parse(path):
    syscalls, ops = [], []
    for n, line in enumerate(open(path), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "syscall" and len(words) == 2:
            syscalls.append(words[1])
        elif words[0] == "op" and len(words) >= 4:
            ins, outs = words[4:], []
            if "->" in ins:
                i = ins.index("->")
                ins, outs = ins[:i], ins[i + 1:]
            if len(ins) > 6 or len(outs) > 6:
                sys.exit(f"{path}:{n}: at most six words in and out")
            ops.append((words[1], words[2], int(words[3]), ins, outs))
        else:
            sys.exit(f"{path}:{n}: cannot read this line: {line.strip()!r}")
    return syscalls, ops


def numbers_header(syscalls, ops):
    out = [BANNER, "#pragma once\n\n",
           "/* System-call numbers start at RS_SYS_BASE, so a stray Linux system call\n"
           " * (from C library code) is an unknown call, not a Resurgo one. */\n",
           "#define RS_SYS_BASE 0x5200\n\nenum rs_syscall {\n"]
    for i, name in enumerate(syscalls):
        out.append(f"    RS_SYS_{name.upper()} = RS_SYS_BASE + {i},\n")
    out.append(f"    RS_SYS_END = RS_SYS_BASE + {len(syscalls)}\n}};\n\n")
    out.append(f"#define RS_SYS_COUNT {len(syscalls)}\n\nenum rs_op {{\n")
    for kind, name, num, _, _ in ops:
        out.append(f"    RS_OP_{kind.upper()}_{name.upper()} = {num},\n")
    out.append("};\n")
    return "".join(out)


def stub(kind, name, ins, outs):
    params = ["uint64_t slot"] + [f"uint64_t {a}" for a in ins]
    params += [f"uint64_t *{o}" for o in outs if o != "_"]
    body = [f"    uint64_t a[6] = {{ {', '.join(ins) if ins else '0'} }};\n",
            f"    uint64_t e = rs_invoke(slot, RS_OP_{kind.upper()}_{name.upper()}, a);\n"]
    for i, o in enumerate(outs):
        if o != "_":
            body.append(f"    if ({o})\n        *{o} = a[{i}];\n")
    body.append("    return e;\n")
    return (f"static inline uint64_t rs_{kind}_{name}({', '.join(params)})\n{{\n"
            + "".join(body) + "}\n\n")


def stubs_header(ops):
    out = [BANNER, "/* One wrapper per object operation: rs_KIND_NAME(slot, inputs..., &outputs...)\n"
           " * returns the kernel's error code. */\n#pragma once\n#include <stdint.h>\n\n",
           "uint64_t rs_invoke(uint64_t slot, uint64_t op, uint64_t a[6]);\n\n"]
    out += [stub(kind, name, ins, outs) for kind, name, _, ins, outs in ops]
    return "".join(out)


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, "w") as f:
        f.write(text)


def main():
    table, out = sys.argv[1], sys.argv[2]
    syscalls, ops = parse(table)
    write_if_changed(os.path.join(out, "resurgo", "calls.h"), numbers_header(syscalls, ops))
    write_if_changed(os.path.join(out, "rs_invoke.h"), stubs_header(ops))


if __name__ == "__main__":
    main()
