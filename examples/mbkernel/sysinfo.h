/* sysinfo.h -- what the machine is: memory from the Multiboot information,
 * the processor from CPUID. */
#ifndef MBK_SYSINFO_H
#define MBK_SYSINFO_H

#include "multiboot.h"

void show_memory(const struct multiboot_info *mbi);
void show_cpuid(void);

#endif
