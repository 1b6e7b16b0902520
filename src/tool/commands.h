/*
 * The subcommands of `simdmask`, one line each: SM__TOOL_COMMAND(name, summary).
 *
 * Adding a subcommand `foo` takes a file and a line:
 *   1. src/tool/cmd_foo.c defining  int sm__cmd_foo(int argc, char **argv);
 *      argv[0] is "foo", the options follow. Parse them with sm__tool_parse
 *      (src/tool/tool.h): --help and every bad-argument case (one line on
 *      stderr naming the argument, exit status 2) come with it.
 *   2. the line SM__TOOL_COMMAND(foo, "what it does") below.
 * simdmask.c declares sm__cmd_foo and lists it from this file, and
 * src/meson.build reads this file to compile src/tool/cmd_foo.c, so neither
 * needs editing. Keep one command per line, starting with SM__TOOL_COMMAND(.
 * No include guard: this file is included once per expansion of the macro.
 */
SM__TOOL_COMMAND(info, "version, CPU, caches, CPU features and backends")
SM__TOOL_COMMAND(mask, "MAE random masking of N x L tokens: noise, ids_shuffle, ids_restore, mask")
SM__TOOL_COMMAND(bench, "time the masking step on every backend this CPU supports")
SM__TOOL_COMMAND(softmax, "masked softmax of scores given on the command line (seed 002)")
SM__TOOL_COMMAND(posembed, "MAE's 2-D (or 1-D) sin-cos position embedding")
