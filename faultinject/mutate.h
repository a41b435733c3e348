/* Fault types and the mutators that make them, after the software-implemented
 * fault-injection lineage (Rio and Nooks' injector, MINIX 3's swifi). Pure: the
 * injector (faultinject/main.c) reads and writes the target through its debug
 * capability; what to change is decided here, from the site table and a seeded
 * generator, so the same seed always makes the same fault. Host-tested. */
#pragma once
#include <stdint.h>
#include "site_table.h"

enum fi_type {
    /* code faults: at one instruction of the target's text */
    FI_TEXT_FLIP,       /* one bit of the instruction flipped */
    FI_NOP,             /* the instruction deleted (NOPs in its place) */
    FI_SRC,             /* the source operand's register field corrupted */
    FI_DST,             /* the destination operand's register field corrupted */
    FI_POINTER,         /* a memory operand's displacement or base corrupted */
    FI_BRANCH,          /* a conditional branch inverted */
    FI_LOOP,            /* a loop's condition off by one (jl <-> jle, jb <-> jbe ...) */
    /* data faults: one bit, at a random moment */
    FI_STACK_FLIP,      /* in the stack above the stack pointer */
    FI_HEAP_FLIP,       /* in the heap's first 64 KiB */
    FI_DATA_FLIP,       /* in the program's writable data */
    FI_REG_FLIP,        /* in a general register of the stopped thread */
    /* failures as such */
    FI_CRASH,           /* jump to an unmapped address */
    FI_HANG,            /* an endless loop where the thread stands */
    FI_WILD_WRITE,      /* a random word written in the stack or the data */
    /* the target made to act (remote.h): when it next runs where it stands */
    FI_BOGUS_IPC,       /* bogus calls to whatever its capabilities reach */
    FI_EXHAUST,         /* its memory quota used up */
    FI_TYPES
};

const char *fi_type_name(enum fi_type t);
/* The type named `name`, or -1. */
int fi_type_parse(const char *name);
/* Whether t changes code (at a site), rather than data or control. */
int fi_type_is_code(enum fi_type t);
/* Whether t has the target itself act (remote.h). */
int fi_type_is_remote(enum fi_type t);

/* splitmix64: the next number from *state. */
uint64_t fi_random(uint64_t *state);

/* Whether code fault t can be made at s. */
int fi_site_fits(const struct fi_site *s, enum fi_type t);
/* The site for code fault t: the n-th that fits, n drawn from *rng; NULL if none. */
const struct fi_site *fi_pick_site(const struct fi_table *tab, enum fi_type t, uint64_t *rng);
/* Makes code fault t in the instruction bytes[0..s->len), keeping its length.
 * 0, or -1 when it cannot be made there (the bytes are not of the form the site
 * says, or no change of that kind keeps the length): nothing is changed, and the
 * injector takes the next site that fits. */
int fi_mutate_code(enum fi_type t, const struct fi_site *s, uint8_t *bytes, uint64_t *rng);

/* Where a data fault goes: an address and a bit (0..7), from the stack pointer
 * and the table's segments. */
#define FI_HEAP_BASE 0x0000100000000000ull
#define FI_HEAP_SPAN (64u * 1024)
#define FI_STACK_SPAN 512u
void fi_pick_data(enum fi_type t, const struct fi_table *tab, uint64_t rsp, uint64_t *rng,
                  uint64_t *addr, unsigned *bit);
