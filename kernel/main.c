/* Kernel entry: brings up the CPU tables, memory, interrupts and the timer, lists
 * the boot modules and reports "kernel ready". */
#include "boot.h"
#include "bootinfo.h"
#include "sched.h"
#include "arch/x86_64/percpu.h"
#include "console.h"
#include "kstring.h"
#include "ktest.h"
#include "mm.h"
#include "iommu.h"
#include "modules.h"
#include "panic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/qemu_exit.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/rtc.h"

#define RESURGO_VERSION "0.1"

static struct boot_info boot_info;

static const void *boot_reader(void *ctx, uint64_t phys, uint64_t len)
{
    (void)ctx;
    if (phys + len < phys || phys + len > (1ull << 30))
        return 0;                   /* beyond the boot mapping */
    return phys_to_virt(phys);
}

static void parse_boot_info(uint64_t magic, uint64_t info_phys)
{
    err_t e;
    if (magic == MB2_BOOT_MAGIC) {
        if (!boot_reader(0, info_phys, MB2_INFO_MAX))
            panic("kmain: Multiboot2 information at %#lx lies beyond the boot mapping",
                  info_phys);
        e = mb2_parse(phys_to_virt(info_phys), info_phys, &boot_info);
    }
    else if (magic == MB1_BOOT_MAGIC)
        e = mb1_parse(info_phys, boot_reader, 0, &boot_info);
    else
        panic("kmain: not started by a Multiboot loader (magic %#lx)", magic);
    kprintf("boot: %s via %s, command line \"%s\"\n", boot_info.protocol,
            boot_info.loader_name[0] ? boot_info.loader_name : "unknown loader",
            boot_info.cmdline);
    if (e)
        kprintf("boot: error: loader information is malformed (%s); using what was "
                "read before the problem\n", err_name(e));
}

static void enable_fpu(void)
{
    write_cr0((read_cr0() & ~(1ull << 2)) | (1ull << 1));  /* EM off, MP on */
    write_cr4(read_cr4() | (1ull << 9) | (1ull << 10));    /* OSFXSR, OSXMMEXCPT */
}

extern char boot_stack_top[];
extern uint64_t boot_entry_tsc;     /* boot.asm: the TSC when the kernel was entered */

void kmain(uint64_t magic, uint64_t info_phys)
{
    serial_init();
    kprintf("\nResurgo %s: fault-tolerant multiserver kernel for x86-64\n", RESURGO_VERSION);
    gdt_init();
    idt_init();
    enable_fpu();
    parse_boot_info(magic, info_phys);
    mm_init(&boot_info);
    iommu_init();
    pic_init();
    timer_init();
    rtc_boot_unix = rtc_unix_time();    /* the 1 ms clock's zero, in wall-clock time */
    cpu_sti();
    timer_calibrate();
    modules_init(&boot_info);
    uint64_t now = rdtsc();
    kprintf("kernel ready (tsc %lu, %lu since kernel entry)\n", now, now - boot_entry_tsc);

    char arg[32];
    if (!bootinfo_cmdline_get(boot_info.cmdline, "ktest", arg, sizeof arg))
        ktest_run(arg);
    if (!bootinfo_cmdline_get(boot_info.cmdline, "exit", arg, sizeof arg)
        && strcmp(arg, "ready") == 0)
        qemu_exit(QEMU_EXIT_SUCCESS);
    cpu_cli();
    percpu_init((uint64_t)boot_stack_top);
    sched_init();
    boot_start_root(&boot_info);
    sched_switch();
}
