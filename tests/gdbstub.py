"""A minimal client of QEMU's gdb stub (the GDB remote serial protocol), enough to
stop the guest, read and write registers and let it go on. Standard library only.
Register numbers and layout are those of QEMU's x86-64 target without XML:
16 general registers, RIP (8 bytes each), then EFLAGS, CS, SS, ... (4 bytes)."""
import socket
import time

EFLAGS = 17
RIP_OFFSET = 16 * 8
EFLAGS_OFFSET = 17 * 8
CS_OFFSET = 17 * 8 + 4


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Gdb:
    def __init__(self, port, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.buf = b""

    def _read(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("gdb stub closed the connection")
        self.buf += chunk

    def send(self, data):
        """Sends one packet and waits for its acknowledgement."""
        body = data.encode()
        self.sock.sendall(b"$" + body + b"#%02x" % (sum(body) % 256))
        while b"+" not in self.buf[:1]:
            if self.buf[:1] == b"-":
                raise ConnectionError("gdb stub refused a packet")
            if not self.buf:
                self._read()
            elif self.buf[:1] != b"+":
                self.buf = self.buf[1:]
        self.buf = self.buf[1:]

    def reply(self):
        """The next packet's contents (acknowledged)."""
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start)
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                data = self.buf[start + 1:end]
                self.buf = self.buf[end + 3:]
                self.sock.sendall(b"+")
                return data.decode()
            self._read()

    def command(self, data):
        self.send(data)
        return self.reply()

    def stop(self):
        self.sock.sendall(b"\x03")
        return self.reply()

    def cont(self):
        self.send("c")

    def registers(self):
        return bytes.fromhex(self.command("g"))

    def set_eflags(self, value):
        """Writes EFLAGS (through a whole-register-file write: QEMU's stub does not
        take a single-register write for it). Returns the stub's answer, "OK"."""
        regs = bytearray(self.registers())
        regs[EFLAGS_OFFSET:EFLAGS_OFFSET + 4] = (value & 0xFFFFFFFF).to_bytes(4, "little")
        return self.command("G" + regs.hex())

    def close(self):
        """Leaves the guest running. (Closing the connection is enough; QEMU 7.2
        leaves the guest stopped after a detach packet sent while it runs.)"""
        self.sock.close()


def user_context(regs):
    """(rip, eflags, in user mode) of a register dump."""
    rip = int.from_bytes(regs[RIP_OFFSET:RIP_OFFSET + 8], "little")
    eflags = int.from_bytes(regs[EFLAGS_OFFSET:EFLAGS_OFFSET + 4], "little")
    cs = int.from_bytes(regs[CS_OFFSET:CS_OFFSET + 4], "little")
    return rip, eflags, (cs & 3) == 3
