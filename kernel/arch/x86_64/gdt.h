/* Segments, the TSS and the IDT. Selector layout suits SYSCALL/SYSRET. */
#pragma once
#include <stdint.h>

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1B      /* 0x18 | RPL 3 */
#define SEL_UCODE 0x23      /* 0x20 | RPL 3 */
#define SEL_TSS   0x28

/* Interrupt stack table entries: vectors that get a stack of their own. */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3

/* Loads the GDT and TSS; the TSS's RSP0 is the kernel stack used on entry from ring 3. */
void gdt_init(void);
void tss_set_kernel_stack(uint64_t rsp0);

#define IOPB_BYTES 8192

/* The one TSS: the kernel stack for entries from ring 3 (rsp[0]), the IST stacks
 * and the I/O permission bitmap. The context switch writes it directly. */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb_offset;
    uint8_t iopb[IOPB_BYTES + 1];   /* all ones: no port allowed from ring 3 */
} __attribute__((packed));

extern struct tss tss;
_Static_assert(__builtin_offsetof(struct tss, rsp) == 4, "entry.asm TSS_RSP0");
/* The bitmap offset that denies every port (beyond the TSS limit). */
extern const uint16_t tss_iopb_none;

/* Selects the I/O permission bitmap ring 3 sees: `bitmap` (8 KiB, a set bit denies
 * the port) or, for NULL, none (every port denied). `owner` identifies the bitmap
 * so an unchanged one is not copied again; call tss_io_bitmap_changed(owner) after
 * editing it. */
void tss_io_bitmap(const void *owner, const uint8_t *bitmap);
void tss_io_bitmap_changed(const void *owner);

/* Installs the 256 interrupt gates (vectors 0-31 exceptions, 32-47 legacy IRQs). */
void idt_init(void);
