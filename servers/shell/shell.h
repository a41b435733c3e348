/* The shell's commands. */
#pragma once

#define SHELL_SYSTEM  10    /* the root task's endpoint (given at start) */
#define SHELL_CONSOLE 20    /* the console endpoint (looked up) */

/* Runs one command line (with its newline); prints to stdout. */
void shell_run(char *line);
