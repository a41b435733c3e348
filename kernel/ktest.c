/* Boot-time self-tests for the system test suite (see ktest.h). */
#include "console.h"
#include "kstring.h"
#include "ktest.h"
#include "mm.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/qemu_exit.h"
#include "arch/x86_64/timer.h"

static void fault_page(void)
{
    kprintf("ktest: writing to unmapped address 0xdead0000\n");
    *(volatile uint64_t *)0xdead0000ull = 1;
}

static void fault_opcode(void)
{
    kprintf("ktest: executing ud2\n");
    __asm__ volatile("ud2");
}

static void fault_divide(void)
{
    kprintf("ktest: dividing by zero\n");
    uint64_t zero = 0;
    __asm__ volatile("xor %%edx, %%edx\n mov $1, %%eax\n divq %0" :: "r"(zero) : "rax", "rdx");
}

/* Waits for 10 timer ticks with interrupts on; fails if they do not come. */
static void timer_ticks_arrive(void)
{
    uint64_t start = timer_ticks(), t0 = rdtsc();
    for (uint64_t spin = 0; timer_ticks() < start + 10 && spin < 100000000ull; spin++)
        cpu_hlt();
    uint64_t got = timer_ticks() - start;
    kprintf("ktest: %lu timer ticks in %lu TSC ticks\n", got, rdtsc() - t0);
    qemu_exit(got >= 10 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
}

/* Allocates frames until none are left, frees them all, and checks the count. */
static void frames_exhaust(void)
{
    uint64_t before = frames_free(), n = 0, phys, first = 0, prev = 0;
    while (!frame_alloc(&phys)) {
        *(uint64_t *)phys_to_virt(phys) = prev;     /* chain through the frames */
        prev = phys;
        if (!n++)
            first = phys;
    }
    kprintf("ktest: allocated %lu frames until E_NOMEM (first %#lx)\n", n, first);
    while (prev) {
        uint64_t next = *(uint64_t *)phys_to_virt(prev);
        frame_free(prev);
        prev = next;
    }
    kprintf("ktest: freed them: %lu free before, %lu after\n", before, frames_free());
    qemu_exit(n == before && frames_free() == before ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
}

/* Recurses until the kernel stack runs into its guard page: the double-fault
 * handler must name the overflow (and the GDT and IDT below it stay intact). */
static volatile uint64_t recurse_limit = ~0ull;

static __attribute__((noinline)) uint64_t recurse(uint64_t depth)
{
    volatile uint8_t frame[512];
    frame[0] = (uint8_t)depth;
    if (depth == recurse_limit)
        return 0;
    return recurse(depth + 1) + frame[0];
}

static void stack_overflow(void)
{
    kprintf("ktest: recursing on the kernel stack\n");
    kprintf("ktest: %lu\n", recurse(0));
}

/* An NMI (delivered as `int 2` on its IST stack) is reported and execution goes on. */
static void nmi(void)
{
    __asm__ volatile("int $2");
    kprintf("ktest: execution continues after the NMI\n");
    qemu_exit(QEMU_EXIT_SUCCESS);
}

static const struct {
    const char *name;
    void (*run)(void);
} tests[] = {
    { "stackoverflow", stack_overflow },
    { "nmi", nmi },
    { "pagefault", fault_page },
    { "opcode", fault_opcode },
    { "divide", fault_divide },
    { "timer", timer_ticks_arrive },
    { "frames", frames_exhaust },
};

void ktest_run(const char *name)
{
    for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(tests[i].name, name) == 0) {
            tests[i].run();
            kprintf("ktest: '%s' returned without ending the test\n", name);
            qemu_exit(QEMU_EXIT_FAILURE);
            return;
        }
    }
    kprintf("ktest: unknown test '%s'\n", name);
    qemu_exit(QEMU_EXIT_FAILURE);
}
