; SYSCALL entry and the return to user mode. The user context is saved directly
; into the current thread's struct trap_frame (TSS.RSP0 points just past it, for
; interrupts and SYSCALL alike),
; then the kernel runs on the per-CPU kernel stack and never returns here: it
; leaves through arch_enter_user.

%define CPU_KSTACK   0
%define CPU_USER_RSP 8
%define TSS_RSP0     4                  ; offset of rsp[0] in struct tss (gdt.h)
%define SEL_UCODE    0x23
%define SEL_UDATA    0x1B
%define SYSCALL_VECTOR 256
; RFLAGS bits a user context may carry back to ring 3: CF PF AF ZF SF TF DF OF AC ID.
; Everything else (IOPL, NT, RF, VM, VIF, VIP, reserved bits) is cleared on every
; way out, whatever a user task, a debugger or a bit flip put in the saved context;
; IF and the always-one bit 1 are set. (SYSCALL entry clears every system flag in the
; kernel's own RFLAGS through SFMASK, percpu.c; interrupt gates clear TF, NT, RF, VM.)
%define USER_RFLAGS_MASK 0x240DD5
%define USER_RFLAGS_SET  0x202
%define FRAME_VECTOR     (15 * 8)       ; offsets in struct trap_frame
%define FRAME_RIP        (17 * 8)

%include "regs.inc"

extern syscall_dispatch, arch_bad_user_rip, tss

section .text
bits 64

global syscall_entry
syscall_entry:
    swapgs
    mov [gs:CPU_USER_RSP], rsp
    mov rsp, [rel tss + TSS_RSP0]       ; the end of the current thread's context
    push SEL_UDATA                      ; ss
    push qword [gs:CPU_USER_RSP]        ; rsp
    push r11                            ; rflags
    push SEL_UCODE                      ; cs
    push rcx                            ; rip
    push 0                              ; error code
    push SYSCALL_VECTOR
    PUSH_GPRS
    mov rdi, rsp
    mov rsp, [gs:CPU_KSTACK]
    call syscall_dispatch
    ud2

; arch_enter_user(struct trap_frame *ctx)
; A RIP outside the lower canonical half would make SYSRET or IRETQ fault in ring 0.
; A context saved by SYSCALL holds the SYSCALL's own return address (canonical:
; the last user page is never mapped) or that minus 2 (a restarted call); every
; other writer of a RIP (thread creation, a debugger) checks it and sends the
; thread out through IRETQ, which checks again: a bad one becomes a fault of its
; thread (arch_bad_user_rip), never of the kernel.
global arch_enter_user
arch_enter_user:
    cmp qword [rdi + FRAME_VECTOR], SYSCALL_VECTOR
    je .sysret_path
    mov rax, [rdi + FRAME_RIP]
    shr rax, 47
    jnz .bad_rip
    mov rsp, rdi
    POP_GPRS
    add rsp, 16
    and qword [rsp + 16], USER_RFLAGS_MASK
    or qword [rsp + 16], USER_RFLAGS_SET
    swapgs
    iretq
.sysret_path:
    mov rsp, rdi
    POP_GPRS
    mov rcx, [rsp + 16]                 ; rip, canonical (see above)
    mov r11, [rsp + 32]
    and r11, USER_RFLAGS_MASK
    or r11, USER_RFLAGS_SET
    mov rsp, [rsp + 40]
    swapgs
    o64 sysret
.bad_rip:
    mov rsp, [gs:CPU_KSTACK]            ; a fresh stack: this can happen once per thread
    call arch_bad_user_rip              ; rdi = ctx; never returns
    ud2

; arch_call_on_stack(uint64_t stack_top, void (*fn)(void)): runs fn on a fresh
; stack; fn must not return.
global arch_call_on_stack
arch_call_on_stack:
    mov rsp, rdi
    xor ebp, ebp
    call rsi
    ud2
