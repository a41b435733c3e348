-- Resurgo start-up script (the default init.lua, loaded by GRUB as a boot module).
-- It declares the system services, their capabilities and restart policies. The
-- kernel checks that it is present; the init component interprets it once the
-- reincarnation server and init exist (see docs/architecture.md, "Boot path").

system = {
  name = "resurgo",
  services = {},
}
