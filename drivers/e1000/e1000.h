/* Intel 8254x (QEMU -device e1000, 82540EM: 8086:100e) register interface and
 * descriptor rings, as the driver uses them: legacy descriptors, one receive and
 * one transmit ring, polled (interrupts masked on the device). */
#pragma once
#include <stdint.h>

#define E1000_CTRL   0x0000
#define E1000_STATUS 0x0008
#define E1000_ICR    0x00C0
#define E1000_IMC    0x00D8
#define E1000_RCTL   0x0100
#define E1000_TCTL   0x0400
#define E1000_TIPG   0x0410
#define E1000_RDBAL  0x2800
#define E1000_RDBAH  0x2804
#define E1000_RDLEN  0x2808
#define E1000_RDH    0x2810
#define E1000_RDT    0x2818
#define E1000_TDBAL  0x3800
#define E1000_TDBAH  0x3804
#define E1000_TDLEN  0x3808
#define E1000_TDH    0x3810
#define E1000_TDT    0x3818
#define E1000_MTA    0x5200
#define E1000_RAL0   0x5400
#define E1000_RAH0   0x5404

#define CTRL_ASDE (1u << 5)
#define CTRL_SLU  (1u << 6)
#define CTRL_RST  (1u << 26)
#define STATUS_LU (1u << 1)
#define RCTL_EN    (1u << 1)
#define RCTL_BAM   (1u << 15)
#define RCTL_SECRC (1u << 26)       /* strip the CRC: frames arrive as clients see them */
#define TCTL_EN  (1u << 1)
#define TCTL_PSP (1u << 3)
#define TCTL_CT   (0x10u << 4)
#define TCTL_COLD (0x40u << 12)
#define TIPG_DEFAULT 0x0060200Au

#define RX_DD  0x01                 /* descriptor done */
#define RX_EOP 0x02
#define TX_EOP  0x01
#define TX_IFCS 0x02
#define TX_RS   0x08
#define TX_DD   0x01

struct e1000_rx {
    uint64_t addr;
    uint16_t length, csum;
    uint8_t status, errors;
    uint16_t special;
};

struct e1000_tx {
    uint64_t addr;
    uint16_t length;
    uint8_t cso, cmd, status, css;
    uint16_t special;
};

#define RX_RING 32                  /* descriptors (a multiple of 8: 128-byte rings) */
#define TX_RING 8
#define BUF_SIZE 2048
