/* shell.h -- the serial shell: reads a line from COM1, runs the command. */
#ifndef MBK_SHELL_H
#define MBK_SHELL_H

#include "multiboot.h"

void shell_run(const struct multiboot_info *mbi);   /* does not return */

#endif
