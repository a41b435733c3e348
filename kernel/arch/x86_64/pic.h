/* The two legacy 8259 interrupt controllers, remapped to vectors 32-47. */
#pragma once

/* Remaps both PICs and masks every line. */
void pic_init(void);
void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);
/* True for a spurious IRQ 7/15 (which must not get an EOI on its own PIC). */
int pic_is_spurious(unsigned irq);
