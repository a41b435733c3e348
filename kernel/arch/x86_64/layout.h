/* Virtual memory layout shared by C and the linker script (see docs/architecture.md). */
#pragma once

#define KERNEL_VMA      0xFFFFFFFF80000000   /* kernel image: phys 0.. mapped here */
#define DIRECT_MAP_BASE 0xFFFF800000000000   /* all RAM mapped linearly here */
#define KERNEL_PHYS     0x100000             /* where the image is loaded */
#define USER_TOP        0x00007FFFFFFFF000   /* first address above user space */
#define PAGE_SIZE       4096
#define LARGE_PAGE_SIZE 0x200000
