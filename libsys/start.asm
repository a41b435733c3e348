; User-program entry: the kernel starts the first thread with RSP 16-byte aligned
; and RDI pointing at the argument string. Calls rs_main(args) and exits with its
; return value.
extern rs_main
extern rs_exit
section .text
global _start
_start:
    xor ebp, ebp
    and rsp, -16
    call rs_main
    mov rdi, rax
    call rs_exit
    ud2
