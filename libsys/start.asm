; User-program entry: the kernel starts the first thread with RSP 16-byte aligned
; and RDI pointing at the argument string. rs_start (start.c) never returns.
extern rs_start
section .text
global _start
_start:
    xor ebp, ebp
    and rsp, -16
    call rs_start
    ud2
