; Interrupt and exception entry stubs. Each stub pushes an error code (0 when the CPU
; pushes none) and its vector, then isr_common saves the registers as a struct
; trap_frame (trap.h) and calls trap_from_user or trap_from_kernel.

%include "regs.inc"

extern trap_from_user, trap_from_kernel, trap_ist

%macro ISR_NOERR 2
isr_%1:
    push 0
    push %1
    jmp %2
%endmacro

%macro ISR_ERR 2
isr_%1:
    push %1
    jmp %2
%endmacro

section .text
bits 64

%assign v 0
%rep 256
%if v == 8
    ISR_ERR v, isr_ist
%elif v == 2 || v == 18
    ISR_NOERR v, isr_ist
%elif (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
    ISR_ERR v, isr_common
%else
    ISR_NOERR v, isr_common
%endif
%assign v v + 1
%endrep


; From ring 3 the CPU has pushed SS..RIP at TSS.RSP0, which is the end of the
; current thread's saved context: the GPRs land there too, then the kernel moves to
; its own stack and leaves through arch_enter_user. From ring 0 (the idle loop, or
; a kernel bug) the frame stays on the current stack and IRETQ returns to it.
global isr_common
isr_common:
    test qword [rsp + 24], 3        ; CS of the interrupted context
    jz .from_kernel
    swapgs
    PUSH_GPRS
    cld
    mov rdi, rsp
    mov rsp, [gs:0]                 ; percpu.kstack_top
    call trap_from_user
    ud2
.from_kernel:
    PUSH_GPRS
    cld
    mov rdi, rsp
    call trap_from_kernel
    POP_GPRS
    add rsp, 16                     ; vector and error code
    iretq

; Double fault, NMI and machine check arrive on IST stacks of their own (gdt.c), so
; they cannot be blamed on, or saved into, the current thread: the registers stay on
; that stack, trap_ist reports (or panics), and IRETQ returns to whatever ran. The C
; code here never uses GS, so no SWAPGS is needed in either direction.
global isr_ist
isr_ist:
    PUSH_GPRS
    cld
    mov rdi, rsp
    call trap_ist
    POP_GPRS
    add rsp, 16
    iretq

section .rodata
global isr_table
align 8
isr_table:
%assign v 0
%rep 256
    dq isr_ %+ v
%assign v v + 1
%endrep
