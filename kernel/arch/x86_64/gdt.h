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

/* For the context-switch path: where TSS.RSP0 and the I/O-bitmap offset live, and
 * the offset that denies every port. */
typedef uint64_t __attribute__((aligned(1))) tss_u64;   /* TSS fields are unaligned */
typedef uint16_t __attribute__((aligned(1))) tss_u16;
extern tss_u64 *const tss_rsp0;
extern tss_u16 *const tss_iopb_offset;
extern const uint16_t tss_iopb_none;

/* Selects the I/O permission bitmap ring 3 sees: `bitmap` (8 KiB, a set bit denies
 * the port) or, for NULL, none (every port denied). `owner` identifies the bitmap
 * so an unchanged one is not copied again; call tss_io_bitmap_changed(owner) after
 * editing it. */
void tss_io_bitmap(const void *owner, const uint8_t *bitmap);
void tss_io_bitmap_changed(const void *owner);

/* Installs the 256 interrupt gates (vectors 0-31 exceptions, 32-47 legacy IRQs). */
void idt_init(void);
