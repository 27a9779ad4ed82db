/* compare.h -- `x86lab compare`: the same guest once per engine, the
 * results checked against each other and reported side by side
 * (compare/compare.c; main.c dispatches here when argv[1] is "compare"). */
#ifndef X86LAB_COMPARE_H
#define X86LAB_COMPARE_H

/* argv[0] is "compare"; returns the process exit status. */
int compare_main(int argc, char **argv);

#endif
