#include <stdlib.h>
#include <inttypes.h>
#include "translator/bt_int.h"
void h11_dump(struct bt *bt);
void h11_dump(struct bt *bt)
{
    const char *want = getenv("H11_DUMP");
    uint64_t a = strtoull(want, NULL, 16) + (uint64_t)(uintptr_t)bt->code;
    for (unsigned h = 0; h < BT_HASH; h++)
        for (struct bt_block *b = bt->hash[h]; b; b = b->hash_next)
            if (b->host && (uint64_t)(uintptr_t)b->checked <= a && a < (uint64_t)(uintptr_t)b->host + b->host_size)
                bt_show_block(bt, b->key.lin, stderr);
}
