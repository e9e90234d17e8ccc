/*
 * insn-count: a QEMU TCG plugin that counts the guest instructions executed
 * and writes the total when the guest exits.
 *
 * Targets QEMU plugin API version 1, the version Debian 12's QEMU 7.2 exports
 * (later QEMUs moved to version 2+, which dropped the inline call used here).
 * Debian ships no qemu-plugin.h, so the few types and functions used are
 * declared below as that version of the header declares them; the functions
 * are resolved against the qemu-arm executable when it loads the plugin.
 *
 * Counting is per translation block: when a block is translated, an inline
 * "add n_insns to the counter" is attached to it, and QEMU runs that add
 * each time the block executes (no call into the plugin on the hot path).
 * The guest here is single-threaded, so one counter is exact and the total
 * is deterministic: the same binary and input give the same count.
 *
 * Usage: qemu-arm -plugin ./insn-count.so,out=/path/count.txt prog args...
 * Writes "<count>\n" to the file named by out= (to stderr without it).
 *
 * Build (host compiler; see tools/devcost/build.ts):
 *   cc -O2 -shared -fPIC -o insn-count.so insn-count.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API, version 1 (include/qemu/qemu-plugin.h) ---- */
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))
#define QEMU_PLUGIN_VERSION 1

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t; /* only passed through, never read */
struct qemu_plugin_tb;                   /* opaque */

enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
/* ---- end of the API declarations ---- */

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t insn_count; /* guest instructions executed so far */
static char *out_path;      /* where to write the total, or NULL for stderr */

static void on_tb_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insn_count,
                                             qemu_plugin_tb_n_insns(tb));
}

static void on_guest_exit(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    FILE *out = out_path ? fopen(out_path, "w") : stderr;
    if (!out) {
        fprintf(stderr, "insn-count: cannot write %s\n", out_path);
        return;
    }
    fprintf(out, "%llu\n", (unsigned long long)insn_count);
    if (out != stderr) fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "out=", 4) == 0) {
            out_path = strdup(argv[i] + 4);
        } else {
            fprintf(stderr, "insn-count: unknown argument %s (expected out=<path>)\n", argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_translate);
    qemu_plugin_register_atexit_cb(id, on_guest_exit, NULL);
    return 0;
}
