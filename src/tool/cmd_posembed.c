/* simdmask posembed: MAE's sin-cos position embedding as JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "simdmask.h"
#include "tool.h"

static const char usage[] =
    "usage: simdmask posembed --dim D (--grid G [--grid-w W] [--cls] | --positions M)\n"
    "                         [--f32] [--json]\n"
    "\n"
    "MAE's get_2d_sincos_pos_embed(D, G, cls_token) (float64, as its numpy code\n"
    "computes it), or with --positions the 1-D form at positions 0 .. M-1.\n"
    "\n"
    "  --dim D        embedding dimension (a multiple of 4 for 2-D, even for 1-D)\n"
    "  --grid G       grid rows (and columns unless --grid-w)\n"
    "  --grid-w W     grid columns (default G)\n"
    "  --cls          a first row of zeros for the cls token\n"
    "  --positions M  the 1-D embedding of positions 0 .. M-1 instead\n"
    "  --f32          float32 (the float64 values rounded, as MAE's .float())\n"
    "  --json         one JSON object: embed_dim, grid_h, grid_w, cls_token, dtype,\n"
    "                 pos_embed (rows of shortest round-trip numbers)\n"
    "\n"
    "Without --json the table prints as PyTorch prints it (precision 4).\n"
    "Example: simdmask posembed --dim 16 --grid 4 --cls --json\n";

int sm__cmd_posembed(int argc, char **argv)
{
    size_t dim = 0, grid = 0, grid_w = 0, positions = 0;
    int cls = 0, f32 = 0, json = 0, seen_dim = 0, seen_grid = 0, seen_w = 0, seen_pos = 0;
    const sm__opt opts[] = {
        { "dim", SM__OPT_COUNT, &dim, &seen_dim },
        { "grid", SM__OPT_COUNT, &grid, &seen_grid },
        { "grid-w", SM__OPT_COUNT, &grid_w, &seen_w },
        { "cls", SM__OPT_FLAG, &cls, NULL },
        { "positions", SM__OPT_COUNT, &positions, &seen_pos },
        { "f32", SM__OPT_FLAG, &f32, NULL },
        { "json", SM__OPT_FLAG, &json, NULL },
    };
    int s = sm__tool_parse("posembed", argc, argv, opts, sizeof opts / sizeof opts[0], usage);
    if (s >= 0) return s;
    if (!seen_dim) return sm__tool_usage_error("posembed", "--dim is required");
    if (seen_grid == seen_pos)
        return sm__tool_usage_error("posembed", "give exactly one of --grid and --positions");
    if (seen_pos && (cls || seen_w))
        return sm__tool_usage_error("posembed", "--cls and --grid-w go with --grid");
    if (!seen_w) grid_w = grid;
    size_t rows = seen_pos ? positions : grid * grid_w + (cls != 0);
    if (seen_grid && grid_w && rows / grid_w < grid)
        return sm__tool_usage_error("posembed", "--grid %zu x %zu is too large", grid, grid_w);
    double *out = sm__tool_alloc(rows, dim * sizeof(double));
    float *outf = sm__tool_alloc(rows, dim * sizeof(float));
    if (!out || !outf) {
        free(out), free(outf);
        return sm__tool_fail("posembed", "out of memory for %zu x %zu", rows, dim);
    }
    sm_float_type type = f32 ? SM_F32 : SM_F64;
    void *dst = f32 ? (void *)outf : (void *)out;
    sm_status st = seen_pos ? sm_pos_embed_1d(dim, NULL, positions, type, dst)
                            : sm_pos_embed_2d(dim, grid, grid_w, cls, type, dst);
    if (st != SM_OK) {
        free(out), free(outf);
        return sm__tool_fail("posembed", "%s: %s", sm_strerror(st), sm_last_error());
    }
    if (json) {
        printf("{\"embed_dim\": %zu, ", dim);
        if (seen_pos)
            printf("\"positions\": %zu, ", positions);
        else
            printf("\"grid_h\": %zu, \"grid_w\": %zu, \"cls_token\": %s, ", grid, grid_w,
                   cls ? "true" : "false");
        printf("\"dtype\": \"%s\", \"pos_embed\": ", f32 ? "float32" : "float64");
        if (f32) {
            sm__tool_json_f32(stdout, outf, rows, dim);
        } else {
            printf("[");
            for (size_t r = 0; r < rows; r++) {
                printf(r ? ", [" : "[");
                for (size_t k = 0; k < dim; k++) {
                    if (k) printf(", ");
                    sm__tool_json_double(stdout, out[r * dim + k]);
                }
                printf("]");
            }
            printf("]");
        }
        printf("}\n");
    } else {
        if (!f32)
            for (size_t i = 0; i < rows * dim; i++) outf[i] = (float)out[i];
        const size_t shape[2] = { rows, dim };
        sm__tool_print_torch_f32(stdout, outf, 2, shape, 4);
    }
    free(out), free(outf);
    return fflush(stdout) != 0 ? sm__tool_fail("posembed", "cannot write the output") : SM__EXIT_OK;
}
