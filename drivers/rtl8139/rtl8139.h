/* The Realtek RTL8139 (QEMU -device rtl8139: 10ec:8139), as the driver uses it:
 * registers through its I/O BAR, one receive ring the chip writes by DMA (8 KiB,
 * with the 1500 bytes after it a frame may run into: RCR.WRAP) and four transmit
 * buffers it reads by DMA, all in one DMA frame granted to the device. */
#pragma once

#define RTL_IDR0    0x00
#define RTL_MAR0    0x08
#define RTL_TSD0    0x10            /* four, 4 bytes apart */
#define RTL_TSAD0   0x20
#define RTL_RBSTART 0x30
#define RTL_CR      0x37
#define RTL_CAPR    0x38
#define RTL_CBR     0x3A
#define RTL_IMR     0x3C
#define RTL_ISR     0x3E
#define RTL_TCR     0x40
#define RTL_RCR     0x44
#define RTL_CONFIG1 0x52

#define CR_BUFE 0x01                /* the receive ring is empty */
#define CR_TE   0x04
#define CR_RE   0x08
#define CR_RST  0x10

#define RCR_APM  0x02               /* our own address */
#define RCR_AB   0x08               /* broadcast */
#define RCR_WRAP 0x80               /* a frame past the ring's end goes on past it */
#define RCR_DMA_UNLIMITED 0x700

#define TSD_OWN 0x2000              /* the chip has read the buffer: ours again */
#define TSD_TOK 0x8000

#define RX_RING 8192
#define RX_SLACK (16 + 1536)         /* what a wrapping frame may write past the end */
#define RX_OK 0x0001                /* receive status: a good frame */
#define TX_SLOTS 4
#define TX_BUF 2048
