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

-- The shell: a client of the console, allowed to control other services, to
-- read init's start-up report ("startup": what this script declared, and what
-- it got wrong; ps shows it) and this script (io.open("/boot/init.lua") at its
-- lua prompt).
service "shell" {
  binary = "shell.elf",
  priority = 15,
  reads = {"console", "startup"},
  depends = {"uart"},
  control = true,
  files = {"init.lua"},
  restart = "permanent",
}

-- The ATA disk driver (drivers/ata, docs/drivers-block.md): the primary IDE
-- channel's command block and its control register, no IRQ (it polls). Left
-- out by default: the default boot has no disk, where the driver says so and
-- exits 0. With a disk attached (-drive ...,if=ide,index=0), uncomment it.
-- service "ata" {
--   binary = "ata.elf",
--   priority = 24,
--   quota = 524288,
--   ports = {0x1F0, 8},
--   ports2 = {0x3F6, 1},
--   owns = {"block"},
--   heartbeat = 50,
--   restart = "transient",     -- exit 0 (no disk) leaves it stopped
--   max_restarts = 32,
--   window = 1000,
--   backoff = {base = 1, cap = 100},
-- }
