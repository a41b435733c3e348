/* The NE2000 (National DP8390) as QEMU's ne2k_pci models it (10ec:8029):
 * registers in one I/O BAR of 32 ports, 16 KiB of on-board packet memory the
 * driver reaches only through the chip's remote DMA and the data port. Nothing
 * the chip does touches host memory: programmed I/O only. */
#pragma once

/* Page 0 (and the page-independent command register). */
#define NE_CR     0x00
#define NE_PSTART 0x01
#define NE_PSTOP  0x02
#define NE_BNRY   0x03
#define NE_TPSR   0x04
#define NE_TBCR0  0x05
#define NE_TBCR1  0x06
#define NE_ISR    0x07
#define NE_RSAR0  0x08
#define NE_RSAR1  0x09
#define NE_RBCR0  0x0A
#define NE_RBCR1  0x0B
#define NE_RCR    0x0C
#define NE_TCR    0x0D
#define NE_DCR    0x0E
#define NE_IMR    0x0F
/* Page 1. */
#define NE_PAR0   0x01
#define NE_CURR   0x07
#define NE_MAR0   0x08
#define NE_DATA   0x10
#define NE_RESET  0x1F

#define CR_STP 0x01
#define CR_STA 0x02
#define CR_TXP 0x04
#define CR_RD_READ  0x08
#define CR_RD_WRITE 0x10
#define CR_RD_ABORT 0x20
#define CR_PAGE1 0x40

#define ISR_PRX 0x01
#define ISR_PTX 0x02
#define ISR_OVW 0x10
#define ISR_RDC 0x40
#define ISR_RST 0x80

#define DCR_WORDS 0x49              /* word transfers, normal operation, FIFO 8 */
#define RCR_BROADCAST 0x04          /* broadcast and our own address */
#define RCR_MONITOR 0x20
#define TCR_LOOPBACK 0x02

/* Packet memory, in 256-byte pages: a transmit buffer, then the receive ring. */
#define TX_PAGE   0x40
#define RX_START  0x46
#define RX_STOP   0x80
