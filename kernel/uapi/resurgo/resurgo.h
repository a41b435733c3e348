/* Everything user space needs to talk to the Resurgo kernel. */
#pragma once
#include "errors.h"
#include "objects.h"
#include "ops.h"
#include "syscall.h"
