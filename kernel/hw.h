/* Hardware objects handed to user-mode drivers: IRQ lines, I/O-port ranges,
 * frames (RAM or MMIO windows) and the platform object that creates them. */
#pragma once
#include <stdint.h>
#include "object.h"

struct notification;
struct cap;
struct cspace;
struct quota;
struct task;

struct irq {
    struct kobj obj;
    uint8_t line;                   /* 0-15 */
    uint8_t pending_ack;            /* masked, waiting for RS_OP_IRQ_ACK */
    struct notification *notify;    /* referenced; NULL: unbound (line masked) */
    uint64_t bits;
};

struct ioports {
    struct kobj obj;
    uint16_t first;
    uint16_t count;
};

/* Port ranges one task may have enabled at once (RS_E_BUSY beyond), so that
 * rebuilding its I/O bitmap is bounded work. */
#define IOPORTS_ENABLED_MAX 8
/* Holders one interrupt line may have: its platform object and its shares. */
#define IRQ_SHARES_MAX 8

#define FRAME_MAX_PAGES 512         /* at creation, and added by one grow */
#define FRAME_LIST 512              /* page addresses in one list page */
#define FRAME_GROW_MAX (FRAME_LIST * FRAME_LIST)   /* a grown frame: at most 1 GiB */

struct frame {
    struct kobj obj;
    uint32_t npages;
    uint32_t wmaps, xmaps;          /* mappings now writable / executable: never both */
    uint8_t device;                 /* MMIO window: not RAM, never freed, uncached */
    uint8_t dma;                    /* RAM in one physically contiguous run, whose bus
                                       address a driver learns by granting it to
                                       its device (dma map) */
    uint64_t device_base;           /* device: first physical address */
    uint64_t *pages;                /* RAM, one list: physical address of each page */
    uint64_t **lists;               /* RAM grown past one list: its list pages (a page
                                     * of pointers; lists[0] == pages), else NULL */
    uint32_t nlists;                /* list pages in `lists` */
    struct thread *session_server;  /* a session region: the server thread it is
                                       mapped in now, or NULL */
};

struct platform {
    struct kobj obj;
};

/* The right to spawn tasks from one boot module, apart from any hardware authority. */
struct image {
    struct kobj obj;
    unsigned module;                /* index of a boot module (modules.h) */
};

/* Death actions. */
void irq_kill(struct irq *irq);
void frame_release(struct frame *f);
/* Called from the IRQ dispatcher for a line owned by a user-mode driver. */
void irq_deliver(unsigned line);

/* Creation (check-then-commit; the new capability goes to dst in cs). */
err_t irq_create(uint64_t line, struct task *owner, struct cspace *cs, uint64_t dst);
err_t ioports_create(uint64_t first, uint64_t count, struct task *owner,
                     struct cspace *cs, uint64_t dst);
err_t frame_create(struct quota *q, struct task *owner, uint64_t npages,
                   struct cspace *cs, uint64_t dst);
err_t frame_create_mmio(uint64_t phys, uint64_t npages, struct task *owner,
                        struct cspace *cs, uint64_t dst);
err_t frame_create_dma(struct quota *q, struct task *owner, uint64_t npages,
                       struct cspace *cs, uint64_t dst);

/* Frame internals, also used to load programs: a RAM frame of npages zeroed pages
 * owned by owner and charged to q; mapping it into t at va in `mode` (RS_MAP_WRITE,
 * RS_MAP_EXEC or neither: never both, E_INVAL). W^X holds across mappings too: a
 * frame mapped executable anywhere is not mapped writable anywhere (E_BUSY), and
 * the reverse. All pages must be unmapped at va (E_EXISTS); E_QUOTA/E_NOMEM roll
 * back. frame_unmap takes the mode the mapping was made with. */
err_t frame_new(struct quota *q, struct task *owner, uint64_t npages, struct frame **out);
err_t frame_map(struct frame *f, struct task *t, uint64_t va, unsigned mode);
#define FRAME_MAP_IMAGE 0x100u      /* mode bit: the program loader's own pages */
void frame_unmap(struct frame *f, struct task *t, uint64_t va, unsigned mode);
uint64_t frame_page(const struct frame *f, uint64_t i);
/* Adds `add` (1..FRAME_MAX_PAGES) zeroed pages to RAM frame f, charged to f's
 * quota, up to FRAME_GROW_MAX pages (E_RANGE). When `c` (a capability of f) is
 * mapped, its mapping grows with the frame, into free addresses only (E_EXISTS);
 * another mapped capability of f is E_BUSY. A refusal changes nothing; only when
 * the kernel runs out of RAM (E_NOMEM) are list pages kept for later growth. */
err_t frame_grow(struct frame *f, struct cap *c, uint64_t add);

/* Capability hooks: a frame capability's mapping and an ioports capability's port
 * access end with the capability (deleted, or a tombstone once the object died). */
void frame_cap_deleted(struct cap *c);
void ioports_cap_deleted(struct cap *c);

/* Invocations (decode and check, then commit); results in th->ctx. */
struct thread;
void irq_invoke(struct thread *th, struct cap *c, uint64_t op);
void ioports_invoke(struct thread *th, struct cap *c, uint64_t op);
void frame_invoke(struct thread *th, struct cap *c, uint64_t op);
void platform_invoke(struct thread *th, struct cap *c, uint64_t op);
