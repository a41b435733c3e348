/* GDT, TSS (with an I/O permission bitmap for later per-task port rights) and IDT. */
#include "gdt.h"
#include "../../kstring.h"
#include "stacks.h"

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, attr;
    uint16_t off_mid;
    uint32_t off_hi, reserved;
} __attribute__((packed));

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static uint64_t gdt[7];
struct tss tss __attribute__((aligned(16)));
const uint16_t tss_iopb_none = sizeof(struct tss);
static struct idt_gate idt[256];
extern const uint64_t isr_table[256];     /* isr.asm */

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[1] = 0x00AF9A000000FFFF;    /* kernel code, 64-bit */
    gdt[2] = 0x00CF92000000FFFF;    /* kernel data */
    gdt[3] = 0x00CFF2000000FFFF;    /* user data, DPL 3 */
    gdt[4] = 0x00AFFA000000FFFF;    /* user code, 64-bit, DPL 3 */
    memset(&tss, 0, sizeof tss);
    memset(tss.iopb, 0xFF, sizeof tss.iopb);
    tss.iopb_offset = sizeof tss;
    tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)df_stack_top;
    tss.ist[IST_NMI - 1] = (uint64_t)nmi_stack_top;
    tss.ist[IST_MACHINE_CHECK - 1] = (uint64_t)mc_stack_top;
    uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
    gdt[5] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40)
           | (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[6] = base >> 32;
    struct desc_ptr p = { sizeof gdt - 1, (uint64_t)gdt };
    __asm__ volatile(
        "lgdt %0\n"
        "pushq %1\n"
        "leaq 1f(%%rip), %%rax\n"
        "pushq %%rax\n"
        "lretq\n"
        "1: movw %w2, %%ax\n"
        "movw %%ax, %%ds\n movw %%ax, %%es\n movw %%ax, %%ss\n"
        "ltr %w3\n"
        :: "m"(p), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS) : "rax", "memory");
}

void tss_set_kernel_stack(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}

static const void *iopb_owner;

void tss_io_bitmap(const void *owner, const uint8_t *bitmap)
{
    if (!bitmap) {
        tss.iopb_offset = sizeof tss;       /* beyond the limit: every port denied */
        return;
    }
    if (owner != iopb_owner) {
        memcpy(tss.iopb, bitmap, IOPB_BYTES);
        iopb_owner = owner;
    }
    tss.iopb_offset = __builtin_offsetof(struct tss, iopb);
}

void tss_io_bitmap_changed(const void *owner)
{
    if (owner == iopb_owner)
        iopb_owner = 0;
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        uint64_t off = isr_table[v];
        idt[v] = (struct idt_gate){
            .off_lo = off & 0xFFFF, .sel = SEL_KCODE, .ist = 0,
            .attr = 0x8E,           /* present, DPL 0, interrupt gate */
            .off_mid = (off >> 16) & 0xFFFF, .off_hi = off >> 32,
        };
        if (v == 8)
            idt[v].ist = IST_DOUBLE_FAULT;  /* stacks known to be good */
        else if (v == 2)
            idt[v].ist = IST_NMI;
        else if (v == 18)
            idt[v].ist = IST_MACHINE_CHECK;
        else if (v == 3)
            idt[v].attr = 0xEE;     /* int3 from user mode: a breakpoint, not a #GP */
    }
    struct desc_ptr p = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(p));
}
