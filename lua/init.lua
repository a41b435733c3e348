-- Resurgo start-up script: the default init.lua, loaded by GRUB as a boot module
-- and run by init (servers/init/) in Lua 5.4. Each `service "NAME" { ... }`
-- declares a system service to the reincarnation server (RS): the program, the
-- capabilities it gets, and how it is watched and brought back. RS starts the
-- services in dependency order and enforces the policies, even if init dies.
-- Every key, its type and its default: docs/init-lua.md.

-- The console driver: the UART's eight I/O ports and IRQ 4, nothing else. It
-- owns the name "console" in the data store, where clients find it.
service "uart" {
  binary = "uart.elf",
  priority = 25,
  ports = {0x3F8, 8},
  irq = 4,
  owns = {"console"},
  heartbeat = 10,            -- ms; two missed heartbeats are a hang
  restart = "permanent",     -- always brought back
  max_restarts = 32,         -- at most 32 restarts ...
  window = 1000,             -- ... within one second, else
  escalate = "degrade",      -- stop it and say the system is degraded
  backoff = {base = 1, cap = 100},   -- first restart at once, then 1, 2, 4 ... 100 ms
}

-- The PCI server (drivers/pci, docs/drivers-pci.md): the configuration ports and
-- the bus windows (pci_bus), from which it gives each PCI driver the BARs, line
-- and DMA capability of the one device its `pci` key names. `pci` at the shell
-- lists the devices. It owns the name "pci" in the data store.
service "pci" {
  binary = "pci.elf",
  priority = 24,
  ports = {0xCF8, 8},
  pci_bus = true,
  owns = {"pci"},
  heartbeat = 50,
  restart = "permanent",
}

-- The network: QEMU's default NIC on this machine is an Intel e1000 on its
-- user-mode network. Its driver (drivers/e1000, docs/drivers-network.md) may
-- open only that device; the network server runs lwIP over it at 10.0.2.15 with
-- UDP and TCP echo on port 7 (`make run NET_PORT=5555` forwards the host's
-- 127.0.0.1:5555 there: python3 tests/host/netload.py 5555).
service "e1000" {
  binary = "e1000.elf",
  priority = 22,
  pci = "8086:100e",
  depends = {"pci"},
  owns = {"ether"},
  heartbeat = 50,
  restart = "permanent",
  max_restarts = 32,
  window = 1000,
}
-- With another NIC instead (-nic none -netdev user,id=n0 -device ne2k_pci,netdev=n0
-- or rtl8139), declare its driver in place of e1000's, with the same `owns`:
--   service "ne2k" { binary = "ne2k.elf", pci = "10ec:8029", depends = {"pci"},
--                    owns = {"ether"}, heartbeat = 50, restart = "permanent" }
--   service "rtl8139" { binary = "rtl8139.elf", pci = "10ec:8139", depends = {"pci"},
--                       owns = {"ether"}, heartbeat = 50, restart = "permanent" }
service "net" {
  binary = "net.elf",
  priority = 18,
  quota = 2097152,
  reads = {"ether"},
  depends = {"e1000"},        -- (or the driver declared in its place)
  restart = "permanent",
}

-- The shell: a client of the console, allowed to control other services, to
-- read init's start-up report ("startup": what this script declared, and what
-- it got wrong; ps shows it) and this script (io.open("/boot/init.lua") at its
-- lua prompt).
service "shell" {
  binary = "shell.elf",
  priority = 15,
  reads = {"console", "startup", "pci"},
  depends = {"uart"},
  control = true,
  files = {"init.lua"},
  restart = "permanent",
}

-- Block drivers (docs/drivers-block.md), left out by default: the default boot
-- has no disk. Each owns "block"; declare one. The ATA driver takes the PIIX IDE
-- function (-drive file=disk.img,format=raw,if=ide,index=0), polled PIO:
-- service "ata" {
--   binary = "ata.elf",
--   priority = 23,
--   quota = 524288,
--   pci = "8086:7010",
--   depends = {"pci"},
--   owns = {"block"},
--   heartbeat = 50,
--   restart = "transient",     -- exit 0 (no disk) leaves it stopped
--   max_restarts = 32,
--   window = 1000,
--   backoff = {base = 1, cap = 100},
-- }
-- The virtio-blk driver takes a modern virtio disk by DMA (-drive
-- file=disk.img,if=none,id=d0,format=raw -device
-- virtio-blk-pci,drive=d0,disable-legacy=on,iommu_platform=on; with -machine q35
-- -device intel-iommu its DMA is fenced to its own frames):
-- service "virtio_blk" {
--   binary = "virtio_blk.elf",
--   priority = 22,
--   pci = "1af4:1042",
--   depends = {"pci"},
--   owns = {"block"},
--   heartbeat = 50,
--   restart = "permanent",
-- }
