/* simdmask: the command-line tool. Subcommands come from commands.h (one
 * line each; see there for how to add one); this file only dispatches. */
#include <stdio.h>
#include <string.h>

#include "simdmask.h"
#include "tool.h"

typedef struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
#define SM__TOOL_COMMAND(name, summary) { #name, summary, sm__cmd_##name },
#include "commands.h"
#undef SM__TOOL_COMMAND
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: simdmask COMMAND [OPTIONS]   (simdmask COMMAND --help for its options)\n\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nsimdmask %s. SIMDMASK_BACKEND=NAME in the environment picks the backend.\n",
            sm_version());
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SM__EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return SM__EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("simdmask %s\n", sm_version());
        return SM__EXIT_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return commands[i].run(argc - 1, argv + 1);
    return sm__tool_usage_error(NULL, "unknown command '%s' (see simdmask --help)", name);
}
