; Resurgo boot entry: Multiboot2 (GRUB) and Multiboot1 (QEMU -kernel) headers, the
; 32-bit entry, the switch to long mode and the jump to the higher-half kernel.
; Contract: entered in 32-bit protected mode, paging off, EAX = loader magic,
; EBX = physical address of the loader's information structure.

KERNEL_VMA      equ 0xFFFFFFFF80000000
MB2_MAGIC       equ 0xE85250D6
MB1_MAGIC       equ 0x1BADB002
MB1_FLAGS       equ (1 << 1) | (1 << 16)    ; memory map, a.out kludge addresses

extern kmain
extern _load_start_phys, _load_end_phys, _bss_end_phys

section .multiboot
align 8
mb2_header:
    dd MB2_MAGIC
    dd 0                                   ; i386 protected mode
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
    ; entry address tag: enter at the 32-bit physical entry point
    align 8
    dw 3, 0
    dd 12
    dd _start32
    align 8
    dw 0, 0                                ; end tag
    dd 8
mb2_header_end:

align 4
mb1_header:
    dd MB1_MAGIC
    dd MB1_FLAGS
    dd -(MB1_MAGIC + MB1_FLAGS)
    dd mb1_header                          ; header_addr
    dd _load_start_phys                    ; load_addr
    dd _load_end_phys                      ; load_end_addr
    dd _bss_end_phys                       ; bss_end_addr
    dd _start32                            ; entry_addr

section .boot.text
bits 32
global _start32
_start32:
    cli
    cld
    mov edi, eax                           ; magic, kept for kmain
    mov esi, ebx                           ; info pointer
    rdtsc                                  ; when the kernel got the CPU (after firmware
    mov [boot_entry_tsc - KERNEL_VMA], eax ; and loader): boot figures start here
    mov [boot_entry_tsc - KERNEL_VMA + 4], edx
    mov esp, boot_stack_top - KERNEL_VMA

    ; long mode available?
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode
    mov ebp, edx                           ; keep feature bits (NX is bit 20)

    call build_boot_tables

    mov eax, cr4
    or eax, 1 << 5                         ; PAE
    mov cr4, eax
    mov eax, boot_pml4 - KERNEL_VMA
    mov cr3, eax
    mov ecx, 0xC0000080                    ; EFER
    rdmsr
    or eax, 1 << 8                         ; LME
    test ebp, 1 << 20
    jz .no_nx
    or eax, 1 << 11                        ; NXE
.no_nx:
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1      ; PG, WP, PE
    mov cr0, eax
    lgdt [boot_gdt_ptr]
    jmp 0x08:long_entry

.no_long_mode:
    mov esi, msg_no_lm
    mov dx, 0x3F8
.puts:
    lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .puts
.halt:
    hlt
    jmp .halt

; Identity-map and higher-half-map the first 1 GiB with 2 MiB pages; also map it
; at the direct-map base so C code can reach loader data through phys_to_virt().
build_boot_tables:
    mov eax, boot_pdpt_low - KERNEL_VMA
    or eax, 3
    mov [boot_pml4 - KERNEL_VMA], eax              ; 0x0000000000000000
    mov [boot_pml4 - KERNEL_VMA + 256 * 8], eax    ; 0xFFFF800000000000
    mov eax, boot_pdpt_high - KERNEL_VMA
    or eax, 3
    mov [boot_pml4 - KERNEL_VMA + 511 * 8], eax    ; 0xFFFFFF8000000000
    mov eax, boot_pd - KERNEL_VMA
    or eax, 3
    mov [boot_pdpt_low - KERNEL_VMA], eax
    mov [boot_pdpt_high - KERNEL_VMA + 510 * 8], eax ; 0xFFFFFFFF80000000
    xor ecx, ecx
.fill:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                                   ; present, writable, 2 MiB
    mov [boot_pd - KERNEL_VMA + ecx * 8], eax
    inc ecx
    cmp ecx, 512
    jne .fill
    ret

bits 64
long_entry:
    mov rax, higher_half
    jmp rax

section .boot.data
align 8
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF                  ; 64-bit kernel code
    dq 0x00CF92000000FFFF                  ; kernel data
boot_gdt_ptr:
    dw boot_gdt_ptr - boot_gdt - 1
    dq boot_gdt
msg_no_lm:
    db "Resurgo: this CPU has no long mode (x86-64); cannot boot.", 13, 10, 0

section .text
bits 64
higher_half:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor ebp, ebp
    ; rdi = magic, rsi = info (physical); both zero-extended by the 32-bit moves
    call kmain
.hang:
    cli
    hlt
    jmp .hang

section .bss
alignb 8
global boot_entry_tsc
boot_entry_tsc: resq 1
alignb 4096
global boot_pml4
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096
boot_pdpt_high: resb 4096
boot_pd:        resb 4096

; Kernel stacks, each above an unmapped guard page (mm.c leaves the guard pages out
; of the kernel mapping): an overflow faults on the guard instead of running into
; the page tables or the GDT/IDT, and the double-fault handler names it.
alignb 4096
global kstack_guard, boot_stack_top
global df_stack_guard, df_stack_top, nmi_stack_guard, nmi_stack_top, mc_stack_guard, mc_stack_top
kstack_guard:    resb 4096
boot_stack:      resb 16384
boot_stack_top:
df_stack_guard:  resb 4096
                 resb 8192
df_stack_top:
nmi_stack_guard: resb 4096
                 resb 8192
nmi_stack_top:
mc_stack_guard:  resb 4096
                 resb 8192
mc_stack_top:
