/* engine.c -- the registry of the engines built into x86lab.  An engine is
 * added by one line here and its ops struct (see engine.h). */
#include <string.h>

#include "machine/engine.h"

const struct engine_ops *engine_ops(enum engine_kind k)
{
    static const struct engine_ops *const all[ENGINE_COUNT] = {
        [ENGINE_INTERP] = &interp_engine_ops,
        [ENGINE_BT] = &bt_engine_ops,
        [ENGINE_KVM] = &kvm_engine_ops,
        [ENGINE_TAE] = &tae_engine_ops,
    };
    return (unsigned)k < ENGINE_COUNT ? all[k] : NULL;
}

int engine_by_name(const char *name)
{
    static const char *const names[ENGINE_COUNT] = {
        [ENGINE_INTERP] = "interp", [ENGINE_BT] = "bt", [ENGINE_KVM] = "kvm",
        [ENGINE_TAE] = "trap-and-emulate",
    };
    for (int k = 0; k < ENGINE_COUNT; k++)
        if (!strcmp(name, names[k]))
            return k;
    return -1;
}
