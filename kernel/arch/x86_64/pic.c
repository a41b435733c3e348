/* 8259 PIC set-up, masking and end-of-interrupt. */
#include "cpu.h"
#include "pic.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1

void pic_init(void)
{
    outb(PIC1_CMD, 0x11);       /* ICW1: initialise, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 32);        /* ICW2: vector offsets */
    outb(PIC2_DATA, 40);
    outb(PIC1_DATA, 4);         /* ICW3: slave on IRQ 2 */
    outb(PIC2_DATA, 2);
    outb(PIC1_DATA, 1);         /* ICW4: 8086 mode */
    outb(PIC2_DATA, 1);
    outb(PIC1_DATA, 0xFB);      /* all masked except the cascade line */
    outb(PIC2_DATA, 0xFF);
}

void pic_mask(unsigned irq)
{
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
    outb(port, inb(port) | (uint8_t)(1u << (irq & 7)));
}

void pic_unmask(unsigned irq)
{
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
    outb(port, inb(port) & (uint8_t)~(1u << (irq & 7)));
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, 0x20);
    outb(PIC1_CMD, 0x20);
}

int pic_is_spurious(unsigned irq)
{
    if (irq != 7 && irq != 15)
        return 0;
    outb(irq == 7 ? PIC1_CMD : PIC2_CMD, 0x0B);     /* read the in-service register */
    if (inb(irq == 7 ? PIC1_CMD : PIC2_CMD) & 0x80)
        return 0;
    if (irq == 15)
        outb(PIC1_CMD, 0x20);   /* the master did see the cascade */
    return 1;
}
