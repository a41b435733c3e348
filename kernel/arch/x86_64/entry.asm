; SYSCALL entry and the return to user mode. The user context is saved directly
; into the current thread's struct trap_frame (percpu.ctx_end points just past it),
; then the kernel runs on the per-CPU kernel stack and never returns here: it
; leaves through arch_enter_user.

%define CPU_KSTACK   0
%define CPU_USER_RSP 8
%define CPU_CTX_END  16
%define SEL_UCODE    0x23
%define SEL_UDATA    0x1B
%define SYSCALL_VECTOR 256
%define USER_RFLAGS_MASK 0x0CD5         ; CF PF AF ZF SF DF OF may come from the user

%include "regs.inc"

extern syscall_dispatch

section .text
bits 64

global syscall_entry
syscall_entry:
    swapgs
    mov [gs:CPU_USER_RSP], rsp
    mov rsp, [gs:CPU_CTX_END]
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
global arch_enter_user
arch_enter_user:
    mov rsp, rdi
    POP_GPRS
    cmp qword [rsp], SYSCALL_VECTOR
    je .sysret
    add rsp, 16
    swapgs
    iretq
.sysret:
    mov rcx, [rsp + 16]                 ; rip (canonical: saved by SYSCALL or checked)
    mov r11, [rsp + 32]
    and r11, USER_RFLAGS_MASK
    or r11, 0x202                       ; IF and the reserved bit
    mov rsp, [rsp + 40]
    swapgs
    o64 sysret

; arch_call_on_stack(uint64_t stack_top, void (*fn)(void)): runs fn on a fresh
; stack; fn must not return.
global arch_call_on_stack
arch_call_on_stack:
    mov rsp, rdi
    xor ebp, ebp
    call rsi
    ud2
