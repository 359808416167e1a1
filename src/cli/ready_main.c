/*
 * ready_main.c - main() for suites that do not write their own, and for the
 * perfreg program itself.
 */
#include "perfreg.h"

int main(int argc, char **argv)
{
    return perfreg_main(argc, argv);
}
