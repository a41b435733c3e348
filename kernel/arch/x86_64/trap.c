/* Exception reporting and interrupt dispatch. An exception in kernel mode is a
 * kernel bug and ends in a panic report; interrupts go to registered handlers. */
#include "trap.h"
#include "cpu.h"
#include "pic.h"
#include "../../console.h"
#include "../../panic.h"
#include "../../fault.h"
#include "../../sched.h"
#include "../../hw.h"
#include "../../uapi/resurgo/syscall.h"
#include "fpu.h"
#include "stacks.h"

static irq_handler_t irq_handlers[TRAP_IRQ_COUNT];

static const char *const exception_names[32] = {
    "divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow",
    "bound range exceeded", "invalid opcode", "device not available", "double fault",
    "coprocessor segment overrun", "invalid TSS", "segment not present",
    "stack-segment fault", "general protection fault", "page fault", "reserved",
    "x87 floating-point error", "alignment check", "machine check",
    "SIMD floating-point error", "virtualization exception", "control protection",
    "reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
    "hypervisor injection", "VMM communication", "security exception", "reserved",
};

const char *trap_vector_name(uint64_t vector)
{
    return vector < 32 ? exception_names[vector] : "interrupt";
}

static void print_error_code(const struct trap_frame *f)
{
    if (f->vector == 14) {
        kprintf("    error code %#lx (%s, %s, %s%s%s)\n", f->error,
                f->error & 1 ? "protection violation" : "page not present",
                f->error & 2 ? "write" : "read",
                f->error & 4 ? "user" : "supervisor",
                f->error & 8 ? ", reserved bit" : "",
                f->error & 16 ? ", instruction fetch" : "");
        kprintf("    CR2 %#018lx (faulting address)\n", read_cr2());
    } else {
        kprintf("    error code %#lx\n", f->error);
        kprintf("    CR2 %#018lx\n", read_cr2());
    }
}

void trap_print_frame(const struct trap_frame *f)
{
    if (f->vector < 32)
        print_error_code(f);
    kprintf("    RIP %#018lx  CS %#lx  RFLAGS %#lx  mode %s\n", f->rip, f->cs, f->rflags,
            (f->cs & 3) ? "user (ring 3)" : "kernel (ring 0)");
    kprintf("    RSP %#018lx  SS %#lx\n", f->rsp, f->ss);
    kprintf("    RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("    RSI %016lx RDI %016lx RBP %016lx R8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    kprintf("    R9  %016lx R10 %016lx R11 %016lx R12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
    kprintf("    R13 %016lx R14 %016lx R15 %016lx\n", f->r13, f->r14, f->r15);
}

static void exception(struct trap_frame *f)
{
    panic_frame(f, "%s (vector %lu) in %s mode", trap_vector_name(f->vector), f->vector,
                (f->cs & 3) ? "user" : "kernel");
}

void trap_set_irq_handler(unsigned irq, irq_handler_t h)
{
    if (irq < TRAP_IRQ_COUNT)
        irq_handlers[irq] = h;
}

static void interrupt(struct trap_frame *f)
{
    unsigned irq = (unsigned)(f->vector - TRAP_IRQ_BASE);
    if (pic_is_spurious(irq))
        return;
    if (irq_handlers[irq])
        irq_handlers[irq](irq, f);
    else
        irq_deliver(irq);           /* a user-mode driver's line (or nobody's) */
    pic_eoi(irq);
}

void trap_from_kernel(struct trap_frame *f)
{
    if (f->vector < 32)
        exception(f);
    else if (f->vector < TRAP_IRQ_BASE + TRAP_IRQ_COUNT)
        interrupt(f);
    else
        kprintf("trap: unexpected vector %lu at RIP %#lx ignored\n", f->vector, f->rip);
}

void trap_ist(struct trap_frame *f)
{
    if (f->vector == 2) {
        kprintf("trap: non-maskable interrupt (hardware or hypervisor; not caused by the "
                "running task) at RIP %#lx, ignored\n", f->rip);
        return;
    }
    if (f->vector == 18)
        panic_frame(f, "machine check (vector 18): the hardware reports an error");
    const char *stack = stack_guard_name(read_cr2());
    if (stack)
        panic_frame(f, "kernel stack overflow: the %s ran into its guard page at %#lx",
                    stack, read_cr2());
    exception(f);
}

/* The fault reason and address a user-mode exception reports to the supervisor. */
static unsigned user_fault(struct trap_frame *f, uint64_t *addr)
{
    switch (f->vector) {
    case 14: *addr = read_cr2(); return RS_FAULT_PAGE;
    case 3: *addr = f->rip - 1; return RS_FAULT_BREAKPOINT;    /* after the int3 */
    case 1:
        *addr = f->rip;
        f->rflags &= ~0x100ull;     /* one step is one fault: resuming runs on */
        return RS_FAULT_STEP;
    default: *addr = 0; return RS_FAULT_EXCEPTION;
    }
}

void trap_from_user(struct trap_frame *f)
{
    struct thread *th = sched_current;
    if (f->vector == 7) {
        fpu_take(th);               /* first FPU use since it was switched in */
        sched_run(th);
    }
    if (f->vector < 32) {
        uint64_t addr;
        unsigned reason = user_fault(f, &addr);
        fault_raise(th, reason, f->vector, addr, f->error);
    } else if (f->vector < TRAP_IRQ_BASE + TRAP_IRQ_COUNT) {
        interrupt(f);
    }
    sched_preempt();
}
