/* Just enough ACPI to find the DMA-remapping hardware: the RSDP in the BIOS area,
 * the RSDT or XSDT, and the DMAR table's first remapping unit. Every length read
 * from the tables is checked against a bound before it is used. */
#pragma once
#include <stdint.h>

/* The register base of the first DMA-remapping unit (DRHD) of PCI segment 0, and
 * the host address width; 0 when the firmware describes none (no IOMMU). QEMU's
 * one unit lists every device on bus 0 in its scope, or includes them all. */
uint64_t acpi_find_dmar(unsigned *haw);
