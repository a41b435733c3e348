#!/usr/bin/env bash
# Prints the QEMU accelerator for `make run KVM=1`: "-accel kvm -cpu host" when KVM
# really works here (a probe boot of the kernel reaches "kernel ready" under KVM
# within 10 s), else "-accel tcg" with a note on stderr.
set -u
kernel=${1:?usage: kvm_ok.sh KERNEL}
status=1
if [ -w /dev/kvm ]; then        # (a crashing probe is reported by no one: 2>/dev/null)
    status=$(exec 2>/dev/null
             timeout 10 qemu-system-x86_64 -accel kvm -cpu host -m 64M -display none \
                 -no-reboot -serial null -monitor none \
                 -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
                 -kernel "$kernel" -append exit=ready >/dev/null </dev/null
             echo $?)
fi
if [ "$status" -eq 33 ]; then           # 33: the kernel's "success" exit
    echo "-accel kvm -cpu host"
else
    echo "make run: KVM was asked for but does not work here; using TCG" >&2
    echo "-accel tcg"
fi
