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
; RFLAGS bits a user context may carry back to ring 3: CF PF AF ZF SF TF DF OF AC ID.
; Everything else (IOPL, NT, RF, VM, VIF, VIP, reserved bits) is cleared on every
; way out, whatever a user task, a debugger or a bit flip put in the saved context;
; IF and the always-one bit 1 are set. (SYSCALL entry clears every system flag in the
; kernel's own RFLAGS through SFMASK, percpu.c; interrupt gates clear TF, NT, RF, VM.)
%define USER_RFLAGS_MASK 0x240DD5
%define USER_RFLAGS_SET  0x202
%define FRAME_RIP        (17 * 8)       ; offset of rip in struct trap_frame

%include "regs.inc"

extern syscall_dispatch, arch_bad_user_rip

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
; A RIP outside the lower canonical half would make SYSRET or IRETQ fault in ring 0;
; such a context becomes a fault of its thread instead (arch_bad_user_rip).
global arch_enter_user
arch_enter_user:
    mov rax, [rdi + FRAME_RIP]
    shr rax, 47
    jnz .bad_rip
    mov rsp, rdi
    POP_GPRS
    cmp qword [rsp], SYSCALL_VECTOR
    je .sysret
    add rsp, 16
    and qword [rsp + 16], USER_RFLAGS_MASK
    or qword [rsp + 16], USER_RFLAGS_SET
    swapgs
    iretq
.sysret:
    mov rcx, [rsp + 16]                 ; rip, canonical (checked above)
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
