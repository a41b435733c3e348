#!/usr/bin/env python3
"""Generates the system-call and operation numbers and libsys's invocation stubs
from kernel/uapi/resurgo/calls.tbl, and each server protocol's labels and client
stubs from libsys/protocols.tbl. Usage: gen_calls.py CALLS_TABLE PROTO_TABLE OUT_DIR"""
import os
import sys

BANNER = "/* Generated from kernel/uapi/resurgo/calls.tbl by scripts/gen_calls.py: do not edit. */\n"


def split_io(words):
    """IN... [-> OUT...] into (ins, outs)."""
    if "->" in words:
        i = words.index("->")
        return words[:i], words[i + 1:]
    return words, []


def parse(path):
    syscalls, ops = [], []
    for n, line in enumerate(open(path), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "syscall" and len(words) == 2:
            syscalls.append(words[1])
        elif words[0] == "op" and len(words) >= 4:
            ins, outs = split_io(words[4:])
            if len(ins) > 6 or len(outs) > 6:
                sys.exit(f"{path}:{n}: at most six words in and out")
            ops.append((words[1], words[2], int(words[3]), ins, outs))
        else:
            sys.exit(f"{path}:{n}: cannot read this line: {line.strip()!r}")
    return syscalls, ops


def numbers_header(syscalls, ops):
    out = [BANNER, "#pragma once\n\n",
           "/* System-call numbers start at RS_SYS_BASE, so a stray Linux system call\n"
           " * (from C library code) is never taken for a Resurgo one: numbers below\n"
           " * RS_LINUX_SYSCALLS are answered -ENOSYS (38), as Linux answers a call it\n"
           " * lacks; any other unknown number is a fault. */\n",
           "#define RS_SYS_BASE 0x5200\n#define RS_LINUX_SYSCALLS 1024\n\nenum rs_syscall {\n"]
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
           " * returns the kernel's error code. */\n#pragma once\n#include <stdint.h>\n#include <resurgo/resurgo.h>\n\n",
           "uint64_t rs_invoke(uint64_t slot, uint64_t op, uint64_t a[6]);\n\n"]
    out += [stub(kind, name, ins, outs) for kind, name, _, ins, outs in ops]
    return "".join(out)


once = {}


def parse_protocols(path):
    """{name: [calls]}; once[name] says whether its server answers each request
    once from session regions (`proto NAME sessions`)."""
    protos = {}
    for n, line in enumerate(open(path), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "proto" and len(words) in (2, 3):
            if len(words) == 3 and words[2] != "sessions":
                sys.exit(f"{path}:{n}: a protocol is followed by nothing or `sessions`")
            protos[words[1]] = []
            once[words[1]] = len(words) == 3
        elif words[0] == "call" and len(words) >= 4 and words[1] in protos:
            rest = words[4:]
            idem = bool(rest) and rest[0] == "idempotent"
            ins, outs = split_io(rest[1:] if idem else rest)
            kind = "RS_CALL_IDEMPOTENT" if idem else "RS_CALL_ONCE" if once[words[1]] else "0"
            protos[words[1]].append((words[2], int(words[3]), kind, ins, outs))
        else:
            sys.exit(f"{path}:{n}: cannot read this line: {line.strip()!r}")
    return protos


# Special protocol arguments: (C parameters, message-info flag, rs_ipc_extra fields).
SPECIAL = {
    "buf_in": ("const void *in, size_t in_len", " | RS_MSG_BUFFER",
               ".send_buf = (uint64_t)in, .send_len = in_len"),
    "buf_out": ("void *out, size_t out_max, size_t *out_len", "",
                ".recv_buf = (uint64_t)out, .recv_max = out_max"),
    "cap_in": ("uint64_t cap", " | RS_MSG_CAP", ".send_cap = (uint32_t)cap"),
    "cap_out": ("uint64_t cap_slot", "", ".recv_cap = (uint32_t)cap_slot"),
}


def proto_stub(proto, op, label, idem, ins, outs):
    words = [a for a in ins if a not in SPECIAL]
    params = ["uint64_t ep"] + [f"uint64_t {a}" for a in words]
    flags, extra = "", []
    for name in (a for a in ins if a in SPECIAL):
        param, flag, fields = SPECIAL[name]
        params.append(param)
        flags += flag
        extra.append(fields)
    params += [f"uint64_t *{o}" for o in outs]
    body = [f"    struct rs_msg m = {{ .info = {proto.upper()}_{op.upper()}{flags}"
            + (f", .w = {{ {', '.join(words)} }}" if words else "") + " };\n",
            f"    struct rs_ipc_extra x = {{ {', '.join(extra)} }};\n",
            "    uint64_t e = rs_client_call(ep, &m, &x, %s);\n" % idem]
    if "buf_out" in ins:
        body.append("    if (out_len)\n        *out_len = e ? 0 : x.recv_len;\n")
    if "cap_out" in ins:
        body.append("    if (!e && !x.recv_cap_received)\n        e = RS_E_NOCAP;\n")
    for i, o in enumerate(outs):
        body.append(f"    if ({o})\n        *{o} = m.w[{i}];\n")
    body.append("    return e;\n")
    return (f"static inline uint64_t {proto}_{op}({', '.join(params)})\n{{\n"
            + "".join(body) + "}\n\n")


def proto_header(name, calls):
    out = [BANNER.replace("kernel/uapi/resurgo/calls.tbl", "libsys/protocols.tbl"),
           f"/* The {name} protocol: labels, and client stubs that return the kernel's\n"
           " * error or the server's status (0 = success). */\n#pragma once\n",
           "#include <stddef.h>\n#include <rsys.h>\n#include <rs_capfault.h>\n\n",
           f"enum {name}_label {{\n"]
    out += [f"    {name.upper()}_{op.upper()} = {label},\n" for op, label, _, _, _ in calls]
    out.append(f"}};\n\n#define {name.upper()}_LABELS {max(c[1] for c in calls) + 1}\n\n")
    out += [proto_stub(name, *call) for call in calls]
    return "".join(out)


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, "w") as f:
        f.write(text)


def main():
    table, protocols, out = sys.argv[1], sys.argv[2], sys.argv[3]
    syscalls, ops = parse(table)
    write_if_changed(os.path.join(out, "resurgo", "calls.h"), numbers_header(syscalls, ops))
    write_if_changed(os.path.join(out, "rs_invoke.h"), stubs_header(ops))
    for name, calls in parse_protocols(protocols).items():
        write_if_changed(os.path.join(out, "proto", name + ".h"), proto_header(name, calls))


if __name__ == "__main__":
    main()
