/* A program's fault-site table (made by faultinject/sites.c at build time, read
 * by the injector as a boot module). Text, one record a line:
 *   # resurgo fault sites 1
 *   binary uart.elf
 *   build-id 6f0c...            (hex, or "none")
 *   data ADDR LEN                (a writable segment; any number, hex)
 *   text ADDR LEN                (an executable section; hex)
 *   S ADDR LEN FLAGS MODRM DISP DISPLEN IMM IMMLEN DS TEXT...
 * An S line is one instruction: its address (hex) and length; FLAGS, letters or
 * "-": j conditional branch, b backward (a loop's condition), m has a ModRM byte,
 * p has a memory operand; the byte offsets of the ModRM, displacement and
 * immediate in the instruction (0: none) with their sizes; DS, two letters: which
 * ModRM field holds the destination and which the source (r reg, m r/m, - none);
 * then the instruction as the disassembler prints it. A table may hold only some
 * of a program's instructions (the campaign's pruned tables: those its workload
 * reaches). Pure: host-testable. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define FI_SITES_MAGIC "# resurgo fault sites 1"

enum {
    FI_SITE_JCC = 1,
    FI_SITE_BACKWARD = 2,
    FI_SITE_MODRM = 4,
    FI_SITE_MEM = 8,
};

struct fi_site {
    uint64_t addr;
    uint8_t len, flags;
    uint8_t modrm, disp, disp_len, imm, imm_len;
    char dst, src;                  /* 'r', 'm' or '-' */
    const char *text;               /* the instruction, in the table's buffer */
};

#define FI_DATA_MAX 4

struct fi_table {
    char binary[32], build_id[72];
    uint64_t data[FI_DATA_MAX][2];  /* writable segments: address, length */
    uint64_t text_addr;             /* the first text section's address (0: none) */
    unsigned ndata;
    struct fi_site *sites;          /* in address order (malloc'd) */
    size_t count;
};

/* Parses the table in buf[0..len) (its text is kept: the sites point into it and
 * lines are cut at their ends). Returns NULL, or why not, naming the line, in
 * `why` (size bytes). */
const char *fi_table_parse(char *buf, size_t len, struct fi_table *t, char *why, size_t size);
void fi_table_free(struct fi_table *t);
