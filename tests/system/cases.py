"""The QEMU system tests: each case boots an image and decides pass/fail from
explicit lines on the serial log and QEMU's exit status (tests/qemu.py). The
cases are in kernel_cases.py, service_cases.py, driver_cases.py and net_cases.py, what they are built from in
support.py."""
from kernel_cases import KERNEL_CASES
from service_cases import SERVICE_CASES
from driver_cases import DRIVER_CASES
from net_cases import NET_CASES

CASES = KERNEL_CASES + SERVICE_CASES + DRIVER_CASES + NET_CASES
