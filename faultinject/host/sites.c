/* The fault-site table of one program, made at build time (host tool):
 *   sites PROGRAM.elf > PROGRAM.sites
 * Capstone disassembles every executable section; each instruction is one site,
 * with the byte offsets of its ModRM, displacement and immediate as Capstone's
 * encoding information gives them, which ModRM field is the destination and
 * which the source (found by asking Capstone again with that field changed), and
 * whether it is a conditional branch, and a backward one (a loop's condition).
 * The format is faultinject/site_table.h's; the injector reads the table as a
 * boot module, so code faults land on real instruction boundaries. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <capstone/capstone.h>
#include "../site_table.h"

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = n > 0 ? malloc((size_t)n) : 0;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = 0;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The hex build id from .note.gnu.build-id, or "none". */
static void build_id(const unsigned char *elf, const Elf64_Shdr *sh, unsigned n, char *out)
{
    strcpy(out, "none");
    for (unsigned i = 0; i < n; i++) {
        if (sh[i].sh_type != SHT_NOTE)
            continue;
        const Elf64_Nhdr *nh = (const void *)(elf + sh[i].sh_offset);
        if (nh->n_type != NT_GNU_BUILD_ID || nh->n_descsz > 32)
            continue;
        const unsigned char *d = (const unsigned char *)(nh + 1) + ((nh->n_namesz + 3) & ~3u);
        for (unsigned k = 0; k < nh->n_descsz; k++)
            sprintf(out + 2 * k, "%02x", d[k]);
    }
}

/* Conditional branches: jumps other than jmp, and not the rcx-counting ones
 * (jrcxz, loop), whose condition is not a flags test. */
static int is_jcc(csh cs, const cs_insn *in)
{
    return cs_insn_group(cs, in, CS_GRP_JUMP) && in->id != X86_INS_JMP && in->id != X86_INS_LJMP
           && in->id != X86_INS_JRCXZ && in->id != X86_INS_JECXZ && in->id != X86_INS_LOOP
           && in->id != X86_INS_LOOPE && in->id != X86_INS_LOOPNE;
}

/* Decodes in's bytes with the ModRM byte's `flip` bits flipped: which operand
 * changed (0, 1, -1 none), or -2 when the instruction became another one. */
static int changed_operand(csh cs, const cs_insn *in, unsigned flip)
{
    const cs_x86 *x = &in->detail->x86;
    unsigned char bytes[16];
    memcpy(bytes, in->bytes, in->size);
    bytes[x->encoding.modrm_offset] ^= (unsigned char)flip;
    cs_insn *again = 0;
    size_t got = cs_disasm(cs, bytes, in->size, in->address, 1, &again);
    int which = -2;
    if (got == 1 && again->id == in->id && again->size == in->size
        && again->detail->x86.op_count == x->op_count) {
        which = -1;
        for (int i = x->op_count - 1; i >= 0; i--)
            if (memcmp(&x->operands[i], &again->detail->x86.operands[i], sizeof x->operands[i]))
                which = i;
    }
    if (got)
        cs_free(again, got);
    return which;
}

/* Which ModRM field holds operand 0 (the destination) and which operand 1 (the
 * source): 'r' (reg), 'm' (r/m) or '-'. Capstone decodes the instruction again
 * with each reg-field bit flipped: reg names an operand only if every flip
 * keeps the instruction and changes the same operand; otherwise it is an opcode
 * extension, and r/m is the only operand the ModRM names. */
static void fields(csh cs, const cs_insn *in, char *dst, char *src)
{
    const cs_x86 *x = &in->detail->x86;
    *dst = *src = '-';
    if (!x->encoding.modrm_offset || x->op_count == 0)
        return;
    int reg = changed_operand(cs, in, 0x08);
    for (unsigned f = 0x10; f <= 0x20 && reg >= 0; f <<= 1)
        if (changed_operand(cs, in, f) != reg)
            reg = -2;
    int rm = reg == 0 ? 1 : 0;      /* the operand r/m is, when reg is the other */
    if (reg == 0 || reg == 1) {
        *(reg == 0 ? dst : src) = 'r';
        if (rm < x->op_count && changed_operand(cs, in, 0x01) == rm)
            *(rm == 0 ? dst : src) = 'm';
    } else if (changed_operand(cs, in, 0x01) == 0) {
        *dst = 'm';
    }
}

static void site(csh cs, const cs_insn *in)
{
    const cs_x86 *x = &in->detail->x86;
    char flags[8] = "", dst, src;
    int has_mem = 0;
    for (int i = 0; i < x->op_count; i++)
        has_mem |= x->operands[i].type == X86_OP_MEM;
    if (is_jcc(cs, in)) {
        strcat(flags, "j");
        if (x->op_count == 1 && x->operands[0].type == X86_OP_IMM
            && (uint64_t)x->operands[0].imm <= in->address)
            strcat(flags, "b");
    }
    if (x->encoding.modrm_offset)
        strcat(flags, "m");
    if (has_mem)
        strcat(flags, "p");
    if (!flags[0])
        strcat(flags, "-");
    fields(cs, in, &dst, &src);
    printf("S %lx %u %s %u %u %u %u %u %c%c %s%s%s\n", (unsigned long)in->address, in->size,
           flags, x->encoding.modrm_offset, x->encoding.disp_offset, x->encoding.disp_size,
           x->encoding.imm_offset, x->encoding.imm_size, dst, src, in->mnemonic,
           in->op_str[0] ? " " : "", in->op_str);
}

int main(int argc, char **argv)
{
    size_t len;
    unsigned char *elf = argc == 2 ? read_file(argv[1], &len) : 0;
    const Elf64_Ehdr *eh = (const void *)elf;
    if (!elf || len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG)
        || eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64
        || eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len) {
        fprintf(stderr, "usage: sites PROGRAM.elf (an x86-64 ELF with sections)\n");
        return 2;
    }
    const Elf64_Shdr *sh = (const void *)(elf + eh->e_shoff);
    const Elf64_Phdr *ph = (const void *)(elf + eh->e_phoff);
    char id[72];
    build_id(elf, sh, eh->e_shnum, id);
    const char *name = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
    printf("%s\nbinary %s\nbuild-id %s\n", FI_SITES_MAGIC, name, id);
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W))
            printf("data %lx %lx\n", (unsigned long)ph[i].p_vaddr, (unsigned long)ph[i].p_memsz);
    csh cs;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) || cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON)) {
        fprintf(stderr, "sites: Capstone would not open\n");
        return 1;
    }
    cs_insn *in = cs_malloc(cs);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (!(sh[i].sh_flags & SHF_EXECINSTR) || sh[i].sh_type != SHT_PROGBITS
            || sh[i].sh_offset + sh[i].sh_size > len)
            continue;
        const uint8_t *code = elf + sh[i].sh_offset;
        size_t left = sh[i].sh_size;
        uint64_t addr = sh[i].sh_addr;
        printf("text %lx %lx\n", (unsigned long)addr, (unsigned long)left);
        while (left) {
            if (cs_disasm_iter(cs, &code, &left, &addr, in)) {
                site(cs, in);
            } else {                    /* not an instruction (padding): step over */
                code++, left--, addr++;
            }
        }
    }
    cs_free(in, 1);
    cs_close(&cs);
    return 0;
}
